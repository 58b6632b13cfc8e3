// The error catalog: every failure wxgate answers has a stable numeric code, an HTTP status and advice for the caller.

export interface ErrorSpec {
  /** Stable numeric code, sent as both `code` and `errcode`. */
  readonly code: number;
  readonly http: number;
  /** Default message: what went wrong and what to do about it. */
  readonly message: string;
}

/**
 * Codes are grouped by their HTTP status (4xxNN). 422 is the validation code itself, as the
 * summary document and FastAPI clients expect `{"code":422,"message":"Validation Error"}`.
 * Never renumber a code: clients switch on them.
 */
export const ERRORS = {
  VALIDATION: { code: 422, http: 422, message: 'Validation Error' },
  MALFORMED_JSON: { code: 40001, http: 400, message: 'the request body is not valid JSON; send a JSON object' },
  UNSUPPORTED_MEDIA_TYPE: { code: 40002, http: 415, message: 'send the body as Content-Type: application/json' },
  MISSING_CREDENTIALS: { code: 40101, http: 401, message: 'no app credentials: send app_key/app_secret in the gateway body, or X-App-Key/X-App-Secret (or Authorization: Bearer <app_key>:<app_secret>) headers' },
  BAD_CREDENTIALS: { code: 40102, http: 401, message: 'app_key or app_secret is wrong; check both, or rotate the secret through /admin/rotate_app_secret' },
  BAD_ADMIN_TOKEN: { code: 40103, http: 401, message: 'the admin token is missing or wrong; send Authorization: Bearer <WXGATE_ADMIN_TOKEN>' },
  APP_DISABLED: { code: 40301, http: 403, message: 'this app is disabled; an administrator can enable it through /admin/enable_app' },
  ADMIN_DISABLED: { code: 40302, http: 403, message: 'the admin API is off: start wxgate with WXGATE_ADMIN_TOKEN set to use it' },
  UNKNOWN_PATH: { code: 40401, http: 404, message: 'no such endpoint; see /openapi.json for the list' },
  UNKNOWN_INSTANCE: { code: 40402, http: 404, message: 'no instance with this guid in your app; create one with /client/create_client or list yours with /client/all_clients' },
  UNKNOWN_APP: { code: 40403, http: 404, message: 'no app with this app_key' },
  METHOD_NOT_ALLOWED: { code: 40501, http: 405, message: 'every endpoint is POST with a JSON body' },
  INSTANCE_STOPPED: { code: 40901, http: 409, message: 'the instance is stopped; start it with /client/restore_client' },
  NOT_LOGGED_IN: { code: 40902, http: 409, message: 'no WeChat account is logged in on this instance; log in with /login/get_login_qrcode first' },
  CLIENT_DOWNGRADE: { code: 40903, http: 409, message: 'an instance can only be upgraded: new_client_type must be higher than the current client_type (downgrading gets accounts banned)' },
  BODY_TOO_LARGE: { code: 41301, http: 413, message: 'the request body is larger than this deployment accepts (see WXGATE_BODY_LIMIT)' },
  RATE_LIMITED: { code: 42901, http: 429, message: 'this instance made more calls per minute than allowed and is locked; wait until the unlock time' },
  INTERNAL: { code: 50001, http: 500, message: 'internal error; the request id in x-request-id finds it in the server log' },
  NOT_SUPPORTED: { code: 50101, http: 501, message: 'not supported by this driver' },
  SHUTTING_DOWN: { code: 50301, http: 503, message: 'the server is shutting down; retry on another node or in a moment' },
  UPSTREAM_FAILED: { code: 50201, http: 502, message: 'the upstream provider failed to answer properly' },
  UPSTREAM_TIMEOUT: { code: 50401, http: 504, message: 'the upstream provider did not answer in time' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorName = keyof typeof ERRORS;

/** Thrown anywhere below the transport; the envelope turns it into the catalog's response. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly error: ErrorName,
    message?: string,
    /** Extra machine-readable detail placed in `data` (e.g. the unlock time of a rate limit). */
    readonly data: Record<string, unknown> | null = null,
    /** Extra response headers (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message ?? ERRORS[error].message);
  }
  get spec(): ErrorSpec {
    return ERRORS[this.error];
  }
}

/** One failing field, as FastAPI reports it: `loc` starts with "body". */
export interface ValidationIssue {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type: string;
}

/** A 422 about one field, for rules a schema cannot express (URL schemes, upgrade-only, …). */
export function invalidField(field: string, msg: string, type = 'value_error'): ApiError {
  return new ApiError('VALIDATION', 'Validation Error', { errors: [{ loc: ['body', field], msg, type }] });
}
