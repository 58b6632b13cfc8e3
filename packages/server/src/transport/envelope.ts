// Response bodies in both modes: raw (the vendor's wire, the default) and standard ({code,message,errcode,errmsg,data}).
import { ApiError, ERROR_CODE_HEADER, ERROR_STATUS_HEADER, ERRORS, type EndpointSpec, type ErrorSpec, type ResponseKind, type ValidationIssue } from '@wxgate/contract';
import type { QueuedSend } from '../core/send-pacing/send-pacing.ts';
import type { ResponseModeName } from '../storage/ports.ts';
import { errorText, type Language } from './language.ts';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/**
 * The HTTP status a failure answers with: its precise status in standard mode; on the vendor's wire only what HTTP
 * itself reports there too (422, 404 unknown path, 405, 413, 415, 429, 5xx), business failures are HTTP 200.
 */
export function wireStatus(mode: ResponseModeName, spec: ErrorSpec): number {
  return mode === 'standard' || spec.httpLevel ? spec.http : 200;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function successReply(mode: ResponseModeName, spec: EndpointSpec, data: unknown): Reply {
  if (mode === 'standard') return { status: 200, headers: {}, body: { code: 0, message: 'success', errcode: 0, errmsg: 'success', data } };
  // WeChat's object at the top level, read as `resp.userInfo` and as `resp.data ?? resp` alike (docs/wire.md: why no
  // `data` mirror). The success code under both spellings vendor clients test: some read only `err_code`.
  if (spec.kind === 'raw' && isObject(data)) return { status: 200, headers: {}, body: { ...data, errcode: 0, err_code: 0 } };
  return { status: 200, headers: {}, body: { errcode: 0, err_code: 0, errmsg: '', data } };
}

/**
 * A send the instance's pacing queued (docs/pacing.md): success in the endpoint's usual envelope, but with the queue
 * ticket in place of WeChat's answer, which follows as a 9001 callback; `x-wxgate-queued` names it for clients that
 * only look at headers.
 */
export function queuedReply(mode: ResponseModeName, spec: EndpointSpec, queued: QueuedSend): Reply {
  const reply = successReply(mode, spec, { queued: true, queue_id: queued.queueId, send_at: Math.ceil(queued.sendAt / 1000) });
  return { ...reply, headers: { ...reply.headers, [QUEUED_HEADER]: queued.queueId } };
}

export const QUEUED_HEADER = 'x-wxgate-queued';

/**
 * The vendor-wire failure keys: every spelling that clients written for the hosted service test (`errcode`,
 * `err_code`, `error_code`) and read the text from (`errmsg`, `err_msg`, `error_message`, `msg`).
 */
function vendorFailure(code: number, message: string): Record<string, unknown> {
  return { errcode: code, err_code: code, error_code: code, errmsg: message, err_msg: message, error_message: message, msg: message };
}

function failureHeaders(spec: ErrorSpec, extra: Record<string, string> = {}): Record<string, string> {
  return { ...extra, [ERROR_CODE_HEADER]: String(spec.code), [ERROR_STATUS_HEADER]: String(spec.http) };
}

export function validationReply(mode: ResponseModeName, issues: readonly ValidationIssue[], language: Language = 'en'): Reply {
  const spec = ERRORS.VALIDATION;
  const message = errorText(new ApiError('VALIDATION'), language);
  const body = mode === 'standard'
    ? { code: spec.code, message, errcode: spec.code, errmsg: message, errors: issues, detail: issues }
    : { ...vendorFailure(spec.code, message), detail: issues, errors: issues };
  return { status: spec.http, headers: failureHeaders(spec), body };
}

/**
 * `kind`: the endpoint's response kind when known; a failure of a raw endpoint also carries WeChat's
 * `baseResponse` (its own ret for WeChat refusals, else the catalog code) for clients that only read that.
 */
export function errorReply(mode: ResponseModeName, error: ApiError, kind?: ResponseKind, language: Language = 'en'): Reply {
  if (error.error === 'VALIDATION') {
    const issues = (error.data?.errors as ValidationIssue[] | undefined) ?? [{ loc: ['body'], msg: error.message, type: 'value_error' }];
    return validationReply(mode, issues, language);
  }
  const { spec } = error;
  const headers = failureHeaders(spec, error.headers);
  const message = errorText(error, language);
  if (mode === 'standard') {
    return { status: spec.http, headers, body: { code: spec.code, message, errcode: spec.code, errmsg: message, data: error.data } };
  }
  // `data` is the same as in standard mode (a WeChat refusal's baseResponse included); the top-level baseResponse is
  // for clients that only read that.
  const base = error.data?.baseResponse ?? (kind === 'raw' ? { ret: spec.code, errMsg: { string: message } } : undefined);
  const body = { ...vendorFailure(spec.code, message), ...(base ? { baseResponse: base } : {}), data: error.data ?? null };
  return { status: wireStatus(mode, spec), headers, body };
}
