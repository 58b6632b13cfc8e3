// wxgate's /sandbox/apps/* extension: third-party apps of the simulated world (mini-programs, OAuth apps) and the
// stand-ins for their servers' code redemption; listed in the sandbox module (endpoints/sandbox.ts).
import { Type } from '@sinclair/typebox';
import { endpoint } from '../define.ts';
import { UInt32 } from '../integers.ts';

export const SANDBOX_APP_ENDPOINTS = [
  endpoint({
    path: '/sandbox/apps/create_mini_program',
    module: 'sandbox',
    summaryZh: '创建模拟小程序',
    summaryEn: 'Register a mini-program in your app\'s simulated world (for /app/js_login, js_operate_wxdata, short links)',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      appid: Type.Optional(Type.String({ pattern: '^wx[0-9a-f]{16}$', description: 'wx + 16 hex digits; omitted = a new one' })),
      name: Type.String({ minLength: 1, maxLength: 64, description: 'the mini-program\'s name (shown in #小程序:// links)' }),
      icon_url: Type.Optional(Type.String({ maxLength: 1024, default: '' })),
      pages: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 100, description: 'page paths; the first is the home page (default ["pages/index/index"])' })),
    }),
    response: Type.Object({
      appid: Type.String(),
      name: Type.String(),
      pages: Type.Array(Type.String()),
    }, { description: 'the mini-program as registered' }),
  }),
  endpoint({
    path: '/sandbox/apps/create_oauth_app',
    module: 'sandbox',
    summaryZh: '创建模拟OAuth应用',
    summaryEn: 'Register an OAuth web app (official-account web page or website QR login) in your app\'s simulated world',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      appid: Type.Optional(Type.String({ pattern: '^wx[0-9a-f]{16}$', description: 'wx + 16 hex digits; omitted = a new one' })),
      name: Type.String({ minLength: 1, maxLength: 64 }),
      icon_url: Type.Optional(Type.String({ maxLength: 1024, default: '' })),
      redirect_uri: Type.String({ pattern: '^https?://[^/?#\\s]+', maxLength: 1024, description: 'the registered redirect URI; its host is the authorized domain (授权回调域)' }),
      scopes: Type.Optional(Type.Array(Type.Union([Type.Literal('snsapi_base'), Type.Literal('snsapi_userinfo'), Type.Literal('snsapi_login')]), {
        minItems: 1, maxItems: 3, description: 'scopes the app may ask for (default all three)',
      })),
    }),
    response: Type.Object({
      appid: Type.String(),
      name: Type.String(),
      redirect_uri: Type.String(),
      scopes: Type.Array(Type.String()),
    }, { description: 'the OAuth app as registered' }),
  }),
  endpoint({
    path: '/sandbox/apps/jscode2session',
    module: 'sandbox',
    summaryZh: '模拟小程序服务端换取openid',
    summaryEn: 'Redeem a /app/js_login code as the mini-program\'s server would (jscode2session); each code works once',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      appid: Type.String({ description: 'the mini-program the code was issued for' }),
      js_code: Type.String({ description: 'the code /app/js_login answered' }),
    }),
    response: Type.Object({
      openid: Type.String({ description: 'stable per mini-program and person' }),
      unionid: Type.String({ description: 'stable per person in your app\'s world' }),
      session_key: Type.String({ description: 'a new session key (base64)' }),
    }, { description: 'the person behind the code' }),
  }),
  endpoint({
    path: '/sandbox/apps/oauth_access_token',
    module: 'sandbox',
    summaryZh: '模拟网页授权换取openid',
    summaryEn: 'Redeem an OAuth code (from a confirm\'s redirect URL) as the app\'s server would (sns/oauth2/access_token); each code works once',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      appid: Type.String({ description: 'the app the code was issued for' }),
      code: Type.String({ description: 'the code of the redirect URL' }),
    }),
    response: Type.Object({
      openid: Type.String({ description: 'stable per app and person' }),
      unionid: Type.String({ description: 'stable per person in your app\'s world' }),
      scope: Type.String({ description: 'the granted scopes, comma-separated' }),
      access_token: Type.String(),
      expires_in: UInt32({ description: 'seconds' }),
    }, { description: 'the person behind the code' }),
  }),
] as const;
