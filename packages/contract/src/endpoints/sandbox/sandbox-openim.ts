// wxgate's /sandbox/openim/* extension: WeCom corporations and people, adding one as an account's phone, and OpenIM
// room membership in the simulated world; listed in the sandbox module (endpoints/sandbox/sandbox.ts).
import { Type } from '@sinclair/typebox';
import { endpoint } from '../../define.ts';
import { EXAMPLE, OpenImRoomId, OpenImUsername, SelfWxid, Wxid } from '../../ids.ts';
import { UInt32 } from '../../integers.ts';


/** The example corporation: `ww` + 16 hex digits, as WeCom names corporations. */
const CORP_ID = 'ww5f3a9c1e7b2d4068';

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
      name: Type.String({ minLength: 1, maxLength: 64, description: 'short name, shown after its people\'s nicknames (@name)', examples: ['星云科技'] }),
      full_name: Type.Optional(Type.String({ maxLength: 128, description: 'verified full name (the resource wording); default = name', examples: ['深圳市星云科技有限公司'] })),
    }),
    response: Type.Object({
      corp_id: Type.String({ description: 'the corporation (for /sandbox/openim/create_person)', examples: [CORP_ID] }),
      appid: Type.String({ description: 'its OpenIM resource appid (a contact\'s appId; get_openim_resource appid)', examples: ['3552365301'] }),
      wording_id: Type.String({ description: 'its wording id (a contact\'s descWordingId; get_openim_resource wording_id)', examples: ['4c1f9e7a2b8d3c6e5f0a1b2c3d4e5f60'] }),
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
      corp_id: Type.String({ description: 'from /sandbox/openim/create_corp', examples: [CORP_ID] }),
      nickname: Type.String({ minLength: 1, maxLength: 64, examples: ['陈静'] }),
      real_name: Type.Optional(Type.String({ maxLength: 64, default: '', description: 'real name (实名)', examples: ['陈静'] })),
      position: Type.Optional(Type.String({ maxLength: 64, default: '', description: 'job title (职务)', examples: ['客户经理'] })),
      sex: Type.Optional(UInt32({ maximum: 2, default: 0 })),
      avatar_url: Type.Optional(Type.String({ maxLength: 1024 })),
      card_blocked: Type.Optional(Type.Boolean({ default: false, description: 'the contact card is blocked (封了): nobody can add them through it' })),
    }),
    response: Type.Object({
      username: OpenImUsername('the WeCom person (…@openim); send as them with /sandbox/messages/send from_wxid'),
      qr_url: Type.String({ description: 'their contact card\'s QR URL (search_openim_contact url)', examples: ['https://work.weixin.qq.com/u/vc7f3a9e21b4d5c6e8'] }),
      corp_id: Type.String({ examples: [CORP_ID] }),
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
      wxid: SelfWxid('the account (or any person) adding'),
      username: OpenImUsername('the WeCom person (…@openim)'),
      ticket: Type.String({ description: 'the ticket /openim/search_openim_contact answered to this account', examples: ['AQAA8sXkM2bRvN7qTcLw3YpZ9aKfHj1dE6gU0oIx'] }),
    }),
    response: Type.Object({
      added: Type.Boolean({ description: 'false when they already were a contact', examples: [true] }),
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
      owner_username: OpenImUsername('the WeCom person who owns it (…@openim)'),
      member_usernames: Type.Array(Type.String(), {
        minItems: 1, maxItems: 499, description: 'wxids and …@openim usernames', examples: [[EXAMPLE.self, EXAMPLE.friend]],
      }),
      name: Type.Optional(Type.String({ maxLength: 64, default: '', examples: ['星云科技客户服务群'] })),
    }),
    response: Type.Object({
      room_username: OpenImRoomId('the new room (…@im.chatroom)'),
      member_count: UInt32({ examples: [3] }),
      version: UInt32({ description: 'member-list version', examples: [1] }),
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
      room_username: OpenImRoomId('the room (…@im.chatroom)'),
      username: Wxid('a wxid or …@openim username', { examples: [EXAMPLE.friend2] }),
    }),
    response: Type.Object({
      member_count: UInt32({ examples: [4] }),
      version: UInt32({ description: 'member-list version after the change', examples: [2] }),
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
      room_username: OpenImRoomId('the room (…@im.chatroom)'),
      username: Wxid('a member\'s wxid or …@openim username', { examples: [EXAMPLE.friend2] }),
    }),
    response: Type.Object({
      member_count: UInt32({ examples: [3] }),
      version: UInt32({ description: 'member-list version after the change', examples: [3] }),
    }, { description: 'logged-in WeChat members (and the one who left) got 1204' }),
  }),
] as const;
