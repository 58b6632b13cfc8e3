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
  /** Defaults to the global fetch (Node 20+, browsers). */
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
    // wxgate names a failure's precise HTTP status in a header in every mode (the vendor's wire answers most with 200).
    const precise = Number(response.headers.get('x-wxgate-status') ?? '') || response.status;
    return unwrap(parsed, { status: response.status, precise }, requestId, topLevel);
  }
}

/** The keys the vendor's wire adds beside WeChat's object; a top-level answer is returned without them. */
const ENVELOPE_KEYS = new Set(['errcode', 'err_code', 'error_code', 'errmsg', 'err_msg', 'error_message', 'msg']);
/** An envelope has `data` beside nothing but code and text keys; WeChat's objects always carry `baseResponse`. */
const isEnvelope = (body: object): boolean =>
  'data' in body && Object.keys(body).every((k) => k === 'data' || k === 'code' || k === 'message' || ENVELOPE_KEYS.has(k));

/**
 * `topLevel` true: a successful body is the payload itself (WeChat's object, the envelope's code removed); false: it
 * is an envelope whose `data` is the payload; undefined (mode or endpoint unknown): decided by the body's shape.
 * A non-zero code is a failure whatever the HTTP status: the vendor's wire answers business failures with 200.
 */
function unwrap(parsed: unknown, status: { status: number; precise: number }, requestId: string | undefined, topLevel: boolean | undefined): unknown {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    if (status.status >= 400) throw new WxgateError(-1, `HTTP ${status.status}`, status.precise, null, [], requestId);
    return parsed;
  }
  const body = parsed as WireBody & { err_code?: number; err_msg?: string };
  const code = body.errcode ?? body.err_code ?? body.code;
  if ((code !== undefined && code !== 0) || status.status >= 400) {
    const message = body.errmsg ?? body.err_msg ?? body.message ?? `HTTP ${status.status}`;
    const errors = body.errors ?? body.detail ?? [];
    throw new WxgateError(code ?? -1, message, status.precise, body.data ?? null, Array.isArray(errors) ? errors : [], requestId);
  }
  if (topLevel === false || (topLevel === undefined && isEnvelope(body))) {
    if (code === undefined) throw new WxgateError(-1, `HTTP ${status.status}: answer has no errcode`, status.precise, parsed, [], requestId);
    return body.data;
  }
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) if (!ENVELOPE_KEYS.has(key)) payload[key] = value;
  return payload;
}
