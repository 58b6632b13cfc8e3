// The `data` of every callback by `notify_type`, so the SDK types a verified webhook or a streamed event per type.
// Required keys are the ones real traffic always carries (docs/callbacks.md "Field types" lists the evidence); the
// notices the vendor never published (login, session, room notices) are wxgate's own shapes, and a relay forwards its
// upstream's as they come, so their keys are optional.
import { Type, type TSchema } from '@sinclair/typebox';
import { NOTIFY_TYPES } from './events.ts';
import { EXAMPLE } from './ids.ts';
import { UInt32, UnixSeconds } from './integers.ts';
import { ChatMsg, Contact, OpenImContact, SKStringOf } from './wechat.ts';

/** 1010: the 11 keys of every captured NewMsg (13 captured webhooks, 52,554 real events). */
export const NewMsgPayload = Type.Object({
  ...ChatMsg.properties,
  is_chatroom_msg: UInt32({ description: '1 in groups, else 0', examples: [1] }),
}, { title: 'NewMsg', description: 'a message as a 1010 callback delivers it' });

/** Who and why: 1004, 1006, 1007 and 2006. */
const SessionNotice = Type.Object({
  wxid: Type.Optional(Type.String({ examples: [EXAMPLE.self] })),
  reason: Type.Optional(Type.String()),
  time: Type.Optional(UnixSeconds()),
}, { title: 'SessionNotice' });

const AccountNotice = Type.Object({ wxid: Type.Optional(Type.String({ examples: [EXAMPLE.self] })) }, { title: 'AccountNotice' });

/** 1042–1048: the room, who acted and which members. */
const RoomNotice = Type.Object({
  chatroom: Type.Optional(Type.String({ examples: [EXAMPLE.room] })),
  chatroom_name: Type.Optional(Type.String()),
  operator: Type.Optional(Type.String({ description: 'wxid of who made the change' })),
  member_list: Type.Optional(Type.Array(Type.String(), { description: 'wxids of the members concerned' })),
  member_count: Type.Optional(UInt32()),
  time: Type.Optional(UnixSeconds()),
}, { title: 'RoomNotice' });

/** `data` of each callback, keyed by its `notify_type` (0 is the `/events/test` probe). */
export const CALLBACK_PAYLOADS = {
  0: Type.Object({
    test: Type.Literal(true),
    message: Type.String(),
    sent_at: UnixSeconds(),
  }, { title: 'TestCallback', description: 'the signed probe of /events/test' }),
  [NOTIFY_TYPES.Ready]: AccountNotice,
  [NOTIFY_TYPES.LoginQRCodeChange]: Type.Object({
    status: Type.Optional(UInt32({ description: 'QR status as check_login_qrcode answers it' })),
    uuid: Type.Optional(Type.String()),
    qrcode_content: Type.Optional(Type.String({ description: 'absent when the login was pushed to the phone' })),
    expired_time: Type.Optional(UInt32({ description: 'seconds left' })),
    nick_name: Type.Optional(Type.String({ description: 'once scanned' })),
    head_img_url: Type.Optional(Type.String({ description: 'once scanned' })),
    auth_url: Type.Optional(Type.String({ description: 'when WeChat asks for device verification' })),
    wxid: Type.Optional(Type.String({ description: 'once confirmed' })),
  }, { title: 'LoginQRCodeChange' }),
  [NOTIFY_TYPES.UserLogin]: Type.Object({
    wxid: Type.Optional(Type.String({ examples: [EXAMPLE.self] })),
    nick_name: Type.Optional(Type.String()),
    alias: Type.Optional(Type.String()),
    head_img_url: Type.Optional(Type.String()),
    login_time: Type.Optional(UnixSeconds()),
  }, { title: 'UserLogin' }),
  [NOTIFY_TYPES.UserLogout]: SessionNotice,
  [NOTIFY_TYPES.InitFinish]: AccountNotice,
  [NOTIFY_TYPES.HeartBeatError]: SessionNotice,
  [NOTIFY_TYPES.SessionTimeout]: SessionNotice,
  [NOTIFY_TYPES.LoginFailed]: Type.Object({
    uuid: Type.Optional(Type.String()),
    wxid: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    time: Type.Optional(UnixSeconds()),
  }, { title: 'LoginFailed' }),
  [NOTIFY_TYPES.ContactSyncFinish]: Type.Object({
    wxid: Type.Optional(Type.String({ examples: [EXAMPLE.self] })),
    contact_count: Type.Optional(UInt32()),
  }, { title: 'ContactSyncFinish' }),
  [NOTIFY_TYPES.NewMsg]: NewMsgPayload,
  [NOTIFY_TYPES.BatchNewMsg]: Type.Array(NewMsgPayload, { description: '1010 messages batched by /events/set_filters batch_window_ms' }),
  [NOTIFY_TYPES.ContactInfoChange]: Contact,
  [NOTIFY_TYPES.FriendAdd]: Contact,
  [NOTIFY_TYPES.FriendDel]: Contact,
  [NOTIFY_TYPES.RoomAdd]: RoomNotice,
  [NOTIFY_TYPES.RoomQuit]: RoomNotice,
  [NOTIFY_TYPES.RoomDelMe]: RoomNotice,
  [NOTIFY_TYPES.RoomDisband]: RoomNotice,
  [NOTIFY_TYPES.RoomMemberAdd]: RoomNotice,
  [NOTIFY_TYPES.RoomMemberUpdate]: RoomNotice,
  [NOTIFY_TYPES.RoomMemberDel]: RoomNotice,
  [NOTIFY_TYPES.ModContact]: Contact,
  // Exactly as the 3 captured DelContact events.
  [NOTIFY_TYPES.DelContact]: Type.Object({
    userName: SKStringOf(EXAMPLE.friend),
    deleteContactScene: UInt32(),
  }, { title: 'DelContact' }),
  [NOTIFY_TYPES.OpenImContactAdd]: OpenImContact,
  [NOTIFY_TYPES.OpenImContactDel]: OpenImContact,
  [NOTIFY_TYPES.OpenImRoomContactChange]: Type.Object({
    chatroomUsername: Type.Optional(Type.String({ description: 'the WeCom room (…@im.chatroom)' })),
    nickname: Type.Optional(Type.String()),
    ownerUsername: Type.Optional(Type.String()),
    memberCount: Type.Optional(UInt32()),
    serverVersion: Type.Optional(UInt32()),
    createTime: Type.Optional(UnixSeconds()),
    changeType: Type.Optional(Type.String()),
    changedUsernames: Type.Optional(Type.Array(Type.String())),
  }, { title: 'OpenImRoomContactChange' }),
  [NOTIFY_TYPES.SyncMsgFailed]: SessionNotice,
  // wxgate's own (docs/pacing.md): told once per queued send, when it went or failed.
  [NOTIFY_TYPES.PacedSendResult]: Type.Object({
    queue_id: Type.String({ description: 'the queue_id the call answered', examples: ['psq_9f2c4e1a0b3d4c5e8f7a6b5c4d3e2f1a'] }),
    path: Type.String({ description: 'the endpoint called', examples: ['/msg/send_text'] }),
    enqueued_at: UnixSeconds('unix seconds the call was queued'),
    ok: Type.Boolean({ description: 'true: `result` holds the answer; false: `error` says why' }),
    result: Type.Optional(Type.Unknown({ description: 'the answer the call would have given unpaced (WeChat\'s object for a send)' })),
    error: Type.Optional(Type.Object({
      code: UInt32({ description: 'the catalog code the call would have answered (50020: interrupted by a crash, not resent)', examples: [50020] }),
      message: Type.String(),
      data: Type.Unknown({ description: 'the error\'s detail, null when none' }),
    })),
  }, { title: 'PacedSendResult', description: 'the real result of a send the instance\'s send pacing queued' }),
} as const satisfies { readonly [T in (typeof NOTIFY_TYPES)[keyof typeof NOTIFY_TYPES] | 0]: TSchema };
