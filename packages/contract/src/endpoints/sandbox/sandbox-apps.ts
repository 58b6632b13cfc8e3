// wxgate's /sandbox/apps/* extension: third-party apps of the simulated world (mini-programs, OAuth apps) and the
// stand-ins for their servers' code redemption; listed in the sandbox module (endpoints/sandbox/sandbox.ts).
import { Type } from '@sinclair/typebox';
import { endpoint } from '../../define.ts';
import { AppId } from '../../ids.ts';
import { UInt32 } from '../../integers.ts';


/** The example apps of the simulated world, and the ids WeChat gives a person towards them. */
const MINI_PROGRAM_NAME = '优选商城';
const PAGES = ['pages/index/index', 'pages/goods/detail'];
const OAUTH_APP_NAME = '优选商城会员中心';
const REDIRECT_URI = 'https://shop.example.com/oauth/callback';
const OPENID = 'oGZUI0egBJY1zhBYw2KhdUfwVJJE';
const UNIONID = 'o6_bmasdasdsad6_2sgVt7hMZOPfL';

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
      appid: Type.Optional(AppId('wx + 16 hex digits; omitted = a new one', { pattern: '^wx[0-9a-f]{16}$' })),
      name: Type.String({ minLength: 1, maxLength: 64, description: 'the mini-program\'s name (shown in #小程序:// links)', examples: [MINI_PROGRAM_NAME] }),
      icon_url: Type.Optional(Type.String({ maxLength: 1024, default: '' })),
      pages: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
        maxItems: 100,
        description: 'page paths; the first is the home page (default ["pages/index/index"])',
        examples: [PAGES],
      })),
    }),
    response: Type.Object({
      appid: AppId(),
      name: Type.String({ examples: [MINI_PROGRAM_NAME] }),
      pages: Type.Array(Type.String(), { examples: [PAGES] }),
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
      appid: Type.Optional(AppId('wx + 16 hex digits; omitted = a new one', { pattern: '^wx[0-9a-f]{16}$' })),
      name: Type.String({ minLength: 1, maxLength: 64, examples: [OAUTH_APP_NAME] }),
      icon_url: Type.Optional(Type.String({ maxLength: 1024, default: '' })),
      redirect_uri: Type.String({ pattern: '^https?://[^/?#\\s]+', maxLength: 1024, description: 'the registered redirect URI; its host is the authorized domain (授权回调域)', examples: [REDIRECT_URI] }),
      scopes: Type.Optional(Type.Array(Type.Union([Type.Literal('snsapi_base'), Type.Literal('snsapi_userinfo'), Type.Literal('snsapi_login')]), {
        minItems: 1, maxItems: 3, description: 'scopes the app may ask for (default all three)', examples: [['snsapi_base', 'snsapi_userinfo']],
      })),
    }),
    response: Type.Object({
      appid: AppId(),
      name: Type.String({ examples: [OAUTH_APP_NAME] }),
      redirect_uri: Type.String({ examples: [REDIRECT_URI] }),
      scopes: Type.Array(Type.String(), { examples: [['snsapi_base', 'snsapi_userinfo']] }),
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
      appid: AppId('the mini-program the code was issued for'),
      js_code: Type.String({ description: 'the code /app/js_login answered', examples: ['0c3Kq7Ga1bXyZ40c9qHa1hP2Wx3Kq7Gv'] }),
    }),
    response: Type.Object({
      openid: Type.String({ description: 'stable per mini-program and person', examples: [OPENID] }),
      unionid: Type.String({ description: 'stable per person in your app\'s world', examples: [UNIONID] }),
      session_key: Type.String({ description: 'a new session key (base64)', examples: ['tiihtNczf5v6AKRyjwEUhQ=='] }),
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
      appid: AppId('the app the code was issued for'),
      code: Type.String({ description: 'the code of the redirect URL', examples: ['081Kq7Ga1bXyZ40c9qHa1hP2Wx3Kq7Gq'] }),
    }),
    response: Type.Object({
      openid: Type.String({ description: 'stable per app and person', examples: [OPENID] }),
      unionid: Type.String({ description: 'stable per person in your app\'s world', examples: [UNIONID] }),
      scope: Type.String({ description: 'the granted scopes, comma-separated', examples: ['snsapi_userinfo'] }),
      access_token: Type.String({ examples: ['89_Kq7GaXyZ40c9qHa1hP2Wx3Kq7GvT2bLqXv7nGh1pYcW0eJfKsAaZ8iVuO4mN6rEq7Ga'] }),
      expires_in: UInt32({ description: 'seconds', examples: [7200] }),
    }, { description: 'the person behind the code' }),
  }),
] as const;
