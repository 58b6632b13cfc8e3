// Response bodies for both modes: standard {code,message,errcode,errmsg,data} and raw (exactly as the vendor service).
import { ApiError, ERRORS, type EndpointSpec, type ValidationIssue } from '@wxgate/contract';
import type { ResponseModeName } from '../storage/ports.ts';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

export function successReply(mode: ResponseModeName, spec: EndpointSpec, data: unknown): Reply {
  if (mode === 'raw') {
    return { status: 200, headers: {}, body: spec.kind === 'raw' ? data : { errcode: 0, errmsg: 'success', data } };
  }
  return { status: 200, headers: {}, body: { code: 0, message: 'success', errcode: 0, errmsg: 'success', data } };
}

export function validationReply(mode: ResponseModeName, issues: readonly ValidationIssue[]): Reply {
  const { code, http, message } = ERRORS.VALIDATION;
  const body = mode === 'raw'
    ? { errcode: code, errmsg: message, detail: issues }
    : { code, message, errcode: code, errmsg: message, errors: issues, detail: issues };
  return { status: http, headers: {}, body };
}

export function errorReply(mode: ResponseModeName, error: ApiError): Reply {
  if (error.error === 'VALIDATION') {
    const issues = (error.data?.errors as ValidationIssue[] | undefined) ?? [{ loc: ['body'], msg: error.message, type: 'value_error' }];
    return validationReply(mode, issues);
  }
  const { code, http } = error.spec;
  const body = mode === 'raw'
    ? { errcode: code, errmsg: error.message, data: error.data }
    : { code, message: error.message, errcode: code, errmsg: error.message, data: error.data };
  return { status: http, headers: error.headers, body };
}
