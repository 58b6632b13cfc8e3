// The /app/* endpoints: mini-programs, OAuth / QR-connect logins and A8Key URL resolution, declared once.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid } from '../define.ts';
import { AppId, EXAMPLE, Username } from '../ids.ts';
import { EXAMPLE_URL, Url } from '../cdn-fields.ts';

import { UInt32 } from '../integers.ts';
import {
  wechatResponse, A8KeyResponse, JsApiBaseResponse, JsOperateWxDataResponse, OAuthAuthorizeResponse,
  OAuthConfirmResponse, WxaShortLinkTarget,
} from '../wechat.ts';

/** The authorization pages of the examples (a web page's OAuth, a website's QR login) and the short links of a page. */
const OAUTH_URL = `https://open.weixin.qq.com/connect/oauth2/authorize?appid=${EXAMPLE.appid}&redirect_uri=https%3A%2F%2Fshop.example.com%2Foauth%2Fcallback&response_type=code&scope=snsapi_userinfo&state=STATE#wechat_redirect`;
const QRCONNECT_URL = `https://open.weixin.qq.com/connect/confirm?uuid=061Kq7Ga1bXyZ40c&appid=${EXAMPLE.appid}`;
const WXA_SHORT_LINK = '#小程序://优选商城/新年礼盒/Kq7GaXyZ40c9qHa';
const WXA_APP_LINK = 'mp://Kq7GaXyZ40c9qHa';
const JS_API_DATA = '{"api_name":"webapi_getuserinfo","data":{"lang":"zh_CN"}}';

export const appEndpoints = defineModule('app', [
  endpoint({
    path: '/app/get_a8key',
    module: 'app',
    summaryZh: '取真实URL',
    summaryEn: 'Resolve a URL to its authorized full URL (GetA8Key)',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      req_url: Url(EXAMPLE_URL.page, 'URL to resolve (GetA8Key)'),
      scene: Type.Optional(UInt32({ default: 1, description: 'GetA8Key scene (1 chat link, 2 Moments, …)' })),
      client_version: UInt32({ description: 'client version (int)', examples: [1661537297] }),
      device_type: Type.String({ description: 'device type string', examples: ['iPad iPadOS18.2'] }),
    }),
    response: A8KeyResponse,
  }),
  endpoint({
    path: '/app/mp_get_a8key',
    module: 'app',
    summaryZh: '取真实URL',
    summaryEn: 'Resolve an official-account URL to its authorized full URL',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      req_url: Url(EXAMPLE_URL.page, 'URL to resolve (GetA8Key)'),
      scene: Type.Optional(UInt32({ default: 1, description: 'GetA8Key scene (1 chat link, 2 Moments, …)' })),
      client_version: UInt32({ description: 'client version (int)', examples: [1661537297] }),
      device_type: Type.String({ description: 'device type string', examples: ['iPad iPadOS18.2'] }),
    }),
    response: A8KeyResponse,
  }),
  endpoint({
    path: '/app/js_login',
    module: 'app',
    summaryZh: '小程序授权登录',
    summaryEn: 'Get a mini-program login code (wx.login)',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      appid: AppId(),
    }),
    response: wechatResponse({
      jsapiBaseresponse: JsApiBaseResponse,
      code: Type.String({ description: 'the wx.login code', examples: ['0c3Kq7Ga1bXyZ40c9qHa1hP2Wx3Kq7Gv'] }),
    }, 'WeChat JSLoginResponse'),
  }),
  endpoint({
    path: '/app/js_operate_wxdata',
    module: 'app',
    summaryZh: '小程序安全通讯',
    summaryEn: 'Call a mini-program secure data API',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      appid: AppId(),
      data: Type.Optional(Type.String({ default: '', description: 'JSON string payload for the mini-program call', examples: [JS_API_DATA] })),
      grant_scope: Type.Optional(Type.String({ default: '', description: 'scope string', examples: ['scope.userInfo'] })),
    }),
    response: JsOperateWxDataResponse,
  }),
  endpoint({
    path: '/app/js_operate_wxdata_vip',
    module: 'app',
    summaryZh: '小程序安全通讯VIP',
    summaryEn: 'Call a mini-program secure data API (VIP)',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      appid: AppId(),
      data: Type.Optional(Type.String({ default: '', description: 'JSON string payload for the mini-program call', examples: [JS_API_DATA] })),
      grant_scope: Type.Optional(Type.String({ default: '', description: 'scope string', examples: ['scope.userInfo'] })),
    }),
    response: JsOperateWxDataResponse,
  }),
  endpoint({
    path: '/app/oauth_authorize',
    module: 'app',
    summaryZh: 'OAuth登录授权',
    summaryEn: 'Open a WeChat OAuth authorization',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Url(OAUTH_URL),
      username: Username(undefined, { examples: ['gh_8a0b4d6c2e1f'] }),
      scene: Type.Optional(Type.String({ default: '7', description: 'OAuth scene (vendor default 7)' })),
    }),
    response: OAuthAuthorizeResponse,
  }),
  endpoint({
    path: '/app/oauth_authorize_confirm',
    module: 'app',
    summaryZh: 'OAuth登录授权确认',
    summaryEn: 'Confirm a WeChat OAuth authorization',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Url(OAUTH_URL),
      scope: Type.Union([Type.Array(Type.String()), Type.String()], {
        description: 'array of scopes, e.g. [\"snsapi_userinfo\"] / [\"snsapi_login\"]',
        examples: [['snsapi_userinfo']],
      }),
      avatar_id: Type.Optional(UInt32({ default: 0, description: 'avatar choice id' })),
      opt: Type.Optional(UInt32({ default: 1, description: 'operation (1 = confirm)' })),
    }),
    response: OAuthConfirmResponse,
  }),
  endpoint({
    path: '/app/qrconnect_authorize',
    module: 'app',
    summaryZh: '第三方网站扫码登录授权',
    summaryEn: 'Open a website QR-login authorization',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Url(QRCONNECT_URL),
      username: Username(undefined, { examples: ['gh_8a0b4d6c2e1f'] }),
      scene: Type.Optional(Type.String({ default: '7', description: 'OAuth scene (vendor default 7)' })),
    }),
    response: OAuthAuthorizeResponse,
  }),
  endpoint({
    path: '/app/qrconnect_authorize_confirm',
    module: 'app',
    summaryZh: '第三方网站扫码登录授权确认',
    summaryEn: 'Confirm a website QR-login authorization',
    description: 'To confirm the login, scope is ["snsapi_login"].',
    notesZh: '确认登录 scope: [\"snsapi_login\"]',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      url: Url(QRCONNECT_URL),
      scope: Type.Union([Type.Array(Type.String()), Type.String()], { description: '[\"snsapi_login\"] (doc)', examples: [['snsapi_login']] }),
      avatar_id: Type.Optional(UInt32({ default: 0, description: 'avatar choice id' })),
      opt: Type.Optional(UInt32({ default: 1, description: 'operation (1 = confirm)' })),
    }),
    response: OAuthConfirmResponse,
  }),
  endpoint({
    path: '/app/create_wxa_short_link',
    module: 'app',
    summaryZh: '生成小程序短链接',
    summaryEn: 'Create a mini-program short link',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      appid: AppId(),
      page_path: Type.Optional(Type.String({ default: '', description: 'mini-program page path', examples: ['pages/goods/detail?id=1024'] })),
      page_title: Type.Optional(Type.String({ default: '', description: 'page title', examples: ['新年礼盒'] })),
    }),
    response: Type.Object({
      link: Type.Optional(Type.String({ description: 'the short link (#小程序://…)', examples: [WXA_SHORT_LINK] })),
      short_link: Type.Optional(Type.String({ description: 'the same, under the other name clients probe', examples: [WXA_SHORT_LINK] })),
      app_link: Type.Optional(Type.String({ description: 'the same page as an mp://… link (resolve_wxa_app_short_link)', examples: [WXA_APP_LINK] })),
    }, { description: 'the short link (field name inferred)' }),
  }),
  endpoint({
    path: '/app/resolve_wxa_short_link',
    module: 'app',
    summaryZh: '解析小程序短链接',
    summaryEn: 'Resolve a #小程序:// short link',
    description: 'Takes a #小程序://… link, as WeChat shows it.',
    notesZh: '#小程序://xxxx/xxxx',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      short_link: Type.String({ description: 'mini-program short link (#小程序://xxx/xxx or mp://xxx)', examples: [WXA_SHORT_LINK] }),
    }),
    response: WxaShortLinkTarget,
  }),
  endpoint({
    path: '/app/resolve_wxa_app_short_link',
    module: 'app',
    summaryZh: '解析小程序短链接',
    summaryEn: 'Resolve an mp:// short link',
    description: 'Takes an mp://… link.',
    notesZh: 'mp://xxxxxxx',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      short_link: Type.String({ description: 'mini-program short link (#小程序://xxx/xxx or mp://xxx)', examples: [WXA_APP_LINK] }),
    }),
    response: WxaShortLinkTarget,
  }),
] as const);
