// wxgate's /sandbox/* extension: control of the simulated WeChat world (people, the phone's side of a login, friend
// requests, injected faults), declared once. Served only by the sandbox driver; never counted against an instance's quota.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, EmptyData, Guid } from '../define.ts';

/** A WeChat id as WeChat allows it: 6–20 letters, digits, `_` or `-`, starting with a letter (wxid_… fits too). */
const Wxid = (description: string) => Type.String({ pattern: '^[a-zA-Z][-_a-zA-Z0-9]{5,19}$', description, examples: ['wxid_k3m9q2x7c1v8b4'] });

/** Add-friend scenes WeChat uses (3 WeChat id, 15 phone, 14 room, 17 card, 30 QR code). */
const Scene = Type.Integer({ minimum: 0, default: 3, description: 'add-friend scene: 3 WeChat id, 15 phone number, 14 room, 17 contact card, 30 QR code' });

const Person = Type.Object({
  wxid: Type.String({ description: 'the username (wxid_ + 14 characters for new people)' }),
  alias: Type.String({ description: 'the WeChat id (微信号) the person chose; "" if none' }),
  nickname: Type.String(),
  sex: Type.Integer({ description: '0 unknown, 1 male, 2 female' }),
  signature: Type.String(),
  country: Type.String(),
  province: Type.String(),
  city: Type.String(),
  phone: Type.String({ description: 'phone number to find the person by (search_scene 1); "" if none' }),
  qq: Type.String({ description: 'QQ number to find the person by (search_scene 3); "" if none' }),
  big_head_img_url: Type.String(),
  small_head_img_url: Type.String(),
  needs_verification: Type.Boolean({ description: 'false: anyone who adds this person becomes a friend at once (WeChat\'s 加我为朋友时需要验证 off)' }),
  kind: Type.Union([Type.Literal('account'), Type.Literal('simulated')], { description: '`account`: has logged in on one of your instances; `simulated`: only ever acted through /sandbox/*' }),
  logged_in_guid: Type.String({ description: 'the instance this person is logged in on, "" when none' }),
  contact_count: Type.Integer({ description: 'entries in this person\'s contact list' }),
  created_at: Type.Integer({ description: 'unix seconds' }),
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
      wxid: Type.Optional(Wxid('username; omitted = a new wxid_…')),
      alias: Type.Optional(Type.String({ pattern: '^([a-zA-Z][-_a-zA-Z0-9]{5,19})?$', description: 'WeChat id (微信号): 6–20 letters, digits, _ or -, starting with a letter' })),
      nickname: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      sex: Type.Optional(Type.Integer({ minimum: 0, maximum: 2, description: '0 unknown, 1 male, 2 female' })),
      signature: Type.Optional(Type.String({ maxLength: 200 })),
      country: Type.Optional(Type.String({ maxLength: 32, description: 'ISO code as WeChat sends it, e.g. CN' })),
      province: Type.Optional(Type.String({ maxLength: 64 })),
      city: Type.Optional(Type.String({ maxLength: 64 })),
      phone: Type.Optional(Type.String({ pattern: '^(\\+?[0-9]{5,15})?$', description: 'phone number (digits, optional leading +)' })),
      qq: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{4,11})?$', description: 'QQ number' })),
      avatar_url: Type.Optional(Type.String({ maxLength: 1024, description: 'avatar URL (big and small)' })),
      needs_verification: Type.Optional(Type.Boolean({ default: true, description: 'whether adding this person needs their acceptance' })),
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
      offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
      limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    }),
    response: Type.Object({
      total: Type.Integer({ description: 'people in the world' }),
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
      wxid: Type.Optional(Type.String({ description: 'who holds the phone (scan only; must match the scanner afterwards); omitted on scan = a new person' })),
    }),
    response: Type.Object({
      status: Type.Integer({ description: 'the QR state the instance now sees: 1 scanned, 2 confirmed, 4 cancelled' }),
      uuid: Type.String({ description: 'the login session' }),
      wxid: Type.String({ description: 'the person holding the phone' }),
      nick_name: Type.String(),
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
      from_wxid: Type.String({ description: 'who sends the request' }),
      to_wxid: Type.String({ description: 'who receives it' }),
      verify_content: Type.Optional(Type.String({ default: '', maxLength: 200, description: 'the greeting' })),
      scene: Type.Optional(Scene),
    }),
    response: Type.Object({
      status: Type.Union([Type.Literal('pending'), Type.Literal('accepted')]),
      encryptusername: Type.String({ description: 'v3_…@stranger: the sender as the receiver sees them' }),
      ticket: Type.String({ description: 'v4_…@stranger: the request\'s ticket for /contact/verify_friend' }),
      scene: Type.Integer(),
      expired_time: Type.Integer({ description: 'unix seconds after which the request can no longer be accepted' }),
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
      from_wxid: Type.String({ description: 'who sent the request' }),
      to_wxid: Type.String({ description: 'who accepts it' }),
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
      wxid: Type.String({ description: 'whose contact list changes' }),
      contact_wxid: Type.String({ description: 'the friend to remove from it' }),
    }),
    response: EmptyData,
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
      notify_types: Type.Array(Type.Integer(), { description: 'the callbacks the fault produced, in order' }),
    }, { description: 'what happened' }),
  }),
  endpoint({
    path: '/sandbox/world/reset',
    module: 'sandbox',
    summaryZh: '重置模拟世界',
    summaryEn: 'Empty your app\'s simulated world: every person, contact and request; logged-in instances are logged out',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({}),
    response: Type.Object({
      people_removed: Type.Integer(),
      logged_out: Type.Array(Type.String({ format: 'uuid' }), { description: 'instances that were logged in (each got a 1004)' }),
    }, { description: 'what was removed' }),
  }),
] as const);
