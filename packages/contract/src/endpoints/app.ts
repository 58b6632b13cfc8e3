// The /app/* endpoints of the vendor API, declared once (TODO one-line purpose).
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid, EmptyData } from '../define.ts';
import { wechatResponse, ChatMsg, ReferMsg, CdnBaseRequest, SKString, SKBuffer } from '../wechat.ts';

export const appEndpoints = defineModule('app', [
  endpoint({
    path: '/app/get_a8key',
    module: 'app',
    summaryZh: '取真实URL',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      req_url: Type.String({ description: 'URL to resolve (GetA8Key)' }),
      scene: Type.Optional(Type.Integer({ default: 1, description: 'add-contact scene value' })),
      client_version: Type.Integer({ description: 'client version (int)' }),
      device_type: Type.String({ description: 'device type string' }),
    }),
    // catalog response: baseResponse | fullURL: string | a8Key: string | actionCode: int | title, content (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/app/mp_get_a8key',
    module: 'app',
    summaryZh: '取真实URL',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      req_url: Type.String({ description: 'URL to resolve (GetA8Key)' }),
      scene: Type.Optional(Type.Integer({ default: 1, description: 'add-contact scene value' })),
      client_version: Type.Integer({ description: 'client version (int)' }),
      device_type: Type.String({ description: 'device type string' }),
    }),
    // catalog response: baseResponse | fullURL | a8Key | actionCode
    response: wechatResponse(),
  }),
  endpoint({
    path: '/app/js_login',
    module: 'app',
    summaryZh: '小程序授权登录',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      appid: Type.String({ description: 'app id / mini-program appid' }),
    }),
    // catalog response: baseResponse | jsapiBaseresponse: {errcode, errmsg} | code: string (wx.login code)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/app/js_operate_wxdata',
    module: 'app',
    summaryZh: '小程序安全通讯',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      appid: Type.String({ description: 'app id / mini-program appid' }),
      data: Type.Optional(Type.String({ default: '', description: 'JSON string payload for the mini-program call' })),
      grant_scope: Type.Optional(Type.String({ default: '', description: 'scope string' })),
    }),
    // catalog response: baseResponse | jsapiBaseresponse | data: string (JSON)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/app/js_operate_wxdata_vip',
    module: 'app',
    summaryZh: '小程序安全通讯VIP',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      appid: Type.String({ description: 'app id / mini-program appid' }),
      data: Type.Optional(Type.String({ default: '', description: 'JSON string payload for the mini-program call' })),
      grant_scope: Type.Optional(Type.String({ default: '', description: 'scope string' })),
    }),
    // catalog response: baseResponse | jsapiBaseresponse | data: string (JSON)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/app/oauth_authorize',
    module: 'app',
    summaryZh: 'OAuth登录授权',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Type.String({ description: 'URL' }),
      username: Type.String({ description: 'wxid / username of the target contact' }),
      scene: Type.Optional(Type.String({ default: 7, description: 'add-contact scene value' })),
    }),
    // catalog response: baseResponse | appname, appicon, scopeList[] (inferred) | redirectUrl (if already authorized) (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/app/oauth_authorize_confirm',
    module: 'app',
    summaryZh: 'OAuth登录授权确认',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Type.String({ description: 'URL' }),
      scope: Type.Union([Type.Array(Type.String()), Type.String()], { description: 'array of scopes, e.g. [\"snsapi_userinfo\"] / [\"snsapi_login\"]' }),
      avatar_id: Type.Optional(Type.Integer({ default: 0, description: 'avatar choice id' })),
      opt: Type.Optional(Type.Integer({ default: 1, description: 'operation (1 = confirm)' })),
    }),
    // catalog response: baseResponse | redirectUrl: string (callback URL containing ?code=...) (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/app/qrconnect_authorize',
    module: 'app',
    summaryZh: '第三方网站扫码登录授权',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Type.String({ description: 'URL' }),
      username: Type.String({ description: 'wxid / username of the target contact' }),
      scene: Type.Optional(Type.String({ default: 7, description: 'add-contact scene value' })),
    }),
    // catalog response: baseResponse | appname, appicon, scopeList[] (inferred) | redirectUrl (if already authorized) (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/app/qrconnect_authorize_confirm',
    module: 'app',
    summaryZh: '第三方网站扫码登录授权确认',
    summaryEn: 'TODO',
    description: '确认登录 scope: [\"snsapi_login\"]',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Type.String({ description: 'URL' }),
      scope: Type.Union([Type.Array(Type.String()), Type.String()], { description: '[\"snsapi_login\"] (doc)' }),
      avatar_id: Type.Optional(Type.Integer({ default: 0, description: 'avatar choice id' })),
      opt: Type.Optional(Type.Integer({ default: 1, description: 'operation (1 = confirm)' })),
    }),
    // catalog response: baseResponse | redirectUrl: string (callback URL containing ?code=...) (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/app/create_wxa_short_link',
    module: 'app',
    summaryZh: '生成小程序短链接',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      appid: Type.String({ description: 'app id / mini-program appid' }),
      page_path: Type.Optional(Type.String({ default: '', description: 'mini-program page path' })),
      page_title: Type.Optional(Type.String({ default: '', description: 'page title' })),
    }),
    // catalog response: errcode | errmsg | data.link / short_link (inferred)
    response: EmptyData,
  }),
  endpoint({
    path: '/app/resolve_wxa_short_link',
    module: 'app',
    summaryZh: '解析小程序短链接',
    summaryEn: 'TODO',
    description: '#小程序://xxxx/xxxx',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      short_link: Type.String({ description: 'mini-program short link (#小程序://xxx/xxx or mp://xxx)' }),
    }),
    // catalog response: errcode | errmsg | data: {appid, path, ...} (inferred)
    response: EmptyData,
  }),
  endpoint({
    path: '/app/resolve_wxa_app_short_link',
    module: 'app',
    summaryZh: '解析小程序短链接',
    summaryEn: 'TODO',
    description: 'mp://xxxxxxx',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      short_link: Type.String({ description: 'mini-program short link (#小程序://xxx/xxx or mp://xxx)' }),
    }),
    // catalog response: errcode | errmsg | data: {appid, path, ...} (inferred)
    response: EmptyData,
  }),
] as const);
