// The /user/* endpoints of the vendor API, declared once (TODO one-line purpose).
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid, EmptyData } from '../define.ts';
import { wechatResponse, ChatMsg, ReferMsg, CdnBaseRequest, SKString, SKBuffer } from '../wechat.ts';

export const userEndpoints = defineModule('user', [
  endpoint({
    path: '/user/get_profile',
    module: 'user',
    summaryZh: '获取登录账号信息',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    // catalog response: baseResponse: {ret: 0, errMsg: {}} | userInfo: {bitFlag, userName: {string}, nickName: {string}, bindUin, bindEmail: {string}, bindMobile: {string}, status, sex, province, city, signature, personalCard, alias, ...} | userInfoExt: {snsUserInfo, bigHeadImgUrl, smallHeadImgUrl, ...}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/user/get_qrcode',
    module: 'user',
    summaryZh: '获取个人二维码',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      style: Type.Optional(Type.Integer({ default: 0, description: 'QR-code style (WeChat GetQRCode style)' })),
      opcode: Type.Optional(Type.Integer({ default: 1, description: 'operation code (default 1)' })),
    }),
    // catalog response: baseResponse | qrcode: {iLen, buffer: base64 PNG} | style: int | footerWording: string (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/user/logout',
    module: 'user',
    summaryZh: '退出登录',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
] as const);
