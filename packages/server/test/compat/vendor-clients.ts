// How public client code written for the hosted vendor service talks to it, reduced to what it sends and how it reads
// an answer: four reading conventions seen in TypeScript, Python and Go clients (see docs/wire.md), written afresh here.

/** What a client concluded from one answer, and the raw answer it concluded it from. */
export interface Outcome {
  /** The client's own verdict. */
  readonly ok: boolean;
  /** The code it read (0 on success) and the text it would show. */
  readonly code: number;
  readonly message: string;
  /** Where it reads fields from after success. */
  readonly payload: any;
  /** What it raised instead of reading the body, when it did (a status check or a missing code). */
  readonly raised?: string;
  readonly status: number;
  readonly body: any;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { raw: text };
  }
  return { status: res.status, body: parsed };
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface VendorClient {
  readonly name: string;
  /** One call through the gateway (`POST /open/GuidRequest`), as the hosted service is called. */
  call(path: string, data: Record<string, unknown>): Promise<Outcome>;
}

/**
 * A TypeScript gateway adapter: never looks at the HTTP status; success is
 * `errcode ?? err_code ?? baseResponse.ret ?? -1` strictly equal to 0; text `err_msg ?? msg ?? baseResponse.errMsg`;
 * fields from `data ?? body`.
 */
export class TsAdapterClient implements VendorClient {
  readonly name = 'ts-adapter';
  constructor(private readonly baseUrl: string, private readonly appKey: string, private readonly appSecret: string) {}

  async call(path: string, data: Record<string, unknown>): Promise<Outcome> {
    const { status, body } = await post(`${this.baseUrl}/open/GuidRequest`, { app_key: this.appKey, app_secret: this.appSecret, path, data });
    const code = body.errcode ?? body.err_code ?? body.baseResponse?.ret ?? -1;
    const message = body.err_msg ?? body.msg ?? body.baseResponse?.errMsg ?? '';
    return { ok: code === 0, code, message: typeof message === 'string' ? message : JSON.stringify(message), payload: body.data ?? body, status, body };
  }

  /** Its private-CDN download: the CDN base URL, `base_request` only; success is `errcode === 0`, the link `data.url || data.download_url`. */
  async cdn(path: string, body: Record<string, unknown>): Promise<Outcome> {
    const res = await post(`${this.baseUrl}${path}`, body);
    const code = res.body.errcode;
    return { ok: code === 0, code: code ?? -1, message: res.body.errmsg ?? '', payload: res.body.data, status: res.status, body: res.body };
  }
}

/**
 * A Python (httpx + pydantic) client: raises on any status but 200 (401 AuthenticationError, 5xx NetworkError);
 * success is `err_code`, else `baseResponse.ret`, equal to 0 — a body with neither is a failure; text `err_msg`, else
 * `baseResponse.errMsg` when it is a string; fields from `data`, else the top-level `userInfo` and `userInfoExt`.
 */
export class PythonStrictClient implements VendorClient {
  readonly name = 'python-strict';
  constructor(private readonly baseUrl: string, private readonly appKey: string, private readonly appSecret: string) {}

  async call(path: string, data: Record<string, unknown>): Promise<Outcome> {
    const { status, body } = await post(`${this.baseUrl}/open/GuidRequest`, { app_key: this.appKey, app_secret: this.appSecret, path, data });
    if (status !== 200) {
      const raised = status === 401 ? 'AuthenticationError' : status >= 500 ? 'NetworkError' : 'WeChatAPIError';
      return { ok: false, code: -1, message: `HTTP ${status}`, payload: undefined, raised, status, body };
    }
    const code = typeof body.err_code === 'number' ? body.err_code : isObject(body.baseResponse) ? body.baseResponse.ret : undefined;
    if (code === undefined) return { ok: false, code: -1, message: 'no err_code', payload: undefined, raised: 'BusinessError', status, body };
    const errMsg = body.baseResponse?.errMsg;
    const message = body.err_msg ?? (typeof errMsg === 'string' ? errMsg : '');
    const payload = 'data' in body ? body.data : { ...(body.userInfo ?? {}), ...(body.userInfoExt ?? {}), ...body };
    return { ok: code === 0, code, message, payload, status, body };
  }

  /** Its private-CDN calls: the CDN base URL, a plain body without credentials; any status but 200 raises; `errcode == 0`. */
  async cdn(path: string, body: Record<string, unknown>): Promise<Outcome> {
    const res = await post(`${this.baseUrl}${path}`, body);
    if (res.status !== 200) return { ok: false, code: -1, message: `HTTP ${res.status}`, payload: undefined, raised: 'CDNError', status: res.status, body: res.body };
    return { ok: res.body.errcode === 0, code: res.body.errcode ?? -1, message: res.body.errmsg ?? '', payload: res.body.data ?? res.body, status: res.status, body: res.body };
  }
}

/**
 * A Python service that forwards calls: needs HTTP 200; the first of `errcode`, `err_code`, `code` that is present,
 * read with int(), must be 0 (none present is success); text the first of `errmsg`, `err_msg`, `message`, `msg`;
 * fields from `data`, `result` or `payload`.
 */
export class PythonFirstCodeClient implements VendorClient {
  readonly name = 'python-first-code';
  constructor(private readonly baseUrl: string, private readonly appKey: string, private readonly appSecret: string) {}

  async call(path: string, data: Record<string, unknown>): Promise<Outcome> {
    const { status, body } = await post(`${this.baseUrl}/open/GuidRequest`, { app_key: this.appKey, app_secret: this.appSecret, path, data });
    const key = ['errcode', 'err_code', 'code'].find((k) => k in body);
    const code = key === undefined ? 0 : Number.parseInt(String(body[key]), 10);
    const message = [body.errmsg, body.err_msg, body.message, body.msg].find((m) => typeof m === 'string' && m !== '') ?? '';
    const payload = body.data ?? body.result ?? body.payload;
    return { ok: status === 200 && code === 0, code, message, payload, status, body, ...(status !== 200 ? { raised: `HTTP ${status}` } : {}) };
  }
}

/**
 * A Go client (net/http + gjson): a status other than 200 is an error; `error_code` (0 when missing) must be 0; text
 * `error_message`, else `err_msg`; the body is returned as a string for the caller to read with gjson. Calls both the
 * gateway and the direct paths.
 */
export class GoGjsonClient implements VendorClient {
  readonly name = 'go-gjson';
  constructor(private readonly baseUrl: string, private readonly appKey: string, private readonly appSecret: string) {}

  async call(path: string, data: Record<string, unknown>): Promise<Outcome> {
    return this.#read(await post(`${this.baseUrl}/open/GuidRequest`, { app_key: this.appKey, app_secret: this.appSecret, path, data }));
  }

  /** The direct path with the same fields (its `request` method), credentials in headers. */
  async direct(path: string, body: Record<string, unknown>): Promise<Outcome> {
    return this.#read(await post(`${this.baseUrl}${path}`, body, { 'x-app-key': this.appKey, 'x-app-secret': this.appSecret }));
  }

  #read({ status, body }: { status: number; body: any }): Outcome {
    if (status !== 200) return { ok: false, code: -1, message: `状态码非200: ${status}`, payload: undefined, raised: 'status', status, body };
    const code = typeof body.error_code === 'number' ? body.error_code : 0;
    const message = body.error_message || body.err_msg || '操作失败';
    return { ok: code === 0, code, message: code === 0 ? '' : message, payload: body, status, body };
  }
}

export type Clients = { ts: TsAdapterClient; strict: PythonStrictClient; first: PythonFirstCodeClient; go: GoGjsonClient };

export function vendorClients(baseUrl: string, appKey: string, appSecret: string): Clients {
  return {
    ts: new TsAdapterClient(baseUrl, appKey, appSecret),
    strict: new PythonStrictClient(baseUrl, appKey, appSecret),
    first: new PythonFirstCodeClient(baseUrl, appKey, appSecret),
    go: new GoGjsonClient(baseUrl, appKey, appSecret),
  };
}

/** The message id the way clients dig it out of any send answer: `newMsgId`, then `list[0].newMsgId`, then `msgId`. */
export function sentMessageId(payload: any): string | undefined {
  const id = payload?.newMsgId ?? payload?.list?.[0]?.newMsgId ?? payload?.msg_id ?? payload?.msgId ?? payload?.list?.[0]?.msgId;
  return id === undefined ? undefined : String(id);
}
