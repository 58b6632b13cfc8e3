// Generated from packages/contract by `npm run generate`; do not edit by hand. Types and tables for every endpoint.
/* eslint-disable */

/** `raw`: WeChat's protobuf-JSON object (top level of a raw-mode answer); `wrapper`: a service payload under `data`. */
export type EndpointKind = 'raw' | 'wrapper';
/** Who may call: an app's instance (`guid`), the app itself, the private CDN (`base_request`), or the admin token. */
export type EndpointScope = 'instance' | 'app' | 'cdn' | 'admin';
export interface EndpointInfo {
  readonly module: string;
  readonly kind: EndpointKind;
  readonly scope: EndpointScope;
}

/**
 * Start (restore) an instance, optionally behind a proxy (恢复实例) — request body.
 * `POST /client/restore_client`, wrapper endpoint, instance scope.
 */
export interface ClientRestoreClientRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /**
   * proxy URL: http://host:port, socks4://, socks5://user:pass@host:port; empty = no proxy
   * @default ""
   */
  proxy?: string;
  /**
   * use the proxy only for login (personal-WeChat-only flag)
   * @default false
   */
  is_login_proxy?: boolean;
  /**
   * bridge id (vendor concept, opaque string)
   * @default ""
   */
  bridge?: string;
  /**
   * push/sync history messages after restore
   * @default true
   */
  sync_history_msg?: boolean;
  /**
   * start the instance automatically
   * @default true
   */
  auto_start?: boolean;
}

/**
 * Start (restore) an instance, optionally behind a proxy (恢复实例) — the `data` of the answer.
 * `POST /client/restore_client`, wrapper endpoint, instance scope.
 */
export type ClientRestoreClientResponse = Record<never, never>;

/**
 * Stop an instance (停止实例) — request body.
 * `POST /client/stop_client`, wrapper endpoint, instance scope.
 */
export interface ClientStopClientRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Stop an instance (停止实例) — the `data` of the answer.
 * `POST /client/stop_client`, wrapper endpoint, instance scope.
 */
export type ClientStopClientResponse = Record<never, never>;

/**
 * Set the callback URL of an instance (设置实例通知地址) — request body.
 * `POST /client/set_notify_url`, wrapper endpoint, instance scope.
 */
export interface ClientSetNotifyUrlRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** HTTP callback URL that receives {guid, notify_type, data} POSTs; overwrites any previous value */
  notify_url: string;
}

/**
 * Set the callback URL of an instance (设置实例通知地址) — the `data` of the answer.
 * `POST /client/set_notify_url`, wrapper endpoint, instance scope.
 */
export type ClientSetNotifyUrlResponse = Record<never, never>;

/**
 * Set the bridge id of an instance (设置实例桥接ID) — request body.
 * `POST /client/set_bridge`, wrapper endpoint, instance scope.
 */
export interface ClientSetBridgeRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /**
   * bridge id (vendor concept, opaque string)
   * @default ""
   */
  bridge?: string;
}

/**
 * Set the bridge id of an instance (设置实例桥接ID) — the `data` of the answer.
 * `POST /client/set_bridge`, wrapper endpoint, instance scope.
 */
export type ClientSetBridgeResponse = Record<never, never>;

/**
 * Set the proxy of an instance (设置实例代理) — request body.
 * `POST /client/set_proxy`, wrapper endpoint, instance scope.
 */
export interface ClientSetProxyRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /**
   * proxy URL: http://host:port, socks4://, socks5://user:pass@host:port; empty = no proxy
   * @default ""
   */
  proxy?: string;
  /**
   * keep using the proxy for the long link (personal-WeChat-only flag)
   * @default false
   */
  is_long_proxy?: boolean;
}

/**
 * Set the proxy of an instance (设置实例代理) — the `data` of the answer.
 * `POST /client/set_proxy`, wrapper endpoint, instance scope.
 */
export type ClientSetProxyResponse = Record<never, never>;

/**
 * Upgrade the client type of an instance (never downgrade) (升级实例) — request body.
 * `POST /client/update_client`, wrapper endpoint, instance scope.
 */
export interface ClientUpdateClientRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** target client/device type; only upgrades allowed ('只能升级，不能降级，否则会封号') */
  new_client_type: number;
}

/**
 * Upgrade the client type of an instance (never downgrade) (升级实例) — the `data` of the answer.
 * `POST /client/update_client`, wrapper endpoint, instance scope.
 */
export type ClientUpdateClientResponse = Record<never, never>;

/**
 * Get the running state of an instance (获取实例状态) — request body.
 * `POST /client/get_client_status`, wrapper endpoint, instance scope.
 */
export interface ClientGetClientStatusRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Get the running state of an instance (获取实例状态) — the `data` of the answer.
 * `POST /client/get_client_status`, wrapper endpoint, instance scope.
 */
export interface ClientGetClientStatusResponse {
  /** 0 stopped, 1 running (not logged in), 2 online */
  status: number;
  guid?: string;
  client_type?: number;
  /** wxid of the logged-in account, "" when none */
  login_wxid?: string;
  notify_url?: string;
  bridge?: string;
  /** the proxy URL with its credentials masked (***) */
  proxy?: string;
  rate_limit?: {
    /** calls allowed per window */
    limit: number;
    window_seconds: number;
    /** calls counted in the current window */
    used: number;
    locked: boolean;
    /** unix seconds when the lock ends */
    unlock_time: number | null;
  };
  /** only while send pacing is on (/client/set_send_pacing); the full state is /client/get_send_pacing */
  send_queue?: {
    /** sends waiting in the instance's send pacing queue */
    queue_length: number;
    /** unix seconds the next waiting send may go; null when none waits */
    next_send_time: number | null;
  };
}

/**
 * Get the client version of an instance (获取实例版本) — request body.
 * `POST /client/get_client_version`, wrapper endpoint, instance scope.
 */
export interface ClientGetClientVersionRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Get the client version of an instance (获取实例版本) — the `data` of the answer.
 * `POST /client/get_client_version`, wrapper endpoint, instance scope.
 */
export interface ClientGetClientVersionResponse {
  /** the instance's device/client type */
  client_type: number;
  /** wxgate version */
  server_version: string;
  /** sandbox or relay */
  driver: string;
  /** the endpoint paths this instance's driver serves */
  capabilities: string[];
}

/**
 * Create an instance (创建实例) — request body.
 * `POST /client/create_client`, wrapper endpoint, app scope.
 */
export interface ClientCreateClientRequest {
  /**
   * device/client type (default 241 in schema; same enum as update_client.new_client_type)
   * @default 241
   */
  client_type?: number;
  /**
   * proxy URL: http://host:port, socks4://, socks5://user:pass@host:port; empty = no proxy
   * @default ""
   */
  proxy?: string;
  /**
   * keep using the proxy for the long link (personal-WeChat-only flag)
   * @default false
   */
  is_long_proxy?: boolean;
  /**
   * bridge id (vendor concept, opaque string)
   * @default ""
   */
  bridge?: string;
  /**
   * opaque payload (meaning unknown)
   * @default ""
   */
  payload?: string;
  /**
   * start the instance automatically
   * @default false
   */
  auto_start?: boolean;
}

/**
 * Create an instance (创建实例) — the `data` of the answer.
 * `POST /client/create_client`, wrapper endpoint, app scope.
 */
export interface ClientCreateClientResponse {
  /** the new instance id */
  guid: string;
}

/**
 * Delete an instance (删除实例) — request body.
 * `POST /client/remove_client`, wrapper endpoint, instance scope.
 */
export interface ClientRemoveClientRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Delete an instance (删除实例) — the `data` of the answer.
 * `POST /client/remove_client`, wrapper endpoint, instance scope.
 */
export type ClientRemoveClientResponse = Record<never, never>;

/**
 * List instances (实例列表) — request body.
 * `POST /client/all_clients`, wrapper endpoint, app scope.
 */
export interface ClientAllClientsRequest {
  [key: string]: unknown;
}

/**
 * List instances (实例列表) — the `data` of the answer.
 * `POST /client/all_clients`, wrapper endpoint, app scope.
 */
export type ClientAllClientsResponse = string[];

/**
 * Set the send pacing of an instance (设置发送节奏) — request body.
 * `POST /client/set_send_pacing`, wrapper endpoint, instance scope.
 */
export interface ClientSetSendPacingRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** pace this instance's sends; false (the default) leaves every call as the vendor answers it */
  enabled: boolean;
  /**
   * queued: a paced call answers at once with { queued: true, queue_id, send_at } and its real result follows as a 9001 callback; blocking: the call waits for its turn and answers exactly what the vendor answers. A call's header x-wxgate-pacing: queued|blocking overrides it for that call
   * @default "queued"
   */
  answer?: "queued" | "blocking";
  /**
   * least time between two sends of this instance (ms); each gap is drawn at random between min and max
   * @default 3000
   */
  min_delay_ms?: number;
  /**
   * most time between two sends (ms); not below min_delay_ms
   * @default 8000
   */
  max_delay_ms?: number;
  /**
   * sends in any 60 seconds; 0 = no cap
   * @default 20
   */
  per_minute?: number;
  /**
   * sends in any 24 hours; 0 = no cap
   * @default 500
   */
  per_day?: number;
  /** local time the quiet hours begin (HH:MM); sends falling in them wait until quiet_end; equal to quiet_end = no quiet hours */
  quiet_start?: string;
  /** local time the quiet hours end (HH:MM); may be before quiet_start (over midnight) */
  quiet_end?: string;
  /**
   * the local time of the quiet hours, as minutes east of UTC (480 = China Standard Time)
   * @default 480
   */
  utc_offset_minutes?: number;
  /**
   * days after the account logs in on this instance (a new device) during which Moments posts, friend adds and mass sends are refused (PACING_WARMUP); 0 = no warm-up
   * @default 3
   */
  warmup_days?: number;
  /**
   * during the warm-up, a send to a chat beyond this many different chats in the last hour counts as a mass send and is refused
   * @default 5
   */
  mass_send_recipients?: number;
}

/**
 * Set the send pacing of an instance (设置发送节奏) — the `data` of the answer.
 * `POST /client/set_send_pacing`, wrapper endpoint, instance scope.
 */
export interface ClientSetSendPacingResponse {
  /** pace this instance's sends; false (the default) leaves every call as the vendor answers it */
  enabled: boolean;
  /**
   * queued: a paced call answers at once with { queued: true, queue_id, send_at } and its real result follows as a 9001 callback; blocking: the call waits for its turn and answers exactly what the vendor answers. A call's header x-wxgate-pacing: queued|blocking overrides it for that call
   * @default "queued"
   */
  answer: "queued" | "blocking";
  /**
   * least time between two sends of this instance (ms); each gap is drawn at random between min and max
   * @default 3000
   */
  min_delay_ms: number;
  /**
   * most time between two sends (ms); not below min_delay_ms
   * @default 8000
   */
  max_delay_ms: number;
  /**
   * sends in any 60 seconds; 0 = no cap
   * @default 20
   */
  per_minute: number;
  /**
   * sends in any 24 hours; 0 = no cap
   * @default 500
   */
  per_day: number;
  /** local time the quiet hours begin (HH:MM); sends falling in them wait until quiet_end; equal to quiet_end = no quiet hours */
  quiet_start: string;
  /** local time the quiet hours end (HH:MM); may be before quiet_start (over midnight) */
  quiet_end: string;
  /**
   * the local time of the quiet hours, as minutes east of UTC (480 = China Standard Time)
   * @default 480
   */
  utc_offset_minutes: number;
  /**
   * days after the account logs in on this instance (a new device) during which Moments posts, friend adds and mass sends are refused (PACING_WARMUP); 0 = no warm-up
   * @default 3
   */
  warmup_days: number;
  /**
   * during the warm-up, a send to a chat beyond this many different chats in the last hour counts as a mass send and is refused
   * @default 5
   */
  mass_send_recipients: number;
  /** sends waiting (queued and blocking) */
  queue_length: number;
  next_send_time: number | null;
  sent_last_minute: number;
  sent_last_day: number;
  warmup_until: number | null;
}

/**
 * Get the send pacing and queue of an instance (获取发送节奏与队列) — request body.
 * `POST /client/get_send_pacing`, wrapper endpoint, instance scope.
 */
export interface ClientGetSendPacingRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Get the send pacing and queue of an instance (获取发送节奏与队列) — the `data` of the answer.
 * `POST /client/get_send_pacing`, wrapper endpoint, instance scope.
 */
export interface ClientGetSendPacingResponse {
  /** pace this instance's sends; false (the default) leaves every call as the vendor answers it */
  enabled: boolean;
  /**
   * queued: a paced call answers at once with { queued: true, queue_id, send_at } and its real result follows as a 9001 callback; blocking: the call waits for its turn and answers exactly what the vendor answers. A call's header x-wxgate-pacing: queued|blocking overrides it for that call
   * @default "queued"
   */
  answer: "queued" | "blocking";
  /**
   * least time between two sends of this instance (ms); each gap is drawn at random between min and max
   * @default 3000
   */
  min_delay_ms: number;
  /**
   * most time between two sends (ms); not below min_delay_ms
   * @default 8000
   */
  max_delay_ms: number;
  /**
   * sends in any 60 seconds; 0 = no cap
   * @default 20
   */
  per_minute: number;
  /**
   * sends in any 24 hours; 0 = no cap
   * @default 500
   */
  per_day: number;
  /** local time the quiet hours begin (HH:MM); sends falling in them wait until quiet_end; equal to quiet_end = no quiet hours */
  quiet_start: string;
  /** local time the quiet hours end (HH:MM); may be before quiet_start (over midnight) */
  quiet_end: string;
  /**
   * the local time of the quiet hours, as minutes east of UTC (480 = China Standard Time)
   * @default 480
   */
  utc_offset_minutes: number;
  /**
   * days after the account logs in on this instance (a new device) during which Moments posts, friend adds and mass sends are refused (PACING_WARMUP); 0 = no warm-up
   * @default 3
   */
  warmup_days: number;
  /**
   * during the warm-up, a send to a chat beyond this many different chats in the last hour counts as a mass send and is refused
   * @default 5
   */
  mass_send_recipients: number;
  /** sends waiting (queued and blocking) */
  queue_length: number;
  next_send_time: number | null;
  sent_last_minute: number;
  sent_last_day: number;
  warmup_until: number | null;
}

/**
 * Get the login QR code (获取登录二维码) — request body.
 * `POST /login/get_login_qrcode`, wrapper endpoint, instance scope.
 */
export interface LoginGetLoginQrcodeRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Get the login QR code (获取登录二维码) — the `data` of the answer.
 * `POST /login/get_login_qrcode`, wrapper endpoint, instance scope.
 */
export interface LoginGetLoginQrcodeResponse {
  /** PNG of the login QR code, base64 */
  qrcode: string;
  /** the text the QR code encodes: http://weixin.qq.com/x/<token> */
  qrcode_content: string;
  /** login session id */
  uuid?: string;
  /** when the QR code expires, unix seconds */
  expired_time?: number;
  /** seconds until the QR code expires */
  expire_seconds?: number;
}

/**
 * Poll the state of the login QR code (检查登录二维码状态) — request body.
 * `POST /login/check_login_qrcode`, wrapper endpoint, instance scope.
 */
export interface LoginCheckLoginQrcodeRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Poll the state of the login QR code (检查登录二维码状态) — the `data` of the answer.
 * `POST /login/check_login_qrcode`, wrapper endpoint, instance scope.
 */
export interface LoginCheckLoginQrcodeResponse {
  /** 0 waiting for scan, 1 scanned (confirm on the phone), 2 confirmed / logged in, 4 cancelled or expired */
  status: number;
  /** login session id */
  uuid?: string;
  /** nickname of the scanning account, once scanned */
  nick_name?: string;
  /** avatar of the scanning account, once scanned */
  head_img_url?: string;
  /** with status 1 on iPad logins that need a verification code: carries the ticket for /login/verify_login_url */
  auth_url?: string;
  /** when the QR code expires, unix seconds */
  expired_time?: number;
  /** with status 2: the account that logged in */
  wxid?: string;
}

/**
 * Push a login confirmation to the phone of the last account (推送手机确认登录通知) — request body.
 * `POST /login/push_login_url`, wrapper endpoint, instance scope.
 */
export interface LoginPushLoginUrlRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Push a login confirmation to the phone of the last account (推送手机确认登录通知) — the `data` of the answer.
 * `POST /login/push_login_url`, wrapper endpoint, instance scope.
 */
export interface LoginPushLoginUrlResponse {
  /** login session id; poll /login/check_login_qrcode */
  uuid?: string;
  /** when the pushed request expires, unix seconds */
  expired_time?: number;
}

/**
 * Submit the device verification code of an iPad login (验证登录) — request body.
 * `POST /login/verify_login_url`, wrapper endpoint, instance scope.
 */
export interface LoginVerifyLoginUrlRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** ticket taken from authUrl of the QR callback (doc) */
  ticket: string;
  /** verification code (doc: pin为验证码) */
  pin: string;
}

/**
 * Submit the device verification code of an iPad login (验证登录) — the `data` of the answer.
 * `POST /login/verify_login_url`, wrapper endpoint, instance scope.
 */
export type LoginVerifyLoginUrlResponse = Record<never, never>;

/**
 * Get the logged-in account's profile (获取登录账号信息) — request body.
 * `POST /user/get_profile`, raw endpoint, instance scope.
 */
export interface UserGetProfileRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Get the logged-in account's profile (获取登录账号信息) — WeChat's answer.
 * `POST /user/get_profile`, raw endpoint, instance scope.
 */
export interface UserGetProfileResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** WeChat ModUserInfo */
  userInfo: {
    bitFlag: number;
    /** SKBuiltinString */
    userName: {
      string?: string;
    };
    /** SKBuiltinString */
    nickName: {
      string?: string;
    };
    bindUin: number;
    /** SKBuiltinString */
    bindEmail: {
      string?: string;
    };
    /** SKBuiltinString */
    bindMobile: {
      string?: string;
    };
    status: number;
    /** 0 unknown, 1 male, 2 female */
    sex: number;
    province: string;
    city: string;
    signature: string;
    personalCard: number;
    /** the WeChat id (微信号); "" if none */
    alias: string;
  };
  /** WeChat UserInfoExt */
  userInfoExt: {
    /** moments settings of an account */
    snsUserInfo: {
      snsFlag?: number;
      /** moments cover image URL; absent when the account has none */
      snsBgimgId?: string;
      /** 64-bit id as a decimal string */
      snsBgobjectId?: string;
      snsFlagEx?: number;
      snsPrivacyRecent?: number;
    };
    bigHeadImgUrl: string;
    smallHeadImgUrl: string;
  };
}

/**
 * Get the personal QR code of the account (获取个人二维码) — request body.
 * `POST /user/get_qrcode`, raw endpoint, instance scope.
 */
export interface UserGetQrcodeRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /**
   * QR-code style (WeChat GetQRCode style)
   * @default 0
   */
  style?: number;
  /**
   * operation code (default 1)
   * @default 1
   */
  opcode?: number;
}

/**
 * Get the personal QR code of the account (获取个人二维码) — WeChat's answer.
 * `POST /user/get_qrcode`, raw endpoint, instance scope.
 */
export interface UserGetQrcodeResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** SKBuiltinBuffer */
  qrcode: {
    iLen: number;
    buffer?: string;
  };
  style: number;
  footerWording?: string;
}

/**
 * Log the account out (退出登录) — request body.
 * `POST /user/logout`, raw endpoint, instance scope.
 */
export interface UserLogoutRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Log the account out (退出登录) — WeChat's answer.
 * `POST /user/logout`, raw endpoint, instance scope.
 */
export interface UserLogoutResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * List contact usernames page by page (同步联系人) — request body.
 * `POST /contact/init_contact`, raw endpoint, instance scope.
 */
export interface ContactInitContactRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /**
   * currentWxcontactSeq cursor from the previous page; 0 = from start
   * @default 0
   */
  contact_seq?: number;
  /**
   * currentChatRoomContactSeq cursor from the previous page; 0 = from start
   * @default 0
   */
  room_seq?: number;
}

/**
 * List contact usernames page by page (同步联系人) — WeChat's answer.
 * `POST /contact/init_contact`, raw endpoint, instance scope.
 */
export interface ContactInitContactResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** pass back as contact_seq for the next page */
  currentWxcontactSeq: number;
  /** pass back as room_seq for the next page */
  currentChatRoomContactSeq: number;
  /** 1 = more pages (WeChat's own spelling) */
  countinueFlag: number;
  /** wxid_…, gh_… and …@chatroom usernames */
  contactUsernameList: string[];
}

/**
 * Pin or unpin a chat (置顶聊天) — request body.
 * `POST /contact/modify_contact_top_flag`, raw endpoint, instance scope.
 */
export interface ContactModifyContactTopFlagRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** wxid / username of the target contact */
  username: string;
  /**
   * 0 = unpin, 1 = pin (doc)
   * @default 1
   */
  status?: number;
}

/**
 * Pin or unpin a chat (置顶聊天) — WeChat's answer.
 * `POST /contact/modify_contact_top_flag`, raw endpoint, instance scope.
 */
export interface ContactModifyContactTopFlagResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Get contacts, rooms or room members in detail (获取联系人详细) — request body.
 * `POST /contact/get_contact`, raw endpoint, instance scope.
 */
export interface ContactGetContactRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** wxids or chatroom ids (contacts, room members, rooms) */
  username_list: string[];
  /**
   * only when querying chatroom members: the chatroom id; otherwise omit/empty (doc)
   * @default ""
   */
  room_username?: string;
}

/**
 * Get contacts, rooms or room members in detail (获取联系人详细) — WeChat's answer.
 * `POST /contact/get_contact`, raw endpoint, instance scope.
 */
export interface ContactGetContactResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  contactCount?: number;
  contactList: {
    /** SKBuiltinString */
    userName: {
      string?: string;
    };
    /** SKBuiltinString */
    nickName: {
      string?: string;
    };
    /** SKBuiltinString */
    remark: {
      string?: string;
    };
    /** SKBuiltinString */
    pyinitial?: {
      string?: string;
    };
    /** SKBuiltinString */
    quanPin?: {
      string?: string;
    };
    /** SKBuiltinString */
    remarkPyinitial?: {
      string?: string;
    };
    /** SKBuiltinString */
    remarkQuanPin?: {
      string?: string;
    };
    /** the WeChat id (微信号) the user chose; "" if none */
    alias?: string;
    /** 0 unknown, 1 male, 2 female */
    sex?: number;
    country?: string;
    province?: string;
    city?: string;
    signature?: string;
    /** avatar URL; clients read bigHeadImgUrl, else smallHeadImgUrl (some vendor builds wrap URLs in back-ticks) */
    bigHeadImgUrl?: string;
    /** avatar thumbnail URL */
    smallHeadImgUrl?: string;
    /** SKBuiltinBuffer */
    imgBuf?: {
      iLen: number;
      buffer?: string;
    };
    bitMask?: number;
    bitVal?: number;
    /** 0 for people; non-zero for verified official accounts */
    verifyFlag?: number;
    contactType?: number;
    addContactScene?: number;
    deleteFlag?: number;
    /** v3_…@stranger ticket of a non-friend */
    encryptUserName?: string;
    /** moments settings of an account */
    snsUserInfo?: {
      snsFlag?: number;
      /** moments cover image URL; absent when the account has none */
      snsBgimgId?: string;
      /** 64-bit id as a decimal string */
      snsBgobjectId?: string;
      snsFlagEx?: number;
      snsPrivacyRecent?: number;
    };
    /** rooms: the owner's wxid */
    chatRoomOwner?: string;
    /** rooms: 1 notifications on, 0 muted */
    chatRoomNotify?: number;
    /** rooms: member-list version */
    chatroomVersion?: number;
    /** rooms: member limit */
    chatroomMaxCount?: number;
    chatroomAccessType?: number;
    chatroomStatus?: number;
    /** room membership summary */
    newChatroomData?: {
      memberCount: number;
      /** often empty here; use /room/get_chatroom_member_detail */
      chatRoomMember?: {
        /** member wxid */
        userName: string;
        nickName: string;
        /** the member's group nickname (群昵称); "" when not set */
        displayName: string;
        bigHeadImgUrl: string;
        smallHeadImgUrl: string;
        chatroomMemberFlag: number;
        /** wxid of the member who invited this one */
        inviterUserName: string;
      }[];
      infoMask?: number;
      /** SKBuiltinString */
      chatRoomUserName?: {
        string?: string;
      };
      watchMemberCount?: number;
    };
    /** rooms: 1 while the viewer is a member */
    isInChatRoom?: number;
    /** an empty message, {} in every capture */
    domainList?: Record<never, never>;
    /** rooms: business type, "0" for ordinary rooms (uint64 as a decimal string) */
    chatRoomBusinessType?: string;
    /** which bits of bitValue2 are valid (uint64 as a decimal string) */
    bitMask2?: string;
    /** more contact-type bits (uint64 as a decimal string) */
    bitValue2?: string;
    textStatusFlag?: number;
    /** ringback tone (彩铃) setting */
    ringBackSetting?: {
      /** the Channels video of the ringback tone (uint64 as a decimal string) */
      finderObjectId?: string;
      /** unix seconds */
      startTs?: number;
      /** unix seconds */
      endTs?: number;
    };
    /** SKBuiltinBuffer */
    contactExtraInfoBuf?: {
      iLen: number;
      buffer?: string;
    };
    eraseChatRoomMemberData?: number;
    /** the account's labels on the contact, comma-separated ids ("" when none) */
    labelIdList?: string;
  }[];
  /** per-username ret */
  ret?: number[];
  ticket?: Record<never, never>[];
}

/**
 * Get brief info of many contacts (批量获取联系人简要信息) — request body.
 * `POST /contact/batch_get_contact_brief_info`, raw endpoint, instance scope.
 */
export interface ContactBatchGetContactBriefInfoRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** list of wxids / chatroom ids */
  username_list: string[];
}

/**
 * Get brief info of many contacts (批量获取联系人简要信息) — WeChat's answer.
 * `POST /contact/batch_get_contact_brief_info`, raw endpoint, instance scope.
 */
export interface ContactBatchGetContactBriefInfoResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  contactList: {
    /** a friend, room (…@chatroom), official account (gh_…) or stranger, as WeChat sends it (get_contact, notify 1200) */
    contact: {
      /** SKBuiltinString */
      userName: {
        string?: string;
      };
      /** SKBuiltinString */
      nickName: {
        string?: string;
      };
      /** SKBuiltinString */
      remark: {
        string?: string;
      };
      /** SKBuiltinString */
      pyinitial?: {
        string?: string;
      };
      /** SKBuiltinString */
      quanPin?: {
        string?: string;
      };
      /** SKBuiltinString */
      remarkPyinitial?: {
        string?: string;
      };
      /** SKBuiltinString */
      remarkQuanPin?: {
        string?: string;
      };
      /** the WeChat id (微信号) the user chose; "" if none */
      alias?: string;
      /** 0 unknown, 1 male, 2 female */
      sex?: number;
      country?: string;
      province?: string;
      city?: string;
      signature?: string;
      /** avatar URL; clients read bigHeadImgUrl, else smallHeadImgUrl (some vendor builds wrap URLs in back-ticks) */
      bigHeadImgUrl?: string;
      /** avatar thumbnail URL */
      smallHeadImgUrl?: string;
      /** SKBuiltinBuffer */
      imgBuf?: {
        iLen: number;
        buffer?: string;
      };
      bitMask?: number;
      bitVal?: number;
      /** 0 for people; non-zero for verified official accounts */
      verifyFlag?: number;
      contactType?: number;
      addContactScene?: number;
      deleteFlag?: number;
      /** v3_…@stranger ticket of a non-friend */
      encryptUserName?: string;
      /** moments settings of an account */
      snsUserInfo?: {
        snsFlag?: number;
        /** moments cover image URL; absent when the account has none */
        snsBgimgId?: string;
        /** 64-bit id as a decimal string */
        snsBgobjectId?: string;
        snsFlagEx?: number;
        snsPrivacyRecent?: number;
      };
      /** rooms: the owner's wxid */
      chatRoomOwner?: string;
      /** rooms: 1 notifications on, 0 muted */
      chatRoomNotify?: number;
      /** rooms: member-list version */
      chatroomVersion?: number;
      /** rooms: member limit */
      chatroomMaxCount?: number;
      chatroomAccessType?: number;
      chatroomStatus?: number;
      /** room membership summary */
      newChatroomData?: {
        memberCount: number;
        /** often empty here; use /room/get_chatroom_member_detail */
        chatRoomMember?: {
          /** member wxid */
          userName: string;
          nickName: string;
          /** the member's group nickname (群昵称); "" when not set */
          displayName: string;
          bigHeadImgUrl: string;
          smallHeadImgUrl: string;
          chatroomMemberFlag: number;
          /** wxid of the member who invited this one */
          inviterUserName: string;
        }[];
        infoMask?: number;
        /** SKBuiltinString */
        chatRoomUserName?: {
          string?: string;
        };
        watchMemberCount?: number;
      };
      /** rooms: 1 while the viewer is a member */
      isInChatRoom?: number;
      /** an empty message, {} in every capture */
      domainList?: Record<never, never>;
      /** rooms: business type, "0" for ordinary rooms (uint64 as a decimal string) */
      chatRoomBusinessType?: string;
      /** which bits of bitValue2 are valid (uint64 as a decimal string) */
      bitMask2?: string;
      /** more contact-type bits (uint64 as a decimal string) */
      bitValue2?: string;
      textStatusFlag?: number;
      /** ringback tone (彩铃) setting */
      ringBackSetting?: {
        /** the Channels video of the ringback tone (uint64 as a decimal string) */
        finderObjectId?: string;
        /** unix seconds */
        startTs?: number;
        /** unix seconds */
        endTs?: number;
      };
      /** SKBuiltinBuffer */
      contactExtraInfoBuf?: {
        iLen: number;
        buffer?: string;
      };
      eraseChatRoomMemberData?: number;
      /** the account's labels on the contact, comma-separated ids ("" when none) */
      labelIdList?: string;
    };
    displayName?: string;
  }[];
}

/**
 * Search a WeChat user by phone number, WeChat id or QQ (通过手机号，微信号或QQ搜素微信用户) — request body.
 * `POST /contact/search_contact`, raw endpoint, instance scope.
 */
export interface ContactSearchContactRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** phone number / WeChat id / QQ number to search */
  username: string;
  /**
   * search source scene
   * @default 0
   */
  from_scene?: number;
  /**
   * search type: 1=phone, 2=wechat id, 3=QQ (per vendor CLI skill)
   * @default 1
   */
  search_scene?: number;
}

/**
 * Search a WeChat user by phone number, WeChat id or QQ (通过手机号，微信号或QQ搜素微信用户) — WeChat's answer.
 * `POST /contact/search_contact`, raw endpoint, instance scope.
 */
export interface ContactSearchContactResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** SKBuiltinString */
  userName: {
    string?: string;
  };
  /** SKBuiltinString */
  nickName: {
    string?: string;
  };
  /** v4_…@stranger; pass as add_friend.ticket */
  antispamTicket: string;
  alias?: string;
  /** 0 unknown, 1 male, 2 female */
  sex?: number;
  province?: string;
  city?: string;
  signature?: string;
  bigHeadImgUrl?: string;
  smallHeadImgUrl?: string;
}

/**
 * Send a friend request (添加微信用户) — request body.
 * `POST /contact/add_friend`, raw endpoint, instance scope.
 */
export interface ContactAddFriendRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** username from search_contact (v3_...@stranger or wxid) */
  username: string;
  /**
   * greeting / verification text
   * @default ""
   */
  verify_content?: string;
  /**
   * add-contact scene value
   * @default 3
   */
  scene?: number;
  /**
   * antispam ticket (v4_...) from search_contact
   * @default ""
   */
  ticket?: string;
}

/**
 * Send a friend request (添加微信用户) — WeChat's answer.
 * `POST /contact/add_friend`, raw endpoint, instance scope.
 */
export interface ContactAddFriendResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** the contact acted on (plain string) */
  userName?: string;
}

/**
 * Check friendship, add one-way or accept a friend request (检查好友状态、单向加好友和同意好友申请) — request body.
 * `POST /contact/verify_friend`, raw endpoint, instance scope.
 */
export interface ContactVerifyFriendRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** username (v3 encryptusername from the friend request, or wxid) */
  username: string;
  /**
   * ticket (v4/antispam ticket from the friend-request XML or search result)
   * @default ""
   */
  ticket?: string;
  /**
   * scene (default 6; use the scene from the friend-request XML when accepting)
   * @default 6
   */
  scene?: number;
  /**
   * 1 = check friend status, 2 = one-way add, 3 = accept friend request (doc)
   * @default 1
   */
  opcode?: number;
}

/**
 * Check friendship, add one-way or accept a friend request (检查好友状态、单向加好友和同意好友申请) — WeChat's answer.
 * `POST /contact/verify_friend`, raw endpoint, instance scope.
 */
export interface ContactVerifyFriendResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** the contact acted on (plain string) */
  userName?: string;
}

/**
 * Set a friend's remark name (修改好友备注) — request body.
 * `POST /contact/modify_remark`, raw endpoint, instance scope.
 */
export interface ContactModifyRemarkRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** wxid / username of the target contact */
  username: string;
  /** new remark name */
  remark: string;
}

/**
 * Set a friend's remark name (修改好友备注) — WeChat's answer.
 * `POST /contact/modify_remark`, raw endpoint, instance scope.
 */
export interface ContactModifyRemarkResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Delete a friend (删除好友) — request body.
 * `POST /contact/del_friend`, raw endpoint, instance scope.
 */
export interface ContactDelFriendRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** wxid / username of the target contact */
  username: string;
}

/**
 * Delete a friend (删除好友) — WeChat's answer.
 * `POST /contact/del_friend`, raw endpoint, instance scope.
 */
export interface ContactDelFriendResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Get the announcement and info of a room (获取群信息) — request body.
 * `POST /room/get_chatroom_detail`, raw endpoint, instance scope.
 */
export interface RoomGetChatroomDetailRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
}

/**
 * Get the announcement and info of a room (获取群信息) — WeChat's answer.
 * `POST /room/get_chatroom_detail`, raw endpoint, instance scope.
 */
export interface RoomGetChatroomDetailResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  announcement: string;
  chatRoomInfoVersion: number;
  /** wxid of who set the announcement */
  announcementEditor: string;
  /** unix seconds */
  announcementPublishTime: number;
  chatRoomStatus: number;
  /** uint64 as a decimal string ("0" for ordinary rooms), as captured */
  chatRoomBusinessType?: string;
}

/**
 * Get the members of a room in detail (获取群成员详细) — request body.
 * `POST /room/get_chatroom_member_detail`, raw endpoint, instance scope.
 */
export interface RoomGetChatroomMemberDetailRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /**
   * member-list version (serverVersion from a previous call); 0 = full
   * @default 0
   */
  version?: number;
}

/**
 * Get the members of a room in detail (获取群成员详细) — WeChat's answer.
 * `POST /room/get_chatroom_member_detail`, raw endpoint, instance scope.
 */
export interface RoomGetChatroomMemberDetailResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** the room id */
  chatroomUserName?: string;
  /** member-list version; pass back as version */
  serverVersion: number;
  /** the members */
  newChatroomData: {
    memberCount: number;
    chatRoomMember: {
      /** member wxid */
      userName: string;
      nickName: string;
      /** the member's group nickname (群昵称); "" when not set */
      displayName: string;
      bigHeadImgUrl: string;
      smallHeadImgUrl: string;
      chatroomMemberFlag: number;
      /** wxid of the member who invited this one */
      inviterUserName: string;
    }[];
    infoMask: number;
    /** SKBuiltinString */
    chatRoomUserName?: {
      string?: string;
    };
    watchMemberCount?: number;
  };
  /** owner wxid */
  chatRoomOwner?: string;
  addChatRoomSceneNewXml?: string;
}

/**
 * Create a room (创建群组) — request body.
 * `POST /room/create_chatroom`, raw endpoint, instance scope.
 */
export interface RoomCreateChatroomRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** list of wxids / chatroom ids */
  username_list: string[];
}

/**
 * Create a room (创建群组) — WeChat's answer.
 * `POST /room/create_chatroom`, raw endpoint, instance scope.
 */
export interface RoomCreateChatroomResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** SKBuiltinString */
  chatRoomName: {
    string?: string;
  };
  /** SKBuiltinString */
  topic: {
    string?: string;
  };
  memberCount: number;
  memberList: {
    /** SKBuiltinString */
    memberName: {
      string?: string;
    };
    /** 0 = done for this member; other values = WeChat refused it */
    memberStatus?: number;
    /** SKBuiltinString */
    nickName?: {
      string?: string;
    };
  }[];
  bigHeadImgUrl: string;
  smallHeadImgUrl: string;
}

/**
 * Add members to a room directly (under 40 members) (添加群成员(低于40人)) — request body.
 * `POST /room/add_chatroom_member`, raw endpoint, instance scope.
 */
export interface RoomAddChatroomMemberRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /** list of wxids / chatroom ids */
  username_list: string[];
}

/**
 * Add members to a room directly (under 40 members) (添加群成员(低于40人)) — WeChat's answer.
 * `POST /room/add_chatroom_member`, raw endpoint, instance scope.
 */
export interface RoomAddChatroomMemberResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** number of members in memberList */
  memberCount: number;
  memberList: {
    /** SKBuiltinString */
    memberName: {
      string?: string;
    };
    /** 0 = done for this member; other values = WeChat refused it */
    memberStatus?: number;
    /** SKBuiltinString */
    nickName?: {
      string?: string;
    };
  }[];
}

/**
 * Invite members to a room (邀请群成员) — request body.
 * `POST /room/invite_chatroom_member`, raw endpoint, instance scope.
 */
export interface RoomInviteChatroomMemberRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /** list of wxids / chatroom ids */
  username_list: string[];
}

/**
 * Invite members to a room (邀请群成员) — WeChat's answer.
 * `POST /room/invite_chatroom_member`, raw endpoint, instance scope.
 */
export interface RoomInviteChatroomMemberResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Remove members from a room (移除群成员) — request body.
 * `POST /room/del_chatroom_member`, raw endpoint, instance scope.
 */
export interface RoomDelChatroomMemberRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /** list of wxids / chatroom ids */
  username_list: string[];
}

/**
 * Remove members from a room (移除群成员) — WeChat's answer.
 * `POST /room/del_chatroom_member`, raw endpoint, instance scope.
 */
export interface RoomDelChatroomMemberResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** number of members in memberList */
  memberCount: number;
  memberList: {
    /** SKBuiltinString */
    memberName: {
      string?: string;
    };
    /** 0 = done for this member; other values = WeChat refused it */
    memberStatus?: number;
    /** SKBuiltinString */
    nickName?: {
      string?: string;
    };
  }[];
}

/**
 * Rename a room (修改群名称) — request body.
 * `POST /room/modify_chatroom_name`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomNameRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /** new chatroom name */
  name: string;
}

/**
 * Rename a room (修改群名称) — WeChat's answer.
 * `POST /room/modify_chatroom_name`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomNameResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** per-operation ret of the oplog batch (one entry per op) */
  ret?: number[];
}

/**
 * Set the announcement of a room (设置群公告) — request body.
 * `POST /room/set_chatroom_announcement`, raw endpoint, instance scope.
 */
export interface RoomSetChatroomAnnouncementRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /** announcement text */
  announcement: string;
}

/**
 * Set the announcement of a room (设置群公告) — WeChat's answer.
 * `POST /room/set_chatroom_announcement`, raw endpoint, instance scope.
 */
export interface RoomSetChatroomAnnouncementResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Set my nickname in a room (修改群显示昵称) — request body.
 * `POST /room/modify_chatroom_display_name`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomDisplayNameRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /** my display name inside the chatroom */
  display_name: string;
}

/**
 * Set my nickname in a room (修改群显示昵称) — WeChat's answer.
 * `POST /room/modify_chatroom_display_name`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomDisplayNameResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** per-operation ret of the oplog batch (one entry per op) */
  ret?: number[];
}

/**
 * Show or hide members' nicknames in a room (是否显示群成员昵称) — request body.
 * `POST /room/modify_chatroom_show_name_flag`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomShowNameFlagRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /**
   * 0 = hide, 1 = show member nicknames (vendor CLI)
   * @default 0
   */
  status?: number;
}

/**
 * Show or hide members' nicknames in a room (是否显示群成员昵称) — WeChat's answer.
 * `POST /room/modify_chatroom_show_name_flag`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomShowNameFlagResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** per-operation ret of the oplog batch (one entry per op) */
  ret?: number[];
}

/**
 * Save a room to or remove it from the address book (是否保存到通讯录) — request body.
 * `POST /room/modify_chatroom_contact_flag`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomContactFlagRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /**
   * 0 = remove from, 1 = save to address book (vendor CLI)
   * @default 0
   */
  status?: number;
}

/**
 * Save a room to or remove it from the address book (是否保存到通讯录) — WeChat's answer.
 * `POST /room/modify_chatroom_contact_flag`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomContactFlagResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** per-operation ret of the oplog batch (one entry per op) */
  ret?: number[];
}

/**
 * Fold or unfold a room (是否折叠群) — request body.
 * `POST /room/modify_chatroom_fold_flag`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomFoldFlagRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /**
   * 0 = unfold, 1 = fold (vendor CLI)
   * @default 0
   */
  status?: number;
}

/**
 * Fold or unfold a room (是否折叠群) — WeChat's answer.
 * `POST /room/modify_chatroom_fold_flag`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomFoldFlagResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** per-operation ret of the oplog batch (one entry per op) */
  ret?: number[];
}

/**
 * Mute or unmute a room (消息免打扰) — request body.
 * `POST /room/modify_chatroom_disturb_flag`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomDisturbFlagRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /**
   * 0 = off, 1 = mute (vendor CLI)
   * @default 0
   */
  status?: number;
}

/**
 * Mute or unmute a room (消息免打扰) — WeChat's answer.
 * `POST /room/modify_chatroom_disturb_flag`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomDisturbFlagResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** per-operation ret of the oplog batch (one entry per op) */
  ret?: number[];
}

/**
 * Send a friend request to a room member (添加群成员为好友) — request body.
 * `POST /room/add_chatroom_member_friend`, raw endpoint, instance scope.
 */
export interface RoomAddChatroomMemberFriendRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /** wxid / username of the target contact */
  username: string;
  /**
   * greeting / verification text
   * @default ""
   */
  verify_content?: string;
}

/**
 * Send a friend request to a room member (添加群成员为好友) — WeChat's answer.
 * `POST /room/add_chatroom_member_friend`, raw endpoint, instance scope.
 */
export interface RoomAddChatroomMemberFriendResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** the contact acted on (plain string) */
  userName?: string;
}

/**
 * Leave a room (退出群) — request body.
 * `POST /room/quit_chatroom`, raw endpoint, instance scope.
 */
export interface RoomQuitChatroomRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
}

/**
 * Leave a room (退出群) — WeChat's answer.
 * `POST /room/quit_chatroom`, raw endpoint, instance scope.
 */
export interface RoomQuitChatroomResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** per-operation ret of the oplog batch (one entry per op) */
  ret?: number[];
}

/**
 * Transfer room ownership (转让群主) — request body.
 * `POST /room/tranfer_chatroom_owner`, raw endpoint, instance scope.
 */
export interface RoomTranferChatroomOwnerRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /** wxid / username of the target contact */
  username: string;
}

/**
 * Transfer room ownership (转让群主) — WeChat's answer.
 * `POST /room/tranfer_chatroom_owner`, raw endpoint, instance scope.
 */
export interface RoomTranferChatroomOwnerResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Pin a message in a room (置顶消息) — request body.
 * `POST /room/set_top_msg`, raw endpoint, instance scope.
 */
export interface RoomSetTopMsgRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /** summary text shown for the pinned message */
  summary: string;
  /** a message as delivered in a 1010 callback */
  msg_info: {
    /** sender wxid; the room id for group messages */
    from_username: string;
    to_username: string;
    /**
     * real sender in groups, else ""
     * @default ""
     */
    chatroom_sender: string;
    /** unix seconds */
    create_time: number;
    /** @default "" */
    desc: string;
    /** 64-bit server id as a decimal string */
    msg_id: string;
    msg_type: number;
    /** @default "" */
    chatroom: string;
    /**
     * <msgsource> XML
     * @default ""
     */
    source: string;
    content: string;
  };
}

/**
 * Pin a message in a room (置顶消息) — WeChat's answer.
 * `POST /room/set_top_msg`, raw endpoint, instance scope.
 */
export interface RoomSetTopMsgResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Unpin a message in a room (取消置顶消息) — request body.
 * `POST /room/remove_top_msg`, raw endpoint, instance scope.
 */
export interface RoomRemoveTopMsgRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /** message id (server msg id / new_msg_id as string) */
  msg_id: string;
}

/**
 * Unpin a message in a room (取消置顶消息) — WeChat's answer.
 * `POST /room/remove_top_msg`, raw endpoint, instance scope.
 */
export interface RoomRemoveTopMsgResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * List the pinned messages of a room (获取置顶消息列表) — request body.
 * `POST /room/get_top_msg_list`, raw endpoint, instance scope.
 */
export interface RoomGetTopMsgListRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
}

/**
 * List the pinned messages of a room (获取置顶消息列表) — WeChat's answer.
 * `POST /room/get_top_msg_list`, raw endpoint, instance scope.
 */
export interface RoomGetTopMsgListResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** entries in topMsgList */
  count: number;
  /** oldest pin first */
  topMsgList: {
    /** the pinned message's msg_id */
    msgId: string;
    /** the summary given when it was pinned */
    summary: string;
    /** wxid of who pinned it */
    operator: string;
    /** unix seconds it was pinned */
    createTime: number;
    /** a message as delivered in a 1010 callback */
    msgInfo: {
      /** sender wxid; the room id for group messages */
      from_username: string;
      to_username: string;
      /**
       * real sender in groups, else ""
       * @default ""
       */
      chatroom_sender: string;
      /** unix seconds */
      create_time: number;
      /** @default "" */
      desc: string;
      /** 64-bit server id as a decimal string */
      msg_id: string;
      msg_type: number;
      /** @default "" */
      chatroom: string;
      /**
       * <msgsource> XML
       * @default ""
       */
      source: string;
      content: string;
    };
  }[];
}

/**
 * Get the QR code of a room (获取群二维码) — request body.
 * `POST /room/get_chatroom_qrcode`, raw endpoint, instance scope.
 */
export interface RoomGetChatroomQrcodeRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
}

/**
 * Get the QR code of a room (获取群二维码) — WeChat's answer.
 * `POST /room/get_chatroom_qrcode`, raw endpoint, instance scope.
 */
export interface RoomGetChatroomQrcodeResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** SKBuiltinBuffer */
  qrcode: {
    iLen: number;
    buffer?: string;
  };
  /** e.g. 该二维码7天内(3月5日前)有效，重新进入将更新 */
  revokeQrcodeWording?: string;
  footerWording?: string;
  /** unix seconds the code stops working (wxgate addition) */
  expiredTime?: number;
}

/**
 * Pin or unpin a room chat (置顶聊天) — request body.
 * `POST /room/modify_chatroom_top_flag`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomTopFlagRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /**
   * 0 = unpin, 1 = pin (doc)
   * @default 1
   */
  status?: number;
}

/**
 * Pin or unpin a room chat (置顶聊天) — WeChat's answer.
 * `POST /room/modify_chatroom_top_flag`, raw endpoint, instance scope.
 */
export interface RoomModifyChatroomTopFlagResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** per-operation ret of the oplog batch (one entry per op) */
  ret?: number[];
}

/**
 * Send a text message (发送文本消息) — request body.
 * `POST /msg/send_text`, raw endpoint, instance scope.
 */
export interface MsgSendTextRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** text content */
  content: string;
}

/**
 * Send a text message (发送文本消息) — WeChat's answer.
 * `POST /msg/send_text`, raw endpoint, instance scope.
 */
export interface MsgSendTextResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** number of entries in list (1) */
  count: number;
  list: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Send a text message that @-mentions room members (发送群@消息) — request body.
 * `POST /msg/send_room_at`, raw endpoint, instance scope.
 */
export interface MsgSendRoomAtRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** text content */
  content: string;
  /** wxids to @; "notify@all" for @all (doc); content must include '@昵称' */
  at_list: string[];
}

/**
 * Send a text message that @-mentions room members (发送群@消息) — WeChat's answer.
 * `POST /msg/send_room_at`, raw endpoint, instance scope.
 */
export interface MsgSendRoomAtResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** number of entries in list (1) */
  count: number;
  list: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Send a contact card (发送分享名片) — request body.
 * `POST /msg/send_share_card`, raw endpoint, instance scope.
 */
export interface MsgSendShareCardRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** wxid of the contact whose card is shared */
  share_username: string;
  /**
   * nickname of the shared contact
   * @default ""
   */
  share_nickname?: string;
  /**
   * avatar URL of the shared contact
   * @default ""
   */
  share_head_img?: string;
}

/**
 * Send a contact card (发送分享名片) — WeChat's answer.
 * `POST /msg/send_share_card`, raw endpoint, instance scope.
 */
export interface MsgSendShareCardResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** number of entries in list (1) */
  count: number;
  list: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Send a contact card from raw XML (发送分享名片) — request body.
 * `POST /msg/send_share_card_raw`, raw endpoint, instance scope.
 */
export interface MsgSendShareCardRawRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** raw WeChat XML (card / appmsg) */
  xml: string;
}

/**
 * Send a contact card from raw XML (发送分享名片) — WeChat's answer.
 * `POST /msg/send_share_card_raw`, raw endpoint, instance scope.
 */
export interface MsgSendShareCardRawResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** number of entries in list (1) */
  count: number;
  list: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Send a location (发送位置) — request body.
 * `POST /msg/send_location`, raw endpoint, instance scope.
 */
export interface MsgSendLocationRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** latitude (float) */
  latitude: number;
  /** longitude (float) */
  longitude: number;
  /**
   * title
   * @default ""
   */
  title?: string;
  /**
   * address label
   * @default ""
   */
  address?: string;
  /**
   * map scale
   * @default 15
   */
  scale?: number;
}

/**
 * Send a location (发送位置) — WeChat's answer.
 * `POST /msg/send_location`, raw endpoint, instance scope.
 */
export interface MsgSendLocationResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** number of entries in list (1) */
  count: number;
  list: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Send an uploaded image (发送图片) — request body.
 * `POST /msg/send_image`, raw endpoint, instance scope.
 */
export interface MsgSendImageRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** CDN file id (hex string starting 30..., from upload or from the message XML) */
  file_id: string;
  /** CDN AES key (32 hex chars) */
  aes_key: string;
  /** file size in bytes */
  file_size: number;
  /**
   * size of the HD/original image
   * @default 0
   */
  big_file_size?: number;
  /**
   * thumbnail size in bytes
   * @default 0
   */
  thumb_file_size?: number;
  /** md5 of the file (hex) */
  file_md5: string;
  /**
   * thumbnail width (px)
   * @default 0
   */
  thumb_width?: number;
  /**
   * thumbnail height (px)
   * @default 0
   */
  thumb_height?: number;
  /**
   * CRC32 of the file (unsigned int)
   * @default 0
   */
  file_crc?: number;
}

/**
 * Send an uploaded image (发送图片) — WeChat's answer.
 * `POST /msg/send_image`, raw endpoint, instance scope.
 */
export interface MsgSendImageResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** local id */
  msgId: number;
  /** 64-bit server message id as a decimal string */
  newMsgId: string;
  /** SKBuiltinString */
  clientImgId?: {
    string?: string;
  };
  /** SKBuiltinString */
  fromUserName?: {
    string?: string;
  };
  /** SKBuiltinString */
  toUserName?: {
    string?: string;
  };
  totalLen?: number;
  startPos?: number;
  dataLen?: number;
  /** unix seconds */
  createTime?: number;
}

/**
 * Send an uploaded video (发送视频) — request body.
 * `POST /msg/send_video`, raw endpoint, instance scope.
 */
export interface MsgSendVideoRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** CDN file id (hex string starting 30..., from upload or from the message XML) */
  file_id: string;
  /** CDN AES key (32 hex chars) */
  aes_key: string;
  /** file size in bytes */
  file_size: number;
  /** md5 of the file (hex) */
  file_md5: string;
  /**
   * thumbnail size in bytes
   * @default 0
   */
  thumb_file_size?: number;
  /**
   * md5 of the thumbnail
   * @default ""
   */
  thumb_file_md5?: string;
  /**
   * video length in seconds
   * @default 15
   */
  video_duration?: number;
  /**
   * CRC32 of the file (unsigned int)
   * @default 0
   */
  file_crc?: number;
  /**
   * mp4 identify string (WeChat video upload field)
   * @default ""
   */
  mp4_identify?: string;
}

/**
 * Send an uploaded video (发送视频) — WeChat's answer.
 * `POST /msg/send_video`, raw endpoint, instance scope.
 */
export interface MsgSendVideoResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** client id (a string in UploadVideo) */
  clientMsgId: string;
  /** local id */
  msgId: number;
  /** 64-bit server message id as a decimal string */
  newMsgId: string;
  startPos?: number;
  thumbStartPos?: number;
}

/**
 * Send an uploaded file (发送文件) — request body.
 * `POST /msg/send_file`, raw endpoint, instance scope.
 */
export interface MsgSendFileRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** CDN file id (hex string starting 30..., from upload or from the message XML) */
  file_id: string;
  /** CDN AES key (32 hex chars) */
  aes_key: string;
  /** file size in bytes */
  file_size: number;
  /** md5 of the file (hex) */
  file_md5: string;
  /** file name (for send_file: displayed name; for download APIs: name to save as) */
  file_name: string;
  /**
   * CRC32 of the file (unsigned int)
   * @default 0
   */
  file_crc?: number;
  /**
   * file key returned by some upload paths (empty if none)
   * @default ""
   */
  file_key?: string;
}

/**
 * Send an uploaded file (发送文件) — WeChat's answer.
 * `POST /msg/send_file`, raw endpoint, instance scope.
 */
export interface MsgSendFileResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** app id of the appmsg; "" for links and files */
  appId: string;
  /** this account's wxid */
  fromUserName: string;
  toUserName: string;
  /** local id */
  msgId: number;
  /** client id (a string in SendAppMsg, unlike newsendmsg) */
  clientMsgId: string;
  /** unix seconds */
  createTime: number;
  /** message type as WeChat reports it */
  type: number;
  /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
  newMsgId: string;
  /** wxgate: entries in list (1) */
  count?: number;
  /** wxgate: the sent message as NewSendMsg reports it */
  list?: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Send an uploaded emoji (发送表情) — request body.
 * `POST /msg/send_emoji`, raw endpoint, instance scope.
 */
export interface MsgSendEmojiRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** CDN file id (hex string starting 30..., from upload or from the message XML) */
  file_id: string;
  /** CDN AES key (32 hex chars) */
  aes_key: string;
  /** file size in bytes */
  file_size: number;
  /** md5 of the file (hex) */
  file_md5: string;
}

/**
 * Send an uploaded emoji (发送表情) — WeChat's answer.
 * `POST /msg/send_emoji`, raw endpoint, instance scope.
 */
export interface MsgSendEmojiResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  emojiItemCount: number;
  emojiItem: {
    /** per-emoji ret; 0 = sent */
    ret: number;
    startPos: number;
    totalLen: number;
    /** md5 of the emoji file */
    md5: string;
    /** local id */
    msgId: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
  /** wxgate: entries in list (1) */
  count?: number;
  /** wxgate: the sent message as NewSendMsg reports it */
  list?: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Send an emoji from a URL (发送表情url) — request body.
 * `POST /msg/send_emoji_url`, raw endpoint, instance scope.
 */
export interface MsgSendEmojiUrlRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** URL */
  url: string;
}

/**
 * Send an emoji from a URL (发送表情url) — WeChat's answer.
 * `POST /msg/send_emoji_url`, raw endpoint, instance scope.
 */
export interface MsgSendEmojiUrlResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  emojiItemCount: number;
  emojiItem: {
    /** per-emoji ret; 0 = sent */
    ret: number;
    startPos: number;
    totalLen: number;
    /** md5 of the emoji file */
    md5: string;
    /** local id */
    msgId: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
  /** wxgate: entries in list (1) */
  count?: number;
  /** wxgate: the sent message as NewSendMsg reports it */
  list?: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Send an emoji WeChat already has, by md5 (发送表情md5) — request body.
 * `POST /msg/send_emoji_md5`, raw endpoint, instance scope.
 */
export interface MsgSendEmojiMd5Request {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** md5 of the file (hex) */
  file_md5: string;
  /** file size in bytes */
  file_size: number;
}

/**
 * Send an emoji WeChat already has, by md5 (发送表情md5) — WeChat's answer.
 * `POST /msg/send_emoji_md5`, raw endpoint, instance scope.
 */
export interface MsgSendEmojiMd5Response {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  emojiItemCount: number;
  emojiItem: {
    /** per-emoji ret; 0 = sent */
    ret: number;
    startPos: number;
    totalLen: number;
    /** md5 of the emoji file */
    md5: string;
    /** local id */
    msgId: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
  /** wxgate: entries in list (1) */
  count?: number;
  /** wxgate: the sent message as NewSendMsg reports it */
  list?: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Pat (拍一拍) someone (发送拍一拍) — request body.
 * `POST /msg/send_pat`, raw endpoint, instance scope.
 */
export interface MsgSendPatRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** wxid being patted */
  patted_username: string;
}

/**
 * Pat (拍一拍) someone (发送拍一拍) — WeChat's answer.
 * `POST /msg/send_pat`, raw endpoint, instance scope.
 */
export interface MsgSendPatResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** wxgate: entries in list (1) */
  count?: number;
  /** wxgate: the sent message as NewSendMsg reports it */
  list?: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Send a link card with an uploaded thumbnail (发送链接卡片CDN) — request body.
 * `POST /msg/send_link_card_cdn`, raw endpoint, instance scope.
 */
export interface MsgSendLinkCardCdnRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** title */
  title: string;
  /** description */
  desc: string;
  /** URL */
  url: string;
  /** CDN file id of the thumbnail */
  thumb_file_id: string;
  /** AES key of the thumbnail */
  thumb_aes_key: string;
  /** thumbnail size in bytes */
  thumb_file_size: number;
  /** md5 of the thumbnail */
  thumb_file_md5: string;
}

/**
 * Send a link card with an uploaded thumbnail (发送链接卡片CDN) — WeChat's answer.
 * `POST /msg/send_link_card_cdn`, raw endpoint, instance scope.
 */
export interface MsgSendLinkCardCdnResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** app id of the appmsg; "" for links and files */
  appId: string;
  /** this account's wxid */
  fromUserName: string;
  toUserName: string;
  /** local id */
  msgId: number;
  /** client id (a string in SendAppMsg, unlike newsendmsg) */
  clientMsgId: string;
  /** unix seconds */
  createTime: number;
  /** message type as WeChat reports it */
  type: number;
  /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
  newMsgId: string;
  /** wxgate: entries in list (1) */
  count?: number;
  /** wxgate: the sent message as NewSendMsg reports it */
  list?: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Send a link card with a thumbnail fetched from a URL (发送链接卡片) — request body.
 * `POST /msg/send_link_card`, raw endpoint, instance scope.
 */
export interface MsgSendLinkCardRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** title */
  title: string;
  /**
   * description
   * @default ""
   */
  desc?: string;
  /** the URL the card opens */
  url: string;
  /** thumbnail image: an http(s) URL wxgate fetches, a data: URL or base64 */
  image_url: string;
}

/**
 * Send a link card with a thumbnail fetched from a URL (发送链接卡片) — WeChat's answer.
 * `POST /msg/send_link_card`, raw endpoint, instance scope.
 */
export interface MsgSendLinkCardResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** app id of the appmsg; "" for links and files */
  appId: string;
  /** this account's wxid */
  fromUserName: string;
  toUserName: string;
  /** local id */
  msgId: number;
  /** client id (a string in SendAppMsg, unlike newsendmsg) */
  clientMsgId: string;
  /** unix seconds */
  createTime: number;
  /** message type as WeChat reports it */
  type: number;
  /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
  newMsgId: string;
  /** wxgate: entries in list (1) */
  count?: number;
  /** wxgate: the sent message as NewSendMsg reports it */
  list?: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Send an appmsg from raw XML (发送APPMSG) — request body.
 * `POST /msg/send_app_msg`, raw endpoint, instance scope.
 */
export interface MsgSendAppMsgRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /**
   * appmsg <type> value (5 link, 6 file, 33/36 mini-program, 57 refer, ...)
   * @default 0
   */
  app_type?: number;
  /** raw WeChat XML (card / appmsg) */
  xml: string;
  /** app id / mini-program appid */
  appid: string;
}

/**
 * Send an appmsg from raw XML (发送APPMSG) — WeChat's answer.
 * `POST /msg/send_app_msg`, raw endpoint, instance scope.
 */
export interface MsgSendAppMsgResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** app id of the appmsg; "" for links and files */
  appId: string;
  /** this account's wxid */
  fromUserName: string;
  toUserName: string;
  /** local id */
  msgId: number;
  /** client id (a string in SendAppMsg, unlike newsendmsg) */
  clientMsgId: string;
  /** unix seconds */
  createTime: number;
  /** message type as WeChat reports it */
  type: number;
  /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
  newMsgId: string;
  /** wxgate: entries in list (1) */
  count?: number;
  /** wxgate: the sent message as NewSendMsg reports it */
  list?: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Send a mini-program card (发送小程序) — request body.
 * `POST /msg/send_mini_app`, raw endpoint, instance scope.
 */
export interface MsgSendMiniAppRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** wxid / username of the target contact */
  username: string;
  /** app id / mini-program appid */
  appid: string;
  /**
   * mini-program display name
   * @default ""
   */
  appname?: string;
  /**
   * mini-program icon URL
   * @default ""
   */
  appicon?: string;
  /**
   * title
   * @default ""
   */
  title?: string;
  /**
   * mini-program page path
   * @default ""
   */
  page_path?: string;
  /** CDN file id (hex string starting 30..., from upload or from the message XML) */
  file_id: string;
  /** CDN AES key (32 hex chars) */
  aes_key: string;
  /** file size in bytes */
  file_size: number;
  /** md5 of the file (hex) */
  file_md5: string;
}

/**
 * Send a mini-program card (发送小程序) — WeChat's answer.
 * `POST /msg/send_mini_app`, raw endpoint, instance scope.
 */
export interface MsgSendMiniAppResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** app id of the appmsg; "" for links and files */
  appId: string;
  /** this account's wxid */
  fromUserName: string;
  toUserName: string;
  /** local id */
  msgId: number;
  /** client id (a string in SendAppMsg, unlike newsendmsg) */
  clientMsgId: string;
  /** unix seconds */
  createTime: number;
  /** message type as WeChat reports it */
  type: number;
  /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
  newMsgId: string;
  /** wxgate: entries in list (1) */
  count?: number;
  /** wxgate: the sent message as NewSendMsg reports it */
  list?: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Send a Channels (视频号) video card (发送视频号) — request body.
 * `POST /msg/send_finder_video`, raw endpoint, instance scope.
 */
export interface MsgSendFinderVideoRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** finder/sns object id */
  object_id: string;
  /**
   * finder object nonce id
   * @default ""
   */
  object_nonce_id?: string;
  /** wxid / username of the target contact */
  username: string;
  /**
   * nickname
   * @default ""
   */
  nickname?: string;
  /**
   * avatar URL
   * @default ""
   */
  avatar?: string;
  /**
   * description
   * @default ""
   */
  desc?: string;
  /**
   * cover URL
   * @default ""
   */
  thumb_url?: string;
  /** URL */
  url: string;
  /**
   * finder feed type (4 = video)
   * @default 4
   */
  feed_type?: number;
}

/**
 * Send a Channels (视频号) video card (发送视频号) — WeChat's answer.
 * `POST /msg/send_finder_video`, raw endpoint, instance scope.
 */
export interface MsgSendFinderVideoResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** app id of the appmsg; "" for links and files */
  appId: string;
  /** this account's wxid */
  fromUserName: string;
  toUserName: string;
  /** local id */
  msgId: number;
  /** client id (a string in SendAppMsg, unlike newsendmsg) */
  clientMsgId: string;
  /** unix seconds */
  createTime: number;
  /** message type as WeChat reports it */
  type: number;
  /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
  newMsgId: string;
  /** wxgate: entries in list (1) */
  count?: number;
  /** wxgate: the sent message as NewSendMsg reports it */
  list?: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Revoke a sent message (撤回消息) — request body.
 * `POST /msg/revoke_msg`, raw endpoint, instance scope.
 */
export interface MsgRevokeMsgRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** msg id of the sent message (newMsgId returned by the send call) */
  msg_id: string;
  /**
   * client msg id returned by the send call (0 if unknown)
   * @default 0
   */
  client_msg_id?: number;
}

/**
 * Revoke a sent message (撤回消息) — WeChat's answer.
 * `POST /msg/revoke_msg`, raw endpoint, instance scope.
 */
export interface MsgRevokeMsgResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  introduction: string;
  /** the system text shown in the chat */
  sysWording: string;
}

/**
 * Send a reply that quotes a message (发送引用消息) — request body.
 * `POST /msg/send_refer_msg`, raw endpoint, instance scope.
 */
export interface MsgSendReferMsgRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /** text content */
  content: string;
  /** the quoted message */
  refer_msg: {
    msg_type: number;
    /** newMsgId of the quoted message (svrid) */
    msg_id: string;
    from_username: string;
    /** @default "" */
    from_nickname: string;
    /**
     * <msgsource> XML of the quoted message
     * @default ""
     */
    source: string;
    /** @default "" */
    content: string;
  };
}

/**
 * Send a reply that quotes a message (发送引用消息) — WeChat's answer.
 * `POST /msg/send_refer_msg`, raw endpoint, instance scope.
 */
export interface MsgSendReferMsgResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** app id of the appmsg; "" for links and files */
  appId: string;
  /** this account's wxid */
  fromUserName: string;
  toUserName: string;
  /** local id */
  msgId: number;
  /** client id (a string in SendAppMsg, unlike newsendmsg) */
  clientMsgId: string;
  /** unix seconds */
  createTime: number;
  /** message type as WeChat reports it */
  type: number;
  /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
  newMsgId: string;
  /** wxgate: entries in list (1) */
  count?: number;
  /** wxgate: the sent message as NewSendMsg reports it */
  list?: {
    /** per-message ret; 0 = sent */
    ret: number;
    /** SKBuiltinString */
    toUserName?: {
      string?: string;
    };
    /** placeholder (0 in real answers); use newMsgId */
    msgId: number;
    /** client message counter */
    clientMsgId: number;
    /** unix seconds */
    createTime: number;
    /** unix seconds */
    serverTime: number;
    /** message type: 1 text, 42 card, 48 location */
    type: number;
    /** 64-bit server message id as a decimal string; the id to revoke, quote or pin */
    newMsgId: string;
  }[];
}

/**
 * Mark a chat as read (设置消息已读) — request body.
 * `POST /msg/set_session_read`, raw endpoint, instance scope.
 */
export interface MsgSetSessionReadRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
}

/**
 * Mark a chat as read (设置消息已读) — WeChat's answer.
 * `POST /msg/set_session_read`, raw endpoint, instance scope.
 */
export interface MsgSetSessionReadResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Send a voice message from SILK, MP3, WAV or AMR audio (发送语音) — request body.
 * `POST /msg/send_voice`, raw endpoint, instance scope.
 */
export interface MsgSendVoiceRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** receiver wxid or chatroom id */
  to_username: string;
  /**
   * CDN file id of the audio (instead of url)
   * @default ""
   */
  file_id?: string;
  /**
   * CDN AES key of file_id (32 hex chars)
   * @default ""
   */
  aes_key?: string;
  /**
   * size of file_id's content in bytes; 0 = not checked
   * @default 0
   */
  file_size?: number;
  /**
   * the audio as an http(s) URL, a data: URL or base64 (instead of file_id)
   * @default ""
   */
  url?: string;
  /**
   * duration in ms; 0 = measured (a value given must match the audio within 1000 ms)
   * @default 0
   */
  voice_length?: number;
}

/**
 * Send a voice message from SILK, MP3, WAV or AMR audio (发送语音) — WeChat's answer.
 * `POST /msg/send_voice`, raw endpoint, instance scope.
 */
export interface MsgSendVoiceResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** this account's wxid (a plain string in UploadVoice) */
  fromUserName: string;
  /** the receiver */
  toUserName: string;
  /** bytes of the SILK stream received so far (all of it: wxgate sends in one piece) */
  offset: number;
  /** bytes of the SILK stream */
  length: number;
  /** unix seconds */
  createTime: number;
  /** client id (a string in UploadVoice; the <voicemsg clientmsgid>) */
  clientMsgId: string;
  /** local id */
  msgId: number;
  /** duration in ms (the <voicemsg voicelength>) */
  voiceLength: number;
  /** 1: the last (here the only) piece */
  endFlag: number;
  /** 0: not cancelled */
  cancelFlag: number;
  /** 64-bit server message id as a decimal string; the id to revoke, quote or download_voice */
  newMsgId: string;
}

/**
 * Create a voice-transcription job id (生成语音转文字ID) — request body.
 * `POST /msg/new_trans_voice_id`, wrapper endpoint, instance scope.
 */
export interface MsgNewTransVoiceIdRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Create a voice-transcription job id (生成语音转文字ID) — the `data` of the answer.
 * `POST /msg/new_trans_voice_id`, wrapper endpoint, instance scope.
 */
export interface MsgNewTransVoiceIdResponse {
  /** pass to upload_voice_trans, check_voice_trans and get_voice_trans */
  voice_id: string;
}

/**
 * Check whether a voice transcription is ready (检查语音转文字) — request body.
 * `POST /msg/check_voice_trans`, wrapper endpoint, instance scope.
 */
export interface MsgCheckVoiceTransRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** voice-transcription job id from /msg/new_trans_voice_id */
  voice_id: string;
  /** message id (server msg id / new_msg_id as string) */
  msg_id: string;
  /** voice length (ms, from <voicemsg voicelength>) */
  length: number;
}

/**
 * Check whether a voice transcription is ready (检查语音转文字) — the `data` of the answer.
 * `POST /msg/check_voice_trans`, wrapper endpoint, instance scope.
 */
export interface MsgCheckVoiceTransResponse {
  /** job state */
  status?: number;
  /** true when the text can be fetched */
  ready?: boolean;
  /** seconds to wait before polling again */
  interval?: number;
}

/**
 * Upload a voice message for transcription (上传待转文字的语音) — request body.
 * `POST /msg/upload_voice_trans`, wrapper endpoint, instance scope.
 */
export interface MsgUploadVoiceTransRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** voice-transcription job id from /msg/new_trans_voice_id */
  voice_id: string;
  /** message id (server msg id / new_msg_id as string) */
  msg_id: string;
  /** voice length (ms, from <voicemsg voicelength>) */
  length: number;
}

/**
 * Upload a voice message for transcription (上传待转文字的语音) — the `data` of the answer.
 * `POST /msg/upload_voice_trans`, wrapper endpoint, instance scope.
 */
export type MsgUploadVoiceTransResponse = Record<never, never>;

/**
 * Get the text of a voice transcription (获取语音转文字结果) — request body.
 * `POST /msg/get_voice_trans`, wrapper endpoint, instance scope.
 */
export interface MsgGetVoiceTransRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** voice-transcription job id from /msg/new_trans_voice_id */
  voice_id: string;
}

/**
 * Get the text of a voice transcription (获取语音转文字结果) — the `data` of the answer.
 * `POST /msg/get_voice_trans`, wrapper endpoint, instance scope.
 */
export interface MsgGetVoiceTransResponse {
  /** the transcribed text */
  text?: string;
  /** 1 when the transcription is complete */
  endFlag?: number;
}

/**
 * Refresh the instance's CDN DNS information (更新CDNClient DNS信息) — request body.
 * `POST /cloud/update_cdn_dns`, wrapper endpoint, instance scope.
 */
export interface CloudUpdateCdnDnsRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Refresh the instance's CDN DNS information (更新CDNClient DNS信息) — the `data` of the answer.
 * `POST /cloud/update_cdn_dns`, wrapper endpoint, instance scope.
 */
export type CloudUpdateCdnDnsResponse = Record<never, never>;

/**
 * Upload an image, video or file from a URL to the WeChat CDN (上传图片、视频或文件) — request body.
 * `POST /cloud/cdn_upload`, wrapper endpoint, instance scope.
 */
export interface CloudCdnUploadRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** 1 = mini-program cover, 2 = image, 4 = video, 5 = file & GIF (doc) */
  file_type: number;
  /** publicly reachable URL of the file to upload */
  url: string;
  /**
   * wxgate extension, outside the vendor catalog: the thumbnail (an image, as a URL, data: URL or base64) kept as the upload's thumbnail rendition, as WeChat's own client uploads its thumbnail with an image or video (file_type 2 and 4); '' makes one from the file. An upstream without it makes its own
   * @default ""
   */
  thumb_url?: string;
}

/**
 * Upload an image, video or file from a URL to the WeChat CDN (上传图片、视频或文件) — the `data` of the answer.
 * `POST /cloud/cdn_upload`, wrapper endpoint, instance scope.
 */
export interface CloudCdnUploadResponse {
  /** CDN file id: hex string beginning 3057020100044b3049… */
  file_id: string;
  /** AES-128 key, 32 hex chars */
  aes_key: string;
  /** size of the plaintext in bytes */
  file_size: number;
  /** md5 of the plaintext (hex) */
  file_md5: string;
  /** size of the HD/original image */
  big_file_size?: number;
  thumb_file_size?: number;
  thumb_width?: number;
  thumb_height?: number;
  /** CRC32 of the plaintext (unsigned) */
  file_crc?: number;
  /** send_file.file_key; "" if none */
  file_key?: string;
}

/**
 * Upload a moments image from a URL (上传朋友圈类型图片) — request body.
 * `POST /cloud/cdn_upload_sns_image`, wrapper endpoint, instance scope.
 */
export interface CloudCdnUploadSnsImageRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** URL */
  url: string;
}

/**
 * Upload a moments image from a URL (上传朋友圈类型图片) — the `data` of the answer.
 * `POST /cloud/cdn_upload_sns_image`, wrapper endpoint, instance scope.
 */
export interface CloudCdnUploadSnsImageResponse {
  /** media URL to put in the TimelineObject */
  url?: string;
  thumb_url?: string;
  md5?: string;
  /** bytes */
  size?: number;
  /** wxgate: the CDN file id behind url */
  file_id?: string;
  /** wxgate: its AES key (32 hex chars) */
  aes_key?: string;
  width?: number;
  height?: number;
}

/**
 * Upload a moments video from a URL (上传朋友圈类型视频) — request body.
 * `POST /cloud/cdn_upload_sns_video`, wrapper endpoint, instance scope.
 */
export interface CloudCdnUploadSnsVideoRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** URL */
  url: string;
}

/**
 * Upload a moments video from a URL (上传朋友圈类型视频) — the `data` of the answer.
 * `POST /cloud/cdn_upload_sns_video`, wrapper endpoint, instance scope.
 */
export interface CloudCdnUploadSnsVideoResponse {
  /** media URL to put in the TimelineObject */
  url?: string;
  thumb_url?: string;
  md5?: string;
  /** bytes */
  size?: number;
  /** wxgate: the CDN file id behind url */
  file_id?: string;
  /** wxgate: its AES key (32 hex chars) */
  aes_key?: string;
  width?: number;
  height?: number;
}

/**
 * Download an image, video or file from the WeChat CDN (下载图片、视频或文件) — request body.
 * `POST /cloud/cdn_download`, wrapper endpoint, instance scope.
 */
export interface CloudCdnDownloadRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** 1 = original image, 2 = mid image, 3 = thumbnail, 4 = video, 5 = file & GIF (doc) */
  file_type: number;
  /** CDN file id (hex string starting 30..., from upload or from the message XML) */
  file_id: string;
  /** CDN AES key (32 hex chars) */
  aes_key: string;
  /** file size in bytes */
  file_size: number;
  /**
   * file name (for send_file: displayed name; for download APIs: name to save as)
   * @default ""
   */
  file_name?: string;
}

/**
 * Download an image, video or file from the WeChat CDN (下载图片、视频或文件) — the `data` of the answer.
 * `POST /cloud/cdn_download`, wrapper endpoint, instance scope.
 */
export interface CloudCdnDownloadResponse {
  /** where the decrypted file can be fetched */
  url?: string;
  /** the same, under the other name clients probe */
  download_url?: string;
  /** wxgate: the decrypted content itself, base64 */
  base64?: string;
  /** wxgate: size of the decrypted content in bytes */
  file_size?: number;
  /** wxgate: md5 of the decrypted content (hex) */
  file_md5?: string;
  /** wxgate: the file name the link serves the content under */
  file_name?: string;
  /** wxgate: unix seconds after which url stops working (call again for a new one) */
  expires_at?: number;
}

/**
 * Download a favorites (收藏) file or video (下载收藏类型的文件或视频) — request body.
 * `POST /cloud/cdn_download_fav`, wrapper endpoint, instance scope.
 */
export interface CloudCdnDownloadFavRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** 10001 = file or image, 10002 = video (doc) */
  file_type: number;
  /** CDN file id (hex string starting 30..., from upload or from the message XML) */
  file_id: string;
  /** CDN AES key (32 hex chars) */
  aes_key: string;
  /** file size in bytes */
  file_size: number;
  /**
   * file name (for send_file: displayed name; for download APIs: name to save as)
   * @default ""
   */
  file_name?: string;
}

/**
 * Download a favorites (收藏) file or video (下载收藏类型的文件或视频) — the `data` of the answer.
 * `POST /cloud/cdn_download_fav`, wrapper endpoint, instance scope.
 */
export interface CloudCdnDownloadFavResponse {
  /** where the decrypted file can be fetched */
  url?: string;
  /** the same, under the other name clients probe */
  download_url?: string;
  /** wxgate: the decrypted content itself, base64 */
  base64?: string;
  /** wxgate: size of the decrypted content in bytes */
  file_size?: number;
  /** wxgate: md5 of the decrypted content (hex) */
  file_md5?: string;
  /** wxgate: the file name the link serves the content under */
  file_name?: string;
  /** wxgate: unix seconds after which url stops working (call again for a new one) */
  expires_at?: number;
}

/**
 * Download a WeCom media file (下载企微媒体文件) — request body.
 * `POST /cloud/cdn_download_wwfile`, wrapper endpoint, instance scope.
 */
export interface CloudCdnDownloadWwfileRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** URL */
  url: string;
  /** WeCom media auth key */
  auth_key: string;
  /** CDN AES key (32 hex chars) */
  aes_key: string;
  /**
   * file name (for send_file: displayed name; for download APIs: name to save as)
   * @default ""
   */
  file_name?: string;
  /**
   * fast download switch
   * @default false
   */
  fast_download?: boolean;
}

/**
 * Download a WeCom media file (下载企微媒体文件) — the `data` of the answer.
 * `POST /cloud/cdn_download_wwfile`, wrapper endpoint, instance scope.
 */
export interface CloudCdnDownloadWwfileResponse {
  /** where the decrypted file can be fetched */
  url?: string;
  /** the same, under the other name clients probe */
  download_url?: string;
  /** wxgate: the decrypted content itself, base64 */
  base64?: string;
  /** wxgate: size of the decrypted content in bytes */
  file_size?: number;
  /** wxgate: md5 of the decrypted content (hex) */
  file_md5?: string;
  /** wxgate: the file name the link serves the content under */
  file_name?: string;
  /** wxgate: unix seconds after which url stops working (call again for a new one) */
  expires_at?: number;
}

/**
 * Download a voice message (下载语音) — request body.
 * `POST /cloud/download_voice`, wrapper endpoint, instance scope.
 */
export interface CloudDownloadVoiceRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** message id (server msg id / new_msg_id as string) */
  msg_id: string;
  /** voice length (ms, from <voicemsg voicelength>) */
  length: number;
  /**
   * chatroom id (xxx@chatroom)
   * @default ""
   */
  room_username?: string;
  /**
   * file name (for send_file: displayed name; for download APIs: name to save as)
   * @default ""
   */
  file_name?: string;
  /**
   * convert the silk voice to mp3
   * @default false
   */
  to_mp3?: boolean;
}

/**
 * Download a voice message (下载语音) — the `data` of the answer.
 * `POST /cloud/download_voice`, wrapper endpoint, instance scope.
 */
export interface CloudDownloadVoiceResponse {
  /** where the decrypted file can be fetched */
  url?: string;
  /** the same, under the other name clients probe */
  download_url?: string;
  /** wxgate: the decrypted content itself, base64 */
  base64?: string;
  /** wxgate: size of the decrypted content in bytes */
  file_size?: number;
  /** wxgate: md5 of the decrypted content (hex) */
  file_md5?: string;
  /** wxgate: the file name the link serves the content under */
  file_name?: string;
  /** wxgate: unix seconds after which url stops working (call again for a new one) */
  expires_at?: number;
}

/**
 * Download an encrypted WeChat emoji (下载微信加密表情) — request body.
 * `POST /cloud/download_wxemotion`, wrapper endpoint, instance scope.
 */
export interface CloudDownloadWxemotionRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** URL */
  url: string;
  /** CDN AES key (32 hex chars) */
  aes_key: string;
  /** file name (for send_file: displayed name; for download APIs: name to save as) */
  file_name: string;
}

/**
 * Download an encrypted WeChat emoji (下载微信加密表情) — the `data` of the answer.
 * `POST /cloud/download_wxemotion`, wrapper endpoint, instance scope.
 */
export interface CloudDownloadWxemotionResponse {
  /** where the decrypted file can be fetched */
  url?: string;
  /** the same, under the other name clients probe */
  download_url?: string;
  /** wxgate: the decrypted content itself, base64 */
  base64?: string;
  /** wxgate: size of the decrypted content in bytes */
  file_size?: number;
  /** wxgate: md5 of the decrypted content (hex) */
  file_md5?: string;
  /** wxgate: the file name the link serves the content under */
  file_name?: string;
  /** wxgate: unix seconds after which url stops working (call again for a new one) */
  expires_at?: number;
}

/**
 * Download a WeChat https image (private CDN) (微信图片下载 (私有化CDN)) — request body.
 * `POST /cloud/download_wx_image`, wrapper endpoint, cdn scope.
 */
export interface CloudDownloadWxImageRequest {
  /** from /cdn/get_cdn_info (refreshes every 3 hours) */
  base_request?: {
    cdn_info: string;
    client_version: number;
    device_type: string;
    username: string;
  };
  /** instance id (UUID): the credential of a guid-only private-CDN call when base_request is absent */
  guid?: string;
  /** enc_idx from the XML */
  enc_idx: string;
  /** file name (for send_file: displayed name; for download APIs: name to save as) */
  file_name: string;
  /** key from the XML */
  key: string;
  /** token from the XML */
  token: string;
  /** https://... image URL from the XML (doc: 微信图片（https://开头）) */
  url: string;
}

/**
 * Download a WeChat https image (private CDN) (微信图片下载 (私有化CDN)) — the `data` of the answer.
 * `POST /cloud/download_wx_image`, wrapper endpoint, cdn scope.
 */
export interface CloudDownloadWxImageResponse {
  /** where the decrypted file can be fetched */
  url?: string;
  /** the same, under the other name clients probe */
  download_url?: string;
  /** wxgate: the decrypted content itself, base64 */
  base64?: string;
  /** wxgate: size of the decrypted content in bytes */
  file_size?: number;
  /** wxgate: md5 of the decrypted content (hex) */
  file_md5?: string;
  /** wxgate: the file name the link serves the content under */
  file_name?: string;
  /** wxgate: unix seconds after which url stops working (call again for a new one) */
  expires_at?: number;
}

/**
 * Download a CDN file by its 30… file id (private CDN) (通用文件下载 (私有化CDN)) — request body.
 * `POST /cloud/download`, wrapper endpoint, cdn scope.
 */
export interface CloudDownloadRequest {
  /** CDN AES key (32 hex chars) */
  aes_key: string;
  /** from /cdn/get_cdn_info (refreshes every 3 hours) */
  base_request?: {
    cdn_info: string;
    client_version: number;
    device_type: string;
    username: string;
  };
  /** instance id (UUID): the credential of a guid-only private-CDN call when base_request is absent */
  guid?: string;
  /** file id starting with '30' (doc: 30开头的ID用这个下载) */
  file_id: string;
  /** file name (for send_file: displayed name; for download APIs: name to save as) */
  file_name: string;
  /** same enum as /cloud/cdn_download (MoreChat uses 1 HD image, 2 mid image, 4 video, 5 attachment) */
  file_type: number;
}

/**
 * Download a CDN file by its 30… file id (private CDN) (通用文件下载 (私有化CDN)) — the `data` of the answer.
 * `POST /cloud/download`, wrapper endpoint, cdn scope.
 */
export interface CloudDownloadResponse {
  /** where the decrypted file can be fetched */
  url?: string;
  /** the same, under the other name clients probe */
  download_url?: string;
  /** wxgate: the decrypted content itself, base64 */
  base64?: string;
  /** wxgate: size of the decrypted content in bytes */
  file_size?: number;
  /** wxgate: md5 of the decrypted content (hex) */
  file_md5?: string;
  /** wxgate: the file name the link serves the content under */
  file_name?: string;
  /** wxgate: unix seconds after which url stops working (call again for a new one) */
  expires_at?: number;
}

/**
 * Download and decrypt a WeChat video (private CDN) (微信视频下载 (私有化CDN)) — request body.
 * `POST /cloud/download_wx_video`, wrapper endpoint, cdn scope.
 */
export interface CloudDownloadWxVideoRequest {
  /** from /cdn/get_cdn_info (refreshes every 3 hours) */
  base_request?: {
    cdn_info: string;
    client_version: number;
    device_type: string;
    username: string;
  };
  /** instance id (UUID): the credential of a guid-only private-CDN call when base_request is absent */
  guid?: string;
  /** decode key of the WeChat video (from XML) */
  decode_key: string;
  /** file name (for send_file: displayed name; for download APIs: name to save as) */
  file_name: string;
  /** URL */
  url: string;
}

/**
 * Download and decrypt a WeChat video (private CDN) (微信视频下载 (私有化CDN)) — the `data` of the answer.
 * `POST /cloud/download_wx_video`, wrapper endpoint, cdn scope.
 */
export interface CloudDownloadWxVideoResponse {
  /** where the decrypted file can be fetched */
  url?: string;
  /** the same, under the other name clients probe */
  download_url?: string;
  /** wxgate: the decrypted content itself, base64 */
  base64?: string;
  /** wxgate: size of the decrypted content in bytes */
  file_size?: number;
  /** wxgate: md5 of the decrypted content (hex) */
  file_md5?: string;
  /** wxgate: the file name the link serves the content under */
  file_name?: string;
  /** wxgate: unix seconds after which url stops working (call again for a new one) */
  expires_at?: number;
}

/**
 * Download a WeCom file (private CDN) (WW文件下载 (私有化CDN)) — request body.
 * `POST /cloud/download_ww_file`, wrapper endpoint, cdn scope.
 */
export interface CloudDownloadWwFileRequest {
  /** CDN AES key (32 hex chars) */
  aes_key: string;
  /** WeCom media auth key */
  auth_key: string;
  /** from /cdn/get_cdn_info (refreshes every 3 hours) */
  base_request?: {
    cdn_info: string;
    client_version: number;
    device_type: string;
    username: string;
  };
  /** instance id (UUID): the credential of a guid-only private-CDN call when base_request is absent */
  guid?: string;
  /** file name (for send_file: displayed name; for download APIs: name to save as) */
  file_name: string;
  /** URL */
  url: string;
}

/**
 * Download a WeCom file (private CDN) (WW文件下载 (私有化CDN)) — the `data` of the answer.
 * `POST /cloud/download_ww_file`, wrapper endpoint, cdn scope.
 */
export interface CloudDownloadWwFileResponse {
  /** where the decrypted file can be fetched */
  url?: string;
  /** the same, under the other name clients probe */
  download_url?: string;
  /** wxgate: the decrypted content itself, base64 */
  base64?: string;
  /** wxgate: size of the decrypted content in bytes */
  file_size?: number;
  /** wxgate: md5 of the decrypted content (hex) */
  file_md5?: string;
  /** wxgate: the file name the link serves the content under */
  file_name?: string;
  /** wxgate: unix seconds after which url stops working (call again for a new one) */
  expires_at?: number;
}

/**
 * Download a favorites file (private CDN) (收藏文件下载 (私有化CDN)) — request body.
 * `POST /cloud/download_fav`, wrapper endpoint, cdn scope.
 */
export interface CloudDownloadFavRequest {
  /** CDN AES key (32 hex chars) */
  aes_key: string;
  /** from /cdn/get_cdn_info (refreshes every 3 hours) */
  base_request?: {
    cdn_info: string;
    client_version: number;
    device_type: string;
    username: string;
  };
  /** instance id (UUID): the credential of a guid-only private-CDN call when base_request is absent */
  guid?: string;
  /** CDN file id (hex string starting 30..., from upload or from the message XML) */
  file_id: string;
  /** file name (for send_file: displayed name; for download APIs: name to save as) */
  file_name: string;
  /** file size in bytes */
  file_size: number;
  /** media type enum (see media section) */
  file_type: number;
}

/**
 * Download a favorites file (private CDN) (收藏文件下载 (私有化CDN)) — the `data` of the answer.
 * `POST /cloud/download_fav`, wrapper endpoint, cdn scope.
 */
export interface CloudDownloadFavResponse {
  /** where the decrypted file can be fetched */
  url?: string;
  /** the same, under the other name clients probe */
  download_url?: string;
  /** wxgate: the decrypted content itself, base64 */
  base64?: string;
  /** wxgate: size of the decrypted content in bytes */
  file_size?: number;
  /** wxgate: md5 of the decrypted content (hex) */
  file_md5?: string;
  /** wxgate: the file name the link serves the content under */
  file_name?: string;
  /** wxgate: unix seconds after which url stops working (call again for a new one) */
  expires_at?: number;
}

/**
 * Download a WeChat emoji (private CDN) (微信表情下载 (私有化CDN)) — request body.
 * `POST /cloud/download_wx_emotion`, wrapper endpoint, cdn scope.
 */
export interface CloudDownloadWxEmotionRequest {
  /** CDN AES key (32 hex chars) */
  aes_key: string;
  /** from /cdn/get_cdn_info (refreshes every 3 hours) */
  base_request?: {
    cdn_info: string;
    client_version: number;
    device_type: string;
    username: string;
  };
  /** instance id (UUID): the credential of a guid-only private-CDN call when base_request is absent */
  guid?: string;
  /** file name (for send_file: displayed name; for download APIs: name to save as) */
  file_name: string;
  /** URL */
  url: string;
}

/**
 * Download a WeChat emoji (private CDN) (微信表情下载 (私有化CDN)) — the `data` of the answer.
 * `POST /cloud/download_wx_emotion`, wrapper endpoint, cdn scope.
 */
export interface CloudDownloadWxEmotionResponse {
  /** where the decrypted file can be fetched */
  url?: string;
  /** the same, under the other name clients probe */
  download_url?: string;
  /** wxgate: the decrypted content itself, base64 */
  base64?: string;
  /** wxgate: size of the decrypted content in bytes */
  file_size?: number;
  /** wxgate: md5 of the decrypted content (hex) */
  file_md5?: string;
  /** wxgate: the file name the link serves the content under */
  file_name?: string;
  /** wxgate: unix seconds after which url stops working (call again for a new one) */
  expires_at?: number;
}

/**
 * Upload a file from a URL (private CDN) (文件上传 (私有化CDN)) — request body.
 * `POST /cloud/upload`, wrapper endpoint, cdn scope.
 */
export interface CloudUploadRequest {
  /** from /cdn/get_cdn_info (refreshes every 3 hours) */
  base_request?: {
    cdn_info: string;
    client_version: number;
    device_type: string;
    username: string;
  };
  /** instance id (UUID): the credential of a guid-only private-CDN call when base_request is absent */
  guid?: string;
  /** media type enum (see media section) */
  file_type: number;
  /** URL */
  url: string;
}

/**
 * Upload a file from a URL (private CDN) (文件上传 (私有化CDN)) — the `data` of the answer.
 * `POST /cloud/upload`, wrapper endpoint, cdn scope.
 */
export interface CloudUploadResponse {
  /** CDN file id: hex string beginning 3057020100044b3049… */
  file_id: string;
  /** AES-128 key, 32 hex chars */
  aes_key: string;
  /** size of the plaintext in bytes */
  file_size: number;
  /** md5 of the plaintext (hex) */
  file_md5: string;
  /** size of the HD/original image */
  big_file_size?: number;
  thumb_file_size?: number;
  thumb_width?: number;
  thumb_height?: number;
  /** CRC32 of the plaintext (unsigned) */
  file_crc?: number;
  /** send_file.file_key; "" if none */
  file_key?: string;
}

/**
 * Upload a moments video from a URL (private CDN) (SNS视频上传 (私有化CDN)) — request body.
 * `POST /cloud/upload_sns_video`, wrapper endpoint, cdn scope.
 */
export interface CloudUploadSnsVideoRequest {
  /** from /cdn/get_cdn_info (refreshes every 3 hours) */
  base_request?: {
    cdn_info: string;
    client_version: number;
    device_type: string;
    username: string;
  };
  /** instance id (UUID): the credential of a guid-only private-CDN call when base_request is absent */
  guid?: string;
  /** URL */
  url: string;
}

/**
 * Upload a moments video from a URL (private CDN) (SNS视频上传 (私有化CDN)) — the `data` of the answer.
 * `POST /cloud/upload_sns_video`, wrapper endpoint, cdn scope.
 */
export interface CloudUploadSnsVideoResponse {
  /** media URL to put in the TimelineObject */
  url?: string;
  thumb_url?: string;
  md5?: string;
  /** bytes */
  size?: number;
  /** wxgate: the CDN file id behind url */
  file_id?: string;
  /** wxgate: its AES key (32 hex chars) */
  aes_key?: string;
  width?: number;
  height?: number;
}

/**
 * Upload a moments image from a URL (private CDN) (SNS图片上传 (私有化CDN)) — request body.
 * `POST /cloud/upload_sns_image`, wrapper endpoint, cdn scope.
 */
export interface CloudUploadSnsImageRequest {
  /** from /cdn/get_cdn_info (refreshes every 3 hours) */
  base_request?: {
    cdn_info: string;
    client_version: number;
    device_type: string;
    username: string;
  };
  /** instance id (UUID): the credential of a guid-only private-CDN call when base_request is absent */
  guid?: string;
  /** URL */
  url: string;
}

/**
 * Upload a moments image from a URL (private CDN) (SNS图片上传 (私有化CDN)) — the `data` of the answer.
 * `POST /cloud/upload_sns_image`, wrapper endpoint, cdn scope.
 */
export interface CloudUploadSnsImageResponse {
  /** media URL to put in the TimelineObject */
  url?: string;
  thumb_url?: string;
  md5?: string;
  /** bytes */
  size?: number;
  /** wxgate: the CDN file id behind url */
  file_id?: string;
  /** wxgate: its AES key (32 hex chars) */
  aes_key?: string;
  width?: number;
  height?: number;
}

/**
 * Upload a big video or file from a URL (private CDN) (大文件上传 (私有化CDN)) — request body.
 * `POST /cloud/upload_big`, wrapper endpoint, cdn scope.
 */
export interface CloudUploadBigRequest {
  /** from /cdn/get_cdn_info (refreshes every 3 hours) */
  base_request?: {
    cdn_info: string;
    client_version: number;
    device_type: string;
    username: string;
  };
  /** instance id (UUID): the credential of a guid-only private-CDN call when base_request is absent */
  guid?: string;
  /** 4 = big video, 7 = big file (doc) */
  file_type: number;
  /** URL */
  url: string;
}

/**
 * Upload a big video or file from a URL (private CDN) (大文件上传 (私有化CDN)) — the `data` of the answer.
 * `POST /cloud/upload_big`, wrapper endpoint, cdn scope.
 */
export interface CloudUploadBigResponse {
  /** CDN file id: hex string beginning 3057020100044b3049… */
  file_id: string;
  /** AES-128 key, 32 hex chars */
  aes_key: string;
  /** size of the plaintext in bytes */
  file_size: number;
  /** md5 of the plaintext (hex) */
  file_md5: string;
  /** size of the HD/original image */
  big_file_size?: number;
  thumb_file_size?: number;
  thumb_width?: number;
  thumb_height?: number;
  /** CRC32 of the plaintext (unsigned) */
  file_crc?: number;
  /** send_file.file_key; "" if none */
  file_key?: string;
}

/**
 * List all contact labels (获取所有标签) — request body.
 * `POST /label/get_contact_label_list`, raw endpoint, instance scope.
 */
export interface LabelGetContactLabelListRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * List all contact labels (获取所有标签) — WeChat's answer.
 * `POST /label/get_contact_label_list`, raw endpoint, instance scope.
 */
export interface LabelGetContactLabelListResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  labelCount: number;
  labelPairList: {
    labelName: string;
    labelId: number;
  }[];
}

/**
 * Create a contact label (新建标签) — request body.
 * `POST /label/add_contact_label`, raw endpoint, instance scope.
 */
export interface LabelAddContactLabelRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** label name */
  label_name: string;
}

/**
 * Create a contact label (新建标签) — WeChat's answer.
 * `POST /label/add_contact_label`, raw endpoint, instance scope.
 */
export interface LabelAddContactLabelResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  labelCount: number;
  labelPairList: {
    labelName: string;
    labelId: number;
  }[];
}

/**
 * Rename a contact label (修改标签) — request body.
 * `POST /label/update_contact_label`, raw endpoint, instance scope.
 */
export interface LabelUpdateContactLabelRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** label id (integer) */
  label_id: number;
  /** label name */
  label_name: string;
}

/**
 * Rename a contact label (修改标签) — WeChat's answer.
 * `POST /label/update_contact_label`, raw endpoint, instance scope.
 */
export interface LabelUpdateContactLabelResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Delete a contact label (删除标签) — request body.
 * `POST /label/del_contact_label`, raw endpoint, instance scope.
 */
export interface LabelDelContactLabelRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** label id (integer) */
  label_id: number;
}

/**
 * Delete a contact label (删除标签) — WeChat's answer.
 * `POST /label/del_contact_label`, raw endpoint, instance scope.
 */
export interface LabelDelContactLabelResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Set the labels of contacts (给联系人打标签) — request body.
 * `POST /label/modify_contact_label_list`, raw endpoint, instance scope.
 */
export interface LabelModifyContactLabelListRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** list of wxids / chatroom ids */
  username_list: string[];
  /** list of label ids */
  label_id_list: number[];
}

/**
 * Set the labels of contacts (给联系人打标签) — WeChat's answer.
 * `POST /label/modify_contact_label_list`, raw endpoint, instance scope.
 */
export interface LabelModifyContactLabelListResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * List the contacts that carry given labels (local store) (根据标签获取联系人 (本地存储)) — request body.
 * `POST /label/get_contacts`, wrapper endpoint, instance scope.
 */
export interface LabelGetContactsRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** list of label ids */
  label_id_list: number[];
}

/**
 * List the contacts that carry given labels (local store) (根据标签获取联系人 (本地存储)) — the `data` of the answer.
 * `POST /label/get_contacts`, wrapper endpoint, instance scope.
 */
export interface LabelGetContactsResponse {
  /** the contact's wxid */
  username: string;
  nickname: string;
  remark: string;
  alias: string;
  small_head_img_url: string;
  /** every label on the contact */
  label_id_list: number[];
}[]

/**
 * Count the contacts of each label (local store) (根据标签下关联联系人的数量 (本地存储)) — request body.
 * `POST /label/get_label_usage_amount`, wrapper endpoint, instance scope.
 */
export interface LabelGetLabelUsageAmountRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** list of label ids */
  label_id_list: number[];
}

/**
 * Count the contacts of each label (local store) (根据标签下关联联系人的数量 (本地存储)) — the `data` of the answer.
 * `POST /label/get_label_usage_amount`, wrapper endpoint, instance scope.
 */
export interface LabelGetLabelUsageAmountResponse {
  label_id?: number;
  /** contacts carrying the label */
  count?: number;
}[]

/**
 * List WeCom contacts (local store) (获取企微好友列表 (本地存储)) — request body.
 * `POST /openim/get_openim_friends`, wrapper endpoint, instance scope.
 */
export interface OpenimGetOpenimFriendsRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /**
   * page number (1-based)
   * @default 1
   */
  page_num?: number;
  /**
   * page size
   * @default 50
   */
  page_size?: number;
}

/**
 * List WeCom contacts (local store) (获取企微好友列表 (本地存储)) — the `data` of the answer.
 * `POST /openim/get_openim_friends`, wrapper endpoint, instance scope.
 */
export interface OpenimGetOpenimFriendsResponse {
  list?: Record<never, never>[];
  /** rows in all pages */
  total?: number;
}

/**
 * List WeCom rooms (local store) (获取企微群列表 (本地存储)) — request body.
 * `POST /openim/get_openim_rooms`, wrapper endpoint, instance scope.
 */
export interface OpenimGetOpenimRoomsRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /**
   * page number (1-based)
   * @default 1
   */
  page_num?: number;
  /**
   * page size
   * @default 50
   */
  page_size?: number;
}

/**
 * List WeCom rooms (local store) (获取企微群列表 (本地存储)) — the `data` of the answer.
 * `POST /openim/get_openim_rooms`, wrapper endpoint, instance scope.
 */
export interface OpenimGetOpenimRoomsResponse {
  list?: Record<never, never>[];
  /** rows in all pages */
  total?: number;
}

/**
 * List the members of a WeCom room (local store) (获取企微群群成员 (本地存储)) — request body.
 * `POST /openim/get_openim_room_members`, wrapper endpoint, instance scope.
 */
export interface OpenimGetOpenimRoomMembersRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /**
   * page number (1-based)
   * @default 1
   */
  page_num?: number;
  /**
   * page size
   * @default 50
   */
  page_size?: number;
}

/**
 * List the members of a WeCom room (local store) (获取企微群群成员 (本地存储)) — the `data` of the answer.
 * `POST /openim/get_openim_room_members`, wrapper endpoint, instance scope.
 */
export interface OpenimGetOpenimRoomMembersResponse {
  list?: Record<never, never>[];
  /** rows in all pages */
  total?: number;
}

/**
 * Get the info of a WeCom room (获取企微群信息) — request body.
 * `POST /openim/get_openim_room_detail`, raw endpoint, instance scope.
 */
export interface OpenimGetOpenimRoomDetailRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
}

/**
 * Get the info of a WeCom room (获取企微群信息) — WeChat's answer.
 * `POST /openim/get_openim_room_detail`, raw endpoint, instance scope.
 */
export interface OpenimGetOpenimRoomDetailResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Get the members of a WeCom room in detail (获取企微群成员信息) — request body.
 * `POST /openim/get_openim_room_member_detail`, raw endpoint, instance scope.
 */
export interface OpenimGetOpenimRoomMemberDetailRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** chatroom id (xxx@chatroom) */
  room_username: string;
  /**
   * member-list version (serverVersion from a previous call); 0 = full
   * @default 0
   */
  version?: number;
}

/**
 * Get the members of a WeCom room in detail (获取企微群成员信息) — WeChat's answer.
 * `POST /openim/get_openim_room_member_detail`, raw endpoint, instance scope.
 */
export interface OpenimGetOpenimRoomMemberDetailResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Get a WeCom contact in detail (获取企微联系人详细信息) — request body.
 * `POST /openim/get_openim_contact`, raw endpoint, instance scope.
 */
export interface OpenimGetOpenimContactRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** wxid / username of the target contact */
  username: string;
  /**
   * chatroom id (xxx@chatroom)
   * @default ""
   */
  room_username?: string;
  /**
   * verification ticket
   * @default ""
   */
  ticket?: string;
}

/**
 * Get a WeCom contact in detail (获取企微联系人详细信息) — WeChat's answer.
 * `POST /openim/get_openim_contact`, raw endpoint, instance scope.
 */
export interface OpenimGetOpenimContactResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** a WeCom (企微) contact seen from personal WeChat */
  contact: {
    /** the contact id (…@openim) */
    tpUsername: string;
    nickname: string;
    type: number;
    source: number;
    remark?: string;
    bigHeadimg?: string;
    smallHeadimg?: string;
    nicknamePyinit?: string;
    nicknameQuanpin?: string;
    remarkPyinit?: string;
    remarkQuanpin?: string;
    customInfo?: {
      detailVisible?: number;
      /** JSON string (company, title, …) */
      detail?: string;
    };
    appId?: string;
    sex?: number;
    /** pass to /openim/get_openim_resource as wording_id */
    descWordingId?: string;
    finderUsername?: string;
    flag?: string;
  };
}

/**
 * Get the company info of a WeCom contact (获取企微联系人企业信息) — request body.
 * `POST /openim/get_openim_resource`, raw endpoint, instance scope.
 */
export interface OpenimGetOpenimResourceRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** app id / mini-program appid */
  appid: string;
  /**
   * OpenIM wording id (descWordingId)
   * @default ""
   */
  wording_id?: string;
}

/**
 * Get the company info of a WeCom contact (获取企微联系人企业信息) — WeChat's answer.
 * `POST /openim/get_openim_resource`, raw endpoint, instance scope.
 */
export interface OpenimGetOpenimResourceResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Look up a WeCom contact by its QR-code URL (通过企微二维码查询联系人) — request body.
 * `POST /openim/search_openim_contact`, raw endpoint, instance scope.
 */
export interface OpenimSearchOpenimContactRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** WeCom QR-code URL */
  url: string;
}

/**
 * Look up a WeCom contact by its QR-code URL (通过企微二维码查询联系人) — WeChat's answer.
 * `POST /openim/search_openim_contact`, raw endpoint, instance scope.
 */
export interface OpenimSearchOpenimContactResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** ticket for adding the contact */
  ticket?: string;
}

/**
 * Delete a WeCom contact (删除企微联系人) — request body.
 * `POST /openim/del_openim_contact`, raw endpoint, instance scope.
 */
export interface OpenimDelOpenimContactRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** wxid / username of the target contact */
  username: string;
}

/**
 * Delete a WeCom contact (删除企微联系人) — WeChat's answer.
 * `POST /openim/del_openim_contact`, raw endpoint, instance scope.
 */
export interface OpenimDelOpenimContactResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Check whether a WeCom name card can still add contacts (检查企微联系人状态接口) — request body.
 * `POST /openim/check_openim_contact`, wrapper endpoint, instance scope.
 */
export interface OpenimCheckOpenimContactRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** link inside the WeCom QR name-card (doc); doc: 二维码名片里的链接 */
  url: string;
}

/**
 * Check whether a WeCom name card can still add contacts (检查企微联系人状态接口) — the `data` of the answer.
 * `POST /openim/check_openim_contact`, wrapper endpoint, instance scope.
 */
export interface OpenimCheckOpenimContactResponse {
  /** card state */
  status?: number;
}

/**
 * Mute or unmute a WeCom contact (修改企微联系人免打扰状态) — request body.
 * `POST /openim/modify_openim_disturb_flag`, raw endpoint, instance scope.
 */
export interface OpenimModifyOpenimDisturbFlagRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** wxid / username of the target contact */
  username: string;
  /** 0 = off, 1 = mute */
  status: number;
}

/**
 * Mute or unmute a WeCom contact (修改企微联系人免打扰状态) — WeChat's answer.
 * `POST /openim/modify_openim_disturb_flag`, raw endpoint, instance scope.
 */
export interface OpenimModifyOpenimDisturbFlagResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Pin or unpin a WeCom contact (修改企微联系人置顶状态) — request body.
 * `POST /openim/modify_openim_top_flag`, raw endpoint, instance scope.
 */
export interface OpenimModifyOpenimTopFlagRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** wxid / username of the target contact */
  username: string;
  /** 0 = unpin, 1 = pin (doc); doc: 0-取消置顶, 1-置顶 */
  status: number;
}

/**
 * Pin or unpin a WeCom contact (修改企微联系人置顶状态) — WeChat's answer.
 * `POST /openim/modify_openim_top_flag`, raw endpoint, instance scope.
 */
export interface OpenimModifyOpenimTopFlagResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Get the moments timeline (获取朋友圈动态) — request body.
 * `POST /sns/sns_timeline`, raw endpoint, instance scope.
 */
export interface SnsSnsTimelineRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /**
   * paging cursor: id of the last object of the previous page; '' for first page
   * @default ""
   */
  max_id?: string;
  /**
   * firstPageMd5 from the previous response (paging)
   * @default ""
   */
  first_page_md5?: string;
  /**
   * source type
   * @default 0
   */
  source_type?: number;
}

/**
 * Get the moments timeline (获取朋友圈动态) — WeChat's answer.
 * `POST /sns/sns_timeline`, raw endpoint, instance scope.
 */
export interface SnsSnsTimelineResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** pass back as first_page_md5 when paging */
  firstPageMd5: string;
  objectCount: number;
  objectList: {
    /** 64-bit post id as a decimal string */
    id: string;
    /** author wxid */
    username: string;
    nickname: string;
    /** unix seconds */
    createTime: number;
    /** SKBuiltinBuffer */
    objectDesc: {
      iLen: number;
      buffer?: string;
    };
    /** 1 if this account liked it */
    likeFlag: number;
    likeCount: number;
    likeUserList: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    commentCount: number;
    commentUserList: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    withUserCount: number;
    withUserList?: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    deleteFlag?: number;
    /** the author's view: how many the post was limited to */
    groupUserCount?: number;
    /** the author's view: whom the post was limited to */
    groupUser?: {
      string?: string;
    }[];
    /** the author's view: how many it is hidden from */
    blackListCount?: number;
    /** the author's view: whom it is hidden from */
    blackList?: {
      string?: string;
    }[];
  }[];
  newRequestTime?: number;
}

/**
 * Get a friend's moments (获取好友朋友圈动态) — request body.
 * `POST /sns/sns_userpage`, raw endpoint, instance scope.
 */
export interface SnsSnsUserpageRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** wxid / username of the target contact */
  username: string;
  /**
   * paging cursor: id of the last object of the previous page; '' for first page
   * @default ""
   */
  max_id?: string;
  /**
   * firstPageMd5 from the previous response (paging)
   * @default ""
   */
  first_page_md5?: string;
  /**
   * source type
   * @default 0
   */
  source_type?: number;
}

/**
 * Get a friend's moments (获取好友朋友圈动态) — WeChat's answer.
 * `POST /sns/sns_userpage`, raw endpoint, instance scope.
 */
export interface SnsSnsUserpageResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** pass back as first_page_md5 when paging */
  firstPageMd5: string;
  objectCount: number;
  objectList: {
    /** 64-bit post id as a decimal string */
    id: string;
    /** author wxid */
    username: string;
    nickname: string;
    /** unix seconds */
    createTime: number;
    /** SKBuiltinBuffer */
    objectDesc: {
      iLen: number;
      buffer?: string;
    };
    /** 1 if this account liked it */
    likeFlag: number;
    likeCount: number;
    likeUserList: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    commentCount: number;
    commentUserList: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    withUserCount: number;
    withUserList?: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    deleteFlag?: number;
    /** the author's view: how many the post was limited to */
    groupUserCount?: number;
    /** the author's view: whom the post was limited to */
    groupUser?: {
      string?: string;
    }[];
    /** the author's view: how many it is hidden from */
    blackListCount?: number;
    /** the author's view: whom it is hidden from */
    blackList?: {
      string?: string;
    }[];
  }[];
  objectTotalCount?: number;
}

/**
 * Post to moments (发布朋友圈) — request body.
 * `POST /sns/sns_post`, raw endpoint, instance scope.
 */
export interface SnsSnsPostRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** TimelineObject XML (base64 for non-text posts, per doc); <username> must be this account's wxid */
  object_desc: string;
  /**
   * wxids to @ (mention) in the post
   * @default []
   */
  with_user_list?: string[];
  /**
   * wxids that may not see the post
   * @default []
   */
  block_user_list?: string[];
  /**
   * wxids that may see the post
   * @default []
   */
  group_user_list?: string[];
  /**
   * label ids that may see the post
   * @default []
   */
  group_contact_tag_id_list?: number[];
  /**
   * label ids that may not see the post
   * @default []
   */
  black_contact_tag_id_list?: number[];
}

/**
 * Post to moments (发布朋友圈) — WeChat's answer.
 * `POST /sns/sns_post`, raw endpoint, instance scope.
 */
export interface SnsSnsPostResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** a moments post; objectDesc.buffer is its TimelineObject XML, base64 */
  snsObject: {
    /** 64-bit post id as a decimal string */
    id: string;
    /** author wxid */
    username: string;
    nickname: string;
    /** unix seconds */
    createTime: number;
    /** SKBuiltinBuffer */
    objectDesc: {
      iLen: number;
      buffer?: string;
    };
    /** 1 if this account liked it */
    likeFlag: number;
    likeCount: number;
    likeUserList: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    commentCount: number;
    commentUserList: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    withUserCount: number;
    withUserList?: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    deleteFlag?: number;
    /** the author's view: how many the post was limited to */
    groupUserCount?: number;
    /** the author's view: whom the post was limited to */
    groupUser?: {
      string?: string;
    }[];
    /** the author's view: how many it is hidden from */
    blackListCount?: number;
    /** the author's view: whom it is hidden from */
    blackList?: {
      string?: string;
    }[];
  };
}

/**
 * Get a moments post in detail (获取朋友圈动态详细信息) — request body.
 * `POST /sns/sns_object_detail`, raw endpoint, instance scope.
 */
export interface SnsSnsObjectDetailRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** finder/sns object id */
  object_id: string;
  /**
   * source type
   * @default 0
   */
  source_type?: number;
}

/**
 * Get a moments post in detail (获取朋友圈动态详细信息) — WeChat's answer.
 * `POST /sns/sns_object_detail`, raw endpoint, instance scope.
 */
export interface SnsSnsObjectDetailResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** a moments post; objectDesc.buffer is its TimelineObject XML, base64 */
  object: {
    /** 64-bit post id as a decimal string */
    id: string;
    /** author wxid */
    username: string;
    nickname: string;
    /** unix seconds */
    createTime: number;
    /** SKBuiltinBuffer */
    objectDesc: {
      iLen: number;
      buffer?: string;
    };
    /** 1 if this account liked it */
    likeFlag: number;
    likeCount: number;
    likeUserList: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    commentCount: number;
    commentUserList: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    withUserCount: number;
    withUserList?: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    deleteFlag?: number;
    /** the author's view: how many the post was limited to */
    groupUserCount?: number;
    /** the author's view: whom the post was limited to */
    groupUser?: {
      string?: string;
    }[];
    /** the author's view: how many it is hidden from */
    blackListCount?: number;
    /** the author's view: whom it is hidden from */
    blackList?: {
      string?: string;
    }[];
  };
}

/**
 * Comment on a moments post (评论) — request body.
 * `POST /sns/sns_comment`, raw endpoint, instance scope.
 */
export interface SnsSnsCommentRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** finder/sns object id */
  object_id: string;
  /** text content */
  content: string;
  /**
   * comment id being replied to; '0' = comment on the post
   * @default "0"
   */
  reply_comment_id?: string;
}

/**
 * Comment on a moments post (评论) — WeChat's answer.
 * `POST /sns/sns_comment`, raw endpoint, instance scope.
 */
export interface SnsSnsCommentResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** a moments post; objectDesc.buffer is its TimelineObject XML, base64 */
  snsObject: {
    /** 64-bit post id as a decimal string */
    id: string;
    /** author wxid */
    username: string;
    nickname: string;
    /** unix seconds */
    createTime: number;
    /** SKBuiltinBuffer */
    objectDesc: {
      iLen: number;
      buffer?: string;
    };
    /** 1 if this account liked it */
    likeFlag: number;
    likeCount: number;
    likeUserList: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    commentCount: number;
    commentUserList: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    withUserCount: number;
    withUserList?: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    deleteFlag?: number;
    /** the author's view: how many the post was limited to */
    groupUserCount?: number;
    /** the author's view: whom the post was limited to */
    groupUser?: {
      string?: string;
    }[];
    /** the author's view: how many it is hidden from */
    blackListCount?: number;
    /** the author's view: whom it is hidden from */
    blackList?: {
      string?: string;
    }[];
  };
}

/**
 * Delete a comment on a moments post (删除评论) — request body.
 * `POST /sns/sns_delete_comment`, raw endpoint, instance scope.
 */
export interface SnsSnsDeleteCommentRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** finder/sns object id */
  object_id: string;
  /** comment id */
  comment_id: string;
}

/**
 * Delete a comment on a moments post (删除评论) — WeChat's answer.
 * `POST /sns/sns_delete_comment`, raw endpoint, instance scope.
 */
export interface SnsSnsDeleteCommentResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Like or unlike a moments post (点赞/取消点赞) — request body.
 * `POST /sns/sns_like`, raw endpoint, instance scope.
 */
export interface SnsSnsLikeRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** finder/sns object id */
  object_id: string;
  /**
   * 0 = unlike, 1 = like (vendor CLI)
   * @default 0
   */
  status?: number;
}

/**
 * Like or unlike a moments post (点赞/取消点赞) — WeChat's answer.
 * `POST /sns/sns_like`, raw endpoint, instance scope.
 */
export interface SnsSnsLikeResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** a moments post; objectDesc.buffer is its TimelineObject XML, base64 */
  snsObject: {
    /** 64-bit post id as a decimal string */
    id: string;
    /** author wxid */
    username: string;
    nickname: string;
    /** unix seconds */
    createTime: number;
    /** SKBuiltinBuffer */
    objectDesc: {
      iLen: number;
      buffer?: string;
    };
    /** 1 if this account liked it */
    likeFlag: number;
    likeCount: number;
    likeUserList: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    commentCount: number;
    commentUserList: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    withUserCount: number;
    withUserList?: {
      /** wxid of the liker / commenter */
      username: string;
      nickname?: string;
      /** 1 like, 2 comment */
      type?: number;
      content?: string;
      /** unix seconds */
      createTime?: number;
      commentId?: number;
      replyCommentId?: number;
      replyUsername?: string;
      replyNickname?: string;
    }[];
    deleteFlag?: number;
    /** the author's view: how many the post was limited to */
    groupUserCount?: number;
    /** the author's view: whom the post was limited to */
    groupUser?: {
      string?: string;
    }[];
    /** the author's view: how many it is hidden from */
    blackListCount?: number;
    /** the author's view: whom it is hidden from */
    blackList?: {
      string?: string;
    }[];
  };
}

/**
 * Delete a moments post (删除朋友圈) — request body.
 * `POST /sns/sns_delete`, raw endpoint, instance scope.
 */
export interface SnsSnsDeleteRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** finder/sns object id */
  object_id: string;
}

/**
 * Delete a moments post (删除朋友圈) — WeChat's answer.
 * `POST /sns/sns_delete`, raw endpoint, instance scope.
 */
export interface SnsSnsDeleteResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
}

/**
 * Resolve a URL to its authorized full URL (GetA8Key) (取真实URL) — request body.
 * `POST /app/get_a8key`, raw endpoint, instance scope.
 */
export interface AppGetA8keyRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** URL to resolve (GetA8Key) */
  req_url: string;
  /**
   * GetA8Key scene (1 chat link, 2 Moments, …)
   * @default 1
   */
  scene?: number;
  /** client version (int) */
  client_version: number;
  /** device type string */
  device_type: string;
}

/**
 * Resolve a URL to its authorized full URL (GetA8Key) (取真实URL) — WeChat's answer.
 * `POST /app/get_a8key`, raw endpoint, instance scope.
 */
export interface AppGetA8keyResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** the resolved URL, with the A8 key appended */
  fullURL: string;
  a8Key: string;
  actionCode: number;
  title?: string;
  content?: string;
}

/**
 * Resolve an official-account URL to its authorized full URL (取真实URL) — request body.
 * `POST /app/mp_get_a8key`, raw endpoint, instance scope.
 */
export interface AppMpGetA8keyRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** URL to resolve (GetA8Key) */
  req_url: string;
  /**
   * GetA8Key scene (1 chat link, 2 Moments, …)
   * @default 1
   */
  scene?: number;
  /** client version (int) */
  client_version: number;
  /** device type string */
  device_type: string;
}

/**
 * Resolve an official-account URL to its authorized full URL (取真实URL) — WeChat's answer.
 * `POST /app/mp_get_a8key`, raw endpoint, instance scope.
 */
export interface AppMpGetA8keyResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** the resolved URL, with the A8 key appended */
  fullURL: string;
  a8Key: string;
  actionCode: number;
  title?: string;
  content?: string;
}

/**
 * Get a mini-program login code (wx.login) (小程序授权登录) — request body.
 * `POST /app/js_login`, raw endpoint, instance scope.
 */
export interface AppJsLoginRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** app id / mini-program appid */
  appid: string;
}

/**
 * Get a mini-program login code (wx.login) (小程序授权登录) — WeChat's answer.
 * `POST /app/js_login`, raw endpoint, instance scope.
 */
export interface AppJsLoginResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** the mini-program API result inside a WeChat response */
  jsapiBaseresponse: {
    /** 0 = ok */
    errcode: number;
    errmsg: string;
  };
  /** the wx.login code */
  code: string;
}

/**
 * Call a mini-program secure data API (小程序安全通讯) — request body.
 * `POST /app/js_operate_wxdata`, raw endpoint, instance scope.
 */
export interface AppJsOperateWxdataRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** app id / mini-program appid */
  appid: string;
  /**
   * JSON string payload for the mini-program call
   * @default ""
   */
  data?: string;
  /**
   * scope string
   * @default ""
   */
  grant_scope?: string;
}

/**
 * Call a mini-program secure data API (小程序安全通讯) — WeChat's answer.
 * `POST /app/js_operate_wxdata`, raw endpoint, instance scope.
 */
export interface AppJsOperateWxdataResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** the mini-program API result inside a WeChat response */
  jsapiBaseresponse: {
    /** 0 = ok */
    errcode: number;
    errmsg: string;
  };
  /** JSON string returned to the mini-program */
  data: string;
}

/**
 * Call a mini-program secure data API (VIP) (小程序安全通讯VIP) — request body.
 * `POST /app/js_operate_wxdata_vip`, raw endpoint, instance scope.
 */
export interface AppJsOperateWxdataVipRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** app id / mini-program appid */
  appid: string;
  /**
   * JSON string payload for the mini-program call
   * @default ""
   */
  data?: string;
  /**
   * scope string
   * @default ""
   */
  grant_scope?: string;
}

/**
 * Call a mini-program secure data API (VIP) (小程序安全通讯VIP) — WeChat's answer.
 * `POST /app/js_operate_wxdata_vip`, raw endpoint, instance scope.
 */
export interface AppJsOperateWxdataVipResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** the mini-program API result inside a WeChat response */
  jsapiBaseresponse: {
    /** 0 = ok */
    errcode: number;
    errmsg: string;
  };
  /** JSON string returned to the mini-program */
  data: string;
}

/**
 * Open a WeChat OAuth authorization (OAuth登录授权) — request body.
 * `POST /app/oauth_authorize`, raw endpoint, instance scope.
 */
export interface AppOauthAuthorizeRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** URL */
  url: string;
  /** wxid / username of the target contact */
  username: string;
  /**
   * OAuth scene (vendor default 7)
   * @default "7"
   */
  scene?: string;
}

/**
 * Open a WeChat OAuth authorization (OAuth登录授权) — WeChat's answer.
 * `POST /app/oauth_authorize`, raw endpoint, instance scope.
 */
export interface AppOauthAuthorizeResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  appname?: string;
  /** icon URL */
  appicon?: string;
  scopeList?: Record<never, never>[];
  /** set when already authorized */
  redirectUrl?: string;
}

/**
 * Confirm a WeChat OAuth authorization (OAuth登录授权确认) — request body.
 * `POST /app/oauth_authorize_confirm`, raw endpoint, instance scope.
 */
export interface AppOauthAuthorizeConfirmRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** URL */
  url: string;
  /** array of scopes, e.g. ["snsapi_userinfo"] / ["snsapi_login"] */
  scope: string[] | string;
  /**
   * avatar choice id
   * @default 0
   */
  avatar_id?: number;
  /**
   * operation (1 = confirm)
   * @default 1
   */
  opt?: number;
}

/**
 * Confirm a WeChat OAuth authorization (OAuth登录授权确认) — WeChat's answer.
 * `POST /app/oauth_authorize_confirm`, raw endpoint, instance scope.
 */
export interface AppOauthAuthorizeConfirmResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** callback URL carrying ?code=… */
  redirectUrl?: string;
}

/**
 * Open a website QR-login authorization (第三方网站扫码登录授权) — request body.
 * `POST /app/qrconnect_authorize`, raw endpoint, instance scope.
 */
export interface AppQrconnectAuthorizeRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** URL */
  url: string;
  /** wxid / username of the target contact */
  username: string;
  /**
   * OAuth scene (vendor default 7)
   * @default "7"
   */
  scene?: string;
}

/**
 * Open a website QR-login authorization (第三方网站扫码登录授权) — WeChat's answer.
 * `POST /app/qrconnect_authorize`, raw endpoint, instance scope.
 */
export interface AppQrconnectAuthorizeResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  appname?: string;
  /** icon URL */
  appicon?: string;
  scopeList?: Record<never, never>[];
  /** set when already authorized */
  redirectUrl?: string;
}

/**
 * Confirm a website QR-login authorization (第三方网站扫码登录授权确认) — request body.
 * `POST /app/qrconnect_authorize_confirm`, raw endpoint, instance scope.
 */
export interface AppQrconnectAuthorizeConfirmRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** URL */
  url: string;
  /** ["snsapi_login"] (doc) */
  scope: string[] | string;
  /**
   * avatar choice id
   * @default 0
   */
  avatar_id?: number;
  /**
   * operation (1 = confirm)
   * @default 1
   */
  opt?: number;
}

/**
 * Confirm a website QR-login authorization (第三方网站扫码登录授权确认) — WeChat's answer.
 * `POST /app/qrconnect_authorize_confirm`, raw endpoint, instance scope.
 */
export interface AppQrconnectAuthorizeConfirmResponse {
  /** WeChat BaseResponse */
  baseResponse: {
    ret: number;
    /** SKBuiltinString */
    errMsg: {
      string?: string;
    };
  };
  /** callback URL carrying ?code=… */
  redirectUrl?: string;
}

/**
 * Create a mini-program short link (生成小程序短链接) — request body.
 * `POST /app/create_wxa_short_link`, wrapper endpoint, instance scope.
 */
export interface AppCreateWxaShortLinkRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** app id / mini-program appid */
  appid: string;
  /**
   * mini-program page path
   * @default ""
   */
  page_path?: string;
  /**
   * page title
   * @default ""
   */
  page_title?: string;
}

/**
 * Create a mini-program short link (生成小程序短链接) — the `data` of the answer.
 * `POST /app/create_wxa_short_link`, wrapper endpoint, instance scope.
 */
export interface AppCreateWxaShortLinkResponse {
  /** the short link (#小程序://…) */
  link?: string;
  /** the same, under the other name clients probe */
  short_link?: string;
  /** the same page as an mp://… link (resolve_wxa_app_short_link) */
  app_link?: string;
}

/**
 * Resolve a #小程序:// short link (解析小程序短链接) — request body.
 * `POST /app/resolve_wxa_short_link`, wrapper endpoint, instance scope.
 */
export interface AppResolveWxaShortLinkRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** mini-program short link (#小程序://xxx/xxx or mp://xxx) */
  short_link: string;
}

/**
 * Resolve a #小程序:// short link (解析小程序短链接) — the `data` of the answer.
 * `POST /app/resolve_wxa_short_link`, wrapper endpoint, instance scope.
 */
export interface AppResolveWxaShortLinkResponse {
  /** mini-program appid */
  appid?: string;
  /** page path */
  path?: string;
  /** page title given when the link was created */
  title?: string;
}

/**
 * Resolve an mp:// short link (解析小程序短链接) — request body.
 * `POST /app/resolve_wxa_app_short_link`, wrapper endpoint, instance scope.
 */
export interface AppResolveWxaAppShortLinkRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** mini-program short link (#小程序://xxx/xxx or mp://xxx) */
  short_link: string;
}

/**
 * Resolve an mp:// short link (解析小程序短链接) — the `data` of the answer.
 * `POST /app/resolve_wxa_app_short_link`, wrapper endpoint, instance scope.
 */
export interface AppResolveWxaAppShortLinkResponse {
  /** mini-program appid */
  appid?: string;
  /** page path */
  path?: string;
  /** page title given when the link was created */
  title?: string;
}

/**
 * Transcribe a voice file from a URL (语音转文字) — request body.
 * `POST /other/voice_trans`, wrapper endpoint, instance scope.
 */
export interface OtherVoiceTransRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** URL */
  url: string;
  /** 1 = silk, 2 = mp3 (doc) */
  format: number;
  /**
   * block size for chunked transcription
   * @default 4096
   */
  block_size?: number;
}

/**
 * Transcribe a voice file from a URL (语音转文字) — the `data` of the answer.
 * `POST /other/voice_trans`, wrapper endpoint, instance scope.
 */
export interface OtherVoiceTransResponse {
  /** the transcribed text */
  text?: string;
}

/**
 * Transcribe a voice file sent in blocks (语音转文字分片) — request body.
 * `POST /other/voice_trans_block`, wrapper endpoint, instance scope.
 */
export interface OtherVoiceTransBlockRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** voice-transcription job id from /msg/new_trans_voice_id */
  voice_id: string;
  /** base64 block data */
  block_data: string;
  /** block sequence number */
  seq: number;
  /** block offset */
  offset: number;
  /** 1 on the last block */
  end_flag: number;
}

/**
 * Transcribe a voice file sent in blocks (语音转文字分片) — the `data` of the answer.
 * `POST /other/voice_trans_block`, wrapper endpoint, instance scope.
 */
export interface OtherVoiceTransBlockResponse {
  /** text so far */
  text?: string;
  /** 1 when the transcription is complete */
  end_flag?: number;
}

/**
 * Get the download address of the private-CDN package (获取私有化云存储文件) — request body.
 * `POST /cdn/get_cdn_file`, wrapper endpoint, app scope.
 */
export interface CdnGetCdnFileRequest {
  [key: string]: unknown;
}

/**
 * Get the download address of the private-CDN package (获取私有化云存储文件) — the `data` of the answer.
 * `POST /cdn/get_cdn_file`, wrapper endpoint, app scope.
 */
export interface CdnGetCdnFileResponse {
  /** download address of the private-CDN server package */
  url?: string;
}

/**
 * Get the CDN info that private-CDN calls take as base_request (获取cdn信息) — request body.
 * `POST /cdn/get_cdn_info`, wrapper endpoint, instance scope.
 */
export interface CdnGetCdnInfoRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Get the CDN info that private-CDN calls take as base_request (获取cdn信息) — the `data` of the answer.
 * `POST /cdn/get_cdn_info`, wrapper endpoint, instance scope.
 */
export interface CdnGetCdnInfoResponse {
  cdn_info: string;
  client_version: number;
  device_type: string;
  username: string;
}

/**
 * Create an app (tenant) and its credentials (创建应用) — request body.
 * `POST /admin/create_app`, wrapper endpoint, admin scope.
 */
export interface AdminCreateAppRequest {
  name: string;
  /** the response mode; default the server's WXGATE_RESPONSE_MODE (raw: the vendor's wire) */
  mode?: "standard" | "raw";
}

/**
 * Create an app (tenant) and its credentials (创建应用) — the `data` of the answer.
 * `POST /admin/create_app`, wrapper endpoint, admin scope.
 */
export interface AdminCreateAppResponse {
  app_key: string;
  /** shown once; only a hash is stored */
  app_secret: string;
  name: string;
  /** `raw` (the default): bodies as the hosted vendor service returns them, business failures HTTP 200 with the code in the body; `standard`: {code,message,errcode,errmsg,data} with the precise HTTP status (docs/errors.md) */
  mode: "standard" | "raw";
}

/**
 * List apps (never their secrets) (应用列表) — request body.
 * `POST /admin/list_apps`, wrapper endpoint, admin scope.
 */
export interface AdminListAppsRequest {
  [key: string]: unknown;
}

/**
 * List apps (never their secrets) (应用列表) — the `data` of the answer.
 * `POST /admin/list_apps`, wrapper endpoint, admin scope.
 */
export type AdminListAppsResponse = Array<{
  app_key: string;
  name: string;
  /** `raw` (the default): bodies as the hosted vendor service returns them, business failures HTTP 200 with the code in the body; `standard`: {code,message,errcode,errmsg,data} with the precise HTTP status (docs/errors.md) */
  mode: "standard" | "raw";
  disabled: boolean;
  /** unix seconds */
  created_at: number;
  instance_count: number;
}>;

/**
 * Disable an app: its calls answer APP_DISABLED until enabled again (停用应用) — request body.
 * `POST /admin/disable_app`, wrapper endpoint, admin scope.
 */
export interface AdminDisableAppRequest {
  /** the app to act on */
  app_key: string;
}

/**
 * Disable an app: its calls answer APP_DISABLED until enabled again (停用应用) — the `data` of the answer.
 * `POST /admin/disable_app`, wrapper endpoint, admin scope.
 */
export type AdminDisableAppResponse = Record<never, never>;

/**
 * Enable a disabled app (启用应用) — request body.
 * `POST /admin/enable_app`, wrapper endpoint, admin scope.
 */
export interface AdminEnableAppRequest {
  /** the app to act on */
  app_key: string;
}

/**
 * Enable a disabled app (启用应用) — the `data` of the answer.
 * `POST /admin/enable_app`, wrapper endpoint, admin scope.
 */
export type AdminEnableAppResponse = Record<never, never>;

/**
 * Issue a new app_secret; the old one stops working at once (重置应用密钥) — request body.
 * `POST /admin/rotate_app_secret`, wrapper endpoint, admin scope.
 */
export interface AdminRotateAppSecretRequest {
  /** the app to act on */
  app_key: string;
}

/**
 * Issue a new app_secret; the old one stops working at once (重置应用密钥) — the `data` of the answer.
 * `POST /admin/rotate_app_secret`, wrapper endpoint, admin scope.
 */
export interface AdminRotateAppSecretResponse {
  app_key: string;
  /** shown once; only a hash is stored */
  app_secret: string;
}

/**
 * Choose the response envelope of an app: standard or raw (vendor-exact) (设置响应模式) — request body.
 * `POST /admin/set_app_mode`, wrapper endpoint, admin scope.
 */
export interface AdminSetAppModeRequest {
  /** the app to act on */
  app_key: string;
  /** `raw` (the default): bodies as the hosted vendor service returns them, business failures HTTP 200 with the code in the body; `standard`: {code,message,errcode,errmsg,data} with the precise HTTP status (docs/errors.md) */
  mode: "standard" | "raw";
}

/**
 * Choose the response envelope of an app: standard or raw (vendor-exact) (设置响应模式) — the `data` of the answer.
 * `POST /admin/set_app_mode`, wrapper endpoint, admin scope.
 */
export type AdminSetAppModeResponse = Record<never, never>;

/**
 * Create a person in your app's simulated WeChat world (创建模拟用户) — request body.
 * `POST /sandbox/people/create`, wrapper endpoint, app scope.
 */
export interface SandboxPeopleCreateRequest {
  /** username; omitted = a new wxid_… */
  wxid?: string;
  /** WeChat id (微信号): 6–20 letters, digits, _ or -, starting with a letter */
  alias?: string;
  nickname?: string;
  /** 0 unknown, 1 male, 2 female */
  sex?: number;
  signature?: string;
  /** ISO code as WeChat sends it, e.g. CN */
  country?: string;
  province?: string;
  city?: string;
  /** phone number (digits, optional leading +) */
  phone?: string;
  /** QQ number */
  qq?: string;
  /** avatar URL (big and small) */
  avatar_url?: string;
  /**
   * whether adding this person needs their acceptance
   * @default true
   */
  needs_verification?: boolean;
  /** wxids of existing people to be friends with from the start */
  friends?: string[];
}

/**
 * Create a person in your app's simulated WeChat world (创建模拟用户) — the `data` of the answer.
 * `POST /sandbox/people/create`, wrapper endpoint, app scope.
 */
export interface SandboxPeopleCreateResponse {
  /** the username (wxid_ + 14 characters for new people) */
  wxid: string;
  /** the WeChat id (微信号) the person chose; "" if none */
  alias: string;
  nickname: string;
  /** 0 unknown, 1 male, 2 female */
  sex: number;
  signature: string;
  country: string;
  province: string;
  city: string;
  /** phone number to find the person by (search_scene 1); "" if none */
  phone: string;
  /** QQ number to find the person by (search_scene 3); "" if none */
  qq: string;
  big_head_img_url: string;
  small_head_img_url: string;
  /** false: anyone who adds this person becomes a friend at once (WeChat's 加我为朋友时需要验证 off) */
  needs_verification: boolean;
  /** `account`: has logged in on one of your instances; `simulated`: only ever acted through /sandbox/* */
  kind: "account" | "simulated";
  /** the instance this person is logged in on, "" when none */
  logged_in_guid: string;
  /** entries in this person's contact list */
  contact_count: number;
  /** unix seconds */
  created_at: number;
}

/**
 * List the people of your app's simulated world, oldest first (模拟用户列表) — request body.
 * `POST /sandbox/people/list`, wrapper endpoint, app scope.
 */
export interface SandboxPeopleListRequest {
  /** @default 0 */
  offset?: number;
  /** @default 100 */
  limit?: number;
}

/**
 * List the people of your app's simulated world, oldest first (模拟用户列表) — the `data` of the answer.
 * `POST /sandbox/people/list`, wrapper endpoint, app scope.
 */
export interface SandboxPeopleListResponse {
  /** people in the world */
  total: number;
  people: Array<{
    /** the username (wxid_ + 14 characters for new people) */
    wxid: string;
    /** the WeChat id (微信号) the person chose; "" if none */
    alias: string;
    nickname: string;
    /** 0 unknown, 1 male, 2 female */
    sex: number;
    signature: string;
    country: string;
    province: string;
    city: string;
    /** phone number to find the person by (search_scene 1); "" if none */
    phone: string;
    /** QQ number to find the person by (search_scene 3); "" if none */
    qq: string;
    big_head_img_url: string;
    small_head_img_url: string;
    /** false: anyone who adds this person becomes a friend at once (WeChat's 加我为朋友时需要验证 off) */
    needs_verification: boolean;
    /** `account`: has logged in on one of your instances; `simulated`: only ever acted through /sandbox/* */
    kind: "account" | "simulated";
    /** the instance this person is logged in on, "" when none */
    logged_in_guid: string;
    /** entries in this person's contact list */
    contact_count: number;
    /** unix seconds */
    created_at: number;
  }>;
}

/**
 * Act as the phone on an instance's login: scan the QR code, confirm, cancel, or confirm with device verification (模拟手机扫码登录) — request body.
 * `POST /sandbox/login/scan`, wrapper endpoint, instance scope.
 */
export interface SandboxLoginScanRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  action: "scan" | "confirm" | "cancel" | "verify";
  /** who holds the phone (scan only; must match the scanner afterwards); omitted on scan = a new person */
  wxid?: string;
}

/**
 * Act as the phone on an instance's login: scan the QR code, confirm, cancel, or confirm with device verification (模拟手机扫码登录) — the `data` of the answer.
 * `POST /sandbox/login/scan`, wrapper endpoint, instance scope.
 */
export interface SandboxLoginScanResponse {
  /** the QR state the instance now sees: 1 scanned, 2 confirmed, 4 cancelled */
  status: number;
  /** the login session */
  uuid: string;
  /** the person holding the phone */
  wxid: string;
  nick_name: string;
  /** verify: the code the phone shows, to pass to /login/verify_login_url */
  pin?: string;
  /** verify: the ticket carried by auth_url */
  ticket?: string;
}

/**
 * Send a friend request from one person to another, as the sender's phone (模拟发送好友请求) — request body.
 * `POST /sandbox/friend/request`, wrapper endpoint, app scope.
 */
export interface SandboxFriendRequestRequest {
  /** who sends the request */
  from_wxid: string;
  /** who receives it */
  to_wxid: string;
  /**
   * the greeting
   * @default ""
   */
  verify_content?: string;
  /**
   * add-friend scene: 3 WeChat id, 15 phone number, 14 room, 17 contact card, 30 QR code
   * @default 3
   */
  scene?: number;
}

/**
 * Send a friend request from one person to another, as the sender's phone (模拟发送好友请求) — the `data` of the answer.
 * `POST /sandbox/friend/request`, wrapper endpoint, app scope.
 */
export interface SandboxFriendRequestResponse {
  status: "pending" | "accepted";
  /** v3_…@stranger: the sender as the receiver sees them */
  encryptusername: string;
  /** v4_…@stranger: the request's ticket for /contact/verify_friend */
  ticket: string;
  scene: number;
  /** unix seconds after which the request can no longer be accepted */
  expired_time: number;
}

/**
 * Accept a pending friend request, as the receiver's phone (模拟通过好友请求) — request body.
 * `POST /sandbox/friend/accept`, wrapper endpoint, app scope.
 */
export interface SandboxFriendAcceptRequest {
  /** who sent the request */
  from_wxid: string;
  /** who accepts it */
  to_wxid: string;
}

/**
 * Accept a pending friend request, as the receiver's phone (模拟通过好友请求) — the `data` of the answer.
 * `POST /sandbox/friend/accept`, wrapper endpoint, app scope.
 */
export type SandboxFriendAcceptResponse = Record<never, never>;

/**
 * Delete a friend from one person's contact list, as their phone (one-sided, as in WeChat) (模拟删除好友) — request body.
 * `POST /sandbox/friend/delete`, wrapper endpoint, app scope.
 */
export interface SandboxFriendDeleteRequest {
  /** whose contact list changes */
  wxid: string;
  /** the friend to remove from it */
  contact_wxid: string;
}

/**
 * Delete a friend from one person's contact list, as their phone (one-sided, as in WeChat) (模拟删除好友) — the `data` of the answer.
 * `POST /sandbox/friend/delete`, wrapper endpoint, app scope.
 */
export type SandboxFriendDeleteResponse = Record<never, never>;

/**
 * Create a room as a person's phone (WeChat's rules: at least 2 others, all friends of the creator) (模拟用户创建群聊) — request body.
 * `POST /sandbox/room/create`, wrapper endpoint, app scope.
 */
export interface SandboxRoomCreateRequest {
  /** who creates the room (becomes its owner) */
  owner_wxid: string;
  /** the others: at least 2, all in the owner's contact list */
  member_wxids: string[];
  /**
   * the room name; "" = unnamed
   * @default ""
   */
  name?: string;
}

/**
 * Create a room as a person's phone (WeChat's rules: at least 2 others, all friends of the creator) (模拟用户创建群聊) — the `data` of the answer.
 * `POST /sandbox/room/create`, wrapper endpoint, app scope.
 */
export interface SandboxRoomCreateResponse {
  /** the new room id (…@chatroom) */
  room_username: string;
  member_count: number;
}

/**
 * Accept a room invitation (the card /room/invite_chatroom_member sent), as the invitee's phone (模拟接受群邀请) — request body.
 * `POST /sandbox/room/join`, wrapper endpoint, app scope.
 */
export interface SandboxRoomJoinRequest {
  /** the room id (…@chatroom) */
  room_username: string;
  /** the invitee */
  wxid: string;
}

/**
 * Accept a room invitation (the card /room/invite_chatroom_member sent), as the invitee's phone (模拟接受群邀请) — the `data` of the answer.
 * `POST /sandbox/room/join`, wrapper endpoint, app scope.
 */
export interface SandboxRoomJoinResponse {
  /** members after joining */
  member_count: number;
  /** who sent the invitation */
  inviter_wxid: string;
}

/**
 * Make a member an admin of a room (or no longer one), as the owner's phone (模拟群主设置群管理员) — request body.
 * `POST /sandbox/room/set_admin`, wrapper endpoint, app scope.
 */
export interface SandboxRoomSetAdminRequest {
  /** the room id (…@chatroom) */
  room_username: string;
  /** the owner (anyone else is refused) */
  wxid: string;
  /** the member to appoint or dismiss */
  member_wxid: string;
  /**
   * true appoints, false dismisses
   * @default true
   */
  admin?: boolean;
}

/**
 * Make a member an admin of a room (or no longer one), as the owner's phone (模拟群主设置群管理员) — the `data` of the answer.
 * `POST /sandbox/room/set_admin`, wrapper endpoint, app scope.
 */
export type SandboxRoomSetAdminResponse = Record<never, never>;

/**
 * Dissolve a room, as its owner's phone: every logged-in member gets 1045 RoomDisband (模拟群主解散群聊) — request body.
 * `POST /sandbox/room/dissolve`, wrapper endpoint, app scope.
 */
export interface SandboxRoomDissolveRequest {
  /** the room id (…@chatroom) */
  room_username: string;
  /** the owner (anyone else is refused) */
  wxid: string;
}

/**
 * Dissolve a room, as its owner's phone: every logged-in member gets 1045 RoomDisband (模拟群主解散群聊) — the `data` of the answer.
 * `POST /sandbox/room/dissolve`, wrapper endpoint, app scope.
 */
export interface SandboxRoomDissolveResponse {
  /** members the room had */
  members_removed: number;
}

/**
 * Post to Moments as a person's phone (模拟用户发朋友圈) — request body.
 * `POST /sandbox/sns/post`, wrapper endpoint, app scope.
 */
export interface SandboxSnsPostRequest {
  /** the author */
  wxid: string;
  /** text of a text post */
  content?: string;
  /** TimelineObject XML (plain or base64) instead of content */
  object_desc?: string;
  /** only these friends may see it */
  group_user_list?: string[];
  /** these friends may not see it */
  block_user_list?: string[];
  /** friends mentioned (提醒谁看) */
  with_user_list?: string[];
}

/**
 * Post to Moments as a person's phone (模拟用户发朋友圈) — the `data` of the answer.
 * `POST /sandbox/sns/post`, wrapper endpoint, app scope.
 */
export interface SandboxSnsPostResponse {
  /** the post id (64-bit, decimal) */
  object_id: string;
  /** unix seconds */
  create_time: number;
}

/**
 * Comment on a Moments post (or reply to a comment) as a person's phone (模拟用户评论朋友圈) — request body.
 * `POST /sandbox/sns/comment`, wrapper endpoint, app scope.
 */
export interface SandboxSnsCommentRequest {
  /** the commenter (must be able to see the post) */
  wxid: string;
  /** the post id */
  object_id: string;
  content: string;
  /**
   * the comment replied to; '0' = on the post
   * @default "0"
   */
  reply_comment_id?: string;
}

/**
 * Comment on a Moments post (or reply to a comment) as a person's phone (模拟用户评论朋友圈) — the `data` of the answer.
 * `POST /sandbox/sns/comment`, wrapper endpoint, app scope.
 */
export interface SandboxSnsCommentResponse {
  /** the new comment's id on the post */
  comment_id: number;
}

/**
 * Like (or unlike) a Moments post as a person's phone (模拟用户点赞朋友圈) — request body.
 * `POST /sandbox/sns/like`, wrapper endpoint, app scope.
 */
export interface SandboxSnsLikeRequest {
  /** who likes (must be able to see the post) */
  wxid: string;
  /** the post id */
  object_id: string;
  /**
   * 1 like, 0 unlike; repeating either changes nothing
   * @default 1
   */
  status?: number;
}

/**
 * Like (or unlike) a Moments post as a person's phone (模拟用户点赞朋友圈) — the `data` of the answer.
 * `POST /sandbox/sns/like`, wrapper endpoint, app scope.
 */
export interface SandboxSnsLikeResponse {
  /** likes on the post now */
  like_count: number;
}

/**
 * Make something go wrong on an instance's session, as it does on real WeChat (注入故障) — request body.
 * `POST /sandbox/faults/inject`, wrapper endpoint, instance scope.
 */
export interface SandboxFaultsInjectRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  fault: "logout" | "heartbeat_error" | "session_timeout" | "sync_failed" | "login_failed";
}

/**
 * Make something go wrong on an instance's session, as it does on real WeChat (注入故障) — the `data` of the answer.
 * `POST /sandbox/faults/inject`, wrapper endpoint, instance scope.
 */
export interface SandboxFaultsInjectResponse {
  /** the callbacks the fault produced, in order */
  notify_types: number[];
}

/**
 * Send a message as a person's phone: the same fields as the /msg endpoint named by `path` (模拟用户发消息) — request body.
 * `POST /sandbox/messages/send`, wrapper endpoint, app scope.
 */
export interface SandboxMessagesSendRequest {
  /** who sends */
  from_wxid: string;
  /** which send: the /msg endpoint whose fields `body` carries */
  path: "/msg/send_text" | "/msg/send_room_at" | "/msg/send_refer_msg" | "/msg/send_share_card" | "/msg/send_share_card_raw" | "/msg/send_location" | "/msg/send_pat" | "/msg/send_link_card_cdn" | "/msg/send_app_msg" | "/msg/send_mini_app" | "/msg/send_finder_video" | "/msg/send_emoji" | "/msg/send_emoji_url" | "/msg/send_emoji_md5";
  /** the fields of that endpoint, without guid (e.g. {"to_username": "wxid_…", "content": "hi"}) */
  body: {
    [key: string]: unknown;
  };
}

/**
 * Send a message as a person's phone: the same fields as the /msg endpoint named by `path` (模拟用户发消息) — the `data` of the answer.
 * `POST /sandbox/messages/send`, wrapper endpoint, app scope.
 */
export interface SandboxMessagesSendResponse {
  /** archive order (paging cursor) */
  seq: number;
  /** newMsgId / the callback msg_id */
  msg_id: string;
  /** the sender */
  from_username: string;
  /** the peer, filehelper, or the room id */
  to_username: string;
  /** the room id for group messages, else "" */
  chatroom: string;
  msg_type: number;
  /** appmsg <type> of msg_type 49, else 0 */
  app_type: number;
  /** as receivers get it (no wxid:\n prefix) */
  content: string;
  /** <msgsource> XML */
  source: string;
  /** push text with the sender's nickname */
  desc: string;
  /** unix seconds */
  create_time: number;
  /** the sender took it back */
  revoked: boolean;
  /** for a revoke notice (10002): the msg_id it revoked; else "" */
  revokes_msg_id: string;
  /** received by the person listed and after their read mark */
  unread: boolean;
}

/**
 * Send an image, video, file, emoji or voice as a person's phone (the content goes to the CDN first) (模拟用户发送图片、视频、文件、表情或语音) — request body.
 * `POST /sandbox/messages/send_media`, wrapper endpoint, app scope.
 */
export interface SandboxMessagesSendMediaRequest {
  /** who sends */
  from_wxid: string;
  /** to whom: a wxid or a room id */
  to_username: string;
  kind: "image" | "video" | "file" | "emoji" | "voice";
  /** the content: http(s) URL, data: URL or base64 (optional for voice) */
  url?: string;
  /** shown name of a file */
  file_name?: string;
  /**
   * length of a generated voice tone
   * @default 2000
   */
  duration_ms?: number;
}

/**
 * Send an image, video, file, emoji or voice as a person's phone (the content goes to the CDN first) (模拟用户发送图片、视频、文件、表情或语音) — the `data` of the answer.
 * `POST /sandbox/messages/send_media`, wrapper endpoint, app scope.
 */
export interface SandboxMessagesSendMediaResponse {
  /** archive order (paging cursor) */
  seq: number;
  /** newMsgId / the callback msg_id */
  msg_id: string;
  /** the sender */
  from_username: string;
  /** the peer, filehelper, or the room id */
  to_username: string;
  /** the room id for group messages, else "" */
  chatroom: string;
  msg_type: number;
  /** appmsg <type> of msg_type 49, else 0 */
  app_type: number;
  /** as receivers get it (no wxid:\n prefix) */
  content: string;
  /** <msgsource> XML */
  source: string;
  /** push text with the sender's nickname */
  desc: string;
  /** unix seconds */
  create_time: number;
  /** the sender took it back */
  revoked: boolean;
  /** for a revoke notice (10002): the msg_id it revoked; else "" */
  revokes_msg_id: string;
  /** received by the person listed and after their read mark */
  unread: boolean;
}

/**
 * Revoke a message a person sent (within WeChat's 2 minutes), as their phone (模拟用户撤回消息) — request body.
 * `POST /sandbox/messages/revoke`, wrapper endpoint, app scope.
 */
export interface SandboxMessagesRevokeRequest {
  /** who sent the message */
  wxid: string;
  /** the chat it was sent to (peer wxid or room id) */
  to_username: string;
  /** its msg_id (newMsgId) */
  msg_id: string;
}

/**
 * Revoke a message a person sent (within WeChat's 2 minutes), as their phone (模拟用户撤回消息) — the `data` of the answer.
 * `POST /sandbox/messages/revoke`, wrapper endpoint, app scope.
 */
export interface SandboxMessagesRevokeResponse {
  /** archive order (paging cursor) */
  seq: number;
  /** newMsgId / the callback msg_id */
  msg_id: string;
  /** the sender */
  from_username: string;
  /** the peer, filehelper, or the room id */
  to_username: string;
  /** the room id for group messages, else "" */
  chatroom: string;
  msg_type: number;
  /** appmsg <type> of msg_type 49, else 0 */
  app_type: number;
  /** as receivers get it (no wxid:\n prefix) */
  content: string;
  /** <msgsource> XML */
  source: string;
  /** push text with the sender's nickname */
  desc: string;
  /** unix seconds */
  create_time: number;
  /** the sender took it back */
  revoked: boolean;
  /** for a revoke notice (10002): the msg_id it revoked; else "" */
  revokes_msg_id: string;
  /** received by the person listed and after their read mark */
  unread: boolean;
}

/**
 * Read a person's messages (what instances sent them, what they sent), oldest first; consumes nothing (查看模拟用户的消息) — request body.
 * `POST /sandbox/messages/list`, wrapper endpoint, app scope.
 */
export interface SandboxMessagesListRequest {
  /** whose messages */
  wxid: string;
  /** one conversation: the other person's wxid, filehelper or a room id */
  talker?: string;
  /**
   * only messages after this archive seq (paging)
   * @default 0
   */
  after_seq?: number;
  /** @default 100 */
  limit?: number;
}

/**
 * Read a person's messages (what instances sent them, what they sent), oldest first; consumes nothing (查看模拟用户的消息) — the `data` of the answer.
 * `POST /sandbox/messages/list`, wrapper endpoint, app scope.
 */
export interface SandboxMessagesListResponse {
  messages: {
    /** archive order (paging cursor) */
    seq: number;
    /** newMsgId / the callback msg_id */
    msg_id: string;
    /** the sender */
    from_username: string;
    /** the peer, filehelper, or the room id */
    to_username: string;
    /** the room id for group messages, else "" */
    chatroom: string;
    msg_type: number;
    /** appmsg <type> of msg_type 49, else 0 */
    app_type: number;
    /** as receivers get it (no wxid:\n prefix) */
    content: string;
    /** <msgsource> XML */
    source: string;
    /** push text with the sender's nickname */
    desc: string;
    /** unix seconds */
    create_time: number;
    /** the sender took it back */
    revoked: boolean;
    /** for a revoke notice (10002): the msg_id it revoked; else "" */
    revokes_msg_id: string;
    /** received by the person listed and after their read mark */
    unread: boolean;
  }[];
  /** pass as after_seq for the next page */
  next_seq: number;
}

/**
 * Make WeChat's risk control stop a person from sending messages for a while (0 lifts it) (模拟风控限制发消息) — request body.
 * `POST /sandbox/messages/restrict`, wrapper endpoint, app scope.
 */
export interface SandboxMessagesRestrictRequest {
  /** whose sending is restricted */
  wxid: string;
  /** how long from now; 0 lifts the restriction */
  seconds: number;
}

/**
 * Make WeChat's risk control stop a person from sending messages for a while (0 lifts it) (模拟风控限制发消息) — the `data` of the answer.
 * `POST /sandbox/messages/restrict`, wrapper endpoint, app scope.
 */
export interface SandboxMessagesRestrictResponse {
  /** unix seconds the restriction ends; 0 = none */
  until: number;
}

/**
 * Register a mini-program in your app's simulated world (for /app/js_login, js_operate_wxdata, short links) (创建模拟小程序) — request body.
 * `POST /sandbox/apps/create_mini_program`, wrapper endpoint, app scope.
 */
export interface SandboxAppsCreateMiniProgramRequest {
  /** wx + 16 hex digits; omitted = a new one */
  appid?: string;
  /** the mini-program's name (shown in #小程序:// links) */
  name: string;
  /** @default "" */
  icon_url?: string;
  /** page paths; the first is the home page (default ["pages/index/index"]) */
  pages?: string[];
}

/**
 * Register a mini-program in your app's simulated world (for /app/js_login, js_operate_wxdata, short links) (创建模拟小程序) — the `data` of the answer.
 * `POST /sandbox/apps/create_mini_program`, wrapper endpoint, app scope.
 */
export interface SandboxAppsCreateMiniProgramResponse {
  /** app id / mini-program appid */
  appid: string;
  name: string;
  pages: string[];
}

/**
 * Register an OAuth web app (official-account web page or website QR login) in your app's simulated world (创建模拟OAuth应用) — request body.
 * `POST /sandbox/apps/create_oauth_app`, wrapper endpoint, app scope.
 */
export interface SandboxAppsCreateOauthAppRequest {
  /** wx + 16 hex digits; omitted = a new one */
  appid?: string;
  name: string;
  /** @default "" */
  icon_url?: string;
  /** the registered redirect URI; its host is the authorized domain (授权回调域) */
  redirect_uri: string;
  /** scopes the app may ask for (default all three) */
  scopes?: Array<"snsapi_base" | "snsapi_userinfo" | "snsapi_login">;
}

/**
 * Register an OAuth web app (official-account web page or website QR login) in your app's simulated world (创建模拟OAuth应用) — the `data` of the answer.
 * `POST /sandbox/apps/create_oauth_app`, wrapper endpoint, app scope.
 */
export interface SandboxAppsCreateOauthAppResponse {
  /** app id / mini-program appid */
  appid: string;
  name: string;
  redirect_uri: string;
  scopes: string[];
}

/**
 * Redeem a /app/js_login code as the mini-program's server would (jscode2session); each code works once (模拟小程序服务端换取openid) — request body.
 * `POST /sandbox/apps/jscode2session`, wrapper endpoint, app scope.
 */
export interface SandboxAppsJscode2sessionRequest {
  /** the mini-program the code was issued for */
  appid: string;
  /** the code /app/js_login answered */
  js_code: string;
}

/**
 * Redeem a /app/js_login code as the mini-program's server would (jscode2session); each code works once (模拟小程序服务端换取openid) — the `data` of the answer.
 * `POST /sandbox/apps/jscode2session`, wrapper endpoint, app scope.
 */
export interface SandboxAppsJscode2sessionResponse {
  /** stable per mini-program and person */
  openid: string;
  /** stable per person in your app's world */
  unionid: string;
  /** a new session key (base64) */
  session_key: string;
}

/**
 * Redeem an OAuth code (from a confirm's redirect URL) as the app's server would (sns/oauth2/access_token); each code works once (模拟网页授权换取openid) — request body.
 * `POST /sandbox/apps/oauth_access_token`, wrapper endpoint, app scope.
 */
export interface SandboxAppsOauthAccessTokenRequest {
  /** the app the code was issued for */
  appid: string;
  /** the code of the redirect URL */
  code: string;
}

/**
 * Redeem an OAuth code (from a confirm's redirect URL) as the app's server would (sns/oauth2/access_token); each code works once (模拟网页授权换取openid) — the `data` of the answer.
 * `POST /sandbox/apps/oauth_access_token`, wrapper endpoint, app scope.
 */
export interface SandboxAppsOauthAccessTokenResponse {
  /** stable per app and person */
  openid: string;
  /** stable per person in your app's world */
  unionid: string;
  /** the granted scopes, comma-separated */
  scope: string;
  access_token: string;
  /** seconds */
  expires_in: number;
}

/**
 * Create a WeCom (企业微信) corporation in your app's simulated world (创建模拟企业) — request body.
 * `POST /sandbox/openim/create_corp`, wrapper endpoint, app scope.
 */
export interface SandboxOpenimCreateCorpRequest {
  /** short name, shown after its people's nicknames (@name) */
  name: string;
  /** verified full name (the resource wording); default = name */
  full_name?: string;
}

/**
 * Create a WeCom (企业微信) corporation in your app's simulated world (创建模拟企业) — the `data` of the answer.
 * `POST /sandbox/openim/create_corp`, wrapper endpoint, app scope.
 */
export interface SandboxOpenimCreateCorpResponse {
  /** the corporation (for /sandbox/openim/create_person) */
  corp_id: string;
  /** its OpenIM resource appid (a contact's appId; get_openim_resource appid) */
  appid: string;
  /** its wording id (a contact's descWordingId; get_openim_resource wording_id) */
  wording_id: string;
}

/**
 * Create a WeCom person of a corporation (an …@openim username with a contact-card QR URL) (创建模拟企微用户) — request body.
 * `POST /sandbox/openim/create_person`, wrapper endpoint, app scope.
 */
export interface SandboxOpenimCreatePersonRequest {
  /** from /sandbox/openim/create_corp */
  corp_id: string;
  nickname: string;
  /**
   * real name (实名)
   * @default ""
   */
  real_name?: string;
  /**
   * job title (职务)
   * @default ""
   */
  position?: string;
  /** @default 0 */
  sex?: number;
  avatar_url?: string;
  /**
   * the contact card is blocked (封了): nobody can add them through it
   * @default false
   */
  card_blocked?: boolean;
}

/**
 * Create a WeCom person of a corporation (an …@openim username with a contact-card QR URL) (创建模拟企微用户) — the `data` of the answer.
 * `POST /sandbox/openim/create_person`, wrapper endpoint, app scope.
 */
export interface SandboxOpenimCreatePersonResponse {
  /** the WeCom person (…@openim); send as them with /sandbox/messages/send from_wxid */
  username: string;
  /** their contact card's QR URL (search_openim_contact url) */
  qr_url: string;
  corp_id: string;
}

/**
 * Add a WeCom contact, as an account's phone (the undocumented AddOpenImContact: username + ticket of search_openim_contact) (模拟添加企微联系人) — request body.
 * `POST /sandbox/openim/add_contact`, wrapper endpoint, app scope.
 */
export interface SandboxOpenimAddContactRequest {
  /** the account (or any person) adding */
  wxid: string;
  /** the WeCom person (…@openim) */
  username: string;
  /** the ticket /openim/search_openim_contact answered to this account */
  ticket: string;
}

/**
 * Add a WeCom contact, as an account's phone (the undocumented AddOpenImContact: username + ticket of search_openim_contact) (模拟添加企微联系人) — the `data` of the answer.
 * `POST /sandbox/openim/add_contact`, wrapper endpoint, app scope.
 */
export interface SandboxOpenimAddContactResponse {
  /** false when they already were a contact */
  added: boolean;
}

/**
 * Create an OpenIM room (external group, …@im.chatroom) owned by a WeCom person, with WeChat and WeCom members (模拟创建企微外部群) — request body.
 * `POST /sandbox/openim/room_create`, wrapper endpoint, app scope.
 */
export interface SandboxOpenimRoomCreateRequest {
  /** the WeCom person who owns it (…@openim) */
  owner_username: string;
  /** wxids and …@openim usernames */
  member_usernames: string[];
  /** @default "" */
  name?: string;
}

/**
 * Create an OpenIM room (external group, …@im.chatroom) owned by a WeCom person, with WeChat and WeCom members (模拟创建企微外部群) — the `data` of the answer.
 * `POST /sandbox/openim/room_create`, wrapper endpoint, app scope.
 */
export interface SandboxOpenimRoomCreateResponse {
  /** the new room (…@im.chatroom) */
  room_username: string;
  member_count: number;
  /** member-list version */
  version: number;
}

/**
 * A person (wxid or …@openim) joins an OpenIM room (模拟加入企微外部群) — request body.
 * `POST /sandbox/openim/room_join`, wrapper endpoint, app scope.
 */
export interface SandboxOpenimRoomJoinRequest {
  /** the room (…@im.chatroom) */
  room_username: string;
  /** a wxid or …@openim username */
  username: string;
}

/**
 * A person (wxid or …@openim) joins an OpenIM room (模拟加入企微外部群) — the `data` of the answer.
 * `POST /sandbox/openim/room_join`, wrapper endpoint, app scope.
 */
export interface SandboxOpenimRoomJoinResponse {
  member_count: number;
  /** member-list version after the change */
  version: number;
}

/**
 * A member (wxid or …@openim) leaves an OpenIM room (模拟退出企微外部群) — request body.
 * `POST /sandbox/openim/room_leave`, wrapper endpoint, app scope.
 */
export interface SandboxOpenimRoomLeaveRequest {
  /** the room (…@im.chatroom) */
  room_username: string;
  /** a member's wxid or …@openim username */
  username: string;
}

/**
 * A member (wxid or …@openim) leaves an OpenIM room (模拟退出企微外部群) — the `data` of the answer.
 * `POST /sandbox/openim/room_leave`, wrapper endpoint, app scope.
 */
export interface SandboxOpenimRoomLeaveResponse {
  member_count: number;
  /** member-list version after the change */
  version: number;
}

/**
 * Empty your app's simulated world: every person, contact and request; logged-in instances are logged out (重置模拟世界) — request body.
 * `POST /sandbox/world/reset`, wrapper endpoint, app scope.
 */
export type SandboxWorldResetRequest = Record<string, never>;

/**
 * Empty your app's simulated world: every person, contact and request; logged-in instances are logged out (重置模拟世界) — the `data` of the answer.
 * `POST /sandbox/world/reset`, wrapper endpoint, app scope.
 */
export interface SandboxWorldResetResponse {
  people_removed: number;
  /** instances that were logged in (each got a 1004) */
  logged_out: string[];
}

/**
 * List an instance's events after a sequence number, with their webhook state (事件列表) — request body.
 * `POST /events/list`, wrapper endpoint, instance scope.
 */
export interface EventsListRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** @default 0 */
  after_sn?: number;
  /** @default 100 */
  limit?: number;
  notify_type?: number;
}

/**
 * List an instance's events after a sequence number, with their webhook state (事件列表) — the `data` of the answer.
 * `POST /events/list`, wrapper endpoint, instance scope.
 */
export interface EventsListResponse {
  events: Array<{
    /** stable across retries and replays: the webhook-id header */
    event_id: string;
    /** per-instance sequence number, strictly increasing (x-wxgate-sn) */
    sn: number;
    guid: string;
    notify_type: number;
    /** the callback data exactly as delivered */
    data: unknown;
    /** unix seconds */
    created_at: number;
    /** left out of delivery by the instance's filters */
    filtered: boolean;
    webhook: {
      /** pending: waiting for (another) attempt; delivered: a 2xx came back; failed: the retry schedule is exhausted (replayable); skipped: filtered out or no notify_url */
      state: "pending" | "delivered" | "failed" | "skipped";
      attempts: number;
      /** unix ms of the next attempt while pending */
      next_attempt_at: number | null;
    };
  }>;
  /** the instance's newest sn */
  last_sn: number;
}

/**
 * Read the instance's message archive: what its account sent and received, oldest first (消息存档) — request body.
 * `POST /events/messages`, wrapper endpoint, instance scope.
 */
export interface EventsMessagesRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** one conversation only: the peer's wxid or the room id */
  talker?: string;
  /**
   * only messages after this seq (paging)
   * @default 0
   */
  after_seq?: number;
  /** @default 100 */
  limit?: number;
}

/**
 * Read the instance's message archive: what its account sent and received, oldest first (消息存档) — the `data` of the answer.
 * `POST /events/messages`, wrapper endpoint, instance scope.
 */
export interface EventsMessagesResponse {
  messages: Array<{
    /** sender wxid; the room id for group messages */
    from_username: string;
    to_username: string;
    /**
     * real sender in groups, else ""
     * @default ""
     */
    chatroom_sender: string;
    /** unix seconds */
    create_time: number;
    /** @default "" */
    desc: string;
    /** 64-bit server id as a decimal string */
    msg_id: string;
    msg_type: number;
    /** @default "" */
    chatroom: string;
    /**
     * <msgsource> XML
     * @default ""
     */
    source: string;
    content: string;
    /** 1 in groups, else 0 */
    is_chatroom_msg: number;
    /** archive order (paging cursor: pass the last one as after_seq) */
    seq: number;
    /** out: this account sent it */
    direction: "in" | "out";
    /** the sender took it back (the revoke notice is archived too) */
    revoked: boolean;
  }>;
  /** pass as after_seq for the next page; equals after_seq when nothing newer exists */
  next_seq: number;
}

/**
 * List the webhook delivery attempts of one event (投递记录) — request body.
 * `POST /events/attempts`, wrapper endpoint, instance scope.
 */
export interface EventsAttemptsRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  event_id: string;
}

/**
 * List the webhook delivery attempts of one event (投递记录) — the `data` of the answer.
 * `POST /events/attempts`, wrapper endpoint, instance scope.
 */
export interface EventsAttemptsResponse {
  event: {
    /** stable across retries and replays: the webhook-id header */
    event_id: string;
    /** per-instance sequence number, strictly increasing (x-wxgate-sn) */
    sn: number;
    guid: string;
    notify_type: number;
    /** the callback data exactly as delivered */
    data: unknown;
    /** unix seconds */
    created_at: number;
    /** left out of delivery by the instance's filters */
    filtered: boolean;
    webhook: {
      /** pending: waiting for (another) attempt; delivered: a 2xx came back; failed: the retry schedule is exhausted (replayable); skipped: filtered out or no notify_url */
      state: "pending" | "delivered" | "failed" | "skipped";
      attempts: number;
      /** unix ms of the next attempt while pending */
      next_attempt_at: number | null;
    };
  };
  attempts: Array<{
    attempt: number;
    /** unix ms */
    started_at: number;
    duration_ms: number;
    status_code: number | null;
    error: string | null;
    /** the first KiB of the receiver's answer */
    response_excerpt: string;
  }>;
}

/**
 * Send a range of events to the webhook again (same event ids, new attempts) (重放事件) — request body.
 * `POST /events/replay`, wrapper endpoint, instance scope.
 */
export interface EventsReplayRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  from_sn: number;
  to_sn: number;
}

/**
 * Send a range of events to the webhook again (same event ids, new attempts) (重放事件) — the `data` of the answer.
 * `POST /events/replay`, wrapper endpoint, instance scope.
 */
export interface EventsReplayResponse {
  /** events queued for delivery again (filtered ones are not) */
  requeued: number;
}

/**
 * Send a signed test callback to the notify_url now and report the receiver's answer (测试回调) — request body.
 * `POST /events/test`, wrapper endpoint, instance scope.
 */
export interface EventsTestRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Send a signed test callback to the notify_url now and report the receiver's answer (测试回调) — the `data` of the answer.
 * `POST /events/test`, wrapper endpoint, instance scope.
 */
export interface EventsTestResponse {
  /** the receiver answered 2xx */
  delivered: boolean;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
  response_excerpt: string;
}

/**
 * Choose which events are delivered (notify types, msg types, self-sent) and 1011 batching (设置回调过滤) — request body.
 * `POST /events/set_filters`, wrapper endpoint, instance scope.
 */
export interface EventsSetFiltersRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  notify_types?: number[] | null;
  msg_types?: number[] | null;
  include_self?: boolean;
  batch_window_ms?: number;
}

/**
 * Choose which events are delivered (notify types, msg types, self-sent) and 1011 batching (设置回调过滤) — the `data` of the answer.
 * `POST /events/set_filters`, wrapper endpoint, instance scope.
 */
export interface EventsSetFiltersResponse {
  /** notify types delivered; null = all */
  notify_types: number[] | null;
  /** msg types of 1010 events delivered; null = all */
  msg_types: number[] | null;
  /** deliver messages this account sent itself */
  include_self: boolean;
  /** > 0: 1010 events within this window go out as one 1011 BatchNewMsg */
  batch_window_ms: number;
}

/**
 * Show the instance's delivery filters and batching (查看回调过滤) — request body.
 * `POST /events/get_filters`, wrapper endpoint, instance scope.
 */
export interface EventsGetFiltersRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Show the instance's delivery filters and batching (查看回调过滤) — the `data` of the answer.
 * `POST /events/get_filters`, wrapper endpoint, instance scope.
 */
export interface EventsGetFiltersResponse {
  /** notify types delivered; null = all */
  notify_types: number[] | null;
  /** msg types of 1010 events delivered; null = all */
  msg_types: number[] | null;
  /** deliver messages this account sent itself */
  include_self: boolean;
  /** > 0: 1010 events within this window go out as one 1011 BatchNewMsg */
  batch_window_ms: number;
}

/**
 * Show the app's webhook signing secrets (verify webhook-signature with them) (查看回调签名密钥) — request body.
 * `POST /events/get_signing_secrets`, wrapper endpoint, app scope.
 */
export interface EventsGetSigningSecretsRequest {
  [key: string]: unknown;
}

/**
 * Show the app's webhook signing secrets (verify webhook-signature with them) (查看回调签名密钥) — the `data` of the answer.
 * `POST /events/get_signing_secrets`, wrapper endpoint, app scope.
 */
export interface EventsGetSigningSecretsResponse {
  secrets: Array<{
    /** whsec_<base64>, the Standard Webhooks format */
    secret: string;
    /** unix seconds */
    created_at: number;
    /** unix seconds; null while current */
    expires_at: number | null;
  }>;
}

/**
 * Issue a new signing secret for the whole app; the old one keeps signing alongside it for a grace period (轮换回调签名密钥) — request body.
 * `POST /events/rotate_signing_secret`, wrapper endpoint, app scope.
 */
export interface EventsRotateSigningSecretRequest {
  /** default WXGATE_SIGNING_SECRET_GRACE_SECONDS (a day) */
  grace_seconds?: number;
}

/**
 * Issue a new signing secret for the whole app; the old one keeps signing alongside it for a grace period (轮换回调签名密钥) — the `data` of the answer.
 * `POST /events/rotate_signing_secret`, wrapper endpoint, app scope.
 */
export interface EventsRotateSigningSecretResponse {
  secret: string;
  /** unix seconds until the old secret stops signing */
  previous_valid_until: number | null;
}

/**
 * Create a Wechaty puppet-service token for an instance (创建 Wechaty 令牌) — request body.
 * `POST /wechaty/create_token`, wrapper endpoint, instance scope.
 */
export interface WechatyCreateTokenRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Create a Wechaty puppet-service token for an instance (创建 Wechaty 令牌) — the `data` of the answer.
 * `POST /wechaty/create_token`, wrapper endpoint, instance scope.
 */
export interface WechatyCreateTokenResponse {
  /** names the token in /wechaty/status and /wechaty/revoke_token; not a credential */
  token_id: string;
  /** unix seconds */
  created_at: number;
  /** shown only in this answer: WECHATY_PUPPET_SERVICE_TOKEN (the insecure_ prefix tells wechaty-puppet-service the port has no TLS) */
  token: string;
  /** null while the bridge does not listen (WXGATE_WECHATY_PORT unset) */
  endpoint: string | null;
}

/**
 * Revoke a Wechaty token of an instance (吊销 Wechaty 令牌) — request body.
 * `POST /wechaty/revoke_token`, wrapper endpoint, instance scope.
 */
export interface WechatyRevokeTokenRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  token_id: string;
}

/**
 * Revoke a Wechaty token of an instance (吊销 Wechaty 令牌) — the `data` of the answer.
 * `POST /wechaty/revoke_token`, wrapper endpoint, instance scope.
 */
export interface WechatyRevokeTokenResponse {
  /** false when the instance had no such token (already revoked) */
  revoked: boolean;
}

/**
 * Show the Wechaty bridge of an instance (查询 Wechaty 桥接状态) — request body.
 * `POST /wechaty/status`, wrapper endpoint, instance scope.
 */
export interface WechatyStatusRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * Show the Wechaty bridge of an instance (查询 Wechaty 桥接状态) — the `data` of the answer.
 * `POST /wechaty/status`, wrapper endpoint, instance scope.
 */
export interface WechatyStatusResponse {
  /** null while the bridge does not listen (WXGATE_WECHATY_PORT unset) */
  endpoint: string | null;
  /** the instance's tokens, oldest first */
  tokens: {
    /** names the token in /wechaty/status and /wechaty/revoke_token; not a credential */
    token_id: string;
    /** unix seconds */
    created_at: number;
  }[];
  token_count: number;
}

/**
 * Act as the instance's phone on an iLink bot QR code: scan, confirm or cancel (扫描 iLink 机器人二维码) — request body.
 * `POST /ilink/scan_qrcode`, wrapper endpoint, instance scope.
 */
export interface IlinkScanQrcodeRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  /** the client's `qrcode`, or the `qrcode_img_content` it shows */
  qrcode: string;
  action: "scan" | "confirm" | "cancel";
  /** with confirm: the code the phone shows; the client must send it back before it is bound */
  verify_code?: string;
  /** with scan: the host (host[:port]) the client is told to poll from then on (scaned_but_redirect) */
  redirect_host?: string;
}

/**
 * Act as the instance's phone on an iLink bot QR code: scan, confirm or cancel (扫描 iLink 机器人二维码) — the `data` of the answer.
 * `POST /ilink/scan_qrcode`, wrapper endpoint, instance scope.
 */
export interface IlinkScanQrcodeResponse {
  /** what the client's get_qrcode_status now answers */
  status: "scaned" | "scaned_but_redirect" | "confirmed" | "need_verifycode" | "binded_redirect" | "expired";
  /** the bot bound by a confirm (or already bound, binded_redirect), else null */
  bot_id: string | null;
}

/**
 * Unbind an iLink bot from an instance (revoke its bot_token) (解绑 iLink 机器人) — request body.
 * `POST /ilink/revoke_bot`, wrapper endpoint, instance scope.
 */
export interface IlinkRevokeBotRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
  bot_id: string;
}

/**
 * Unbind an iLink bot from an instance (revoke its bot_token) (解绑 iLink 机器人) — the `data` of the answer.
 * `POST /ilink/revoke_bot`, wrapper endpoint, instance scope.
 */
export interface IlinkRevokeBotResponse {
  /** false when the instance had no such bot (already revoked) */
  revoked: boolean;
}

/**
 * List the iLink bots bound to an instance (查询 iLink 机器人) — request body.
 * `POST /ilink/status`, wrapper endpoint, instance scope.
 */
export interface IlinkStatusRequest {
  /** instance id (UUID); inside `data` when called through the gateway */
  guid: string;
}

/**
 * List the iLink bots bound to an instance (查询 iLink 机器人) — the `data` of the answer.
 * `POST /ilink/status`, wrapper endpoint, instance scope.
 */
export interface IlinkStatusResponse {
  /** the instance's bots, oldest first */
  bots: {
    /** names the bot in /ilink/status and /ilink/revoke_bot; not a credential */
    bot_id: string;
    /** the bot's id on the iLink wire (to_user_id of what it receives) */
    ilink_bot_id: string;
    /** the account that confirmed the binding (iLink's ilink_user_id) */
    ilink_user_id: string;
    /** unix seconds */
    created_at: number;
  }[];
  bot_count: number;
}

/** Every endpoint by path: what to send and what comes back. */
export interface Endpoints {
  "/client/restore_client": { request: ClientRestoreClientRequest; response: ClientRestoreClientResponse };
  "/client/stop_client": { request: ClientStopClientRequest; response: ClientStopClientResponse };
  "/client/set_notify_url": { request: ClientSetNotifyUrlRequest; response: ClientSetNotifyUrlResponse };
  "/client/set_bridge": { request: ClientSetBridgeRequest; response: ClientSetBridgeResponse };
  "/client/set_proxy": { request: ClientSetProxyRequest; response: ClientSetProxyResponse };
  "/client/update_client": { request: ClientUpdateClientRequest; response: ClientUpdateClientResponse };
  "/client/get_client_status": { request: ClientGetClientStatusRequest; response: ClientGetClientStatusResponse };
  "/client/get_client_version": { request: ClientGetClientVersionRequest; response: ClientGetClientVersionResponse };
  "/client/create_client": { request: ClientCreateClientRequest; response: ClientCreateClientResponse };
  "/client/remove_client": { request: ClientRemoveClientRequest; response: ClientRemoveClientResponse };
  "/client/all_clients": { request: ClientAllClientsRequest; response: ClientAllClientsResponse };
  "/client/set_send_pacing": { request: ClientSetSendPacingRequest; response: ClientSetSendPacingResponse };
  "/client/get_send_pacing": { request: ClientGetSendPacingRequest; response: ClientGetSendPacingResponse };
  "/login/get_login_qrcode": { request: LoginGetLoginQrcodeRequest; response: LoginGetLoginQrcodeResponse };
  "/login/check_login_qrcode": { request: LoginCheckLoginQrcodeRequest; response: LoginCheckLoginQrcodeResponse };
  "/login/push_login_url": { request: LoginPushLoginUrlRequest; response: LoginPushLoginUrlResponse };
  "/login/verify_login_url": { request: LoginVerifyLoginUrlRequest; response: LoginVerifyLoginUrlResponse };
  "/user/get_profile": { request: UserGetProfileRequest; response: UserGetProfileResponse };
  "/user/get_qrcode": { request: UserGetQrcodeRequest; response: UserGetQrcodeResponse };
  "/user/logout": { request: UserLogoutRequest; response: UserLogoutResponse };
  "/contact/init_contact": { request: ContactInitContactRequest; response: ContactInitContactResponse };
  "/contact/modify_contact_top_flag": { request: ContactModifyContactTopFlagRequest; response: ContactModifyContactTopFlagResponse };
  "/contact/get_contact": { request: ContactGetContactRequest; response: ContactGetContactResponse };
  "/contact/batch_get_contact_brief_info": { request: ContactBatchGetContactBriefInfoRequest; response: ContactBatchGetContactBriefInfoResponse };
  "/contact/search_contact": { request: ContactSearchContactRequest; response: ContactSearchContactResponse };
  "/contact/add_friend": { request: ContactAddFriendRequest; response: ContactAddFriendResponse };
  "/contact/verify_friend": { request: ContactVerifyFriendRequest; response: ContactVerifyFriendResponse };
  "/contact/modify_remark": { request: ContactModifyRemarkRequest; response: ContactModifyRemarkResponse };
  "/contact/del_friend": { request: ContactDelFriendRequest; response: ContactDelFriendResponse };
  "/room/get_chatroom_detail": { request: RoomGetChatroomDetailRequest; response: RoomGetChatroomDetailResponse };
  "/room/get_chatroom_member_detail": { request: RoomGetChatroomMemberDetailRequest; response: RoomGetChatroomMemberDetailResponse };
  "/room/create_chatroom": { request: RoomCreateChatroomRequest; response: RoomCreateChatroomResponse };
  "/room/add_chatroom_member": { request: RoomAddChatroomMemberRequest; response: RoomAddChatroomMemberResponse };
  "/room/invite_chatroom_member": { request: RoomInviteChatroomMemberRequest; response: RoomInviteChatroomMemberResponse };
  "/room/del_chatroom_member": { request: RoomDelChatroomMemberRequest; response: RoomDelChatroomMemberResponse };
  "/room/modify_chatroom_name": { request: RoomModifyChatroomNameRequest; response: RoomModifyChatroomNameResponse };
  "/room/set_chatroom_announcement": { request: RoomSetChatroomAnnouncementRequest; response: RoomSetChatroomAnnouncementResponse };
  "/room/modify_chatroom_display_name": { request: RoomModifyChatroomDisplayNameRequest; response: RoomModifyChatroomDisplayNameResponse };
  "/room/modify_chatroom_show_name_flag": { request: RoomModifyChatroomShowNameFlagRequest; response: RoomModifyChatroomShowNameFlagResponse };
  "/room/modify_chatroom_contact_flag": { request: RoomModifyChatroomContactFlagRequest; response: RoomModifyChatroomContactFlagResponse };
  "/room/modify_chatroom_fold_flag": { request: RoomModifyChatroomFoldFlagRequest; response: RoomModifyChatroomFoldFlagResponse };
  "/room/modify_chatroom_disturb_flag": { request: RoomModifyChatroomDisturbFlagRequest; response: RoomModifyChatroomDisturbFlagResponse };
  "/room/add_chatroom_member_friend": { request: RoomAddChatroomMemberFriendRequest; response: RoomAddChatroomMemberFriendResponse };
  "/room/quit_chatroom": { request: RoomQuitChatroomRequest; response: RoomQuitChatroomResponse };
  "/room/tranfer_chatroom_owner": { request: RoomTranferChatroomOwnerRequest; response: RoomTranferChatroomOwnerResponse };
  "/room/set_top_msg": { request: RoomSetTopMsgRequest; response: RoomSetTopMsgResponse };
  "/room/remove_top_msg": { request: RoomRemoveTopMsgRequest; response: RoomRemoveTopMsgResponse };
  "/room/get_top_msg_list": { request: RoomGetTopMsgListRequest; response: RoomGetTopMsgListResponse };
  "/room/get_chatroom_qrcode": { request: RoomGetChatroomQrcodeRequest; response: RoomGetChatroomQrcodeResponse };
  "/room/modify_chatroom_top_flag": { request: RoomModifyChatroomTopFlagRequest; response: RoomModifyChatroomTopFlagResponse };
  "/msg/send_text": { request: MsgSendTextRequest; response: MsgSendTextResponse };
  "/msg/send_room_at": { request: MsgSendRoomAtRequest; response: MsgSendRoomAtResponse };
  "/msg/send_share_card": { request: MsgSendShareCardRequest; response: MsgSendShareCardResponse };
  "/msg/send_share_card_raw": { request: MsgSendShareCardRawRequest; response: MsgSendShareCardRawResponse };
  "/msg/send_location": { request: MsgSendLocationRequest; response: MsgSendLocationResponse };
  "/msg/send_image": { request: MsgSendImageRequest; response: MsgSendImageResponse };
  "/msg/send_video": { request: MsgSendVideoRequest; response: MsgSendVideoResponse };
  "/msg/send_file": { request: MsgSendFileRequest; response: MsgSendFileResponse };
  "/msg/send_emoji": { request: MsgSendEmojiRequest; response: MsgSendEmojiResponse };
  "/msg/send_emoji_url": { request: MsgSendEmojiUrlRequest; response: MsgSendEmojiUrlResponse };
  "/msg/send_emoji_md5": { request: MsgSendEmojiMd5Request; response: MsgSendEmojiMd5Response };
  "/msg/send_pat": { request: MsgSendPatRequest; response: MsgSendPatResponse };
  "/msg/send_link_card_cdn": { request: MsgSendLinkCardCdnRequest; response: MsgSendLinkCardCdnResponse };
  "/msg/send_link_card": { request: MsgSendLinkCardRequest; response: MsgSendLinkCardResponse };
  "/msg/send_app_msg": { request: MsgSendAppMsgRequest; response: MsgSendAppMsgResponse };
  "/msg/send_mini_app": { request: MsgSendMiniAppRequest; response: MsgSendMiniAppResponse };
  "/msg/send_finder_video": { request: MsgSendFinderVideoRequest; response: MsgSendFinderVideoResponse };
  "/msg/revoke_msg": { request: MsgRevokeMsgRequest; response: MsgRevokeMsgResponse };
  "/msg/send_refer_msg": { request: MsgSendReferMsgRequest; response: MsgSendReferMsgResponse };
  "/msg/set_session_read": { request: MsgSetSessionReadRequest; response: MsgSetSessionReadResponse };
  "/msg/send_voice": { request: MsgSendVoiceRequest; response: MsgSendVoiceResponse };
  "/msg/new_trans_voice_id": { request: MsgNewTransVoiceIdRequest; response: MsgNewTransVoiceIdResponse };
  "/msg/check_voice_trans": { request: MsgCheckVoiceTransRequest; response: MsgCheckVoiceTransResponse };
  "/msg/upload_voice_trans": { request: MsgUploadVoiceTransRequest; response: MsgUploadVoiceTransResponse };
  "/msg/get_voice_trans": { request: MsgGetVoiceTransRequest; response: MsgGetVoiceTransResponse };
  "/cloud/update_cdn_dns": { request: CloudUpdateCdnDnsRequest; response: CloudUpdateCdnDnsResponse };
  "/cloud/cdn_upload": { request: CloudCdnUploadRequest; response: CloudCdnUploadResponse };
  "/cloud/cdn_upload_sns_image": { request: CloudCdnUploadSnsImageRequest; response: CloudCdnUploadSnsImageResponse };
  "/cloud/cdn_upload_sns_video": { request: CloudCdnUploadSnsVideoRequest; response: CloudCdnUploadSnsVideoResponse };
  "/cloud/cdn_download": { request: CloudCdnDownloadRequest; response: CloudCdnDownloadResponse };
  "/cloud/cdn_download_fav": { request: CloudCdnDownloadFavRequest; response: CloudCdnDownloadFavResponse };
  "/cloud/cdn_download_wwfile": { request: CloudCdnDownloadWwfileRequest; response: CloudCdnDownloadWwfileResponse };
  "/cloud/download_voice": { request: CloudDownloadVoiceRequest; response: CloudDownloadVoiceResponse };
  "/cloud/download_wxemotion": { request: CloudDownloadWxemotionRequest; response: CloudDownloadWxemotionResponse };
  "/cloud/download_wx_image": { request: CloudDownloadWxImageRequest; response: CloudDownloadWxImageResponse };
  "/cloud/download": { request: CloudDownloadRequest; response: CloudDownloadResponse };
  "/cloud/download_wx_video": { request: CloudDownloadWxVideoRequest; response: CloudDownloadWxVideoResponse };
  "/cloud/download_ww_file": { request: CloudDownloadWwFileRequest; response: CloudDownloadWwFileResponse };
  "/cloud/download_fav": { request: CloudDownloadFavRequest; response: CloudDownloadFavResponse };
  "/cloud/download_wx_emotion": { request: CloudDownloadWxEmotionRequest; response: CloudDownloadWxEmotionResponse };
  "/cloud/upload": { request: CloudUploadRequest; response: CloudUploadResponse };
  "/cloud/upload_sns_video": { request: CloudUploadSnsVideoRequest; response: CloudUploadSnsVideoResponse };
  "/cloud/upload_sns_image": { request: CloudUploadSnsImageRequest; response: CloudUploadSnsImageResponse };
  "/cloud/upload_big": { request: CloudUploadBigRequest; response: CloudUploadBigResponse };
  "/label/get_contact_label_list": { request: LabelGetContactLabelListRequest; response: LabelGetContactLabelListResponse };
  "/label/add_contact_label": { request: LabelAddContactLabelRequest; response: LabelAddContactLabelResponse };
  "/label/update_contact_label": { request: LabelUpdateContactLabelRequest; response: LabelUpdateContactLabelResponse };
  "/label/del_contact_label": { request: LabelDelContactLabelRequest; response: LabelDelContactLabelResponse };
  "/label/modify_contact_label_list": { request: LabelModifyContactLabelListRequest; response: LabelModifyContactLabelListResponse };
  "/label/get_contacts": { request: LabelGetContactsRequest; response: LabelGetContactsResponse };
  "/label/get_label_usage_amount": { request: LabelGetLabelUsageAmountRequest; response: LabelGetLabelUsageAmountResponse };
  "/openim/get_openim_friends": { request: OpenimGetOpenimFriendsRequest; response: OpenimGetOpenimFriendsResponse };
  "/openim/get_openim_rooms": { request: OpenimGetOpenimRoomsRequest; response: OpenimGetOpenimRoomsResponse };
  "/openim/get_openim_room_members": { request: OpenimGetOpenimRoomMembersRequest; response: OpenimGetOpenimRoomMembersResponse };
  "/openim/get_openim_room_detail": { request: OpenimGetOpenimRoomDetailRequest; response: OpenimGetOpenimRoomDetailResponse };
  "/openim/get_openim_room_member_detail": { request: OpenimGetOpenimRoomMemberDetailRequest; response: OpenimGetOpenimRoomMemberDetailResponse };
  "/openim/get_openim_contact": { request: OpenimGetOpenimContactRequest; response: OpenimGetOpenimContactResponse };
  "/openim/get_openim_resource": { request: OpenimGetOpenimResourceRequest; response: OpenimGetOpenimResourceResponse };
  "/openim/search_openim_contact": { request: OpenimSearchOpenimContactRequest; response: OpenimSearchOpenimContactResponse };
  "/openim/del_openim_contact": { request: OpenimDelOpenimContactRequest; response: OpenimDelOpenimContactResponse };
  "/openim/check_openim_contact": { request: OpenimCheckOpenimContactRequest; response: OpenimCheckOpenimContactResponse };
  "/openim/modify_openim_disturb_flag": { request: OpenimModifyOpenimDisturbFlagRequest; response: OpenimModifyOpenimDisturbFlagResponse };
  "/openim/modify_openim_top_flag": { request: OpenimModifyOpenimTopFlagRequest; response: OpenimModifyOpenimTopFlagResponse };
  "/sns/sns_timeline": { request: SnsSnsTimelineRequest; response: SnsSnsTimelineResponse };
  "/sns/sns_userpage": { request: SnsSnsUserpageRequest; response: SnsSnsUserpageResponse };
  "/sns/sns_post": { request: SnsSnsPostRequest; response: SnsSnsPostResponse };
  "/sns/sns_object_detail": { request: SnsSnsObjectDetailRequest; response: SnsSnsObjectDetailResponse };
  "/sns/sns_comment": { request: SnsSnsCommentRequest; response: SnsSnsCommentResponse };
  "/sns/sns_delete_comment": { request: SnsSnsDeleteCommentRequest; response: SnsSnsDeleteCommentResponse };
  "/sns/sns_like": { request: SnsSnsLikeRequest; response: SnsSnsLikeResponse };
  "/sns/sns_delete": { request: SnsSnsDeleteRequest; response: SnsSnsDeleteResponse };
  "/app/get_a8key": { request: AppGetA8keyRequest; response: AppGetA8keyResponse };
  "/app/mp_get_a8key": { request: AppMpGetA8keyRequest; response: AppMpGetA8keyResponse };
  "/app/js_login": { request: AppJsLoginRequest; response: AppJsLoginResponse };
  "/app/js_operate_wxdata": { request: AppJsOperateWxdataRequest; response: AppJsOperateWxdataResponse };
  "/app/js_operate_wxdata_vip": { request: AppJsOperateWxdataVipRequest; response: AppJsOperateWxdataVipResponse };
  "/app/oauth_authorize": { request: AppOauthAuthorizeRequest; response: AppOauthAuthorizeResponse };
  "/app/oauth_authorize_confirm": { request: AppOauthAuthorizeConfirmRequest; response: AppOauthAuthorizeConfirmResponse };
  "/app/qrconnect_authorize": { request: AppQrconnectAuthorizeRequest; response: AppQrconnectAuthorizeResponse };
  "/app/qrconnect_authorize_confirm": { request: AppQrconnectAuthorizeConfirmRequest; response: AppQrconnectAuthorizeConfirmResponse };
  "/app/create_wxa_short_link": { request: AppCreateWxaShortLinkRequest; response: AppCreateWxaShortLinkResponse };
  "/app/resolve_wxa_short_link": { request: AppResolveWxaShortLinkRequest; response: AppResolveWxaShortLinkResponse };
  "/app/resolve_wxa_app_short_link": { request: AppResolveWxaAppShortLinkRequest; response: AppResolveWxaAppShortLinkResponse };
  "/other/voice_trans": { request: OtherVoiceTransRequest; response: OtherVoiceTransResponse };
  "/other/voice_trans_block": { request: OtherVoiceTransBlockRequest; response: OtherVoiceTransBlockResponse };
  "/cdn/get_cdn_file": { request: CdnGetCdnFileRequest; response: CdnGetCdnFileResponse };
  "/cdn/get_cdn_info": { request: CdnGetCdnInfoRequest; response: CdnGetCdnInfoResponse };
  "/admin/create_app": { request: AdminCreateAppRequest; response: AdminCreateAppResponse };
  "/admin/list_apps": { request: AdminListAppsRequest; response: AdminListAppsResponse };
  "/admin/disable_app": { request: AdminDisableAppRequest; response: AdminDisableAppResponse };
  "/admin/enable_app": { request: AdminEnableAppRequest; response: AdminEnableAppResponse };
  "/admin/rotate_app_secret": { request: AdminRotateAppSecretRequest; response: AdminRotateAppSecretResponse };
  "/admin/set_app_mode": { request: AdminSetAppModeRequest; response: AdminSetAppModeResponse };
  "/sandbox/people/create": { request: SandboxPeopleCreateRequest; response: SandboxPeopleCreateResponse };
  "/sandbox/people/list": { request: SandboxPeopleListRequest; response: SandboxPeopleListResponse };
  "/sandbox/login/scan": { request: SandboxLoginScanRequest; response: SandboxLoginScanResponse };
  "/sandbox/friend/request": { request: SandboxFriendRequestRequest; response: SandboxFriendRequestResponse };
  "/sandbox/friend/accept": { request: SandboxFriendAcceptRequest; response: SandboxFriendAcceptResponse };
  "/sandbox/friend/delete": { request: SandboxFriendDeleteRequest; response: SandboxFriendDeleteResponse };
  "/sandbox/room/create": { request: SandboxRoomCreateRequest; response: SandboxRoomCreateResponse };
  "/sandbox/room/join": { request: SandboxRoomJoinRequest; response: SandboxRoomJoinResponse };
  "/sandbox/room/set_admin": { request: SandboxRoomSetAdminRequest; response: SandboxRoomSetAdminResponse };
  "/sandbox/room/dissolve": { request: SandboxRoomDissolveRequest; response: SandboxRoomDissolveResponse };
  "/sandbox/sns/post": { request: SandboxSnsPostRequest; response: SandboxSnsPostResponse };
  "/sandbox/sns/comment": { request: SandboxSnsCommentRequest; response: SandboxSnsCommentResponse };
  "/sandbox/sns/like": { request: SandboxSnsLikeRequest; response: SandboxSnsLikeResponse };
  "/sandbox/faults/inject": { request: SandboxFaultsInjectRequest; response: SandboxFaultsInjectResponse };
  "/sandbox/messages/send": { request: SandboxMessagesSendRequest; response: SandboxMessagesSendResponse };
  "/sandbox/messages/send_media": { request: SandboxMessagesSendMediaRequest; response: SandboxMessagesSendMediaResponse };
  "/sandbox/messages/revoke": { request: SandboxMessagesRevokeRequest; response: SandboxMessagesRevokeResponse };
  "/sandbox/messages/list": { request: SandboxMessagesListRequest; response: SandboxMessagesListResponse };
  "/sandbox/messages/restrict": { request: SandboxMessagesRestrictRequest; response: SandboxMessagesRestrictResponse };
  "/sandbox/apps/create_mini_program": { request: SandboxAppsCreateMiniProgramRequest; response: SandboxAppsCreateMiniProgramResponse };
  "/sandbox/apps/create_oauth_app": { request: SandboxAppsCreateOauthAppRequest; response: SandboxAppsCreateOauthAppResponse };
  "/sandbox/apps/jscode2session": { request: SandboxAppsJscode2sessionRequest; response: SandboxAppsJscode2sessionResponse };
  "/sandbox/apps/oauth_access_token": { request: SandboxAppsOauthAccessTokenRequest; response: SandboxAppsOauthAccessTokenResponse };
  "/sandbox/openim/create_corp": { request: SandboxOpenimCreateCorpRequest; response: SandboxOpenimCreateCorpResponse };
  "/sandbox/openim/create_person": { request: SandboxOpenimCreatePersonRequest; response: SandboxOpenimCreatePersonResponse };
  "/sandbox/openim/add_contact": { request: SandboxOpenimAddContactRequest; response: SandboxOpenimAddContactResponse };
  "/sandbox/openim/room_create": { request: SandboxOpenimRoomCreateRequest; response: SandboxOpenimRoomCreateResponse };
  "/sandbox/openim/room_join": { request: SandboxOpenimRoomJoinRequest; response: SandboxOpenimRoomJoinResponse };
  "/sandbox/openim/room_leave": { request: SandboxOpenimRoomLeaveRequest; response: SandboxOpenimRoomLeaveResponse };
  "/sandbox/world/reset": { request: SandboxWorldResetRequest; response: SandboxWorldResetResponse };
  "/events/list": { request: EventsListRequest; response: EventsListResponse };
  "/events/messages": { request: EventsMessagesRequest; response: EventsMessagesResponse };
  "/events/attempts": { request: EventsAttemptsRequest; response: EventsAttemptsResponse };
  "/events/replay": { request: EventsReplayRequest; response: EventsReplayResponse };
  "/events/test": { request: EventsTestRequest; response: EventsTestResponse };
  "/events/set_filters": { request: EventsSetFiltersRequest; response: EventsSetFiltersResponse };
  "/events/get_filters": { request: EventsGetFiltersRequest; response: EventsGetFiltersResponse };
  "/events/get_signing_secrets": { request: EventsGetSigningSecretsRequest; response: EventsGetSigningSecretsResponse };
  "/events/rotate_signing_secret": { request: EventsRotateSigningSecretRequest; response: EventsRotateSigningSecretResponse };
  "/wechaty/create_token": { request: WechatyCreateTokenRequest; response: WechatyCreateTokenResponse };
  "/wechaty/revoke_token": { request: WechatyRevokeTokenRequest; response: WechatyRevokeTokenResponse };
  "/wechaty/status": { request: WechatyStatusRequest; response: WechatyStatusResponse };
  "/ilink/scan_qrcode": { request: IlinkScanQrcodeRequest; response: IlinkScanQrcodeResponse };
  "/ilink/revoke_bot": { request: IlinkRevokeBotRequest; response: IlinkRevokeBotResponse };
  "/ilink/status": { request: IlinkStatusRequest; response: IlinkStatusResponse };
}

export type EndpointPath = keyof Endpoints;

/** How each endpoint answers and who may call it (the client unwraps raw-mode answers with `kind`). */
export const ENDPOINTS: { readonly [P in EndpointPath]: EndpointInfo } = {
  "/client/restore_client": { module: "client", kind: "wrapper", scope: "instance" },
  "/client/stop_client": { module: "client", kind: "wrapper", scope: "instance" },
  "/client/set_notify_url": { module: "client", kind: "wrapper", scope: "instance" },
  "/client/set_bridge": { module: "client", kind: "wrapper", scope: "instance" },
  "/client/set_proxy": { module: "client", kind: "wrapper", scope: "instance" },
  "/client/update_client": { module: "client", kind: "wrapper", scope: "instance" },
  "/client/get_client_status": { module: "client", kind: "wrapper", scope: "instance" },
  "/client/get_client_version": { module: "client", kind: "wrapper", scope: "instance" },
  "/client/create_client": { module: "client", kind: "wrapper", scope: "app" },
  "/client/remove_client": { module: "client", kind: "wrapper", scope: "instance" },
  "/client/all_clients": { module: "client", kind: "wrapper", scope: "app" },
  "/client/set_send_pacing": { module: "client", kind: "wrapper", scope: "instance" },
  "/client/get_send_pacing": { module: "client", kind: "wrapper", scope: "instance" },
  "/login/get_login_qrcode": { module: "login", kind: "wrapper", scope: "instance" },
  "/login/check_login_qrcode": { module: "login", kind: "wrapper", scope: "instance" },
  "/login/push_login_url": { module: "login", kind: "wrapper", scope: "instance" },
  "/login/verify_login_url": { module: "login", kind: "wrapper", scope: "instance" },
  "/user/get_profile": { module: "user", kind: "raw", scope: "instance" },
  "/user/get_qrcode": { module: "user", kind: "raw", scope: "instance" },
  "/user/logout": { module: "user", kind: "raw", scope: "instance" },
  "/contact/init_contact": { module: "contact", kind: "raw", scope: "instance" },
  "/contact/modify_contact_top_flag": { module: "contact", kind: "raw", scope: "instance" },
  "/contact/get_contact": { module: "contact", kind: "raw", scope: "instance" },
  "/contact/batch_get_contact_brief_info": { module: "contact", kind: "raw", scope: "instance" },
  "/contact/search_contact": { module: "contact", kind: "raw", scope: "instance" },
  "/contact/add_friend": { module: "contact", kind: "raw", scope: "instance" },
  "/contact/verify_friend": { module: "contact", kind: "raw", scope: "instance" },
  "/contact/modify_remark": { module: "contact", kind: "raw", scope: "instance" },
  "/contact/del_friend": { module: "contact", kind: "raw", scope: "instance" },
  "/room/get_chatroom_detail": { module: "room", kind: "raw", scope: "instance" },
  "/room/get_chatroom_member_detail": { module: "room", kind: "raw", scope: "instance" },
  "/room/create_chatroom": { module: "room", kind: "raw", scope: "instance" },
  "/room/add_chatroom_member": { module: "room", kind: "raw", scope: "instance" },
  "/room/invite_chatroom_member": { module: "room", kind: "raw", scope: "instance" },
  "/room/del_chatroom_member": { module: "room", kind: "raw", scope: "instance" },
  "/room/modify_chatroom_name": { module: "room", kind: "raw", scope: "instance" },
  "/room/set_chatroom_announcement": { module: "room", kind: "raw", scope: "instance" },
  "/room/modify_chatroom_display_name": { module: "room", kind: "raw", scope: "instance" },
  "/room/modify_chatroom_show_name_flag": { module: "room", kind: "raw", scope: "instance" },
  "/room/modify_chatroom_contact_flag": { module: "room", kind: "raw", scope: "instance" },
  "/room/modify_chatroom_fold_flag": { module: "room", kind: "raw", scope: "instance" },
  "/room/modify_chatroom_disturb_flag": { module: "room", kind: "raw", scope: "instance" },
  "/room/add_chatroom_member_friend": { module: "room", kind: "raw", scope: "instance" },
  "/room/quit_chatroom": { module: "room", kind: "raw", scope: "instance" },
  "/room/tranfer_chatroom_owner": { module: "room", kind: "raw", scope: "instance" },
  "/room/set_top_msg": { module: "room", kind: "raw", scope: "instance" },
  "/room/remove_top_msg": { module: "room", kind: "raw", scope: "instance" },
  "/room/get_top_msg_list": { module: "room", kind: "raw", scope: "instance" },
  "/room/get_chatroom_qrcode": { module: "room", kind: "raw", scope: "instance" },
  "/room/modify_chatroom_top_flag": { module: "room", kind: "raw", scope: "instance" },
  "/msg/send_text": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_room_at": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_share_card": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_share_card_raw": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_location": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_image": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_video": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_file": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_emoji": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_emoji_url": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_emoji_md5": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_pat": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_link_card_cdn": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_link_card": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_app_msg": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_mini_app": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_finder_video": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/revoke_msg": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_refer_msg": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/set_session_read": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/send_voice": { module: "msg", kind: "raw", scope: "instance" },
  "/msg/new_trans_voice_id": { module: "msg", kind: "wrapper", scope: "instance" },
  "/msg/check_voice_trans": { module: "msg", kind: "wrapper", scope: "instance" },
  "/msg/upload_voice_trans": { module: "msg", kind: "wrapper", scope: "instance" },
  "/msg/get_voice_trans": { module: "msg", kind: "wrapper", scope: "instance" },
  "/cloud/update_cdn_dns": { module: "cloud", kind: "wrapper", scope: "instance" },
  "/cloud/cdn_upload": { module: "cloud", kind: "wrapper", scope: "instance" },
  "/cloud/cdn_upload_sns_image": { module: "cloud", kind: "wrapper", scope: "instance" },
  "/cloud/cdn_upload_sns_video": { module: "cloud", kind: "wrapper", scope: "instance" },
  "/cloud/cdn_download": { module: "cloud", kind: "wrapper", scope: "instance" },
  "/cloud/cdn_download_fav": { module: "cloud", kind: "wrapper", scope: "instance" },
  "/cloud/cdn_download_wwfile": { module: "cloud", kind: "wrapper", scope: "instance" },
  "/cloud/download_voice": { module: "cloud", kind: "wrapper", scope: "instance" },
  "/cloud/download_wxemotion": { module: "cloud", kind: "wrapper", scope: "instance" },
  "/cloud/download_wx_image": { module: "cloud", kind: "wrapper", scope: "cdn" },
  "/cloud/download": { module: "cloud", kind: "wrapper", scope: "cdn" },
  "/cloud/download_wx_video": { module: "cloud", kind: "wrapper", scope: "cdn" },
  "/cloud/download_ww_file": { module: "cloud", kind: "wrapper", scope: "cdn" },
  "/cloud/download_fav": { module: "cloud", kind: "wrapper", scope: "cdn" },
  "/cloud/download_wx_emotion": { module: "cloud", kind: "wrapper", scope: "cdn" },
  "/cloud/upload": { module: "cloud", kind: "wrapper", scope: "cdn" },
  "/cloud/upload_sns_video": { module: "cloud", kind: "wrapper", scope: "cdn" },
  "/cloud/upload_sns_image": { module: "cloud", kind: "wrapper", scope: "cdn" },
  "/cloud/upload_big": { module: "cloud", kind: "wrapper", scope: "cdn" },
  "/label/get_contact_label_list": { module: "label", kind: "raw", scope: "instance" },
  "/label/add_contact_label": { module: "label", kind: "raw", scope: "instance" },
  "/label/update_contact_label": { module: "label", kind: "raw", scope: "instance" },
  "/label/del_contact_label": { module: "label", kind: "raw", scope: "instance" },
  "/label/modify_contact_label_list": { module: "label", kind: "raw", scope: "instance" },
  "/label/get_contacts": { module: "label", kind: "wrapper", scope: "instance" },
  "/label/get_label_usage_amount": { module: "label", kind: "wrapper", scope: "instance" },
  "/openim/get_openim_friends": { module: "openim", kind: "wrapper", scope: "instance" },
  "/openim/get_openim_rooms": { module: "openim", kind: "wrapper", scope: "instance" },
  "/openim/get_openim_room_members": { module: "openim", kind: "wrapper", scope: "instance" },
  "/openim/get_openim_room_detail": { module: "openim", kind: "raw", scope: "instance" },
  "/openim/get_openim_room_member_detail": { module: "openim", kind: "raw", scope: "instance" },
  "/openim/get_openim_contact": { module: "openim", kind: "raw", scope: "instance" },
  "/openim/get_openim_resource": { module: "openim", kind: "raw", scope: "instance" },
  "/openim/search_openim_contact": { module: "openim", kind: "raw", scope: "instance" },
  "/openim/del_openim_contact": { module: "openim", kind: "raw", scope: "instance" },
  "/openim/check_openim_contact": { module: "openim", kind: "wrapper", scope: "instance" },
  "/openim/modify_openim_disturb_flag": { module: "openim", kind: "raw", scope: "instance" },
  "/openim/modify_openim_top_flag": { module: "openim", kind: "raw", scope: "instance" },
  "/sns/sns_timeline": { module: "sns", kind: "raw", scope: "instance" },
  "/sns/sns_userpage": { module: "sns", kind: "raw", scope: "instance" },
  "/sns/sns_post": { module: "sns", kind: "raw", scope: "instance" },
  "/sns/sns_object_detail": { module: "sns", kind: "raw", scope: "instance" },
  "/sns/sns_comment": { module: "sns", kind: "raw", scope: "instance" },
  "/sns/sns_delete_comment": { module: "sns", kind: "raw", scope: "instance" },
  "/sns/sns_like": { module: "sns", kind: "raw", scope: "instance" },
  "/sns/sns_delete": { module: "sns", kind: "raw", scope: "instance" },
  "/app/get_a8key": { module: "app", kind: "raw", scope: "instance" },
  "/app/mp_get_a8key": { module: "app", kind: "raw", scope: "instance" },
  "/app/js_login": { module: "app", kind: "raw", scope: "instance" },
  "/app/js_operate_wxdata": { module: "app", kind: "raw", scope: "instance" },
  "/app/js_operate_wxdata_vip": { module: "app", kind: "raw", scope: "instance" },
  "/app/oauth_authorize": { module: "app", kind: "raw", scope: "instance" },
  "/app/oauth_authorize_confirm": { module: "app", kind: "raw", scope: "instance" },
  "/app/qrconnect_authorize": { module: "app", kind: "raw", scope: "instance" },
  "/app/qrconnect_authorize_confirm": { module: "app", kind: "raw", scope: "instance" },
  "/app/create_wxa_short_link": { module: "app", kind: "wrapper", scope: "instance" },
  "/app/resolve_wxa_short_link": { module: "app", kind: "wrapper", scope: "instance" },
  "/app/resolve_wxa_app_short_link": { module: "app", kind: "wrapper", scope: "instance" },
  "/other/voice_trans": { module: "other", kind: "wrapper", scope: "instance" },
  "/other/voice_trans_block": { module: "other", kind: "wrapper", scope: "instance" },
  "/cdn/get_cdn_file": { module: "cdn", kind: "wrapper", scope: "app" },
  "/cdn/get_cdn_info": { module: "cdn", kind: "wrapper", scope: "instance" },
  "/admin/create_app": { module: "admin", kind: "wrapper", scope: "admin" },
  "/admin/list_apps": { module: "admin", kind: "wrapper", scope: "admin" },
  "/admin/disable_app": { module: "admin", kind: "wrapper", scope: "admin" },
  "/admin/enable_app": { module: "admin", kind: "wrapper", scope: "admin" },
  "/admin/rotate_app_secret": { module: "admin", kind: "wrapper", scope: "admin" },
  "/admin/set_app_mode": { module: "admin", kind: "wrapper", scope: "admin" },
  "/sandbox/people/create": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/people/list": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/login/scan": { module: "sandbox", kind: "wrapper", scope: "instance" },
  "/sandbox/friend/request": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/friend/accept": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/friend/delete": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/room/create": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/room/join": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/room/set_admin": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/room/dissolve": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/sns/post": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/sns/comment": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/sns/like": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/faults/inject": { module: "sandbox", kind: "wrapper", scope: "instance" },
  "/sandbox/messages/send": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/messages/send_media": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/messages/revoke": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/messages/list": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/messages/restrict": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/apps/create_mini_program": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/apps/create_oauth_app": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/apps/jscode2session": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/apps/oauth_access_token": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/openim/create_corp": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/openim/create_person": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/openim/add_contact": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/openim/room_create": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/openim/room_join": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/openim/room_leave": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/sandbox/world/reset": { module: "sandbox", kind: "wrapper", scope: "app" },
  "/events/list": { module: "events", kind: "wrapper", scope: "instance" },
  "/events/messages": { module: "events", kind: "wrapper", scope: "instance" },
  "/events/attempts": { module: "events", kind: "wrapper", scope: "instance" },
  "/events/replay": { module: "events", kind: "wrapper", scope: "instance" },
  "/events/test": { module: "events", kind: "wrapper", scope: "instance" },
  "/events/set_filters": { module: "events", kind: "wrapper", scope: "instance" },
  "/events/get_filters": { module: "events", kind: "wrapper", scope: "instance" },
  "/events/get_signing_secrets": { module: "events", kind: "wrapper", scope: "app" },
  "/events/rotate_signing_secret": { module: "events", kind: "wrapper", scope: "app" },
  "/wechaty/create_token": { module: "wechaty", kind: "wrapper", scope: "instance" },
  "/wechaty/revoke_token": { module: "wechaty", kind: "wrapper", scope: "instance" },
  "/wechaty/status": { module: "wechaty", kind: "wrapper", scope: "instance" },
  "/ilink/scan_qrcode": { module: "ilink", kind: "wrapper", scope: "instance" },
  "/ilink/revoke_bot": { module: "ilink", kind: "wrapper", scope: "instance" },
  "/ilink/status": { module: "ilink", kind: "wrapper", scope: "instance" },
};

/** `data` of a 0 TestCallback callback: the signed probe of /events/test. */
export interface TestCallbackPayload {
  test: true;
  message: string;
  /** unix seconds */
  sent_at: number;
}

/** `data` of a 1001 Ready callback. */
export interface ReadyPayload {
  wxid?: string;
}

/** `data` of a 1002 LoginQRCodeChange callback. */
export interface LoginQRCodeChangePayload {
  /** QR status as check_login_qrcode answers it */
  status?: number;
  uuid?: string;
  /** absent when the login was pushed to the phone */
  qrcode_content?: string;
  /** seconds left */
  expired_time?: number;
  /** once scanned */
  nick_name?: string;
  /** once scanned */
  head_img_url?: string;
  /** when WeChat asks for device verification */
  auth_url?: string;
  /** once confirmed */
  wxid?: string;
}

/** `data` of a 1003 UserLogin callback. */
export interface UserLoginPayload {
  wxid?: string;
  nick_name?: string;
  alias?: string;
  head_img_url?: string;
  /** unix seconds */
  login_time?: number;
}

/** `data` of a 1004 UserLogout callback. */
export interface UserLogoutPayload {
  wxid?: string;
  reason?: string;
  /** unix seconds */
  time?: number;
}

/** `data` of a 1005 InitFinish callback. */
export type InitFinishPayload = ReadyPayload;

/** `data` of a 1006 HeartBeatError callback. */
export type HeartBeatErrorPayload = UserLogoutPayload;

/** `data` of a 1007 SessionTimeout callback. */
export type SessionTimeoutPayload = UserLogoutPayload;

/** `data` of a 1008 LoginFailed callback. */
export interface LoginFailedPayload {
  uuid?: string;
  wxid?: string;
  reason?: string;
  /** unix seconds */
  time?: number;
}

/** `data` of a 1009 ContactSyncFinish callback. */
export interface ContactSyncFinishPayload {
  wxid?: string;
  contact_count?: number;
}

/** `data` of a 1010 NewMsg callback: a message as a 1010 callback delivers it. */
export interface NewMsgPayload {
  /** sender wxid; the room id for group messages */
  from_username: string;
  to_username: string;
  /**
   * real sender in groups, else ""
   * @default ""
   */
  chatroom_sender: string;
  /** unix seconds */
  create_time: number;
  /** @default "" */
  desc: string;
  /** 64-bit server id as a decimal string */
  msg_id: string;
  msg_type: number;
  /** @default "" */
  chatroom: string;
  /**
   * <msgsource> XML
   * @default ""
   */
  source: string;
  content: string;
  /** 1 in groups, else 0 */
  is_chatroom_msg: number;
}

/** `data` of a 1011 BatchNewMsg callback: 1010 messages batched by /events/set_filters batch_window_ms. */
export type BatchNewMsgPayload = NewMsgPayload[];

/** `data` of a 1039 ContactInfoChange callback: a friend, room (…@chatroom), official account (gh_…) or stranger, as WeChat sends it (get_contact, notify 1200). */
export interface ContactInfoChangePayload {
  /** SKBuiltinString */
  userName: {
    string?: string;
  };
  /** SKBuiltinString */
  nickName: {
    string?: string;
  };
  /** SKBuiltinString */
  remark: {
    string?: string;
  };
  /** SKBuiltinString */
  pyinitial?: {
    string?: string;
  };
  /** SKBuiltinString */
  quanPin?: {
    string?: string;
  };
  /** SKBuiltinString */
  remarkPyinitial?: {
    string?: string;
  };
  /** SKBuiltinString */
  remarkQuanPin?: {
    string?: string;
  };
  /** the WeChat id (微信号) the user chose; "" if none */
  alias?: string;
  /** 0 unknown, 1 male, 2 female */
  sex?: number;
  country?: string;
  province?: string;
  city?: string;
  signature?: string;
  /** avatar URL; clients read bigHeadImgUrl, else smallHeadImgUrl (some vendor builds wrap URLs in back-ticks) */
  bigHeadImgUrl?: string;
  /** avatar thumbnail URL */
  smallHeadImgUrl?: string;
  /** SKBuiltinBuffer */
  imgBuf?: {
    iLen: number;
    buffer?: string;
  };
  bitMask?: number;
  bitVal?: number;
  /** 0 for people; non-zero for verified official accounts */
  verifyFlag?: number;
  contactType?: number;
  addContactScene?: number;
  deleteFlag?: number;
  /** v3_…@stranger ticket of a non-friend */
  encryptUserName?: string;
  /** moments settings of an account */
  snsUserInfo?: {
    snsFlag?: number;
    /** moments cover image URL; absent when the account has none */
    snsBgimgId?: string;
    /** 64-bit id as a decimal string */
    snsBgobjectId?: string;
    snsFlagEx?: number;
    snsPrivacyRecent?: number;
  };
  /** rooms: the owner's wxid */
  chatRoomOwner?: string;
  /** rooms: 1 notifications on, 0 muted */
  chatRoomNotify?: number;
  /** rooms: member-list version */
  chatroomVersion?: number;
  /** rooms: member limit */
  chatroomMaxCount?: number;
  chatroomAccessType?: number;
  chatroomStatus?: number;
  /** room membership summary */
  newChatroomData?: {
    memberCount: number;
    /** often empty here; use /room/get_chatroom_member_detail */
    chatRoomMember?: {
      /** member wxid */
      userName: string;
      nickName: string;
      /** the member's group nickname (群昵称); "" when not set */
      displayName: string;
      bigHeadImgUrl: string;
      smallHeadImgUrl: string;
      chatroomMemberFlag: number;
      /** wxid of the member who invited this one */
      inviterUserName: string;
    }[];
    infoMask?: number;
    /** SKBuiltinString */
    chatRoomUserName?: {
      string?: string;
    };
    watchMemberCount?: number;
  };
  /** rooms: 1 while the viewer is a member */
  isInChatRoom?: number;
  /** an empty message, {} in every capture */
  domainList?: Record<never, never>;
  /** rooms: business type, "0" for ordinary rooms (uint64 as a decimal string) */
  chatRoomBusinessType?: string;
  /** which bits of bitValue2 are valid (uint64 as a decimal string) */
  bitMask2?: string;
  /** more contact-type bits (uint64 as a decimal string) */
  bitValue2?: string;
  textStatusFlag?: number;
  /** ringback tone (彩铃) setting */
  ringBackSetting?: {
    /** the Channels video of the ringback tone (uint64 as a decimal string) */
    finderObjectId?: string;
    /** unix seconds */
    startTs?: number;
    /** unix seconds */
    endTs?: number;
  };
  /** SKBuiltinBuffer */
  contactExtraInfoBuf?: {
    iLen: number;
    buffer?: string;
  };
  eraseChatRoomMemberData?: number;
  /** the account's labels on the contact, comma-separated ids ("" when none) */
  labelIdList?: string;
}

/** `data` of a 1040 FriendAdd callback: a friend, room (…@chatroom), official account (gh_…) or stranger, as WeChat sends it (get_contact, notify 1200). */
export type FriendAddPayload = ContactInfoChangePayload;

/** `data` of a 1041 FriendDel callback: a friend, room (…@chatroom), official account (gh_…) or stranger, as WeChat sends it (get_contact, notify 1200). */
export type FriendDelPayload = ContactInfoChangePayload;

/** `data` of a 1042 RoomAdd callback. */
export interface RoomAddPayload {
  chatroom?: string;
  chatroom_name?: string;
  /** wxid of who made the change */
  operator?: string;
  /** wxids of the members concerned */
  member_list?: string[];
  member_count?: number;
  /** unix seconds */
  time?: number;
}

/** `data` of a 1043 RoomQuit callback. */
export type RoomQuitPayload = RoomAddPayload;

/** `data` of a 1044 RoomDelMe callback. */
export type RoomDelMePayload = RoomAddPayload;

/** `data` of a 1045 RoomDisband callback. */
export type RoomDisbandPayload = RoomAddPayload;

/** `data` of a 1046 RoomMemberAdd callback. */
export type RoomMemberAddPayload = RoomAddPayload;

/** `data` of a 1047 RoomMemberUpdate callback. */
export type RoomMemberUpdatePayload = RoomAddPayload;

/** `data` of a 1048 RoomMemberDel callback. */
export type RoomMemberDelPayload = RoomAddPayload;

/** `data` of a 1200 ModContact callback: a friend, room (…@chatroom), official account (gh_…) or stranger, as WeChat sends it (get_contact, notify 1200). */
export type ModContactPayload = ContactInfoChangePayload;

/** `data` of a 1201 DelContact callback. */
export interface DelContactPayload {
  /** SKBuiltinString */
  userName: {
    string?: string;
  };
  deleteContactScene: number;
}

/** `data` of a 1202 OpenImContactAdd callback: a WeCom (企微) contact seen from personal WeChat. */
export interface OpenImContactAddPayload {
  /** the contact id (…@openim) */
  tpUsername: string;
  nickname: string;
  type: number;
  source: number;
  remark?: string;
  bigHeadimg?: string;
  smallHeadimg?: string;
  nicknamePyinit?: string;
  nicknameQuanpin?: string;
  remarkPyinit?: string;
  remarkQuanpin?: string;
  customInfo?: {
    detailVisible?: number;
    /** JSON string (company, title, …) */
    detail?: string;
  };
  appId?: string;
  sex?: number;
  /** pass to /openim/get_openim_resource as wording_id */
  descWordingId?: string;
  finderUsername?: string;
  flag?: string;
}

/** `data` of a 1203 OpenImContactDel callback: a WeCom (企微) contact seen from personal WeChat. */
export type OpenImContactDelPayload = OpenImContactAddPayload;

/** `data` of a 1204 OpenImRoomContactChange callback. */
export interface OpenImRoomContactChangePayload {
  /** the WeCom room (…@im.chatroom) */
  chatroomUsername?: string;
  nickname?: string;
  ownerUsername?: string;
  memberCount?: number;
  serverVersion?: number;
  /** unix seconds */
  createTime?: number;
  changeType?: string;
  changedUsernames?: string[];
}

/** `data` of a 2006 SyncMsgFailed callback. */
export type SyncMsgFailedPayload = UserLogoutPayload;

/** `data` of a 9001 PacedSendResult callback: the real result of a send the instance's send pacing queued. */
export interface PacedSendResultPayload {
  /** the queue_id the call answered */
  queue_id: string;
  /** the endpoint called */
  path: string;
  /** unix seconds the call was queued */
  enqueued_at: number;
  /** true: `result` holds the answer; false: `error` says why */
  ok: boolean;
  /** the answer the call would have given unpaced (WeChat's object for a send) */
  result?: unknown;
  error?: {
    /** the catalog code the call would have answered (50020: interrupted by a crash, not resent) */
    code: number;
    message: string;
    /** the error's detail, null when none */
    data: unknown;
  };
}

/** The `data` of each callback by its `notify_type`. */
export interface CallbackPayloads {
  0: TestCallbackPayload;
  1001: ReadyPayload;
  1002: LoginQRCodeChangePayload;
  1003: UserLoginPayload;
  1004: UserLogoutPayload;
  1005: InitFinishPayload;
  1006: HeartBeatErrorPayload;
  1007: SessionTimeoutPayload;
  1008: LoginFailedPayload;
  1009: ContactSyncFinishPayload;
  1010: NewMsgPayload;
  1011: BatchNewMsgPayload;
  1039: ContactInfoChangePayload;
  1040: FriendAddPayload;
  1041: FriendDelPayload;
  1042: RoomAddPayload;
  1043: RoomQuitPayload;
  1044: RoomDelMePayload;
  1045: RoomDisbandPayload;
  1046: RoomMemberAddPayload;
  1047: RoomMemberUpdatePayload;
  1048: RoomMemberDelPayload;
  1200: ModContactPayload;
  1201: DelContactPayload;
  1202: OpenImContactAddPayload;
  1203: OpenImContactDelPayload;
  1204: OpenImRoomContactChangePayload;
  2006: SyncMsgFailedPayload;
  9001: PacedSendResultPayload;
}

/** A callback as delivered (webhook body, `/ws` `event`, SSE data): narrow on `notify_type` to type `data`. */
export type CallbackEvent = {
  [T in keyof CallbackPayloads]: { guid: string; notify_type: T; data: CallbackPayloads[T] };
}[keyof CallbackPayloads];

/** The callback `notify_type` values (the vendor enum). */
export const NOTIFY_TYPES = {
  "Ready": 1001,
  "LoginQRCodeChange": 1002,
  "UserLogin": 1003,
  "UserLogout": 1004,
  "InitFinish": 1005,
  "HeartBeatError": 1006,
  "SessionTimeout": 1007,
  "LoginFailed": 1008,
  "ContactSyncFinish": 1009,
  "NewMsg": 1010,
  "BatchNewMsg": 1011,
  "ContactInfoChange": 1039,
  "FriendAdd": 1040,
  "FriendDel": 1041,
  "RoomAdd": 1042,
  "RoomQuit": 1043,
  "RoomDelMe": 1044,
  "RoomDisband": 1045,
  "RoomMemberAdd": 1046,
  "RoomMemberUpdate": 1047,
  "RoomMemberDel": 1048,
  "ModContact": 1200,
  "DelContact": 1201,
  "OpenImContactAdd": 1202,
  "OpenImContactDel": 1203,
  "OpenImRoomContactChange": 1204,
  "SyncMsgFailed": 2006,
  "PacedSendResult": 9001,
} as const;

export type NotifyTypeName = keyof typeof NOTIFY_TYPES;
export type NotifyType = (typeof NOTIFY_TYPES)[NotifyTypeName];

/** WeChat message types carried in 1010 `msg_type`. */
export const MSG_TYPES = {
  "Text": 1,
  "Image": 3,
  "Voice": 34,
  "FriendRequest": 37,
  "Card": 42,
  "Video": 43,
  "Emoji": 47,
  "Location": 48,
  "App": 49,
  "ChangeTalker": 51,
  "System": 10000,
  "SysMsg": 10002,
} as const;

/** wxgate's error catalog: `errcode` → name (docs/errors.md explains each). */
export const ERROR_NAMES = {
  422: "VALIDATION",
  40001: "MALFORMED_JSON",
  40002: "UNSUPPORTED_MEDIA_TYPE",
  40101: "MISSING_CREDENTIALS",
  40102: "BAD_CREDENTIALS",
  40103: "BAD_ADMIN_TOKEN",
  40104: "WECHATY_TOKEN_INVALID",
  40105: "ILINK_TOKEN_INVALID",
  40150: "CDN_INFO_INVALID",
  40151: "CDN_INFO_EXPIRED",
  40301: "APP_DISABLED",
  40302: "ADMIN_DISABLED",
  40310: "LOGIN_PIN_WRONG",
  40320: "NOT_ROOM_OWNER",
  40321: "NOT_ROOM_ADMIN",
  40322: "NEW_DEVICE_RISK",
  40323: "SNS_NOT_AUTHOR",
  40340: "SEND_RESTRICTED",
  40341: "AT_ALL_NOT_ALLOWED",
  40350: "CDN_KEY_MISMATCH",
  40351: "CDN_URL_FORBIDDEN",
  40360: "OAUTH_REDIRECT_MISMATCH",
  40361: "OAUTH_SCOPE_NOT_ALLOWED",
  40362: "OPENIM_CARD_BLOCKED",
  40370: "PACING_WARMUP",
  40401: "UNKNOWN_PATH",
  40402: "UNKNOWN_INSTANCE",
  40403: "UNKNOWN_APP",
  40410: "WECHAT_USER_NOT_FOUND",
  40411: "NOT_IN_CONTACTS",
  40412: "SANDBOX_PERSON_NOT_FOUND",
  40413: "SANDBOX_FRIEND_REQUEST_NOT_FOUND",
  40420: "ROOM_NOT_FOUND",
  40421: "ROOM_MEMBER_NOT_FOUND",
  40422: "LABEL_NOT_FOUND",
  40423: "SNS_OBJECT_NOT_FOUND",
  40424: "SNS_COMMENT_NOT_FOUND",
  40425: "ROOM_TOP_MSG_NOT_FOUND",
  40426: "SANDBOX_ROOM_INVITE_NOT_FOUND",
  40440: "MESSAGE_NOT_FOUND",
  40441: "EMOJI_NOT_FOUND",
  40450: "CDN_OBJECT_NOT_FOUND",
  40451: "CDN_LINK_INVALID",
  40452: "VOICE_NOT_FOUND",
  40460: "THIRDPARTY_APP_NOT_FOUND",
  40461: "WXA_SHORT_LINK_NOT_FOUND",
  40462: "OPENIM_CONTACT_NOT_FOUND",
  40463: "OPENIM_RESOURCE_NOT_FOUND",
  40464: "SANDBOX_CORPORATION_NOT_FOUND",
  40470: "VOICE_TRANS_NOT_FOUND",
  40501: "METHOD_NOT_ALLOWED",
  40901: "INSTANCE_STOPPED",
  40902: "NOT_LOGGED_IN",
  40903: "CLIENT_DOWNGRADE",
  40904: "NO_NOTIFY_URL",
  40910: "NOT_A_FRIEND",
  40911: "FRIEND_TICKET_INVALID",
  40912: "ALREADY_LOGGED_IN",
  40913: "NO_LOGIN_IN_PROGRESS",
  40914: "NO_PREVIOUS_LOGIN",
  40915: "LOGIN_TICKET_INVALID",
  40916: "SYNC_FAILED",
  40917: "SANDBOX_LOGIN_STEP",
  40918: "SANDBOX_PERSON_EXISTS",
  40920: "ROOM_FULL",
  40921: "ROOM_INVITE_REQUIRED",
  40922: "ALREADY_ROOM_MEMBER",
  40923: "ROOM_QRCODE_UNAVAILABLE",
  40924: "LABEL_NAME_TAKEN",
  40940: "NOT_ROOM_MEMBER",
  40941: "REVOKE_TIME_LIMIT",
  40942: "MESSAGE_ALREADY_REVOKED",
  40960: "UPSTREAM_REFUSED",
  40961: "UPSTREAM_GUID_TAKEN",
  40970: "CDN_FETCH_FAILED",
  40971: "CDN_MEDIA_UNREADABLE",
  40972: "VOICE_TRANS_STEP",
  40980: "SANDBOX_THIRDPARTY_APP_EXISTS",
  40981: "THIRDPARTY_CODE_INVALID",
  40982: "ILINK_QRCODE_UNKNOWN",
  40983: "ILINK_QRCODE_STEP",
  40984: "ILINK_BAD_REQUEST",
  40985: "ILINK_CONTEXT_MISMATCH",
  40986: "ILINK_MEDIA_UNKNOWN",
  40987: "ILINK_VERIFY_CODE_BLOCKED",
  41301: "BODY_TOO_LARGE",
  41340: "CONTENT_TOO_LONG",
  41350: "CDN_FILE_TOO_LARGE",
  42901: "RATE_LIMITED",
  50001: "INTERNAL",
  50020: "PACED_SEND_INTERRUPTED",
  50101: "NOT_SUPPORTED",
  50102: "ILINK_ITEM_UNSUPPORTED",
  50201: "UPSTREAM_FAILED",
  50210: "UPSTREAM_UNREACHABLE",
  50301: "SHUTTING_DOWN",
  50310: "SPEECH_ENGINE_UNAVAILABLE",
  50311: "SPEECH_ENGINE_FAILED",
  50401: "UPSTREAM_TIMEOUT",
} as const;

export type ErrorName = (typeof ERROR_NAMES)[keyof typeof ERROR_NAMES];