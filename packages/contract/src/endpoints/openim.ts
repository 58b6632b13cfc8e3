// The /openim/* endpoints of the vendor API, declared once (TODO one-line purpose).
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid, EmptyData } from '../define.ts';
import { wechatResponse, ChatMsg, ReferMsg, CdnBaseRequest, SKString, SKBuffer } from '../wechat.ts';

export const openimEndpoints = defineModule('openim', [
  endpoint({
    path: '/openim/get_openim_friends',
    module: 'openim',
    summaryZh: '获取企微好友列表 (本地存储)',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      page_num: Type.Optional(Type.Integer({ default: 1, description: 'page number (1-based)' })),
      page_size: Type.Optional(Type.Integer({ default: 50, description: 'page size' })),
    }),
    // catalog response: errcode | errmsg | data: {list: [...], total} (inferred; local storage, paged)
    response: EmptyData,
  }),
  endpoint({
    path: '/openim/get_openim_rooms',
    module: 'openim',
    summaryZh: '获取企微群列表 (本地存储)',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      page_num: Type.Optional(Type.Integer({ default: 1, description: 'page number (1-based)' })),
      page_size: Type.Optional(Type.Integer({ default: 50, description: 'page size' })),
    }),
    // catalog response: errcode | errmsg | data: {list: [...], total} (inferred; local storage, paged)
    response: EmptyData,
  }),
  endpoint({
    path: '/openim/get_openim_room_members',
    module: 'openim',
    summaryZh: '获取企微群群成员 (本地存储)',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      page_num: Type.Optional(Type.Integer({ default: 1, description: 'page number (1-based)' })),
      page_size: Type.Optional(Type.Integer({ default: 50, description: 'page size' })),
    }),
    // catalog response: errcode | errmsg | data: {list: [...], total} (inferred; local storage, paged)
    response: EmptyData,
  }),
  endpoint({
    path: '/openim/get_openim_room_detail',
    module: 'openim',
    summaryZh: '获取企微群信息',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
    }),
    // catalog response: baseResponse | room info (fields unknown)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/openim/get_openim_room_member_detail',
    module: 'openim',
    summaryZh: '获取企微群成员信息',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      room_username: Type.String({ description: 'chatroom id (xxx@chatroom)' }),
      version: Type.Optional(Type.Integer({ default: 0, description: 'member-list version (serverVersion from a previous call); 0 = full' })),
    }),
    // catalog response: baseResponse | member list + version (fields unknown)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/openim/get_openim_contact',
    module: 'openim',
    summaryZh: '获取企微联系人详细信息',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: Type.String({ description: 'wxid / username of the target contact' }),
      room_username: Type.Optional(Type.String({ default: '', description: 'chatroom id (xxx@chatroom)' })),
      ticket: Type.Optional(Type.String({ default: '', description: 'verification ticket' })),
    }),
    // catalog response: baseResponse | contact: {tpUsername, nickname, type, remark, bigHeadimg, smallHeadimg, source, nicknamePyinit, nicknameQuanpin, remarkPyinit, remarkQuanpin, customInfo:{detailVisible, detail(JSON string)}, appId, sex, descWordingId, finderUsername, flag}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/openim/get_openim_resource',
    module: 'openim',
    summaryZh: '获取企微联系人企业信息',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      appid: Type.String({ description: 'app id / mini-program appid' }),
      wording_id: Type.Optional(Type.String({ default: '', description: 'OpenIM wording id (descWordingId)' })),
    }),
    // catalog response: baseResponse | wording / corp info for appid+wording_id (fields unknown)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/openim/search_openim_contact',
    module: 'openim',
    summaryZh: '通过企微二维码查询联系人',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Type.String({ description: 'WeCom QR-code URL' }),
    }),
    // catalog response: baseResponse | contact info + ticket (fields unknown)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/openim/del_openim_contact',
    module: 'openim',
    summaryZh: '删除企微联系人',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: Type.String({ description: 'wxid / username of the target contact' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/openim/check_openim_contact',
    module: 'openim',
    summaryZh: '检查企微联系人状态接口',
    summaryEn: 'TODO',
    description: '检测名片是否被封了,加不了人',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Type.String({ description: 'link inside the WeCom QR name-card (doc); doc: 二维码名片里的链接' }),
    }),
    // catalog response: errcode | errmsg | data: {status...} (doc 200 example {})
    response: EmptyData,
  }),
  endpoint({
    path: '/openim/modify_openim_disturb_flag',
    module: 'openim',
    summaryZh: '修改企微联系人免打扰状态',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: Type.String({ description: 'wxid / username of the target contact' }),
      status: Type.Integer({ description: '0 = off, 1 = mute' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/openim/modify_openim_top_flag',
    module: 'openim',
    summaryZh: '修改企微联系人置顶状态',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: Type.String({ description: 'wxid / username of the target contact' }),
      status: Type.Integer({ description: '0 = unpin, 1 = pin (doc); doc: 0-取消置顶, 1-置顶' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
] as const);
