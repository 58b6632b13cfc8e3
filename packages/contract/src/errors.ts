// The error catalog: every failure wxgate answers has a stable numeric code, an HTTP status and advice for the caller.

export interface ErrorSpec {
  /** Stable numeric code, sent as both `code` and `errcode`. */
  readonly code: number;
  readonly http: number;
  /** Default message: what went wrong and what to do about it. */
  readonly message: string;
  /**
   * Failures that HTTP itself reports on the vendor's FastAPI service too (validation, unknown path, wrong method,
   * body too large, not JSON, rate lock, server faults) keep `http` in every response mode; all others are business
   * failures, which the vendor's wire (`raw` mode) answers with HTTP 200 and the code in the body.
   */
  readonly httpLevel?: true;
}

/**
 * Codes are grouped by their precise HTTP status (4xxNN): the status in `standard` mode and in the `x-wxgate-status`
 * header of every mode (the vendor's wire answers business failures with 200, see httpLevel). 422 is the validation
 * code itself, as FastAPI clients expect. Never renumber a code: clients switch on them.
 *
 * WeChat-side refusals (they carry WeChat's `baseResponse.ret` in `data`, see wechatRefusal) take the status of what
 * went wrong from the caller's point of view: 404 when the named user or contact does not exist, 409 when a relation
 * or login state forbids the call (not a friend, stale ticket) and changes once the state does, 403 when WeChat
 * refuses the caller's proof (a wrong device-verification pin) or the right to act (not the room's owner or an admin,
 * risk control). Sandbox-only codes (SANDBOX_*) follow the same rule.
 */
export const ERRORS = {
  VALIDATION: { code: 422, http: 422, message: 'Validation Error', httpLevel: true },
  MALFORMED_JSON: { code: 40001, http: 400, message: 'the request body is not valid JSON; send a JSON object', httpLevel: true },
  UNSUPPORTED_MEDIA_TYPE: { code: 40002, http: 415, message: 'send the body as Content-Type: application/json', httpLevel: true },
  MISSING_CREDENTIALS: { code: 40101, http: 401, message: 'no app credentials: send app_key/app_secret in the gateway body, or X-App-Key/X-App-Secret (or Authorization: Bearer <app_key>:<app_secret>) headers' },
  BAD_CREDENTIALS: { code: 40102, http: 401, message: 'app_key or app_secret is wrong; check both, or rotate the secret through /admin/rotate_app_secret' },
  CDN_INFO_INVALID: { code: 40150, http: 401, message: 'base_request.cdn_info is not one wxgate issued (or was altered); get one from /cdn/get_cdn_info' },
  CDN_INFO_EXPIRED: { code: 40151, http: 401, message: 'base_request.cdn_info expired (valid 3 hours); get a fresh one from /cdn/get_cdn_info' },
  BAD_ADMIN_TOKEN: { code: 40103, http: 401, message: 'the admin token is missing or wrong; send Authorization: Bearer <WXGATE_ADMIN_TOKEN>' },
  APP_DISABLED: { code: 40301, http: 403, message: 'this app is disabled; an administrator can enable it through /admin/enable_app' },
  ADMIN_DISABLED: { code: 40302, http: 403, message: 'the admin API is off: start wxgate with WXGATE_ADMIN_TOKEN set to use it' },
  SEND_RESTRICTED: { code: 40340, http: 403, message: 'WeChat\'s risk control restricts this account from sending messages for now (ret -106, MM_ERR_BLOCK_BY_SPAM); wait until the restriction ends' },
  AT_ALL_NOT_ALLOWED: { code: 40341, http: 403, message: 'only the room owner or an admin may @ everyone (notify@all) (WeChat ret -66, MM_ERR_IS_NOT_OWNER); mention members by wxid instead' },
  LOGIN_PIN_WRONG: { code: 40310, http: 403, message: 'the verification code (pin) is wrong: WeChat refuses the device (ret -32); read the code shown on the phone again and retry with the same ticket' },
  NOT_ROOM_OWNER: { code: 40320, http: 403, message: 'only the room\'s owner can do this (WeChat ret -66, MM_ERR_IS_NOT_OWNER); the owner is chatRoomOwner in /room/get_chatroom_member_detail' },
  NOT_ROOM_ADMIN: { code: 40321, http: 403, message: 'only the room\'s owner or an admin can do this (WeChat ret -66, MM_ERR_IS_NOT_OWNER)' },
  NEW_DEVICE_RISK: { code: 40322, http: 403, message: 'this account logged in on this device less than 3 days ago: no Moments posts, mass sending or friend adds until then (WeChat\'s risk control, ret -24, MM_ERR_SPAM); data.allowed_after says when (WXGATE_NEW_DEVICE_RISK_CONTROL)' },
  PACING_WARMUP: { code: 40370, http: 403, message: 'this instance\'s send pacing holds back Moments posts, friend adds and mass sends during the new-device warm-up (the first warmup_days after the account logged in on this instance); nothing was sent or queued; data.allowed_after says when, /client/set_send_pacing changes warmup_days' },
  SNS_NOT_AUTHOR: { code: 40323, http: 403, message: 'only its author (or, for a comment, the post\'s author) can delete this (WeChat ret 205, MMSNS_RET_COMMENT_NOT_ALLOW)' },
  CDN_KEY_MISMATCH: { code: 40350, http: 403, message: 'aes_key does not open this CDN object (WeChat CDN refuses to decrypt); use the aes_key returned with the file_id' },
  CDN_URL_FORBIDDEN: { code: 40351, http: 403, message: 'this url points to a private, loopback or link-local address, which wxgate does not fetch (the same SSRF rules as webhooks); allowlist the host or network in WXGATE_ALLOW_PRIVATE_URLS (loopback is fetched while wxgate listens on loopback only) or send a data: URL' },
  OPENIM_CARD_BLOCKED: { code: 40362, http: 403, message: 'this WeCom contact card is blocked (名片被封): WeChat no longer lets anyone add its owner through it (ret -24); check cards with /openim/check_openim_contact' },
  OAUTH_REDIRECT_MISMATCH: { code: 40360, http: 403, message: 'the redirect_uri is not on the domain the app registered (WeChat errcode 10003, redirect_uri 参数错误); use the redirect URI given to /sandbox/apps/create_oauth_app' },
  OAUTH_SCOPE_NOT_ALLOWED: { code: 40361, http: 403, message: 'the app has no right to this scope (WeChat errcode 10005, 此公众号并没有这些scope的权限); ask only for the scopes given to /sandbox/apps/create_oauth_app' },
  UNKNOWN_PATH: { code: 40401, http: 404, message: 'no such endpoint; see /openapi.json for the list', httpLevel: true },
  UNKNOWN_INSTANCE: { code: 40402, http: 404, message: 'no instance with this guid in your app; create one with /client/create_client or list yours with /client/all_clients' },
  UNKNOWN_APP: { code: 40403, http: 404, message: 'no app with this app_key' },
  WECHAT_USER_NOT_FOUND: { code: 40410, http: 404, message: 'no WeChat user matches (WeChat ret -4, MM_ERR_NOUSER); search by phone (search_scene 1), WeChat id (2) or QQ (3), or use a wxid that exists' },
  NOT_IN_CONTACTS: { code: 40411, http: 404, message: 'this username is not in the account\'s contact list (WeChat ret -4); list contacts with /contact/init_contact' },
  SANDBOX_PERSON_NOT_FOUND: { code: 40412, http: 404, message: 'no person with this wxid in your app\'s sandbox world; list them with /sandbox/people/list or create one with /sandbox/people/create' },
  MESSAGE_NOT_FOUND: { code: 40440, http: 404, message: 'no message with this msg_id that this account sent in this chat (WeChat ret -2); pass the newMsgId the send call returned, with the same to_username' },
  EMOJI_NOT_FOUND: { code: 40441, http: 404, message: 'WeChat does not know an emoji with this md5 (ret -2); send it once with /msg/send_emoji or /msg/send_emoji_url, then by md5' },
  SANDBOX_FRIEND_REQUEST_NOT_FOUND: { code: 40413, http: 404, message: 'no pending friend request between these two people; send one with /sandbox/friend/request or /contact/add_friend' },
  ROOM_NOT_FOUND: { code: 40420, http: 404, message: 'no room with this id (WeChat ret -21, MM_ERR_NOTCHATROOMCONTACT); room ids look like 12345678901@chatroom and come from /room/create_chatroom or a 1042 callback' },
  ROOM_MEMBER_NOT_FOUND: { code: 40421, http: 404, message: 'this user is not a member of the room (WeChat ret -2, MM_ERR_ARG); list members with /room/get_chatroom_member_detail' },
  LABEL_NOT_FOUND: { code: 40422, http: 404, message: 'the account has no label with this id (WeChat ret -2, MM_ERR_ARG); list labels with /label/get_contact_label_list' },
  SNS_OBJECT_NOT_FOUND: { code: 40423, http: 404, message: 'no Moments post with this id that this account can see: it was deleted, or is not shared with it (WeChat ret -203, MM_ERR_NODATA)' },
  SNS_COMMENT_NOT_FOUND: { code: 40424, http: 404, message: 'no comment with this id on the post that this account can see (WeChat ret -203, MM_ERR_NODATA); comment ids are commentId in the post\'s commentUserList' },
  ROOM_TOP_MSG_NOT_FOUND: { code: 40425, http: 404, message: 'no message with this msg_id is pinned in the room (WeChat ret -2, MM_ERR_ARG); list them with /room/get_top_msg_list' },
  SANDBOX_ROOM_INVITE_NOT_FOUND: { code: 40426, http: 404, message: 'this person has no pending invitation to the room; a member sends one with /room/invite_chatroom_member' },
  THIRDPARTY_APP_NOT_FOUND: { code: 40460, http: 404, message: 'no mini-program or OAuth app with this appid in your app\'s sandbox world (WeChat errcode 40013, invalid appid); create one with /sandbox/apps/create_mini_program or /sandbox/apps/create_oauth_app' },
  OPENIM_CONTACT_NOT_FOUND: { code: 40462, http: 404, message: 'no WeCom (企业微信) contact matches this QR URL or @openim username (WeChat ret -4, MM_ERR_NOUSER); WeCom contact cards look like https://work.weixin.qq.com/u/<token>' },
  OPENIM_RESOURCE_NOT_FOUND: { code: 40463, http: 404, message: 'no WeCom corporation resource with this appid and wording_id (WeChat ret -1); take both from a contact\'s appId and descWordingId' },
  SANDBOX_CORPORATION_NOT_FOUND: { code: 40464, http: 404, message: 'no corporation with this corp_id in your app\'s sandbox world; create one with /sandbox/openim/create_corp' },
  WXA_SHORT_LINK_NOT_FOUND: { code: 40461, http: 404, message: 'no mini-program short link like this (WeChat ret -2); links come from /app/create_wxa_short_link as #小程序://name/token or mp://token' },
  CDN_OBJECT_NOT_FOUND: { code: 40450, http: 404, message: 'no CDN object with this file_id, or not of this file_type (WeChat CDN retcode -5103059); take file_id from /cloud/cdn_upload or from the message XML (cdnthumburl, cdnmidimgurl, cdnvideourl, cdnattachurl)' },
  CDN_LINK_INVALID: { code: 40451, http: 404, message: 'this download link is unknown or expired; call the download endpoint again for a fresh url' },
  VOICE_NOT_FOUND: { code: 40452, http: 404, message: 'no voice message with this msg_id reached this account (WeChat ret -2); pass msg_id and length (voicelength) of a 34 message' },
  VOICE_TRANS_NOT_FOUND: { code: 40470, http: 404, message: 'no voice-transcription job with this voice_id on this instance; create one with /msg/new_trans_voice_id' },
  METHOD_NOT_ALLOWED: { code: 40501, http: 405, message: 'every endpoint is POST with a JSON body', httpLevel: true },
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
  NOT_ROOM_MEMBER: { code: 40940, http: 409, message: 'this account is not a member of the room (WeChat ret -21, MM_ERR_NOTCHATROOMCONTACT); it was removed or left; ask a member to invite it again' },
  REVOKE_TIME_LIMIT: { code: 40941, http: 409, message: 'a message can be revoked only within 2 minutes of sending it (WeChat ret -430, MM_ERR_REVOKEMSG_TIMEOUT)' },
  MESSAGE_ALREADY_REVOKED: { code: 40942, http: 409, message: 'this message was already revoked (WeChat ret -2)' },
  SANDBOX_PERSON_EXISTS: { code: 40918, http: 409, message: 'a person with this wxid, alias (WeChat id), phone or QQ already exists in your app\'s sandbox world; choose another value' },
  ROOM_FULL: { code: 40920, http: 409, message: 'a room holds at most 500 members (WeChat ret -23, MM_ERR_MEMBER_TOOMUCH); remove members first' },
  ROOM_INVITE_REQUIRED: { code: 40921, http: 409, message: 'members can be added directly only while the room has fewer than 40 (WeChat ret -23, MM_ERR_MEMBER_TOOMUCH); send an invitation with /room/invite_chatroom_member, which the invitee accepts' },
  ALREADY_ROOM_MEMBER: { code: 40922, http: 409, message: 'this user is already a member of the room (WeChat ret -2, MM_ERR_ARG)' },
  ROOM_QRCODE_UNAVAILABLE: { code: 40923, http: 409, message: 'rooms of more than 200 members have no QR code: WeChat lets people join them only by invitation (ret -23, MM_ERR_MEMBER_TOOMUCH); use /room/invite_chatroom_member' },
  LABEL_NAME_TAKEN: { code: 40924, http: 409, message: 'the account already has a label with this name (WeChat ret -2, MM_ERR_ARG); label names are unique per account' },
  CDN_FETCH_FAILED: { code: 40970, http: 409, message: 'the url could not be fetched for upload (status not 2xx, redirect, timeout or connection failure); data.reason says which; make it publicly reachable or send a data: URL' },
  CDN_MEDIA_UNREADABLE: { code: 40971, http: 409, message: 'the file is not what file_type says (not a decodable image or video); check the url and file_type' },
  VOICE_TRANS_STEP: { code: 40972, http: 409, message: 'this voice-transcription job is not at this step: upload_voice_trans takes a new voice_id once, voice_trans_block takes blocks in order (data.expected_seq, data.expected_offset) until end_flag 1, and check/get need the voice uploaded first' },
  SANDBOX_THIRDPARTY_APP_EXISTS: { code: 40980, http: 409, message: 'a mini-program or OAuth app with this appid already exists in your app\'s sandbox world; choose another appid or omit it' },
  THIRDPARTY_CODE_INVALID: { code: 40981, http: 409, message: 'this code is unknown, was already redeemed, expired (5 minutes) or belongs to another app (WeChat errcode 40029 invalid code / 40163 code been used); get a new one with /app/js_login or an OAuth confirm' },
  CDN_FILE_TOO_LARGE: { code: 41350, http: 413, message: 'the file is larger than this deployment stores (see WXGATE_MEDIA_MAX_BYTES); nothing was kept' },
  CONTENT_TOO_LONG: { code: 41340, http: 413, message: 'the message is longer than WeChat accepts (ret -2): text up to 16,384 characters, XML up to 65,536 bytes; split it' },
  BODY_TOO_LARGE: { code: 41301, http: 413, message: 'the request body is larger than this deployment accepts (see WXGATE_BODY_LIMIT)', httpLevel: true },
  RATE_LIMITED: { code: 42901, http: 429, message: 'this instance made more calls per minute than allowed and is locked; wait until the unlock time', httpLevel: true },
  INTERNAL: { code: 50001, http: 500, message: 'internal error; the request id in x-request-id finds it in the server log', httpLevel: true },
  PACED_SEND_INTERRUPTED: { code: 50020, http: 500, message: 'the server stopped while this queued send was being handed to the driver; it is not retried (at-most-once), so it may or may not have reached WeChat: check the chat before sending it again' },
  WECHATY_TOKEN_INVALID: { code: 40104, http: 401, message: 'this Wechaty token is unknown or revoked; create one with /wechaty/create_token and pass it as WECHATY_PUPPET_SERVICE_TOKEN' },
  ILINK_TOKEN_INVALID: { code: 40105, http: 401, message: 'this iLink bot_token is unknown or revoked (iLink ret -14, session timeout); bind the bot again: get_bot_qrcode, then /ilink/scan_qrcode' },
  ILINK_QRCODE_UNKNOWN: { code: 40982, http: 409, message: 'this iLink QR code is unknown, expired (5 minutes), already used or scanned by another instance; the iLink client asks for a new one with get_bot_qrcode' },
  ILINK_QRCODE_STEP: { code: 40983, http: 409, message: 'this iLink QR code is not at this step: scan it first, then confirm or cancel' },
  ILINK_BAD_REQUEST: { code: 40984, http: 400, message: 'the iLink request is malformed; errmsg names the field' },
  ILINK_CONTEXT_MISMATCH: { code: 40985, http: 409, message: 'this context_token was not issued to this bot, or names another conversation than to_user_id; reply with the context_token of the message you answer' },
  ILINK_ITEM_UNSUPPORTED: { code: 50102, http: 501, message: 'wxgate sends text (1), image (2), voice (3), file (4) and video (5) items over iLink; this item type is not sent (docs/ilink.md)' },
  ILINK_MEDIA_UNKNOWN: { code: 40986, http: 409, message: 'this media reference is not this bot\'s: neither uploaded by it through wxgate\'s iLink CDN (getuploadurl, then the upload) nor an item it received from getupdates (a thumbnail of one is not sent on by itself)' },
  ILINK_VERIFY_CODE_BLOCKED: { code: 40987, http: 409, message: 'too many wrong verification codes for this iLink QR code (iLink status verify_code_blocked); the client asks for a new one with get_bot_qrcode' },
  NOT_SUPPORTED: { code: 50101, http: 501, message: 'not supported by this driver' },
  SHUTTING_DOWN: { code: 50301, http: 503, message: 'the server is shutting down; retry on another node or in a moment', httpLevel: true },
  SPEECH_ENGINE_UNAVAILABLE: { code: 50310, http: 503, message: 'no speech-to-text engine is available on this server: WXGATE_STT_ENGINE is none, or the engine\'s program is missing (the default, pocketsphinx: apt-get install pocketsphinx pocketsphinx-en-us); see docs/voice.md' },
  SPEECH_ENGINE_FAILED: { code: 50311, http: 503, message: 'the speech-to-text engine failed or ran out of time (WXGATE_STT_TIMEOUT_MS) on this voice; data.reason says why; retry later or check the engine' },
  UPSTREAM_FAILED: { code: 50201, http: 502, message: 'the upstream provider failed to answer properly' },
  UPSTREAM_TIMEOUT: { code: 50401, http: 504, message: 'the upstream provider did not answer in time' },
  UPSTREAM_UNREACHABLE: { code: 50210, http: 502, message: 'the upstream provider could not be reached (connection refused, or its name does not resolve); the call did not run there, retry later' },
  UPSTREAM_REFUSED: { code: 40960, http: 409, message: 'the upstream provider refused the call; data.upstream_errcode and data.upstream_errmsg carry its reason' },
  UPSTREAM_GUID_TAKEN: { code: 40961, http: 409, message: 'this upstream instance is already relayed by another wxgate instance; remove that one first, or create a new upstream instance' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorName = keyof typeof ERRORS;

/** Every failure, in every response mode, names its catalog code and precise HTTP status in these headers. */
export const ERROR_CODE_HEADER = 'x-wxgate-code';
export const ERROR_STATUS_HEADER = 'x-wxgate-status';

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

/**
 * A 422 about one field, for rules a schema cannot express (URL schemes, upgrade-only, …); a nested field is named by
 * its path (`['refer_msg', 'content']`).
 */
export function invalidField(field: string | readonly (string | number)[], msg: string, type = 'value_error'): ApiError {
  const path = typeof field === 'string' ? [field] : field;
  return new ApiError('VALIDATION', 'Validation Error', { errors: [{ loc: ['body', ...path], msg, type }] });
}
