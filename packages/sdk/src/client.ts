// A fetch-based client for every wxgate endpoint over either transport, unwrapping both response modes.
import { buildApi, type Api } from './api.ts';
import { ENDPOINTS, type EndpointPath, type Endpoints } from './endpoints.generated.ts';
import { WxgateError, type FieldError } from './errors.ts';

export type Transport = 'direct' | 'gateway';
/** The app's response mode (`/admin/set_app_mode`): `standard` envelopes everything, `raw` answers as the vendor service. */
export type ResponseMode = 'standard' | 'raw';
export type RequestOf<P extends EndpointPath> = Endpoints[P]['request'];
export type ResponseOf<P extends EndpointPath> = Endpoints[P]['response'];

export interface CallOptions {
  /** Overrides the client's `mode` for this call. */
  mode?: ResponseMode;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
}

export interface ClientOptions {
  /** Where wxgate (or the hosted service) listens, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  appKey?: string;
  appSecret?: string;
  /** The deployment's admin token, for `/admin/*`. */
  adminToken?: string;
  /** `direct` (default): `POST /<module>/<action>` with credentials in headers; `gateway`: `POST /open/GuidRequest`. */
  transport?: Transport;
  /**
   * The response mode of the app. `raw`: raw endpoints answer WeChat's object at the top level, so the client
   * returns the whole body for them. Without it the client tells the modes apart by the body's shape.
   */
  mode?: ResponseMode;
  /** Per-call timeout; default 30 s. */
  timeoutMs?: number;
  /** Defaults to the global fetch (Node 18+, browsers). */
  fetch?: typeof fetch;
}

interface WireBody {
  code?: number;
  errcode?: number;
  message?: string;
  errmsg?: string;
  data?: unknown;
  errors?: FieldError[];
  detail?: FieldError[];
}

/**
 * Calls one endpoint and returns its payload: `data` of a standard-mode answer, or the whole body of a
 * raw-mode answer from an endpoint that returns WeChat's object at the top level.
 */
export class WxgateClient {
  readonly #options: Required<Pick<ClientOptions, 'transport' | 'timeoutMs'>> & ClientOptions;
  /** Every endpoint as a method: `client.api.msg.send_text({ guid, to_username, content })`, typed like `call`. */
  readonly api: Api;

  constructor(options: ClientOptions) {
    if (!options.baseUrl) throw new TypeError('baseUrl is required');
    this.#options = { transport: 'direct', timeoutMs: 30_000, ...options, baseUrl: options.baseUrl.replace(/\/+$/, '') };
    this.api = buildApi((path, body, callOptions) => this.request(path, body, callOptions));
  }

  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  /** Headers that authenticate this client's direct calls (for streams such as `GET /events/stream`). */
  authHeaders(): Record<string, string> {
    const { appKey, appSecret } = this.#options;
    return appKey && appSecret ? { 'x-app-key': appKey, 'x-app-secret': appSecret } : {};
  }

  /** Calls an endpoint of the contract: the body and the answer are typed by its path. */
  call<P extends EndpointPath>(path: P, body: RequestOf<P>, options?: CallOptions): Promise<ResponseOf<P>> {
    return this.request(path, body as Record<string, unknown>, options) as Promise<ResponseOf<P>>;
  }

  /** Calls any path, typed or not (endpoints newer than this SDK); answers the unwrapped payload. */
  async request(path: string, body: Record<string, unknown> = {}, options: CallOptions = {}): Promise<unknown> {
    const o = this.#options;
    if (!path.startsWith('/')) throw new TypeError(`path must start with "/": ${path}`);
    const admin = path.startsWith('/admin/');
    const viaGateway = o.transport === 'gateway' && !admin;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (admin) {
      if (o.adminToken) headers.authorization = `Bearer ${o.adminToken}`;
    } else if (!viaGateway) {
      Object.assign(headers, this.authHeaders());
    }
    const url = viaGateway ? `${o.baseUrl}/open/GuidRequest` : `${o.baseUrl}${path}`;
    const payload = viaGateway ? { app_key: o.appKey, app_secret: o.appSecret, path, data: body } : body;
    const doFetch = o.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(options.timeoutMs ?? o.timeoutMs),
      });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new WxgateError(-1, `no answer from ${url}: ${reason}`, 0);
    }
    const requestId = response.headers.get('x-request-id') ?? undefined;
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      throw new WxgateError(-1, `answer from ${url} is not JSON (HTTP ${response.status})`, response.status, null, [], requestId);
    }
    const mode = options.mode ?? o.mode;
    const kind = Object.hasOwn(ENDPOINTS, path) ? ENDPOINTS[path as EndpointPath].kind : undefined;
    // Only a raw-mode answer of a raw endpoint is WeChat's object at the top level; admin calls always answer standard.
    const topLevel = mode === undefined || kind === undefined ? undefined : mode === 'raw' && kind === 'raw' && !admin;
    return unwrap(parsed, response.status, requestId, topLevel);
  }
}

/**
 * `topLevel` true: a 2xx body is the payload itself; false: it is an envelope whose `data` is the payload;
 * undefined (mode or endpoint unknown): decided by the body's shape.
 */
function unwrap(parsed: unknown, status: number, requestId: string | undefined, topLevel: boolean | undefined): unknown {
  if (status < 400 && topLevel === true) return parsed;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    if (status >= 400) throw new WxgateError(-1, `HTTP ${status}`, status, null, [], requestId);
    return parsed;
  }
  const body = parsed as WireBody;
  const code = body.errcode ?? body.code;
  // A raw-mode answer of a raw endpoint is WeChat's object itself: no envelope to unwrap.
  if (code === undefined && topLevel !== false) {
    if (status >= 400) throw new WxgateError(-1, `HTTP ${status}`, status, parsed, [], requestId);
    return parsed;
  }
  if (code === undefined) throw new WxgateError(-1, `HTTP ${status}: answer has no errcode`, status, parsed, [], requestId);
  if (code !== 0 || status >= 400) {
    const message = body.errmsg ?? body.message ?? `HTTP ${status}`;
    throw new WxgateError(code, message, status, body.data ?? null, body.errors ?? body.detail ?? [], requestId);
  }
  return body.data;
}
