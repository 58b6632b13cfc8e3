// The /user/* endpoints: the logged-in account (profile, personal QR code, logout), declared once.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid } from '../define.ts';
import { UInt32 } from '../integers.ts';
import { AvatarUrl, EXAMPLE } from '../ids.ts';
import { wechatResponse, SKString, SKStringOf, SKBufferOf, EXAMPLE_PNG_BASE64, BaseOnlyResponse, SnsUserInfo } from '../wechat.ts';


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
        userName: SKStringOf(EXAMPLE.self),
        nickName: SKStringOf(EXAMPLE.selfNickname),
        bindUin: UInt32({ examples: [2841027365] }),
        bindEmail: SKString,
        bindMobile: SKStringOf('+8613800138000'),
        status: UInt32(),
        sex: UInt32({ description: '0 unknown, 1 male, 2 female', examples: [1] }),
        province: Type.String({ examples: ['Beijing'] }),
        city: Type.String({ examples: ['Haidian'] }),
        signature: Type.String({ examples: ['做难而正确的事'] }),
        personalCard: UInt32(),
        alias: Type.String({ description: 'the WeChat id (微信号); "" if none', examples: ['zhangwei_88'] }),
      }, { description: 'WeChat ModUserInfo' }),
      userInfoExt: Type.Object({
        snsUserInfo: SnsUserInfo,
        bigHeadImgUrl: AvatarUrl(),
        smallHeadImgUrl: AvatarUrl(undefined, true),
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
      qrcode: SKBufferOf(EXAMPLE_PNG_BASE64),
      style: UInt32(),
      footerWording: Type.Optional(Type.String({ examples: ['扫一扫上面的二维码图案，加我为朋友。'] })),
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
