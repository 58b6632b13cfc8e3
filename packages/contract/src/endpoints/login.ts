// The /login/* endpoints of the vendor API, declared once (TODO one-line purpose).
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid, EmptyData } from '../define.ts';
import { wechatResponse, ChatMsg, ReferMsg, CdnBaseRequest, SKString, SKBuffer } from '../wechat.ts';

export const loginEndpoints = defineModule('login', [
  endpoint({
    path: '/login/get_login_qrcode',
    module: 'login',
    summaryZh: '获取登录二维码',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    // catalog response: errcode | errmsg | data.qrcode: string — base64 PNG of the login QR | data.qrcode_content: string — the QR text/URL (http://weixin.qq.com/x/...) | data.uuid: string (inferred) | data.expired_time / expire_seconds: int (inferred)
    response: EmptyData,
  }),
  endpoint({
    path: '/login/check_login_qrcode',
    module: 'login',
    summaryZh: '检查登录二维码状态',
    summaryEn: 'TODO',
    description: '获取二维码后，需要训轮调用此接口',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    // catalog response: errcode | errmsg | data.status: int (inferred iPad semantics: 0 waiting for scan, 1 scanned / waiting for confirm (IPAD may require pin: authUrl carries ticket), 2 confirmed/logged in, 4 cancelled/expired) | data.uuid (inferred) | data.nick_name / head_img_url (inferred) | data.auth_url / authUrl (doc mentions authUrl)
    response: EmptyData,
  }),
  endpoint({
    path: '/login/push_login_url',
    module: 'login',
    summaryZh: '推送手机确认登录通知',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    // catalog response: errcode | errmsg | data: {uuid?, ...} (inferred)
    response: EmptyData,
  }),
  endpoint({
    path: '/login/verify_login_url',
    module: 'login',
    summaryZh: '验证登录',
    summaryEn: 'TODO',
    description: '登录IPAD设备时，可能会出现需要输入验证码（二维码回调status==1），pin为验证码，ticket从 authUrl 里面取',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      ticket: Type.String({ description: 'ticket taken from authUrl of the QR callback (doc)' }),
      pin: Type.String({ description: 'verification code (doc: pin为验证码)' }),
    }),
    // catalog response: errcode: int (0 = ok) | errmsg: string | data: object (empty/unspecified)
    response: EmptyData,
  }),
] as const);
