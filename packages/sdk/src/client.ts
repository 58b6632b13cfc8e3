// A fetch-based client for every wxgate endpoint over either transport, unwrapping both response modes.
import { WxgateError, type FieldError } from './errors.ts';

export type Transport = 'direct' | 'gateway';

export interface ClientOptions {
  /** Where wxgate (or the hosted service) listens, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  appKey?: string;
  appSecret?: string;
  /** The deployment's admin token, for `/admin/*`. */
  adminToken?: string;
  /** `direct` (default): `POST /<module>/<action>` with credentials in headers; `gateway`: `POST /open/GuidRequest`. */
  transport?: Transport;
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

  constructor(options: ClientOptions) {
    if (!options.baseUrl) throw new TypeError('baseUrl is required');
    this.#options = { transport: 'direct', timeoutMs: 30_000, ...options, baseUrl: options.baseUrl.replace(/\/+$/, '') };
  }

  get baseUrl(): string {
    return this.#options.baseUrl;
  }

  /** Headers that authenticate this client's direct calls (for streams such as `GET /events/stream`). */
  authHeaders(): Record<string, string> {
    const { appKey, appSecret } = this.#options;
    return appKey && appSecret ? { 'x-app-key': appKey, 'x-app-secret': appSecret } : {};
  }

  async request(path: string, body: Record<string, unknown> = {}): Promise<unknown> {
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
        signal: AbortSignal.timeout(o.timeoutMs),
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
    return unwrap(parsed, response.status, requestId);
  }
}

function unwrap(parsed: unknown, status: number, requestId: string | undefined): unknown {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    if (status >= 400) throw new WxgateError(-1, `HTTP ${status}`, status, null, [], requestId);
    return parsed;
  }
  const body = parsed as WireBody;
  const code = body.errcode ?? body.code;
  // A raw-mode answer of a raw endpoint is WeChat's object itself: no envelope to unwrap.
  if (code === undefined) {
    if (status >= 400) throw new WxgateError(-1, `HTTP ${status}`, status, parsed, [], requestId);
    return parsed;
  }
  if (code !== 0 || status >= 400) {
    const message = body.errmsg ?? body.message ?? `HTTP ${status}`;
    throw new WxgateError(code, message, status, body.data ?? null, body.errors ?? body.detail ?? [], requestId);
  }
  return body.data;
}
