// The /sandbox/apps/* control of third-party apps: registering mini-programs and OAuth apps, and the stand-ins for
// their servers' code redemption (jscode2session, sns/oauth2/access_token), each code single use.
import { ApiError, invalidField, type Modules, type RequestOf, type ResponseOf } from '@wxgate/contract';
import type { SandboxThirdPartyApp, SandboxThirdPartyCode } from '../../../storage/sandbox-ports.ts';
import { openidOf, unionidOf } from './thirdparty-app-objects.ts';
import type { WorldChange } from '../world.ts';

type Sandbox = Modules['sandbox'];
type Req<P extends keyof Sandbox> = RequestOf<Sandbox[P]>;
type Res<P extends keyof Sandbox> = ResponseOf<Sandbox[P]>;

const DEFAULT_PAGES = ['pages/index/index'];
const ALL_SCOPES = ['snsapi_base', 'snsapi_userinfo', 'snsapi_login'];

async function register(change: WorldChange, fields: Omit<SandboxThirdPartyApp, 'appId' | 'appid' | 'createdAt'> & { appid?: string }): Promise<SandboxThirdPartyApp> {
  const appid = fields.appid ?? 'wx' + change.ids.verifyTicket().slice(0, 16);
  if (await change.world.thirdPartyApps.get(change.appId, appid)) {
    throw new ApiError('SANDBOX_THIRDPARTY_APP_EXISTS', `a mini-program or OAuth app with appid ${appid} already exists in your app's sandbox world`, { appid });
  }
  const app: SandboxThirdPartyApp = { ...fields, appId: change.appId, appid, createdAt: change.now };
  await change.world.thirdPartyApps.create(app);
  return app;
}

export async function createMiniProgram(change: WorldChange, req: Req<'/sandbox/apps/create_mini_program'>): Promise<Res<'/sandbox/apps/create_mini_program'>> {
  const pages = [...new Set((req.pages ?? DEFAULT_PAGES).map((p) => p.replace(/^\//, '')))];
  const app = await register(change, {
    appid: req.appid, kind: 'mini_program', name: req.name, iconUrl: req.icon_url ?? '', pages: pages.length > 0 ? pages : DEFAULT_PAGES, redirectUri: '', scopes: [],
  });
  return { appid: app.appid, name: app.name, pages: [...app.pages] };
}

export async function createOAuthApp(change: WorldChange, req: Req<'/sandbox/apps/create_oauth_app'>): Promise<Res<'/sandbox/apps/create_oauth_app'>> {
  if (!URL.canParse(req.redirect_uri)) throw invalidField('redirect_uri', 'not a URL; pass e.g. https://shop.example.com/wx/callback');
  const app = await register(change, {
    appid: req.appid, kind: 'oauth', name: req.name, iconUrl: req.icon_url ?? '', pages: [], redirectUri: req.redirect_uri, scopes: [...new Set(req.scopes ?? ALL_SCOPES)],
  });
  return { appid: app.appid, name: app.name, redirect_uri: app.redirectUri, scopes: [...app.scopes] };
}

/** Redeems a code once: unknown, foreign, expired or already redeemed codes are refused like WeChat's servers do. */
async function redeem(change: WorldChange, appid: string, code: string, kind: SandboxThirdPartyCode['kind']): Promise<SandboxThirdPartyCode> {
  const found = await change.world.thirdPartyApps.getCode(change.appId, code);
  if (!found || found.appid !== appid || found.kind !== kind) {
    throw new ApiError('THIRDPARTY_CODE_INVALID', `no ${kind === 'js_login' ? '/app/js_login' : 'OAuth'} code "${code.slice(0, 64)}" was issued for ${appid} (errcode 40029, invalid code)`, { errcode: 40029 });
  }
  if (found.expiresAt <= change.now) {
    throw new ApiError('THIRDPARTY_CODE_INVALID', `the code expired at ${new Date(found.expiresAt).toISOString()} (codes live 5 minutes; errcode 40029)`, { errcode: 40029 });
  }
  if (found.redeemed || !(await change.world.thirdPartyApps.redeemCode(change.appId, code))) {
    throw new ApiError('THIRDPARTY_CODE_INVALID', 'the code was already redeemed; each code works once (errcode 40163, code been used)', { errcode: 40163 });
  }
  return found;
}

export async function jscode2session(change: WorldChange, req: Req<'/sandbox/apps/jscode2session'>): Promise<Res<'/sandbox/apps/jscode2session'>> {
  const code = await redeem(change, req.appid, req.js_code, 'js_login');
  return {
    openid: openidOf(change.appId, code.appid, code.wxid),
    unionid: unionidOf(change.appId, code.wxid),
    session_key: Buffer.from(change.ids.verifyTicket().slice(0, 16)).toString('base64'),
  };
}

export async function oauthAccessToken(change: WorldChange, req: Req<'/sandbox/apps/oauth_access_token'>): Promise<Res<'/sandbox/apps/oauth_access_token'>> {
  const code = await redeem(change, req.appid, req.code, 'oauth');
  return {
    openid: openidOf(change.appId, code.appid, code.wxid),
    unionid: unionidOf(change.appId, code.wxid),
    scope: code.scope,
    access_token: change.ids.verifyTicket() + change.ids.verifyTicket(),
    expires_in: 7200,
  };
}
