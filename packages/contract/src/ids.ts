// WeChat's identifiers (wxids, room ids, tickets, message and object ids, appids), declared once with examples in
// WeChat's own formats: /docs composes every endpoint's examples from the fields' `examples`.
import { Type, type StringOptions } from '@sinclair/typebox';
import { UInt32 } from './integers.ts';

/**
 * The example values, one cast for every endpoint, so the examples read as one account's day: the account itself,
 * two friends, a stranger met through search, a room, a WeCom contact, a mini-program.
 */
export const EXAMPLE = {
  self: 'wxid_k3m9q2x7c1v8b4',
  selfNickname: '张伟',
  friend: 'wxid_p5t8r2w6y9z3a7',
  friendNickname: '李娜',
  friend2: 'wxid_h4n7c0d3f6g9j2',
  room: '48213905716@chatroom',
  /** `encryptUserName` of a stranger: v3_…@stranger (stable per viewer). */
  v3: 'v3_020b3826fd030100000000a8f3c1d2e4b5a69788c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3000000501ea9a3dba12f95f6b60a0536a1adb6@stranger',
  /** An antispam / friend-request ticket: v4_…@stranger. */
  v4: 'v4_000b708f0b0400000100000000e1d2c3b4a5968778695a4b3c2d1e0f1a2b3c4d5e6f708192a3b4c5d6e7f80915@stranger',
  /** A 64-bit server message id (newMsgId) as a decimal string. */
  msgId: '4675281937461029375',
  /** A 64-bit Moments post id as a decimal string. */
  snsId: '7351208836451901734',
  appid: 'wx8c2f7a19d3b4e605',
  openim: '1688506938274651@openim',
  openimRoom: '10867593421@im.chatroom',
  avatar: 'https://wx.qlogo.cn/mmhead/ver_1/Q3auHgzwzM5xkR9dT2bLqXv7nGh1pYcW0eJfKsAaZ8iVuO4mN6rE/0',
  avatarSmall: 'https://wx.qlogo.cn/mmhead/ver_1/Q3auHgzwzM5xkR9dT2bLqXv7nGh1pYcW0eJfKsAaZ8iVuO4mN6rE/132',
} as const;

/**
 * A field with a default is one callers may leave out, so it takes no example from here: an endpoint that wants it in
 * its example says so with `examples` in `options`.
 */
const string = (examples: readonly unknown[], description: string, options: StringOptions) =>
  Type.String({ description, ...(options.default === undefined ? { examples: [...examples] } : {}), ...options });

/** A person's username: `wxid_` + 14 lowercase letters and digits (older accounts chose their own). */
export const Wxid = (description = 'wxid of the contact', options: StringOptions = {}) => string([EXAMPLE.friend], description, options);

/** This account's own wxid, where a field names it. */
export const SelfWxid = (description = 'this account\'s wxid', options: StringOptions = {}) => string([EXAMPLE.self], description, options);

/** The usual target of a call on a contact: a wxid (some calls also take gh_… or a room id). */
export const Username = (description = 'wxid / username of the target contact', options: StringOptions = {}) =>
  string([EXAMPLE.friend], description, options);

/** Where a message goes: a friend's wxid or a room id. */
export const ToUsername = (description = 'receiver wxid or chatroom id', options: StringOptions = {}) =>
  string([EXAMPLE.friend, EXAMPLE.room], description, options);

/** A room (群聊): 11 digits + `@chatroom`, as WeChat names the rooms it creates. */
export const RoomId = (description = 'chatroom id (xxx@chatroom)', options: StringOptions = {}) => string([EXAMPLE.room], description, options);

/** A list of wxids (room members, label targets); two, since a room needs at least two others. */
export const UsernameList = (description = 'list of wxids / chatroom ids') =>
  Type.Array(Wxid(), { description, examples: [[EXAMPLE.friend, EXAMPLE.friend2]] });

/** A message's 64-bit server id (newMsgId, the callback's msg_id), as a decimal string. */
export const MsgId = (description = 'message id (server msg id / new_msg_id as string)', options: StringOptions = {}) =>
  string([EXAMPLE.msgId], description, options);

/** A Moments post id (64-bit, decimal). */
export const SnsObjectId = (description = 'finder/sns object id', options: StringOptions = {}) => string([EXAMPLE.snsId], description, options);

/** A stranger as search_contact and friend requests name them. */
export const V3Username = (description: string, options: StringOptions = {}) => string([EXAMPLE.v3], description, options);

/** The ticket that lets a stranger be added (search_contact's antispamTicket, a friend request's ticket). */
export const V4Ticket = (description: string, options: StringOptions = {}) => string([EXAMPLE.v4], description, options);

/** A mini-program's or web app's appid: `wx` + 16 hex digits. */
export const AppId = (description = 'app id / mini-program appid', options: StringOptions = {}) => string([EXAMPLE.appid], description, options);

/** A WeCom (企微) contact seen from personal WeChat: `…@openim`. */
export const OpenImUsername = (description = 'the WeCom contact (…@openim)', options: StringOptions = {}) =>
  string([EXAMPLE.openim], description, options);

/** An OpenIM (WeCom external) room: `…@im.chatroom`. */
export const OpenImRoomId = (description = 'the OpenIM room (…@im.chatroom)', options: StringOptions = {}) =>
  string([EXAMPLE.openimRoom], description, options);

/** A contact label's id (标签). */
export const LabelId = (description = 'label id (integer)') => UInt32({ description, examples: [3] });

/** An avatar URL on WeChat's image host (qlogo serves the size by the last path segment: /0 full, /132 thumbnail). */
export const AvatarUrl = (description?: string, small = false) =>
  Type.String({ ...(description ? { description } : {}), examples: [small ? EXAMPLE.avatarSmall : EXAMPLE.avatar] });
