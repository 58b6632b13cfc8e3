// wxgate's /sandbox/openim/* extension: WeCom corporations and people, adding one as an account's phone, and OpenIM
// room membership in the simulated world; listed in the sandbox module (endpoints/sandbox.ts).
import { Type } from '@sinclair/typebox';
import { endpoint } from '../define.ts';
import { UInt32 } from '../integers.ts';

export const SANDBOX_OPENIM_ENDPOINTS = [
  endpoint({
    path: '/sandbox/openim/create_corp',
    module: 'sandbox',
    summaryZh: '创建模拟企业',
    summaryEn: 'Create a WeCom (企业微信) corporation in your app\'s simulated world',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      name: Type.String({ minLength: 1, maxLength: 64, description: 'short name, shown after its people\'s nicknames (@name)' }),
      full_name: Type.Optional(Type.String({ maxLength: 128, description: 'verified full name (the resource wording); default = name' })),
    }),
    response: Type.Object({
      corp_id: Type.String({ description: 'the corporation (for /sandbox/openim/create_person)' }),
      appid: Type.String({ description: 'its OpenIM resource appid (a contact\'s appId; get_openim_resource appid)' }),
      wording_id: Type.String({ description: 'its wording id (a contact\'s descWordingId; get_openim_resource wording_id)' }),
    }, { description: 'the corporation as created' }),
  }),
  endpoint({
    path: '/sandbox/openim/create_person',
    module: 'sandbox',
    summaryZh: '创建模拟企微用户',
    summaryEn: 'Create a WeCom person of a corporation (an …@openim username with a contact-card QR URL)',
    description: 'They are a person of the world too (listed by /sandbox/people/list): once someone has them as a contact, messages go both ways as between friends.',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      corp_id: Type.String({ description: 'from /sandbox/openim/create_corp' }),
      nickname: Type.String({ minLength: 1, maxLength: 64 }),
      real_name: Type.Optional(Type.String({ maxLength: 64, default: '', description: 'real name (实名)' })),
      position: Type.Optional(Type.String({ maxLength: 64, default: '', description: 'job title (职务)' })),
      sex: Type.Optional(UInt32({ maximum: 2, default: 0 })),
      avatar_url: Type.Optional(Type.String({ maxLength: 1024 })),
      card_blocked: Type.Optional(Type.Boolean({ default: false, description: 'the contact card is blocked (封了): nobody can add them through it' })),
    }),
    response: Type.Object({
      username: Type.String({ description: 'the WeCom person (…@openim); send as them with /sandbox/messages/send from_wxid' }),
      qr_url: Type.String({ description: 'their contact card\'s QR URL (search_openim_contact url)' }),
      corp_id: Type.String(),
    }, { description: 'the WeCom person as created' }),
  }),
  endpoint({
    path: '/sandbox/openim/add_contact',
    module: 'sandbox',
    summaryZh: '模拟添加企微联系人',
    summaryEn: 'Add a WeCom contact, as an account\'s phone (the undocumented AddOpenImContact: username + ticket of search_openim_contact)',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      wxid: Type.String({ description: 'the account (or any person) adding' }),
      username: Type.String({ description: 'the WeCom person (…@openim)' }),
      ticket: Type.String({ description: 'the ticket /openim/search_openim_contact answered to this account' }),
    }),
    response: Type.Object({
      added: Type.Boolean({ description: 'false when they already were a contact' }),
    }, { description: 'both have each other as contacts; the adder\'s instance got 1202' }),
  }),
  endpoint({
    path: '/sandbox/openim/room_create',
    module: 'sandbox',
    summaryZh: '模拟创建企微外部群',
    summaryEn: 'Create an OpenIM room (external group, …@im.chatroom) owned by a WeCom person, with WeChat and WeCom members',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      owner_username: Type.String({ description: 'the WeCom person who owns it (…@openim)' }),
      member_usernames: Type.Array(Type.String(), { minItems: 1, maxItems: 499, description: 'wxids and …@openim usernames' }),
      name: Type.Optional(Type.String({ maxLength: 64, default: '' })),
    }),
    response: Type.Object({
      room_username: Type.String({ description: 'the new room (…@im.chatroom)' }),
      member_count: UInt32(),
      version: UInt32({ description: 'member-list version' }),
    }, { description: 'the room as created; logged-in WeChat members got 1204' }),
  }),
  endpoint({
    path: '/sandbox/openim/room_join',
    module: 'sandbox',
    summaryZh: '模拟加入企微外部群',
    summaryEn: 'A person (wxid or …@openim) joins an OpenIM room',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      room_username: Type.String({ description: 'the room (…@im.chatroom)' }),
      username: Type.String({ description: 'a wxid or …@openim username' }),
    }),
    response: Type.Object({
      member_count: UInt32(),
      version: UInt32({ description: 'member-list version after the change' }),
    }, { description: 'logged-in WeChat members got 1204' }),
  }),
  endpoint({
    path: '/sandbox/openim/room_leave',
    module: 'sandbox',
    summaryZh: '模拟退出企微外部群',
    summaryEn: 'A member (wxid or …@openim) leaves an OpenIM room',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      room_username: Type.String({ description: 'the room (…@im.chatroom)' }),
      username: Type.String({ description: 'a member\'s wxid or …@openim username' }),
    }),
    response: Type.Object({
      member_count: UInt32(),
      version: UInt32({ description: 'member-list version after the change' }),
    }, { description: 'logged-in WeChat members (and the one who left) got 1204' }),
  }),
] as const;
