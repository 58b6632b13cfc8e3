// The /openim/* endpoints: WeCom (企微) contacts and rooms seen from personal WeChat, declared once.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid } from '../define.ts';
import { AppId, OpenImRoomId, OpenImUsername } from '../ids.ts';
import { UInt32, Limit } from '../integers.ts';
import { wechatResponse, BaseOnlyResponse, LocalStorePage, OpenImContact } from '../wechat.ts';

/** A WeCom person's contact-card QR URL (what search_openim_contact and check_openim_contact take). */
const WECOM_CARD_URL = 'https://work.weixin.qq.com/u/vc7f3a9e21b4d5c6e8?v=4.1.20.26620&bb=8d2e5f7a1c';

export const openimEndpoints
 = defineModule('openim', [
  endpoint({
    path: '/openim/get_openim_friends',
    module: 'openim',
    summaryZh: '获取企微好友列表 (本地存储)',
    summaryEn: 'List WeCom contacts (local store)',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      page_num: Type.Optional(UInt32({ minimum: 1, default: 1, description: 'page number (1-based)' })),
      page_size: Type.Optional(Limit(1000, 50, { description: 'page size' })),
    }),
    response: LocalStorePage,
  }),
  endpoint({
    path: '/openim/get_openim_rooms',
    module: 'openim',
    summaryZh: '获取企微群列表 (本地存储)',
    summaryEn: 'List WeCom rooms (local store)',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      page_num: Type.Optional(UInt32({ minimum: 1, default: 1, description: 'page number (1-based)' })),
      page_size: Type.Optional(Limit(1000, 50, { description: 'page size' })),
    }),
    response: LocalStorePage,
  }),
  endpoint({
    path: '/openim/get_openim_room_members',
    module: 'openim',
    summaryZh: '获取企微群群成员 (本地存储)',
    summaryEn: 'List the members of a WeCom room (local store)',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: OpenImRoomId('chatroom id (xxx@chatroom)'),
      page_num: Type.Optional(UInt32({ minimum: 1, default: 1, description: 'page number (1-based)' })),
      page_size: Type.Optional(Limit(1000, 50, { description: 'page size' })),
    }),
    response: LocalStorePage,
  }),
  endpoint({
    path: '/openim/get_openim_room_detail',
    module: 'openim',
    summaryZh: '获取企微群信息',
    summaryEn: 'Get the info of a WeCom room',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: OpenImRoomId('chatroom id (xxx@chatroom)'),
    }),
    response: wechatResponse({}, 'the room info; WeChat\'s field names are unknown'),
  }),
  endpoint({
    path: '/openim/get_openim_room_member_detail',
    module: 'openim',
    summaryZh: '获取企微群成员信息',
    summaryEn: 'Get the members of a WeCom room in detail',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: OpenImRoomId('chatroom id (xxx@chatroom)'),
      version: Type.Optional(UInt32({ default: 0, description: 'member-list version (serverVersion from a previous call); 0 = full' })),
    }),
    response: wechatResponse({}, 'the member list and its version; WeChat\'s field names are unknown'),
  }),
  endpoint({
    path: '/openim/get_openim_contact',
    module: 'openim',
    summaryZh: '获取企微联系人详细信息',
    summaryEn: 'Get a WeCom contact in detail',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: OpenImUsername('wxid / username of the target contact'),
      room_username: Type.Optional(OpenImRoomId('chatroom id (xxx@chatroom)', { default: '' })),
      ticket: Type.Optional(Type.String({ default: '', description: 'verification ticket' })),
    }),
    response: wechatResponse({ contact: OpenImContact }, 'the WeCom contact'),
  }),
  endpoint({
    path: '/openim/get_openim_resource',
    module: 'openim',
    summaryZh: '获取企微联系人企业信息',
    summaryEn: 'Get the company info of a WeCom contact',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      appid: AppId(undefined, { examples: ['3552365301'] }),
      wording_id: Type.Optional(Type.String({ default: '', description: 'OpenIM wording id (descWordingId)', examples: ['4c1f9e7a2b8d3c6e5f0a1b2c3d4e5f60'] })),
    }),
    response: wechatResponse({}, 'wording / company info for appid + wording_id; WeChat\'s field names are unknown'),
  }),
  endpoint({
    path: '/openim/search_openim_contact',
    module: 'openim',
    summaryZh: '通过企微二维码查询联系人',
    summaryEn: 'Look up a WeCom contact by its QR-code URL',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Type.String({ description: 'WeCom QR-code URL', examples: [WECOM_CARD_URL] }),
    }),
    response: wechatResponse({
      ticket: Type.Optional(Type.String({ description: 'ticket for adding the contact', examples: ['AQAA8sXkM2bRvN7qTcLw3YpZ9aKfHj1dE6gU0oIx'] })),
    }, 'the contact info and a ticket; the other field names are unknown'),
  }),
  endpoint({
    path: '/openim/del_openim_contact',
    module: 'openim',
    summaryZh: '删除企微联系人',
    summaryEn: 'Delete a WeCom contact',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: OpenImUsername('wxid / username of the target contact'),
    }),
    response: BaseOnlyResponse,
  }),
  endpoint({
    path: '/openim/check_openim_contact',
    module: 'openim',
    summaryZh: '检查企微联系人状态接口',
    summaryEn: 'Check whether a WeCom name card can still add contacts',
    description: 'Checks whether the name card is blocked, so that nobody can add the contact through it.',
    notesZh: '检测名片是否被封了,加不了人',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Type.String({ description: 'link inside the WeCom QR name-card (doc); doc: 二维码名片里的链接', examples: [WECOM_CARD_URL] }),
    }),
    response: Type.Object({
      status: Type.Optional(UInt32({ description: 'card state', examples: [0] })),
    }, { description: 'state of the card (shape inferred)' }),
  }),
  endpoint({
    path: '/openim/modify_openim_disturb_flag',
    module: 'openim',
    summaryZh: '修改企微联系人免打扰状态',
    summaryEn: 'Mute or unmute a WeCom contact',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: OpenImUsername('wxid / username of the target contact'),
      status: UInt32({ description: '0 = off, 1 = mute', examples: [1] }),
    }),
    response: BaseOnlyResponse,
  }),
  endpoint({
    path: '/openim/modify_openim_top_flag',
    module: 'openim',
    summaryZh: '修改企微联系人置顶状态',
    summaryEn: 'Pin or unpin a WeCom contact',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: OpenImUsername('wxid / username of the target contact'),
      status: UInt32({ description: '0 = unpin, 1 = pin (doc); doc: 0-取消置顶, 1-置顶', examples: [1] }),
    }),
    response: BaseOnlyResponse,
  }),
] as const);
