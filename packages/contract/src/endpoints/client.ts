// The /client/* endpoints of the vendor API, declared once (TODO one-line purpose).
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid, EmptyData } from '../define.ts';
import { wechatResponse, ChatMsg, ReferMsg, CdnBaseRequest, SKString, SKBuffer } from '../wechat.ts';

export const clientEndpoints = defineModule('client', [
  endpoint({
    path: '/client/restore_client',
    module: 'client',
    summaryZh: '恢复实例',
    summaryEn: 'TODO',
    description: '代理支持http、socks4和socks5的url格式: 如http://127.0.0.1:10807, socks5://user:pass@10.10.1.10:3128, 不使用代理请留空',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      proxy: Type.Optional(Type.String({ default: '', description: 'proxy URL: http://host:port, socks4://, socks5://user:pass@host:port; empty = no proxy' })),
      is_login_proxy: Type.Optional(Type.Boolean({ default: false, description: 'use the proxy only for login (personal-WeChat-only flag)' })),
      bridge: Type.Optional(Type.String({ default: '', description: 'bridge id (vendor concept, opaque string)' })),
      sync_history_msg: Type.Optional(Type.Boolean({ default: true, description: 'push/sync history messages after restore' })),
      auto_start: Type.Optional(Type.Boolean({ default: true, description: 'start the instance automatically' })),
    }),
    // catalog response: errcode: int (0 = ok) | errmsg: string | data: object (empty/unspecified)
    response: EmptyData,
  }),
  endpoint({
    path: '/client/stop_client',
    module: 'client',
    summaryZh: '停止实例',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    // catalog response: errcode: int (0 = ok) | errmsg: string | data: object (empty/unspecified)
    response: EmptyData,
  }),
  endpoint({
    path: '/client/set_notify_url',
    module: 'client',
    summaryZh: '设置实例通知地址',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      notify_url: Type.String({ description: 'HTTP callback URL that receives {guid, notify_type, data} POSTs; overwrites any previous value' }),
    }),
    // catalog response: errcode: int (0 = ok) | errmsg: string | data: object (empty/unspecified)
    response: EmptyData,
  }),
  endpoint({
    path: '/client/set_bridge',
    module: 'client',
    summaryZh: '设置实例桥接ID',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      bridge: Type.Optional(Type.String({ default: '', description: 'bridge id (vendor concept, opaque string)' })),
    }),
    // catalog response: errcode: int (0 = ok) | errmsg: string | data: object (empty/unspecified)
    response: EmptyData,
  }),
  endpoint({
    path: '/client/set_proxy',
    module: 'client',
    summaryZh: '设置实例代理',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      proxy: Type.Optional(Type.String({ default: '', description: 'proxy URL: http://host:port, socks4://, socks5://user:pass@host:port; empty = no proxy' })),
      is_long_proxy: Type.Optional(Type.Boolean({ default: false, description: 'keep using the proxy for the long link (personal-WeChat-only flag)' })),
    }),
    // catalog response: errcode: int (0 = ok) | errmsg: string | data: object (empty/unspecified)
    response: EmptyData,
  }),
  endpoint({
    path: '/client/update_client',
    module: 'client',
    summaryZh: '升级实例',
    summaryEn: 'TODO',
    description: '只能升级，不能降级，否则会封号',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      new_client_type: Type.Integer({ description: 'target client/device type; only upgrades allowed (\'只能升级，不能降级，否则会封号\')' }),
    }),
    // catalog response: errcode: int (0 = ok) | errmsg: string | data: object (empty/unspecified)
    response: EmptyData,
  }),
  endpoint({
    path: '/client/get_client_status',
    module: 'client',
    summaryZh: '获取实例状态',
    summaryEn: 'TODO',
    description: '0: 停止, 1: 运行, 2: 在线',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    // catalog response: errcode: int | errmsg: string | data.status: int — 0 = stopped, 1 = running (needs login), 2 = online
    response: EmptyData,
  }),
  endpoint({
    path: '/client/get_client_version',
    module: 'client',
    summaryZh: '获取实例版本',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    // catalog response: errcode | errmsg | data: {version info} (field names unknown)
    response: EmptyData,
  }),
  endpoint({
    path: '/client/create_client',
    module: 'client',
    summaryZh: '创建实例 (instance create)',
    summaryEn: 'TODO',
    description: 'Model CreateClientModel exists in the exported schema list but no documented path. Summary doc: 创建实例相当于创建了一个虚拟机器,一个实例只登录一个号.',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      client_type: Type.Optional(Type.Integer({ default: 241, description: 'device/client type (default 241 in schema; same enum as update_client.new_client_type)' })),
      proxy: Type.Optional(Type.String({ default: '', description: 'proxy URL: http://host:port, socks4://, socks5://user:pass@host:port; empty = no proxy' })),
      is_long_proxy: Type.Optional(Type.Boolean({ default: false, description: 'keep using the proxy for the long link (personal-WeChat-only flag)' })),
      bridge: Type.Optional(Type.String({ default: '', description: 'bridge id (vendor concept, opaque string)' })),
      payload: Type.Optional(Type.String({ default: '', description: 'opaque payload (meaning unknown)' })),
      auto_start: Type.Optional(Type.Boolean({ default: false, description: 'start the instance automatically' })),
    }),
    // catalog response: errcode / err_code: 0 | errmsg / err_msg | data.guid: string (new instance id)
    response: EmptyData,
  }),
  endpoint({
    path: '/client/remove_client',
    module: 'client',
    summaryZh: '删除实例 (instance delete)',
    summaryEn: 'TODO',
    description: 'Not in the personal-WeChat export. The vendor WeCom doc (same FastAPI backend style) has POST /client/remove_client with StopClientModel {guid}.',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({
      guid: Guid,
    }),
    // catalog response: errcode: 0 | errmsg | data: {}
    response: EmptyData,
  }),
  endpoint({
    path: '/client/all_clients',
    module: 'client',
    summaryZh: '实例列表',
    summaryEn: 'List instances',
    description: 'wxgate extension (the WeCom sibling product has it): the guids of the calling app\'s instances.',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({}),
    response: Type.Array(Type.String({ format: 'uuid' }), { description: 'guids of this app\'s instances, oldest first' }),
  }),
] as const);
