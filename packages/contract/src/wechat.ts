// WeChat's protobuf-JSON shapes that several endpoints share: acknowledgements, contacts and rooms here; messages,
// media, Moments and apps in their own files, all re-exported from here.
// Response objects never forbid additional properties: WeChat sends far more keys than are listed, and none may be stripped.
import { Type } from '@sinclair/typebox';
import { EXAMPLE } from './ids.ts';
import { Int32, UInt32 } from './integers.ts';
import { EmptyMessage, SKBuffer, SKString, SKStringOf, Uint64, wechatResponse } from './wechat-base.ts';

export * from './wechat-base.ts';
export * from './wechat-messages.ts';
export * from './wechat-media.ts';
export * from './wechat-sns.ts';
export * from './wechat-apps.ts';

// ── plain acknowledgements ─────────────────────────────────────────────────────────────────────────────

/** Calls where WeChat answers nothing but its BaseResponse. */
export const BaseOnlyResponse = wechatResponse({}, 'WeChat answers only baseResponse; ret 0 = done', 'BaseOnlyResponse');

/** OplogResponse: the answer of every contact/room flag change that goes through WeChat's oplog. */
export const OplogResponse = wechatResponse(
  { ret: Type.Optional(Type.Array(Int32(), { description: 'per-operation ret of the oplog batch (one entry per op)', examples: [[0]] })) },
  'WeChat OplogResponse',
  'OplogResponse',
);

/** VerifyUserResponse: add_friend, verify_friend, add_chatroom_member_friend. */
export const VerifyUserResponse = wechatResponse(
  { userName: Type.Optional(Type.String({ description: 'the contact acted on (plain string)', examples: [EXAMPLE.friend] })) },
  'WeChat VerifyUserResponse',
  'VerifyUserResponse',
);

// ── contacts and rooms ─────────────────────────────────────────────────────────────────────────────────

/** SnsUserInfo: an account's moments (朋友圈) settings, inside contacts and the profile. */
export const SnsUserInfo = Type.Object({
  snsFlag: Type.Optional(UInt32({ examples: [1] })),
  snsBgimgId: Type.Optional(Type.String({ description: 'moments cover image URL; absent when the account has none' })),
  snsBgobjectId: Type.Optional(Type.String({ description: '64-bit id as a decimal string', examples: ['0'] })),
  snsFlagEx: Type.Optional(UInt32()),
  snsPrivacyRecent: Type.Optional(UInt32()),
}, { title: 'SnsUserInfo', description: 'moments settings of an account' });

/** A member in `newChatroomData.chatRoomMember` (plain strings, unlike Contact). */
export const ChatRoomMember = Type.Object({
  userName: Type.String({ description: 'member wxid', examples: [EXAMPLE.friend] }),
  nickName: Type.String({ examples: [EXAMPLE.friendNickname] }),
  displayName: Type.String({ description: 'the member\'s group nickname (群昵称); "" when not set', examples: ['产品部-李娜'] }),
  bigHeadImgUrl: Type.String({ examples: [EXAMPLE.avatar] }),
  smallHeadImgUrl: Type.String({ examples: [EXAMPLE.avatarSmall] }),
  chatroomMemberFlag: UInt32(),
  inviterUserName: Type.String({ description: 'wxid of the member who invited this one', examples: [EXAMPLE.self] }),
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
 * so only the keys clients rely on (userName, nickName, remark) are required. The examples are a friend's.
 */
export const Contact = Type.Object({
  userName: SKStringOf(EXAMPLE.friend),
  nickName: SKStringOf(EXAMPLE.friendNickname),
  remark: SKStringOf('李娜-产品'),
  pyinitial: Type.Optional(SKStringOf('LN')),
  quanPin: Type.Optional(SKStringOf('lina')),
  remarkPyinitial: Type.Optional(SKStringOf('LNCP')),
  remarkQuanPin: Type.Optional(SKStringOf('linachanpin')),
  alias: Type.Optional(Type.String({ description: 'the WeChat id (微信号) the user chose; "" if none', examples: ['lina_0521'] })),
  sex: Type.Optional(UInt32({ description: '0 unknown, 1 male, 2 female', examples: [2] })),
  country: Type.Optional(Type.String({ examples: ['CN'] })),
  province: Type.Optional(Type.String({ examples: ['Guangdong'] })),
  city: Type.Optional(Type.String({ examples: ['Shenzhen'] })),
  signature: Type.Optional(Type.String({ examples: ['保持热爱，奔赴山海'] })),
  bigHeadImgUrl: Type.Optional(Type.String({ description: 'avatar URL; clients read bigHeadImgUrl, else smallHeadImgUrl (some vendor builds wrap URLs in back-ticks)', examples: [EXAMPLE.avatar] })),
  smallHeadImgUrl: Type.Optional(Type.String({ description: 'avatar thumbnail URL', examples: [EXAMPLE.avatarSmall] })),
  imgBuf: Type.Optional(SKBuffer),
  bitMask: Type.Optional(UInt32()),
  bitVal: Type.Optional(UInt32()),
  verifyFlag: Type.Optional(UInt32({ description: '0 for people; non-zero for verified official accounts' })),
  contactType: Type.Optional(UInt32()),
  addContactScene: Type.Optional(UInt32({ examples: [3] })),
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
    startTs: Type.Optional(UInt32({ description: 'unix seconds' })),
    endTs: Type.Optional(UInt32({ description: 'unix seconds' })),
  }, { description: 'ringback tone (彩铃) setting' })),
  contactExtraInfoBuf: Type.Optional(SKBuffer),
  eraseChatRoomMemberData: Type.Optional(UInt32()),
  labelIdList: Type.Optional(Type.String({ description: 'the account\'s labels on the contact, comma-separated ids ("" when none)', examples: ['3,5'] })),
}, {
  title: 'Contact',
  description: 'a friend, room (…@chatroom), official account (gh_…) or stranger, as WeChat sends it (get_contact, notify 1200)',
});

/** A per-member result of create/add/delete room-member calls. */
export const ChatRoomMemberResult = Type.Object({
  memberName: SKStringOf(EXAMPLE.friend),
  memberStatus: Type.Optional(UInt32({ description: '0 = done for this member; other values = WeChat refused it', examples: [0] })),
  nickName: Type.Optional(SKStringOf(EXAMPLE.friendNickname)),
}, { title: 'ChatRoomMemberResult', description: 'outcome for one member of a room-membership change' });

/** add_chatroom_member / del_chatroom_member. */
export const ChatRoomMemberChangeResponse = wechatResponse({
  memberCount: UInt32({ description: 'number of members in memberList', examples: [1] }),
  memberList: Type.Array(ChatRoomMemberResult),
}, 'WeChat Add/DelChatRoomMemberResponse', 'ChatRoomMemberChangeResponse');
