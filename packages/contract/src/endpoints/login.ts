// The /login/* endpoints: QR-code login, phone-confirmed re-login and device verification, declared once.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid, EmptyData } from '../define.ts';
import { EXAMPLE } from '../ids.ts';
import { EXAMPLE_UNIX_SECONDS, UInt32, UnixSeconds } from '../integers.ts';
import { EXAMPLE_PNG_BASE64 } from '../wechat.ts';

/** A login session id as WeChat issues it (also the token of the QR text). */
const LOGIN_UUID = 'gZ8xQm2Kc4Rt7WvN1pLa';


export const loginEndpoints = defineModule('login', [
  endpoint({
    path: '/login/get_login_qrcode',
    module: 'login',
    summaryZh: '获取登录二维码',
    summaryEn: 'Get the login QR code',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    response: Type.Object({
      qrcode: Type.String({ contentEncoding: 'base64', description: 'PNG of the login QR code, base64', examples: [EXAMPLE_PNG_BASE64] }),
      qrcode_content: Type.String({ description: 'the text the QR code encodes: http://weixin.qq.com/x/<token>', examples: [`http://weixin.qq.com/x/${LOGIN_UUID}`] }),
      uuid: Type.Optional(Type.String({ description: 'login session id', examples: [LOGIN_UUID] })),
      expired_time: Type.Optional(UnixSeconds('when the QR code expires, unix seconds', { examples: [EXAMPLE_UNIX_SECONDS + 300] })),
      expire_seconds: Type.Optional(UInt32({ description: 'seconds until the QR code expires', examples: [300] })),
    }, { description: 'the login QR code' }),
  }),
  endpoint({
    path: '/login/check_login_qrcode',
    module: 'login',
    summaryZh: '检查登录二维码状态',
    summaryEn: 'Poll the state of the login QR code',
    description: 'After getting the QR code, poll this until status is 2 (logged in) or 4 (cancelled or expired).',
    notesZh: '获取二维码后，需要训轮调用此接口',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    response: Type.Object({
      status: UInt32({ description: '0 waiting for scan, 1 scanned (confirm on the phone), 2 confirmed / logged in, 4 cancelled or expired', examples: [2] }),
      uuid: Type.Optional(Type.String({ description: 'login session id', examples: [LOGIN_UUID] })),
      nick_name: Type.Optional(Type.String({ description: 'nickname of the scanning account, once scanned', examples: [EXAMPLE.selfNickname] })),
      head_img_url: Type.Optional(Type.String({ description: 'avatar of the scanning account, once scanned', examples: [EXAMPLE.avatarSmall] })),
      // No example: auth_url comes only with status 1 on a login that needs device verification, not in this one.
      auth_url: Type.Optional(Type.String({ description: 'with status 1 on iPad logins that need a verification code: carries the ticket for /login/verify_login_url' })),
      expired_time: Type.Optional(UnixSeconds('when the QR code expires, unix seconds', { examples: [EXAMPLE_UNIX_SECONDS + 300] })),
      wxid: Type.Optional(Type.String({ description: 'with status 2: the account that logged in', examples: [EXAMPLE.self] })),
    }, { description: 'QR login progress' }),
  }),
  endpoint({
    path: '/login/push_login_url',
    module: 'login',
    summaryZh: '推送手机确认登录通知',
    summaryEn: 'Push a login confirmation to the phone of the last account',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    response: Type.Object({
      uuid: Type.Optional(Type.String({ description: 'login session id; poll /login/check_login_qrcode', examples: [LOGIN_UUID] })),
      expired_time: Type.Optional(UnixSeconds('when the pushed request expires, unix seconds', { examples: [EXAMPLE_UNIX_SECONDS + 300] })),
    }, { description: 'the pushed login request' }),
  }),
  endpoint({
    path: '/login/verify_login_url',
    module: 'login',
    summaryZh: '验证登录',
    summaryEn: 'Submit the device verification code of an iPad login',
    description: 'Logging in as an iPad may ask for a verification code (QR status 1 with auth_url): pin is the code the phone shows, ticket comes from auth_url.',
    notesZh: '登录IPAD设备时，可能会出现需要输入验证码（二维码回调status==1），pin为验证码，ticket从 authUrl 里面取',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      ticket: Type.String({ description: 'ticket taken from authUrl of the QR callback (doc)', examples: ['5d8e2f1a9c4b7e3d6f0a2c5e8b1d4f7a'] }),
      pin: Type.String({ description: 'verification code (doc: pin为验证码)', examples: ['482913'] }),
    }),
    response: EmptyData,
  }),
] as const);
