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
 *
 * WeChat-side refusals (they carry WeChat's `baseResponse.ret` in `data`, see wechatRefusal) take the status of what
 * went wrong from the caller's point of view: 404 when the named user or contact does not exist, 409 when a relation
 * or login state forbids the call (not a friend, stale ticket) and changes once the state does, 403 when WeChat
 * refuses the caller's proof (a wrong device-verification pin). Sandbox-only codes (SANDBOX_*) follow the same rule.
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
  LOGIN_PIN_WRONG: { code: 40310, http: 403, message: 'the verification code (pin) is wrong: WeChat refuses the device (ret -32); read the code shown on the phone again and retry with the same ticket' },
  UNKNOWN_PATH: { code: 40401, http: 404, message: 'no such endpoint; see /openapi.json for the list' },
  UNKNOWN_INSTANCE: { code: 40402, http: 404, message: 'no instance with this guid in your app; create one with /client/create_client or list yours with /client/all_clients' },
  UNKNOWN_APP: { code: 40403, http: 404, message: 'no app with this app_key' },
  WECHAT_USER_NOT_FOUND: { code: 40410, http: 404, message: 'no WeChat user matches (WeChat ret -4, MM_ERR_NOUSER); search by phone (search_scene 1), WeChat id (2) or QQ (3), or use a wxid that exists' },
  NOT_IN_CONTACTS: { code: 40411, http: 404, message: 'this username is not in the account\'s contact list (WeChat ret -4); list contacts with /contact/init_contact' },
  SANDBOX_PERSON_NOT_FOUND: { code: 40412, http: 404, message: 'no person with this wxid in your app\'s sandbox world; list them with /sandbox/people/list or create one with /sandbox/people/create' },
  SANDBOX_FRIEND_REQUEST_NOT_FOUND: { code: 40413, http: 404, message: 'no pending friend request between these two people; send one with /sandbox/friend/request or /contact/add_friend' },
  METHOD_NOT_ALLOWED: { code: 40501, http: 405, message: 'every endpoint is POST with a JSON body' },
  INSTANCE_STOPPED: { code: 40901, http: 409, message: 'the instance is stopped; start it with /client/restore_client' },
  NOT_LOGGED_IN: { code: 40902, http: 409, message: 'no WeChat account is logged in on this instance; log in with /login/get_login_qrcode first' },
  NO_NOTIFY_URL: { code: 40904, http: 409, message: 'this instance has no notify_url; set one with /client/set_notify_url first' },
  CLIENT_DOWNGRADE: { code: 40903, http: 409, message: 'an instance can only be upgraded: new_client_type must be higher than the current client_type (downgrading gets accounts banned)' },
  NOT_A_FRIEND: { code: 40910, http: 409, message: 'the other person does not have this account as a friend (deleted it, or never accepted): WeChat refuses with ret -44 (MM_ERR_NEED_VERIFY_USER); send a friend request with /contact/add_friend' },
  FRIEND_TICKET_INVALID: { code: 40911, http: 409, message: 'the v3 username or v4 ticket is unknown, expired or was issued to another account (WeChat ret -48, MM_ERR_TICKET_NOTFOUND); search the user again with /contact/search_contact, or use the ticket of the newest friend request' },
  ALREADY_LOGGED_IN: { code: 40912, http: 409, message: 'an account is already logged in on this instance; log it out with /user/logout first' },
  NO_LOGIN_IN_PROGRESS: { code: 40913, http: 409, message: 'no login is in progress on this instance; start one with /login/get_login_qrcode (or /login/push_login_url)' },
  NO_PREVIOUS_LOGIN: { code: 40914, http: 409, message: 'no account has logged in on this instance before, so there is no phone to push a confirmation to; log in by QR code with /login/get_login_qrcode' },
  LOGIN_TICKET_INVALID: { code: 40915, http: 409, message: 'this ticket is not the pending device verification of this instance (WeChat ret -47); take the ticket from the newest auth_url of /login/check_login_qrcode' },
  SYNC_FAILED: { code: 40916, http: 409, message: 'message sync failed on this instance (callback 2006); resume it with /client/restore_client' },
  SANDBOX_LOGIN_STEP: { code: 40917, http: 409, message: 'the phone cannot do this at this step of the login; check the QR code state with /login/check_login_qrcode' },
  SANDBOX_PERSON_EXISTS: { code: 40918, http: 409, message: 'a person with this wxid, alias (WeChat id), phone or QQ already exists in your app\'s sandbox world; choose another value' },
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

/**
 * A refusal that comes from WeChat itself (not a friend, expired ticket, …): the catalog's code and HTTP status, with
 * WeChat's own non-zero `baseResponse.ret` in `data`, as clients that read baseResponse expect (spec README §2).
 */
export function wechatRefusal(error: ErrorName, ret: number, message?: string): ApiError {
  const text = message ?? ERRORS[error].message;
  return new ApiError(error, text, { baseResponse: { ret, errMsg: { string: text } } });
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
