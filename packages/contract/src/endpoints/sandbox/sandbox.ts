// wxgate's /sandbox/* extension: control of the simulated WeChat world (people, the phone's side of a login, friend
// requests, injected faults), declared once. Served only by the sandbox driver; never counted against an instance's quota.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, EmptyData, Guid, XmlText } from '../../define.ts';
import { AvatarUrl, EXAMPLE, RoomId, SelfWxid, SnsObjectId, V3Username, V4Ticket, Wxid } from '../../ids.ts';
import { EXAMPLE_UNIX_SECONDS, UInt32, UnixSeconds, Offset, Limit } from '../../integers.ts';


import { SANDBOX_APP_ENDPOINTS } from './sandbox-apps.ts';
import { SANDBOX_MESSAGE_ENDPOINTS } from './sandbox-messages.ts';
import { SANDBOX_OPENIM_ENDPOINTS } from './sandbox-openim.ts';

/** A WeChat id as WeChat allows it: 6–20 letters, digits, `_` or `-`, starting with a letter (wxid_… fits too). */
const ChosenWxid = (description: string) => Wxid(description, { pattern: '^[a-zA-Z][-_a-zA-Z0-9]{5,19}$', examples: [EXAMPLE.friend2] });

/** Add-friend scenes WeChat uses (3 WeChat id, 15 phone, 14 room, 17 card, 30 QR code). */
const Scene = UInt32({ default: 3, description: 'add-friend scene: 3 WeChat id, 15 phone number, 14 room, 17 contact card, 30 QR code' });

const Person = Type.Object({
  wxid: Wxid('the username (wxid_ + 14 characters for new people)', { examples: [EXAMPLE.friend2] }),
  alias: Type.String({ description: 'the WeChat id (微信号) the person chose; "" if none', examples: ['wangfang_1990'] }),
  nickname: Type.String({ examples: ['王芳'] }),
  sex: UInt32({ description: '0 unknown, 1 male, 2 female', examples: [2] }),
  signature: Type.String({ examples: ['今天也要加油鸭'] }),
  country: Type.String({ examples: ['CN'] }),
  province: Type.String({ examples: ['Zhejiang'] }),
  city: Type.String({ examples: ['Hangzhou'] }),
  phone: Type.String({ description: 'phone number to find the person by (search_scene 1); "" if none', examples: ['13800138000'] }),
  qq: Type.String({ description: 'QQ number to find the person by (search_scene 3); "" if none', examples: [''] }),
  big_head_img_url: AvatarUrl(),
  small_head_img_url: AvatarUrl(undefined, true),
  needs_verification: Type.Boolean({ description: 'false: anyone who adds this person becomes a friend at once (WeChat\'s 加我为朋友时需要验证 off)', examples: [true] }),
  kind: Type.Union([Type.Literal('account'), Type.Literal('simulated')], {
    description: '`account`: has logged in on one of your instances; `simulated`: only ever acted through /sandbox/*',
    examples: ['simulated'],
  }),
  logged_in_guid: Type.String({ description: 'the instance this person is logged in on, "" when none', examples: [''] }),
  contact_count: UInt32({ description: 'entries in this person\'s contact list', examples: [1] }),
  created_at: UnixSeconds(),
}, { title: 'SandboxPerson', description: 'a person in the sandbox world' });

export const sandboxEndpoints = defineModule('sandbox', [
  endpoint({
    path: '/sandbox/people/create',
    module: 'sandbox',
    summaryZh: '创建模拟用户',
    summaryEn: 'Create a person in your app\'s simulated WeChat world',
    description: 'Every field is optional: missing ones get plausible values (a new wxid_, a nickname, an avatar URL). `friends` makes the new person and each listed person friends at once (both contact entries, no events: the world is being set up).',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      wxid: Type.Optional(ChosenWxid('username; omitted = a new wxid_…')),
      alias: Type.Optional(Type.String({ pattern: '^([a-zA-Z][-_a-zA-Z0-9]{5,19})?$', description: 'WeChat id (微信号): 6–20 letters, digits, _ or -, starting with a letter', examples: ['wangfang_1990'] })),
      nickname: Type.Optional(Type.String({ minLength: 1, maxLength: 64, examples: ['王芳'] })),
      sex: Type.Optional(UInt32({ maximum: 2, description: '0 unknown, 1 male, 2 female', examples: [2] })),
      signature: Type.Optional(Type.String({ maxLength: 200 })),
      country: Type.Optional(Type.String({ maxLength: 32, description: 'ISO code as WeChat sends it, e.g. CN' })),
      province: Type.Optional(Type.String({ maxLength: 64, examples: ['Zhejiang'] })),
      city: Type.Optional(Type.String({ maxLength: 64, examples: ['Hangzhou'] })),
      phone: Type.Optional(Type.String({ pattern: '^(\\+?[0-9]{5,15})?$', description: 'phone number (digits, optional leading +)', examples: ['13800138000'] })),
      qq: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{4,11})?$', description: 'QQ number' })),
      avatar_url: Type.Optional(Type.String({ maxLength: 1024, description: 'avatar URL (big and small)' })),
      needs_verification: Type.Optional(Type.Boolean({ default: true, description: 'whether adding this person needs their acceptance' })),
      // No example: the people it names must exist already, so the example would fail as it stands.
      friends: Type.Optional(Type.Array(Type.String(), { maxItems: 1000, description: 'wxids of existing people to be friends with from the start' })),
    }),
    response: Person,
  }),
  endpoint({
    path: '/sandbox/people/list',
    module: 'sandbox',
    summaryZh: '模拟用户列表',
    summaryEn: 'List the people of your app\'s simulated world, oldest first',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      offset: Type.Optional(Offset()),
      limit: Type.Optional(Limit(1000, 100)),
    }),
    response: Type.Object({
      total: UInt32({ description: 'people in the world', examples: [1] }),
      people: Type.Array(Person),
    }, { description: 'one page of people' }),
  }),
  endpoint({
    path: '/sandbox/login/scan',
    module: 'sandbox',
    summaryZh: '模拟手机扫码登录',
    summaryEn: 'Act as the phone on an instance\'s login: scan the QR code, confirm, cancel, or confirm with device verification',
    description: [
      '`scan` (QR waiting → 1 scanned; `wxid` picks who scans, omitted = a new person), then one of `confirm` (→ 2 logged in),',
      '`cancel` (→ 4) or `verify` (the phone confirms but WeChat asks for device verification: the instance sees status 1 with',
      '`auth_url`; the answer here carries the `pin` the phone shows, for /login/verify_login_url). A login pushed with',
      '/login/push_login_url is already scanned by its person: `confirm` or `cancel` it.',
    ].join(' '),
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({
      guid: Guid,
      action: Type.Union([Type.Literal('scan'), Type.Literal('confirm'), Type.Literal('cancel'), Type.Literal('verify')]),
      // No example: a newcomer's first scan (the example as it stands) should make a new person, not name a missing one.
      wxid: Type.Optional(Type.String({ description: 'who holds the phone (scan only; must match the scanner afterwards); omitted on scan = a new person' })),
    }),
    response: Type.Object({
      status: UInt32({ description: 'the QR state the instance now sees: 1 scanned, 2 confirmed, 4 cancelled', examples: [1] }),
      uuid: Type.String({ description: 'the login session', examples: ['gZ8xQm2Kc4Rt7WvN1pLa'] }),
      wxid: SelfWxid('the person holding the phone'),
      nick_name: Type.String({ examples: [EXAMPLE.selfNickname] }),
      pin: Type.Optional(Type.String({ description: 'verify: the code the phone shows, to pass to /login/verify_login_url' })),
      ticket: Type.Optional(Type.String({ description: 'verify: the ticket carried by auth_url' })),
    }, { description: 'what the phone did' }),
  }),
  endpoint({
    path: '/sandbox/friend/request',
    module: 'sandbox',
    summaryZh: '模拟发送好友请求',
    summaryEn: 'Send a friend request from one person to another, as the sender\'s phone',
    description: 'The receiver\'s instance (if the receiver is logged in) gets a 1010 with msg_type 37. A receiver who does not need verification becomes a friend at once (status `accepted`).',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      from_wxid: Wxid('who sends the request', { examples: [EXAMPLE.friend2] }),
      to_wxid: SelfWxid('who receives it'),
      verify_content: Type.Optional(Type.String({ default: '', maxLength: 200, description: 'the greeting', examples: ['你好，我是王芳，在产品交流群里见过'] })),
      scene: Type.Optional(Scene),
    }),
    response: Type.Object({
      status: Type.Union([Type.Literal('pending'), Type.Literal('accepted')]),
      encryptusername: V3Username('v3_…@stranger: the sender as the receiver sees them'),
      ticket: V4Ticket('v4_…@stranger: the request\'s ticket for /contact/verify_friend'),
      scene: UInt32({ examples: [3] }),
      expired_time: UnixSeconds('unix seconds after which the request can no longer be accepted', { examples: [EXAMPLE_UNIX_SECONDS + 7 * 86_400] }),
    }, { description: 'the request as sent' }),
  }),
  endpoint({
    path: '/sandbox/friend/accept',
    module: 'sandbox',
    summaryZh: '模拟通过好友请求',
    summaryEn: 'Accept a pending friend request, as the receiver\'s phone',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      from_wxid: SelfWxid('who sent the request'),
      to_wxid: Wxid('who accepts it', { examples: [EXAMPLE.friend2] }),
    }),
    response: EmptyData,
  }),
  endpoint({
    path: '/sandbox/friend/delete',
    module: 'sandbox',
    summaryZh: '模拟删除好友',
    summaryEn: 'Delete a friend from one person\'s contact list, as their phone (one-sided, as in WeChat)',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      wxid: Wxid('whose contact list changes'),
      contact_wxid: SelfWxid('the friend to remove from it'),
    }),
    response: EmptyData,
  }),
  endpoint({
    path: '/sandbox/room/create',
    module: 'sandbox',
    summaryZh: '模拟用户创建群聊',
    summaryEn: 'Create a room as a person\'s phone (WeChat\'s rules: at least 2 others, all friends of the creator)',
    description: 'Members who are logged in get what /room/create_chatroom raises: 1200 (the room), 1042 RoomAdd and the 10000 "…邀请…加入了群聊".',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      owner_wxid: Wxid('who creates the room (becomes its owner)'),
      member_wxids: Type.Array(Type.String(), {
        maxItems: 499, description: 'the others: at least 2, all in the owner\'s contact list', examples: [[EXAMPLE.self, EXAMPLE.friend2]],
      }),
      name: Type.Optional(Type.String({ maxLength: 64, default: '', description: 'the room name; "" = unnamed', examples: ['周末羽毛球群'] })),
    }),
    response: Type.Object({
      room_username: RoomId('the new room id (…@chatroom)'),
      member_count: UInt32({ examples: [3] }),
    }, { description: 'the room as created' }),
  }),
  endpoint({
    path: '/sandbox/room/join',
    module: 'sandbox',
    summaryZh: '模拟接受群邀请',
    summaryEn: 'Accept a room invitation (the card /room/invite_chatroom_member sent), as the invitee\'s phone',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      room_username: RoomId('the room id (…@chatroom)'),
      wxid: Wxid('the invitee', { examples: [EXAMPLE.friend2] }),
    }),
    response: Type.Object({
      member_count: UInt32({ description: 'members after joining', examples: [4] }),
      inviter_wxid: SelfWxid('who sent the invitation'),
    }, { description: 'the invitee is a member now' }),
  }),
  endpoint({
    path: '/sandbox/room/set_admin',
    module: 'sandbox',
    summaryZh: '模拟群主设置群管理员',
    summaryEn: 'Make a member an admin of a room (or no longer one), as the owner\'s phone',
    description: 'Admins (群管理员) may remove members, set the announcement and pin messages like the owner. Members get 1200 and 1047 RoomMemberUpdate.',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      room_username: RoomId('the room id (…@chatroom)'),
      wxid: Wxid('the owner (anyone else is refused)'),
      member_wxid: Wxid('the member to appoint or dismiss', { examples: [EXAMPLE.friend2] }),
      admin: Type.Optional(Type.Boolean({ default: true, description: 'true appoints, false dismisses' })),
    }),
    response: EmptyData,
  }),
  endpoint({
    path: '/sandbox/room/dissolve',
    module: 'sandbox',
    summaryZh: '模拟群主解散群聊',
    summaryEn: 'Dissolve a room, as its owner\'s phone: every logged-in member gets 1045 RoomDisband',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      room_username: RoomId('the room id (…@chatroom)'),
      wxid: Wxid('the owner (anyone else is refused)'),
    }),
    response: Type.Object({
      members_removed: UInt32({ description: 'members the room had', examples: [4] }),
    }, { description: 'the room is gone' }),
  }),
  endpoint({
    path: '/sandbox/sns/post',
    module: 'sandbox',
    summaryZh: '模拟用户发朋友圈',
    summaryEn: 'Post to Moments as a person\'s phone',
    description: 'Either `content` (a text post) or `object_desc` (TimelineObject XML, plain or base64, as /sns/sns_post takes it). Visibility as /sns/sns_post: `group_user_list` limits it to those friends, `block_user_list` hides it from them.',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      wxid: Wxid('the author'),
      content: Type.Optional(Type.String({ maxLength: 2000, description: 'text of a text post', examples: ['新年快乐！'] })),
      object_desc: Type.Optional(XmlText({ description: 'TimelineObject XML (plain or base64) instead of content' }, 'base64')),
      group_user_list: Type.Optional(Type.Array(Type.String(), { description: 'only these friends may see it' })),
      block_user_list: Type.Optional(Type.Array(Type.String(), { description: 'these friends may not see it' })),
      with_user_list: Type.Optional(Type.Array(Type.String(), { description: 'friends mentioned (提醒谁看)' })),
    }),
    response: Type.Object({
      object_id: SnsObjectId('the post id (64-bit, decimal)'),
      create_time: UnixSeconds(),
    }, { description: 'the post' }),
  }),
  endpoint({
    path: '/sandbox/sns/comment',
    module: 'sandbox',
    summaryZh: '模拟用户评论朋友圈',
    summaryEn: 'Comment on a Moments post (or reply to a comment) as a person\'s phone',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      wxid: Wxid('the commenter (must be able to see the post)', { examples: [EXAMPLE.friend2] }),
      object_id: SnsObjectId('the post id'),
      content: Type.String({ minLength: 1, maxLength: 2000, examples: ['同乐同乐！'] }),
      reply_comment_id: Type.Optional(Type.String({ default: '0', description: 'the comment replied to; \'0\' = on the post' })),
    }),
    response: Type.Object({
      comment_id: UInt32({ description: 'the new comment\'s id on the post', examples: [2] }),
    }, { description: 'the comment' }),
  }),
  endpoint({
    path: '/sandbox/sns/like',
    module: 'sandbox',
    summaryZh: '模拟用户点赞朋友圈',
    summaryEn: 'Like (or unlike) a Moments post as a person\'s phone',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      wxid: Wxid('who likes (must be able to see the post)', { examples: [EXAMPLE.friend2] }),
      object_id: SnsObjectId('the post id'),
      status: Type.Optional(UInt32({ maximum: 1, default: 1, description: '1 like, 0 unlike; repeating either changes nothing' })),
    }),
    response: Type.Object({
      like_count: UInt32({ description: 'likes on the post now', examples: [1] }),
    }, { description: 'the post\'s likes' }),
  }),
  endpoint({
    path: '/sandbox/faults/inject',
    module: 'sandbox',
    summaryZh: '注入故障',
    summaryEn: 'Make something go wrong on an instance\'s session, as it does on real WeChat',
    description: [
      '`logout`: logged out from the phone (1004). `heartbeat_error`: the long link dropped and was re-established (1006).',
      '`session_timeout`: WeChat ended the session (1007, then 1004). `sync_failed`: message sync broke (2006); WeChat',
      'calls answer SYNC_FAILED until /client/restore_client. `login_failed`: the login in progress fails (1008, QR status 4).',
    ].join(' '),
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({
      guid: Guid,
      fault: Type.Union([
        Type.Literal('logout'), Type.Literal('heartbeat_error'), Type.Literal('session_timeout'), Type.Literal('sync_failed'), Type.Literal('login_failed'),
      ]),
    }),
    response: Type.Object({
      notify_types: Type.Array(UInt32(), { description: 'the callbacks the fault produced, in order', examples: [[1004]] }),
    }, { description: 'what happened' }),
  }),
  ...SANDBOX_MESSAGE_ENDPOINTS,
  ...SANDBOX_APP_ENDPOINTS,
  ...SANDBOX_OPENIM_ENDPOINTS,
  endpoint({
    path: '/sandbox/world/reset',
    module: 'sandbox',
    summaryZh: '重置模拟世界',
    summaryEn: 'Empty your app\'s simulated world: every person, contact and request; logged-in instances are logged out',
    description: 'The world is shared by all instances of the app, so a reset is app-wide: every instance logged in to it is logged out. '
      + 'The call takes no `guid`; one given is refused (422 `extra_forbidden`) rather than ignored. To log one instance out, use /user/logout.',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({}, { additionalProperties: false }),
    response: Type.Object({
      people_removed: UInt32(),
      logged_out: Type.Array(Type.String({ format: 'uuid' }), { description: 'instances that were logged in (each got a 1004)' }),
    }, { description: 'what was removed' }),
  }),
] as const);
