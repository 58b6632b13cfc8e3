// WeChat's shapes for labels, WeCom (OpenIM) contacts, the vendor's local store, and apps (A8Key, mini-programs,
// OAuth, short links). Re-exported from wechat.ts.
import { Type } from '@sinclair/typebox';
import { EXAMPLE } from './ids.ts';
import { Int32, UInt32 } from './integers.ts';
import { wechatResponse } from './wechat-base.ts';

// ── labels, OpenIM, local store ───────────────────────────────────────────────────────────────────────

export const LabelPair = Type.Object({
  labelName: Type.String({ examples: ['重要客户'] }),
  labelId: UInt32({ examples: [3] }),
}, { title: 'LabelPair', description: 'a contact label (标签)' });

/** get_contact_label_list, add_contact_label. */
export const LabelListResponse = wechatResponse({
  labelCount: UInt32({ examples: [1] }),
  labelPairList: Type.Array(LabelPair),
}, 'WeChat contact-label list', 'LabelListResponse');

/** A page read from the vendor's local store (本地存储); row fields unknown. */
export const LocalStorePage = Type.Object({
  list: Type.Optional(Type.Array(Type.Object({}, { description: 'a stored row' }))),
  total: Type.Optional(UInt32({ description: 'rows in all pages', examples: [0] })),
}, { title: 'LocalStorePage', description: 'a page of rows from the vendor\'s local store (shape inferred)' });

/** An OpenIM (WeCom) contact, as in notify 1202; plain strings. */
export const OpenImContact = Type.Object({
  tpUsername: Type.String({ description: 'the contact id (…@openim)', examples: [EXAMPLE.openim] }),
  nickname: Type.String({ examples: ['陈静'] }),
  type: UInt32(),
  source: UInt32(),
  remark: Type.Optional(Type.String()),
  bigHeadimg: Type.Optional(Type.String({ examples: ['https://wework.qpic.cn/wwpic/512873_Xk3pQ9rTm2WcZbLvN8aF_1767258000/0'] })),
  smallHeadimg: Type.Optional(Type.String()),
  nicknamePyinit: Type.Optional(Type.String({ examples: ['CJ'] })),
  nicknameQuanpin: Type.Optional(Type.String({ examples: ['chenjing'] })),
  remarkPyinit: Type.Optional(Type.String()),
  remarkQuanpin: Type.Optional(Type.String()),
  customInfo: Type.Optional(Type.Object({
    detailVisible: Type.Optional(UInt32()),
    detail: Type.Optional(Type.String({ description: 'JSON string (company, title, …)' })),
  })),
  appId: Type.Optional(Type.String({ examples: ['3552365301'] })),
  sex: Type.Optional(UInt32({ examples: [2] })),
  descWordingId: Type.Optional(Type.String({ description: 'pass to /openim/get_openim_resource as wording_id', examples: ['4c1f9e7a2b8d3c6e5f0a1b2c3d4e5f60'] })),
  finderUsername: Type.Optional(Type.String()),
  flag: Type.Optional(Type.String()),
}, { title: 'OpenImContact', description: 'a WeCom (企微) contact seen from personal WeChat' });

// ── apps, mini-programs, OAuth ────────────────────────────────────────────────────────────────────────

/** get_a8key, mp_get_a8key. */
export const A8KeyResponse = wechatResponse({
  fullURL: Type.String({
    description: 'the resolved URL, with the A8 key appended',
    examples: ['https://mp.weixin.qq.com/s/3kQ9ZrXnT2bYwLmF8vJc1A?ascene=1&devicetype=iPad&version=18003b2c&pass_ticket=q8Zr1XvKpT3aLmN5&wx_header=1'],
  }),
  a8Key: Type.String({ examples: ['1_7a3f9c2e5b8d1f4a6c0e2b7d9f1a3c5e'] }),
  actionCode: UInt32({ examples: [26] }),
  title: Type.Optional(Type.String({ examples: ['2026 新年致辞'] })),
  content: Type.Optional(Type.String()),
}, 'WeChat GetA8KeyResp', 'A8KeyResponse');

export const JsApiBaseResponse = Type.Object({
  errcode: Int32({ description: '0 = ok' }),
  errmsg: Type.String({ examples: ['ok'] }),
}, { title: 'JsApiBaseResponse', description: 'the mini-program API result inside a WeChat response' });

/** js_operate_wxdata, js_operate_wxdata_vip. */
export const JsOperateWxDataResponse = wechatResponse({
  jsapiBaseresponse: JsApiBaseResponse,
  data: Type.String({ description: 'JSON string returned to the mini-program', examples: ['{"errcode":0,"errmsg":"ok","data":{"nickName":"张伟"}}'] }),
}, 'WeChat JSOperateWxDataResponse', 'JsOperateWxDataResponse');

/** oauth_authorize, qrconnect_authorize. */
export const OAuthAuthorizeResponse = wechatResponse({
  appname: Type.Optional(Type.String({ examples: ['优选商城会员中心'] })),
  appicon: Type.Optional(Type.String({ description: 'icon URL', examples: ['https://wx.qlogo.cn/mmhead/Q3auHgzwzM4fKx9bT2cR/96'] })),
  scopeList: Type.Optional(Type.Array(Type.Object({}, { description: 'a requested scope' }))),
  redirectUrl: Type.Optional(Type.String({ description: 'set when already authorized' })),
}, 'the authorization page: app and requested scopes', 'OAuthAuthorizeResponse');

/** oauth_authorize_confirm, qrconnect_authorize_confirm. */
export const OAuthConfirmResponse = wechatResponse({
  redirectUrl: Type.Optional(Type.String({
    description: 'callback URL carrying ?code=…',
    examples: ['https://shop.example.com/oauth/callback?code=081Kq7Ga1bXyZ40c9qHa1hP2Wx3Kq7Gq&state=STATE'],
  })),
}, 'the confirmed authorization', 'OAuthConfirmResponse');

/** resolve_wxa_short_link, resolve_wxa_app_short_link. */
export const WxaShortLinkTarget = Type.Object({
  appid: Type.Optional(Type.String({ description: 'mini-program appid', examples: [EXAMPLE.appid] })),
  path: Type.Optional(Type.String({ description: 'page path', examples: ['pages/goods/detail?id=1024'] })),
  title: Type.Optional(Type.String({ description: 'page title given when the link was created', examples: ['新年礼盒'] })),
}, { title: 'WxaShortLinkTarget', description: 'the mini-program page a short link points to (field names inferred)' });
