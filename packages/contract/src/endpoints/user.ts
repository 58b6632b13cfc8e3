// The /user/* endpoints: the logged-in account (profile, personal QR code, logout), declared once.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid } from '../define.ts';
import { UInt32 } from '../integers.ts';
import { wechatResponse, SKString, SKBuffer, BaseOnlyResponse, SnsUserInfo } from '../wechat.ts';

export const userEndpoints = defineModule('user', [
  endpoint({
    path: '/user/get_profile',
    module: 'user',
    summaryZh: '获取登录账号信息',
    summaryEn: 'Get the logged-in account\'s profile',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    response: wechatResponse({
      userInfo: Type.Object({
        bitFlag: UInt32(),
        userName: SKString,
        nickName: SKString,
        bindUin: UInt32(),
        bindEmail: SKString,
        bindMobile: SKString,
        status: UInt32(),
        sex: UInt32({ description: '0 unknown, 1 male, 2 female' }),
        province: Type.String(),
        city: Type.String(),
        signature: Type.String(),
        personalCard: UInt32(),
        alias: Type.String({ description: 'the WeChat id (微信号); "" if none' }),
      }, { description: 'WeChat ModUserInfo' }),
      userInfoExt: Type.Object({
        snsUserInfo: SnsUserInfo,
        bigHeadImgUrl: Type.String(),
        smallHeadImgUrl: Type.String(),
      }, { description: 'WeChat UserInfoExt' }),
    }, 'WeChat GetProfileResponse'),
  }),
  endpoint({
    path: '/user/get_qrcode',
    module: 'user',
    summaryZh: '获取个人二维码',
    summaryEn: 'Get the personal QR code of the account',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      style: Type.Optional(UInt32({ default: 0, description: 'QR-code style (WeChat GetQRCode style)' })),
      opcode: Type.Optional(UInt32({ default: 1, description: 'operation code (default 1)' })),
    }),
    response: wechatResponse({
      qrcode: SKBuffer,
      style: UInt32(),
      footerWording: Type.Optional(Type.String()),
    }, 'WeChat GetQRCodeResponse; qrcode.buffer is a base64 PNG'),
  }),
  endpoint({
    path: '/user/logout',
    module: 'user',
    summaryZh: '退出登录',
    summaryEn: 'Log the account out',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    response: BaseOnlyResponse,
  }),
] as const);
