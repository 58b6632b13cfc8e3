// Envelope translation between wxgate and an upstream provider, both ways, as pure functions: how a call is wrapped for
// the upstream's mode (gateway or direct), and how whatever the upstream answers becomes our data or a catalog error.
import { ERRORS, type ErrorName, type ResponseKind } from '@wxgate/contract';

export type UpstreamMode = 'gateway' | 'direct';

/** Where and how to reach an upstream provider; the credentials never leave this process except towards it. */
export interface UpstreamTarget {
  /** e.g. https://chat-api.example.com (a path prefix is kept). */
  readonly baseUrl: string;
  readonly mode: UpstreamMode;
  readonly appKey?: string;
  readonly appSecret?: string;
  /** Budget for one call, retries included. */
  readonly timeoutMs: number;
  /** The upstream's private-CDN server (the no-guid /cloud/* calls); default: baseUrl. Always called in direct mode. */
  readonly cdnUrl?: string;
}

export interface UpstreamRequest {
  /** Path relative to the base URL's origin (the base URL's own path prefix included). */
  readonly path: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

/** Wraps a call: gateway `POST /open/GuidRequest {app_key, app_secret, path, data}` or direct `POST <path>` with the fields. */
export function buildUpstreamRequest(target: UpstreamTarget, path: string, fields: Record<string, unknown>): UpstreamRequest {
  const prefix = new URL(target.baseUrl).pathname.replace(/\/+$/, '');
  if (target.mode === 'gateway') {
    return {
      path: `${prefix}/open/GuidRequest`,
      body: JSON.stringify({ app_key: target.appKey ?? '', app_secret: target.appSecret ?? '', path, data: fields }),
      headers: { 'content-type': 'application/json' },
    };
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.appKey && target.appSecret) {
    headers['x-app-key'] = target.appKey;
    headers['x-app-secret'] = target.appSecret;
  }
  return { path: `${prefix}${path}`, body: JSON.stringify(fields), headers };
}

/** Replaces every occurrence of the secrets (raw or JSON-escaped) in an upstream text, so none is ever echoed. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      if (out.includes(form)) out = out.split(form).join('[redacted]');
    }
  }
  return out;
}

export type Translated =
  | { readonly ok: true; readonly data: unknown }
  | {
    readonly ok: false;
    readonly error: ErrorName;
    readonly message: string;
    readonly data: Record<string, unknown> | null;
    readonly headers?: Record<string, string>;
  };

export interface UpstreamAnswer {
  readonly status: number;
  /** Parsed JSON, or undefined when the body was empty or not JSON. */
  readonly body: unknown;
  readonly kind: ResponseKind;
  /** The contract path called (for messages). */
  readonly path: string;
  readonly retryAfter?: string;
  /** The upstream's x-wxgate-code header: an upstream wxgate naming its catalog code (raw mode answers it with 200). */
  readonly catalogCode?: string;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const CODE_KEYS = ['errcode', 'err_code', 'error_code'] as const;
const MESSAGE_KEYS = ['errmsg', 'err_msg', 'error_message', 'message', 'msg', 'detail'] as const;
const ENVELOPE_KEYS = new Set<string>([...CODE_KEYS, ...MESSAGE_KEYS, 'code', 'data', 'hint', 'errors']);

const BY_CODE = new Map<number, ErrorName>(Object.entries(ERRORS).map(([name, spec]) => [spec.code, name as ErrorName]));

/** Catalog errors that, coming from an upstream wxgate, are about wxgate's own access to it: the tenant cannot fix them. */
const UPSTREAM_ACCESS: ReadonlySet<ErrorName> = new Set([
  'MISSING_CREDENTIALS', 'BAD_CREDENTIALS', 'BAD_ADMIN_TOKEN', 'APP_DISABLED', 'ADMIN_DISABLED', 'UNKNOWN_APP',
]);
/** Catalog errors that mean the upstream itself broke or misread the request wxgate sent. */
const UPSTREAM_BROKEN: ReadonlySet<ErrorName> = new Set([
  'INTERNAL', 'SHUTTING_DOWN', 'MALFORMED_JSON', 'UNSUPPORTED_MEDIA_TYPE', 'METHOD_NOT_ALLOWED', 'BODY_TOO_LARGE',
  'UPSTREAM_FAILED', 'UPSTREAM_TIMEOUT', 'UPSTREAM_UNREACHABLE',
]);

/** Well-known WeChat ret values with a catalog error of their own (others become UPSTREAM_REFUSED). */
const WECHAT_RETS: ReadonlyMap<number, ErrorName> = new Map([
  [-44, 'NOT_A_FRIEND'],
  [-48, 'FRIEND_TICKET_INVALID'],
  [-47, 'LOGIN_TICKET_INVALID'],
]);

function firstNumber(body: Obj, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const v = body[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v);
  }
  return undefined;
}

function firstText(body: Obj, keys: readonly string[]): string {
  for (const key of keys) {
    const v = body[key];
    if (typeof v === 'string' && v) return v;
    if (isObject(v) && typeof v.string === 'string' && v.string) return v.string;
  }
  return '';
}

/** The envelope's error code: errcode | err_code | error_code, or `code` when it is a number beside a message. */
function envelopeCode(body: Obj): number | undefined {
  const code = firstNumber(body, CODE_KEYS);
  if (code !== undefined) return code;
  if (typeof body.code === 'number' && ('message' in body || 'msg' in body || 'data' in body)) return body.code;
  return undefined;
}

const fail = (error: ErrorName, message: string, data: Record<string, unknown> | null = null, headers?: Record<string, string>): Translated =>
  ({ ok: false, error, message, data, ...(headers ? { headers } : {}) });

/** A body wxgate itself produced (an upstream wxgate): its catalog code, carried over where it means the same here. */
function fromCatalog(name: ErrorName, body: Obj, answer: UpstreamAnswer): Translated {
  const message = firstText(body, MESSAGE_KEYS) || ERRORS[name].message;
  const code = ERRORS[name].code;
  const detail = { upstream_status: answer.status, upstream_errcode: code, upstream_errmsg: message };
  if (name === 'VALIDATION') {
    const errors = Array.isArray(body.errors) ? body.errors : Array.isArray(body.detail) ? body.detail : [];
    return fail('VALIDATION', 'Validation Error', { errors });
  }
  if (UPSTREAM_ACCESS.has(name)) {
    return fail('UPSTREAM_FAILED', `the upstream provider refused this deployment's credentials (${code}); the operator must fix the relay configuration`, detail);
  }
  if (name === 'UNKNOWN_INSTANCE') {
    return fail('UPSTREAM_FAILED', 'the upstream provider no longer knows the instance behind this one (the mapping is stale); remove this instance and create a new one', detail);
  }
  if (name === 'UNKNOWN_PATH' || name === 'NOT_SUPPORTED') {
    return fail('NOT_SUPPORTED', `${answer.path} is not supported by the upstream provider: ${message}`, { path: answer.path, driver: 'relay', ...detail });
  }
  if (UPSTREAM_BROKEN.has(name)) return fail('UPSTREAM_FAILED', `the upstream provider failed (${code}): ${message}`, detail);
  const data = isObject(body.data) ? body.data : null;
  const headers = answer.retryAfter ? { 'retry-after': answer.retryAfter } : undefined;
  return fail(name, message, data, headers);
}

/** A WeChat object whose baseResponse.ret is not 0: WeChat's own refusal, with its ret kept in data. */
function wechatRefused(data: Obj, fallbackMessage: string): Translated | null {
  const base = data.baseResponse;
  if (!isObject(base)) return null;
  const ret = firstNumber(base, ['ret']);
  if (ret === undefined || ret === 0) return null;
  const message = firstText(base, ['errMsg', 'errmsg']) || fallbackMessage || `WeChat refused the call (ret ${ret})`;
  const known = WECHAT_RETS.get(ret);
  const carried = { baseResponse: { ret, errMsg: { string: message } }, upstream_errcode: ret, upstream_errmsg: message };
  if (known) return fail(known, ERRORS[known].message, carried);
  return fail('UPSTREAM_REFUSED', `the upstream provider refused the call: ${message} (WeChat ret ${ret})`, carried);
}

/** A non-2xx answer that is not one of wxgate's own catalog bodies. */
function fromHttpStatus(answer: UpstreamAnswer, body: Obj | null): Translated {
  const { status, path } = answer;
  const message = body ? firstText(body, MESSAGE_KEYS) : '';
  const detail = { upstream_status: status, ...(body && envelopeCode(body) !== undefined ? { upstream_errcode: envelopeCode(body) } : {}), ...(message ? { upstream_errmsg: message } : {}) };
  const said = message ? `: ${message}` : '';
  if (status === 422 && body && Array.isArray(body.detail)) return fail('VALIDATION', 'Validation Error', { errors: body.detail });
  if (status === 404 || status === 405 || status === 501) {
    return fail('NOT_SUPPORTED', `${path} is not supported by the upstream provider (HTTP ${status})${said}`, { path, driver: 'relay', ...detail });
  }
  if (status === 408 || status === 504) return fail('UPSTREAM_TIMEOUT', `the upstream provider reported a timeout (HTTP ${status})${said}`, detail);
  if (status === 401 || status === 403) {
    return fail('UPSTREAM_FAILED', `the upstream provider refused this deployment's credentials (HTTP ${status}); the operator must fix the relay configuration`, detail);
  }
  if (status === 429) {
    return fail('RATE_LIMITED', `the upstream provider rate-limited the call (HTTP 429)${said}; retry later`, detail, answer.retryAfter ? { 'retry-after': answer.retryAfter } : undefined);
  }
  return fail('UPSTREAM_FAILED', `the upstream provider answered HTTP ${status}${said}`, detail);
}

function stripEnvelope(body: Obj): Obj {
  const out: Obj = {};
  for (const [key, value] of Object.entries(body)) if (!ENVELOPE_KEYS.has(key)) out[key] = value;
  return out;
}

/**
 * Turns an upstream answer into our data or a catalog error. Understood: wxgate's own bodies (standard and raw
 * modes, catalog codes with their HTTP status), the vendor's raw WeChat objects, and the `{errcode|err_code|error_code,
 * errmsg|err_msg|error_message, data}` wrappers.
 */
export function translateUpstreamAnswer(answer: UpstreamAnswer): Translated {
  let body = answer.body;
  // Some vendor endpoints answer a JSON document inside a JSON string.
  if (typeof body === 'string') {
    try {
      const inner = JSON.parse(body) as unknown;
      if (typeof inner === 'object' && inner !== null) body = inner;
    } catch {
      // not JSON inside: handled below
    }
  }
  const object = isObject(body) ? body : null;

  if (answer.status < 200 || answer.status >= 300) {
    const code = object ? envelopeCode(object) : undefined;
    const name = code !== undefined ? BY_CODE.get(code) : undefined;
    // wxgate answers its catalog codes with the catalog's own HTTP status; a vendor that happens to use the same
    // number with another status is not speaking our catalog.
    if (object && name && ERRORS[name].http === answer.status) return fromCatalog(name, object, answer);
    return fromHttpStatus(answer, object);
  }

  if (Array.isArray(body)) return { ok: true, data: body };
  if (!object) {
    return fail('UPSTREAM_FAILED', `the upstream provider's answer to ${answer.path} is not a JSON object`, { upstream_status: answer.status });
  }

  const code = envelopeCode(object);
  // A business failure on the vendor's wire (HTTP 200, code in the body). An upstream wxgate names its catalog code in
  // a header too, so its failures keep their meaning here; a vendor's own numbers are only carried over.
  if (code !== undefined && code !== 0) {
    const name = BY_CODE.get(code);
    if (name && answer.catalogCode === String(code)) return fromCatalog(name, object, answer);
    const message = firstText(object, MESSAGE_KEYS);
    const inner = isObject(object.data) ? object.data : null;
    const refusal = wechatRefused(isObject(object.baseResponse) ? object : inner ?? {}, message);
    if (refusal) return refusal;
    const carried: Record<string, unknown> = { upstream_errcode: code, upstream_errmsg: message };
    if (inner && isObject(inner.baseResponse)) carried.baseResponse = inner.baseResponse;
    return fail('UPSTREAM_REFUSED', `the upstream provider refused the call${message ? `: ${message}` : ''} (errcode ${code})`, carried);
  }

  // A raw WeChat object at the top level (the vendor's raw endpoints, wxgate's raw mode, which adds errcode 0).
  if (answer.kind === 'raw' && isObject(object.baseResponse)) {
    return wechatRefused(object, '') ?? { ok: true, data: withoutSuccessCodes(object) };
  }

  if (code === undefined) return { ok: true, data: object };
  const message = firstText(object, MESSAGE_KEYS);
  const data = 'data' in object ? object.data : stripEnvelope(object);
  if (answer.kind === 'raw' && isObject(data)) return wechatRefused(data, message) ?? { ok: true, data };
  return { ok: true, data: data ?? {} };
}

/** A raw WeChat object without the envelope's success code beside it (WeChat's own objects have no such keys). */
function withoutSuccessCodes(object: Obj): Obj {
  if (!CODE_KEYS.some((key) => key in object)) return object;
  const out: Obj = {};
  for (const [key, value] of Object.entries(object)) if (!(CODE_KEYS as readonly string[]).includes(key)) out[key] = value;
  return out;
}
