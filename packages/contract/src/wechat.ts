// WeChat's protobuf-JSON building blocks (camelCase, SKBuiltin wrappers) and the request/response shapes several endpoints share.
// Response objects never forbid additional properties: WeChat sends far more keys than are listed, and none may be stripped.
import { Type, type TProperties } from '@sinclair/typebox';
import { XmlText } from './define.ts';
import { Int32, UInt32, UnixSeconds } from './integers.ts';

/** SKBuiltinString: WeChat wraps most strings as `{"string": "…"}`; an empty one is `{}`. */
export const SKString = Type.Object({ string: Type.Optional(Type.String()) }, { description: 'SKBuiltinString' });

/** SKBuiltinBuffer: `{"iLen": n, "buffer": "<base64>"}`. */
export const SKBuffer = Type.Object(
  { iLen: UInt32(), buffer: Type.Optional(Type.String({ contentEncoding: 'base64' })) },
  { description: 'SKBuiltinBuffer' },
);

/** Every WeChat response starts with it; `ret` 0 is success. */
export const BaseResponse = Type.Object({ ret: Int32(), errMsg: SKString }, { description: 'WeChat BaseResponse' });

/** An empty protobuf message: WeChat sends `{}` (never null, never an array). */
const EmptyMessage = (description: string) => Type.Object({}, { description });
/** A uint64 field: WeChat's JSON carries 64-bit values as decimal strings. */
const Uint64 = (description: string) => Type.String({ pattern: '^\\d+$', description: `${description} (uint64 as a decimal string)` });

/** A raw WeChat response: baseResponse plus the call's own fields; unknown keys pass through untouched. */
export function wechatResponse<T extends TProperties = {}>(fields: T = {} as T, description?: string, title?: string) {
  return Type.Object(
    { baseResponse: BaseResponse, ...fields },
    { ...(title ? { title } : {}), ...(description ? { description } : {}) },
  );
}

/** The NewMsg (1010) callback payload, also accepted as `ChatMsgModel` by pinning endpoints. */
export const ChatMsg = Type.Object({
  from_username: Type.String({ description: 'sender wxid; the room id for group messages' }),
  to_username: Type.String(),
  chatroom_sender: Type.String({ default: '', description: 'real sender in groups, else ""' }),
  create_time: UnixSeconds(),
  desc: Type.String({ default: '' }),
  msg_id: Type.String({ description: '64-bit server id as a decimal string' }),
  msg_type: UInt32(),
  chatroom: Type.String({ default: '' }),
  source: XmlText({ default: '', description: '<msgsource> XML' }),
  content: Type.String(),
}, { title: 'ChatMsgModel', description: 'a message as delivered in a 1010 callback' });

/** `refer_msg` of send_refer_msg: becomes `<refermsg>` (msg_id ↔ svrid). */
export const ReferMsg = Type.Object({
  msg_type: UInt32(),
  msg_id: Type.String({ description: 'newMsgId of the quoted message (svrid)' }),
  from_username: Type.String(),
  from_nickname: Type.String({ default: '' }),
  source: XmlText({ default: '', description: '<msgsource> XML of the quoted message' }),
  content: Type.String({ default: '' }),
}, { title: 'ReferMsgModel', description: 'the quoted message' });

/** `base_request` of the private-CDN endpoints, obtained from /cdn/get_cdn_info. */
export const CdnBaseRequest = Type.Object({
  cdn_info: Type.String(),
  client_version: UInt32(),
  device_type: Type.String(),
  username: Type.String(),
}, { title: 'CdnBaseRequest', description: 'from /cdn/get_cdn_info (refreshes every 3 hours)' });

const newMsgId = Type.String({ description: '64-bit server message id as a decimal string; the id to revoke, quote or pin' });

// ── plain acknowledgements ─────────────────────────────────────────────────────────────────────────────

/** Calls where WeChat answers nothing but its BaseResponse. */
export const BaseOnlyResponse = wechatResponse({}, 'WeChat answers only baseResponse; ret 0 = done', 'BaseOnlyResponse');

/** OplogResponse: the answer of every contact/room flag change that goes through WeChat's oplog. */
export const OplogResponse = wechatResponse(
  { ret: Type.Optional(Type.Array(Int32(), { description: 'per-operation ret of the oplog batch (one entry per op)' })) },
  'WeChat OplogResponse',
  'OplogResponse',
);

/** VerifyUserResponse: add_friend, verify_friend, add_chatroom_member_friend. */
export const VerifyUserResponse = wechatResponse(
  { userName: Type.Optional(Type.String({ description: 'the contact acted on (plain string)' })) },
  'WeChat VerifyUserResponse',
  'VerifyUserResponse',
);

// ── contacts and rooms ─────────────────────────────────────────────────────────────────────────────────

/** SnsUserInfo: an account's moments (朋友圈) settings, inside contacts and the profile. */
export const SnsUserInfo = Type.Object({
  snsFlag: Type.Optional(UInt32()),
  snsBgimgId: Type.Optional(Type.String({ description: 'moments cover image URL; absent when the account has none' })),
  snsBgobjectId: Type.Optional(Type.String({ description: '64-bit id as a decimal string' })),
  snsFlagEx: Type.Optional(UInt32()),
  snsPrivacyRecent: Type.Optional(UInt32()),
}, { title: 'SnsUserInfo', description: 'moments settings of an account' });

/** A member in `newChatroomData.chatRoomMember` (plain strings, unlike Contact). */
export const ChatRoomMember = Type.Object({
  userName: Type.String({ description: 'member wxid' }),
  nickName: Type.String(),
  displayName: Type.String({ description: 'the member\'s group nickname (群昵称); "" when not set' }),
  bigHeadImgUrl: Type.String(),
  smallHeadImgUrl: Type.String(),
  chatroomMemberFlag: UInt32(),
  inviterUserName: Type.String({ description: 'wxid of the member who invited this one' }),
}, { title: 'ChatRoomMember', description: 'a member of a chatroom (WeChat ChatRoomMemberInfo)' });

/** The membership summary a room contact carries. */
export const NewChatroomData = Type.Object({
  memberCount: UInt32(),
  chatRoomMember: Type.Optional(Type.Array(ChatRoomMember, { description: 'often empty here; use /room/get_chatroom_member_detail' })),
  infoMask: Type.Optional(UInt32()),
  // An SKBuiltinString in every capture: {} outside a room view, the room id on a room member's contact.
  chatRoomUserName: Type.Optional(SKString),
  watchMemberCount: Type.Optional(UInt32()),
}, { title: 'NewChatroomData', description: 'room membership summary' });


/**
 * ModContact. Observed objects carry 46–55 keys and which ones varies between friends, rooms and official accounts,
 * so only the keys clients rely on (userName, nickName, remark) are required.
 */
export const Contact = Type.Object({
  userName: SKString,
  nickName: SKString,
  remark: SKString,
  pyinitial: Type.Optional(SKString),
  quanPin: Type.Optional(SKString),
  remarkPyinitial: Type.Optional(SKString),
  remarkQuanPin: Type.Optional(SKString),
  alias: Type.Optional(Type.String({ description: 'the WeChat id (微信号) the user chose; "" if none' })),
  sex: Type.Optional(UInt32({ description: '0 unknown, 1 male, 2 female' })),
  country: Type.Optional(Type.String()),
  province: Type.Optional(Type.String()),
  city: Type.Optional(Type.String()),
  signature: Type.Optional(Type.String()),
  bigHeadImgUrl: Type.Optional(Type.String({ description: 'avatar URL; clients read bigHeadImgUrl, else smallHeadImgUrl (some vendor builds wrap URLs in back-ticks)' })),
  smallHeadImgUrl: Type.Optional(Type.String({ description: 'avatar thumbnail URL' })),
  imgBuf: Type.Optional(SKBuffer),
  bitMask: Type.Optional(UInt32()),
  bitVal: Type.Optional(UInt32()),
  verifyFlag: Type.Optional(UInt32({ description: '0 for people; non-zero for verified official accounts' })),
  contactType: Type.Optional(UInt32()),
  addContactScene: Type.Optional(UInt32()),
  deleteFlag: Type.Optional(UInt32()),
  encryptUserName: Type.Optional(Type.String({ description: 'v3_…@stranger ticket of a non-friend' })),
  snsUserInfo: Type.Optional(SnsUserInfo),
  chatRoomOwner: Type.Optional(Type.String({ description: 'rooms: the owner\'s wxid' })),
  chatRoomNotify: Type.Optional(UInt32({ description: 'rooms: 1 notifications on, 0 muted' })),
  chatroomVersion: Type.Optional(UInt32({ description: 'rooms: member-list version' })),
  chatroomMaxCount: Type.Optional(UInt32({ description: 'rooms: member limit' })),
  chatroomAccessType: Type.Optional(UInt32()),
  chatroomStatus: Type.Optional(UInt32()),
  newChatroomData: Type.Optional(NewChatroomData),
  isInChatRoom: Type.Optional(UInt32({ description: 'rooms: 1 while the viewer is a member' })),
  domainList: Type.Optional(EmptyMessage('an empty message, {} in every capture')),
  chatRoomBusinessType: Type.Optional(Uint64('rooms: business type, "0" for ordinary rooms')),
  bitMask2: Type.Optional(Uint64('which bits of bitValue2 are valid')),
  bitValue2: Type.Optional(Uint64('more contact-type bits')),
  textStatusFlag: Type.Optional(UInt32()),
  ringBackSetting: Type.Optional(Type.Object({
    finderObjectId: Type.Optional(Uint64('the Channels video of the ringback tone')),
    startTs: Type.Optional(UnixSeconds()),
    endTs: Type.Optional(UnixSeconds()),
  }, { description: 'ringback tone (彩铃) setting' })),
  contactExtraInfoBuf: Type.Optional(SKBuffer),
  eraseChatRoomMemberData: Type.Optional(UInt32()),
  labelIdList: Type.Optional(Type.String({ description: 'the account\'s labels on the contact, comma-separated ids ("" when none)' })),
}, {
  title: 'Contact',
  description: 'a friend, room (…@chatroom), official account (gh_…) or stranger, as WeChat sends it (get_contact, notify 1200)',
});

/** A per-member result of create/add/delete room-member calls. */
export const ChatRoomMemberResult = Type.Object({
  memberName: SKString,
  memberStatus: Type.Optional(UInt32({ description: '0 = done for this member; other values = WeChat refused it' })),
  nickName: Type.Optional(SKString),
}, { title: 'ChatRoomMemberResult', description: 'outcome for one member of a room-membership change' });

/** add_chatroom_member / del_chatroom_member. */
export const ChatRoomMemberChangeResponse = wechatResponse({
  memberCount: UInt32({ description: 'number of members in memberList' }),
  memberList: Type.Array(ChatRoomMemberResult),
}, 'WeChat Add/DelChatRoomMemberResponse', 'ChatRoomMemberChangeResponse');

// ── sending messages ──────────────────────────────────────────────────────────────────────────────────

/** One entry of NewSendMsgResponse.list. */
export const NewSendMsgResult = Type.Object({
  ret: Int32({ description: 'per-message ret; 0 = sent' }),
  // In wxgate's answers (README example); absent from the captured vendor answer, hence optional.
  toUserName: Type.Optional(SKString),
  msgId: UInt32({ description: 'placeholder (0 in real answers); use newMsgId' }),
  clientMsgId: UInt32({ description: 'client message counter' }),
  createTime: UnixSeconds(),
  serverTime: UnixSeconds(),
  type: UInt32({ description: 'message type: 1 text, 42 card, 48 location' }),
  newMsgId,
}, { title: 'NewSendMsgResult', description: 'result for one sent message' });

/** send_text, send_room_at, send_share_card(_raw), send_location. */
export const NewSendMsgResponse = wechatResponse({
  count: UInt32({ description: 'number of entries in list (1)' }),
  list: Type.Array(NewSendMsgResult),
}, 'WeChat NewSendMsgResponse', 'NewSendMsgResponse');

/** send_file, send_app_msg, send_link_card_cdn, send_mini_app, send_finder_video, send_refer_msg. */
export const SendAppMsgResponse = wechatResponse({
  appId: Type.String({ description: 'app id of the appmsg; "" for links and files' }),
  fromUserName: Type.String({ description: 'this account\'s wxid' }),
  toUserName: Type.String(),
  msgId: UInt32({ description: 'local id' }),
  clientMsgId: Type.String({ description: 'client id (a string in SendAppMsg, unlike newsendmsg)' }),
  createTime: UnixSeconds(),
  type: UInt32({ description: 'message type as WeChat reports it' }),
  newMsgId,
}, 'WeChat SendAppMsgResponse', 'SendAppMsgResponse');

/** One entry of UploadEmojiResponse.emojiItem. */
export const EmojiItemResult = Type.Object({
  ret: Int32({ description: 'per-emoji ret; 0 = sent' }),
  startPos: UInt32(),
  totalLen: UInt32(),
  md5: Type.String({ description: 'md5 of the emoji file' }),
  msgId: UInt32({ description: 'local id' }),
  newMsgId,
}, { title: 'EmojiItemResult', description: 'result for one sent emoji' });

/** send_emoji, send_emoji_url, send_emoji_md5. */
export const EmojiSendResponse = wechatResponse({
  emojiItemCount: UInt32(),
  emojiItem: Type.Array(EmojiItemResult),
}, 'WeChat UploadEmojiResponse', 'EmojiSendResponse');

// ── media (service payloads) ──────────────────────────────────────────────────────────────────────────

/** cdn_upload, private /cloud/upload and /cloud/upload_big: everything send_image / send_video / send_file need. */
export const CdnUploadResult = Type.Object({
  file_id: Type.String({ description: 'CDN file id: hex string beginning 3057020100044b3049…' }),
  aes_key: Type.String({ description: 'AES-128 key, 32 hex chars' }),
  file_size: UInt32({ description: 'size of the plaintext in bytes' }),
  file_md5: Type.String({ description: 'md5 of the plaintext (hex)' }),
  big_file_size: Type.Optional(UInt32({ description: 'size of the HD/original image' })),
  thumb_file_size: Type.Optional(UInt32()),
  thumb_width: Type.Optional(UInt32()),
  thumb_height: Type.Optional(UInt32()),
  file_crc: Type.Optional(UInt32({ description: 'CRC32 of the plaintext (unsigned)' })),
  file_key: Type.Optional(Type.String({ description: 'send_file.file_key; "" if none' })),
}, { title: 'CdnUploadResult', description: 'an uploaded CDN file, ready to be sent' });

/** Every download call: where the decrypted file can be fetched. */
export const CdnDownloadResult = Type.Object({
  url: Type.Optional(Type.String({ description: 'where the decrypted file can be fetched' })),
  download_url: Type.Optional(Type.String({ description: 'the same, under the other name clients probe' })),
  base64: Type.Optional(Type.String({ description: 'wxgate: the decrypted content itself, base64' })),
  file_size: Type.Optional(UInt32({ description: 'wxgate: size of the decrypted content in bytes' })),
  file_md5: Type.Optional(Type.String({ description: 'wxgate: md5 of the decrypted content (hex)' })),
  file_name: Type.Optional(Type.String({ description: 'wxgate: the file name the link serves the content under' })),
  expires_at: Type.Optional(UnixSeconds('wxgate: unix seconds after which url stops working (call again for a new one)')),
}, { title: 'CdnDownloadResult', description: 'a downloaded file; clients read url, then download_url' });

/** SNS-type uploads (gateway and private CDN): a media item for a TimelineObject. */
export const SnsMediaUploadResult = Type.Object({
  url: Type.Optional(Type.String({ description: 'media URL to put in the TimelineObject' })),
  thumb_url: Type.Optional(Type.String()),
  md5: Type.Optional(Type.String()),
  size: Type.Optional(UInt32({ description: 'bytes' })),
  file_id: Type.Optional(Type.String({ description: 'wxgate: the CDN file id behind url' })),
  aes_key: Type.Optional(Type.String({ description: 'wxgate: its AES key (32 hex chars)' })),
  width: Type.Optional(UInt32()),
  height: Type.Optional(UInt32()),
}, { title: 'SnsMediaUploadResult', description: 'an uploaded moments image or video (field names inferred)' });

// ── moments (朋友圈) ──────────────────────────────────────────────────────────────────────────────────

/** SnsCommentInfo: one like, comment or @ on a moments post. */
export const SnsCommentInfo = Type.Object({
  username: Type.String({ description: 'wxid of the liker / commenter' }),
  nickname: Type.Optional(Type.String()),
  type: Type.Optional(UInt32({ description: '1 like, 2 comment' })),
  content: Type.Optional(Type.String()),
  createTime: Type.Optional(UnixSeconds()),
  commentId: Type.Optional(UInt32()),
  replyCommentId: Type.Optional(UInt32()),
  replyUsername: Type.Optional(Type.String()),
  replyNickname: Type.Optional(Type.String()),
}, { title: 'SnsCommentInfo', description: 'a like or comment on a moments post' });

/** SnsObject: one moments post. */
export const SnsObject = Type.Object({
  id: Type.String({ description: '64-bit post id as a decimal string' }),
  username: Type.String({ description: 'author wxid' }),
  nickname: Type.String(),
  createTime: UnixSeconds(),
  objectDesc: SKBuffer,
  likeFlag: UInt32({ description: '1 if this account liked it' }),
  likeCount: UInt32(),
  likeUserList: Type.Array(SnsCommentInfo),
  commentCount: UInt32(),
  commentUserList: Type.Array(SnsCommentInfo),
  withUserCount: UInt32(),
  withUserList: Type.Optional(Type.Array(SnsCommentInfo)),
  deleteFlag: Type.Optional(UInt32()),
  groupUserCount: Type.Optional(UInt32({ description: 'the author\'s view: how many the post was limited to' })),
  groupUser: Type.Optional(Type.Array(SKString, { description: 'the author\'s view: whom the post was limited to' })),
  blackListCount: Type.Optional(UInt32({ description: 'the author\'s view: how many it is hidden from' })),
  blackList: Type.Optional(Type.Array(SKString, { description: 'the author\'s view: whom it is hidden from' })),
}, { title: 'SnsObject', description: 'a moments post; objectDesc.buffer is its TimelineObject XML, base64' });

/** sns_post, sns_comment, sns_like: the post as it is after the change. */
export const SnsObjectResponse = wechatResponse({ snsObject: SnsObject }, 'the post after the change', 'SnsObjectResponse');

// ── labels, OpenIM, local store ───────────────────────────────────────────────────────────────────────

export const LabelPair = Type.Object({
  labelName: Type.String(),
  labelId: UInt32(),
}, { title: 'LabelPair', description: 'a contact label (标签)' });

/** get_contact_label_list, add_contact_label. */
export const LabelListResponse = wechatResponse({
  labelCount: UInt32(),
  labelPairList: Type.Array(LabelPair),
}, 'WeChat contact-label list', 'LabelListResponse');

/** A page read from the vendor's local store (本地存储); row fields unknown. */
export const LocalStorePage = Type.Object({
  list: Type.Optional(Type.Array(Type.Object({}, { description: 'a stored row' }))),
  total: Type.Optional(UInt32({ description: 'rows in all pages' })),
}, { title: 'LocalStorePage', description: 'a page of rows from the vendor\'s local store (shape inferred)' });

/** An OpenIM (WeCom) contact, as in notify 1202; plain strings. */
export const OpenImContact = Type.Object({
  tpUsername: Type.String({ description: 'the contact id (…@openim)' }),
  nickname: Type.String(),
  type: UInt32(),
  source: UInt32(),
  remark: Type.Optional(Type.String()),
  bigHeadimg: Type.Optional(Type.String()),
  smallHeadimg: Type.Optional(Type.String()),
  nicknamePyinit: Type.Optional(Type.String()),
  nicknameQuanpin: Type.Optional(Type.String()),
  remarkPyinit: Type.Optional(Type.String()),
  remarkQuanpin: Type.Optional(Type.String()),
  customInfo: Type.Optional(Type.Object({
    detailVisible: Type.Optional(UInt32()),
    detail: Type.Optional(Type.String({ description: 'JSON string (company, title, …)' })),
  })),
  appId: Type.Optional(Type.String()),
  sex: Type.Optional(UInt32()),
  descWordingId: Type.Optional(Type.String({ description: 'pass to /openim/get_openim_resource as wording_id' })),
  finderUsername: Type.Optional(Type.String()),
  flag: Type.Optional(Type.String()),
}, { title: 'OpenImContact', description: 'a WeCom (企微) contact seen from personal WeChat' });

// ── apps, mini-programs, OAuth ────────────────────────────────────────────────────────────────────────

/** get_a8key, mp_get_a8key. */
export const A8KeyResponse = wechatResponse({
  fullURL: Type.String({ description: 'the resolved URL, with the A8 key appended' }),
  a8Key: Type.String(),
  actionCode: UInt32(),
  title: Type.Optional(Type.String()),
  content: Type.Optional(Type.String()),
}, 'WeChat GetA8KeyResp', 'A8KeyResponse');

export const JsApiBaseResponse = Type.Object({
  errcode: Int32({ description: '0 = ok' }),
  errmsg: Type.String(),
}, { title: 'JsApiBaseResponse', description: 'the mini-program API result inside a WeChat response' });

/** js_operate_wxdata, js_operate_wxdata_vip. */
export const JsOperateWxDataResponse = wechatResponse({
  jsapiBaseresponse: JsApiBaseResponse,
  data: Type.String({ description: 'JSON string returned to the mini-program' }),
}, 'WeChat JSOperateWxDataResponse', 'JsOperateWxDataResponse');

/** oauth_authorize, qrconnect_authorize. */
export const OAuthAuthorizeResponse = wechatResponse({
  appname: Type.Optional(Type.String()),
  appicon: Type.Optional(Type.String({ description: 'icon URL' })),
  scopeList: Type.Optional(Type.Array(Type.Object({}, { description: 'a requested scope' }))),
  redirectUrl: Type.Optional(Type.String({ description: 'set when already authorized' })),
}, 'the authorization page: app and requested scopes', 'OAuthAuthorizeResponse');

/** oauth_authorize_confirm, qrconnect_authorize_confirm. */
export const OAuthConfirmResponse = wechatResponse({
  redirectUrl: Type.Optional(Type.String({ description: 'callback URL carrying ?code=…' })),
}, 'the confirmed authorization', 'OAuthConfirmResponse');

/** resolve_wxa_short_link, resolve_wxa_app_short_link. */
export const WxaShortLinkTarget = Type.Object({
  appid: Type.Optional(Type.String({ description: 'mini-program appid' })),
  path: Type.Optional(Type.String({ description: 'page path' })),
  title: Type.Optional(Type.String({ description: 'page title given when the link was created' })),
}, { title: 'WxaShortLinkTarget', description: 'the mini-program page a short link points to (field names inferred)' });
