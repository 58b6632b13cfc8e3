// What WeChat shows of third-party apps (mini-programs, OAuth web apps): authorize-URL parsing, A8Key URLs, stable
// openids/unionids, short links and the objects /app/* answers with.
import { createHash } from 'node:crypto';
import { ApiError, invalidField, wechatRefusal } from '@wxgate/contract';
import type { SandboxThirdPartyApp } from '../../../storage/sandbox-ports.ts';
import type { WorldChange } from '../world.ts';

/** Codes (wx.login, OAuth) live 5 minutes, as WeChat's do. */
export const CODE_LIFETIME_MS = 5 * 60 * 1000;

/** The scopes WeChat knows, with the wording its authorization page shows. */
export const SCOPE_WORDING: Readonly<Record<string, string>> = {
  snsapi_base: '获得你的公开信息（昵称、头像等）',
  snsapi_userinfo: '获得你的公开信息（昵称、头像、地区及性别）',
  snsapi_login: '使用微信帐号登录网站',
};

/** The jsapi result of a successful mini-program call. */
export const JSAPI_OK = { errcode: 0, errmsg: 'ok' } as const;

/** An authorize URL as WeChat reads it: which app, where to send the code, what it asks and the caller's state. */
export interface AuthorizeRequest {
  readonly appid: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state: string;
}

/**
 * Parses open.weixin.qq.com/connect/oauth2/authorize (oauth) or /connect/qrconnect (qrconnect) URLs. Anything else is
 * a caller error (422), not WeChat's: it would not even open the page.
 */
export function parseAuthorizeUrl(raw: string, flow: 'oauth' | 'qrconnect'): AuthorizeRequest {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidField('url', 'not a URL; pass the authorize URL, e.g. https://open.weixin.qq.com/connect/oauth2/authorize?appid=…&redirect_uri=…&scope=snsapi_userinfo&state=…');
  }
  const path = flow === 'oauth' ? '/connect/oauth2/authorize' : '/connect/qrconnect';
  if (url.hostname !== 'open.weixin.qq.com' || url.pathname !== path) {
    throw invalidField('url', `expected an https://open.weixin.qq.com${path}?appid=…&redirect_uri=…&scope=… URL`);
  }
  const appid = url.searchParams.get('appid') ?? '';
  const redirectUri = url.searchParams.get('redirect_uri') ?? '';
  if (appid === '') throw invalidField('url', 'the authorize URL has no appid parameter');
  if (redirectUri === '') throw invalidField('url', 'the authorize URL has no redirect_uri parameter');
  const scopes = (url.searchParams.get('scope') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (scopes.length === 0) throw invalidField('url', 'the authorize URL has no scope parameter (snsapi_base, snsapi_userinfo or snsapi_login)');
  return { appid, redirectUri, scopes, state: url.searchParams.get('state') ?? '' };
}

/** The app, or WeChat's "invalid appid"; `kind` narrows it (a mini-program cannot be OAuth-authorized, and back). */
export async function requireThirdPartyApp(change: WorldChange, appid: string, kind: SandboxThirdPartyApp['kind']): Promise<SandboxThirdPartyApp> {
  const app = await change.world.thirdPartyApps.get(change.appId, appid);
  if (!app || app.kind !== kind) {
    const what = kind === 'mini_program' ? 'mini-program' : 'OAuth app';
    const hint = kind === 'mini_program' ? '/sandbox/apps/create_mini_program' : '/sandbox/apps/create_oauth_app';
    throw wechatRefusal('THIRDPARTY_APP_NOT_FOUND', -1, `no ${what} with appid "${appid}" in your app's sandbox world${app ? ` (it is ${app.kind === 'oauth' ? 'an OAuth app' : 'a mini-program'})` : ''}; create one with ${hint}`);
  }
  return app;
}

/** WeChat checks the redirect URI's host against the app's authorized domain (授权回调域) and each scope against its rights. */
export function checkAuthorization(app: SandboxThirdPartyApp, request: AuthorizeRequest, scopes: readonly string[]): void {
  let host = '';
  try {
    host = new URL(request.redirectUri).host;
  } catch { /* an unparsable redirect URI matches no domain */ }
  if (host === '' || host !== new URL(app.redirectUri).host) {
    throw wechatRefusal('OAUTH_REDIRECT_MISMATCH', -1, `redirect_uri ${request.redirectUri} is not on ${new URL(app.redirectUri).host}, the domain ${app.appid} registered (errcode 10003)`);
  }
  const refused = scopes.filter((s) => !app.scopes.includes(s));
  if (refused.length > 0) {
    throw wechatRefusal('OAUTH_SCOPE_NOT_ALLOWED', -1, `${app.appid} may not ask for ${refused.join(', ')}; it may ask for ${app.scopes.join(', ')} (errcode 10005)`);
  }
}

/** The scopes a confirm names: an array, or one string that may list several comma-separated. */
export function confirmedScopes(scope: readonly string[] | string): string[] {
  const list = (typeof scope === 'string' ? scope.split(',') : [...scope]).map((s) => s.trim()).filter((s) => s !== '');
  if (list.length === 0) throw invalidField('scope', 'name at least one scope, e.g. ["snsapi_userinfo"]');
  return [...new Set(list)];
}

/** `redirectUri` with `params` appended, as WeChat builds the callback URL. */
export function withQuery(redirectUri: string, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

const digest = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('base64url');

/** The person's openid for one app: stable (derived, not stored), different per app, 28 characters like WeChat's. */
export function openidOf(tenantAppId: string, appid: string, wxid: string): string {
  return 'o' + digest('openid', tenantAppId, appid, wxid).slice(0, 27);
}

/** The person's unionid: the same across every app of the world (one open-platform account). */
export function unionidOf(tenantAppId: string, wxid: string): string {
  return 'o' + digest('unionid', tenantAppId, wxid).slice(0, 27);
}

/** GetA8Key's answer for a plain URL: the URL itself with the A8 key (exportkey) and pass_ticket appended. */
export function a8KeyUrl(change: WorldChange, reqUrl: string, scene: number): { fullURL: string; a8Key: string } {
  let url: URL;
  try {
    url = new URL(reqUrl);
  } catch {
    throw invalidField('req_url', 'not a URL; pass an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidField('req_url', 'GetA8Key resolves http(s) URLs only');
  const a8Key = change.ids.verifyTicket() + change.ids.verifyTicket();
  url.searchParams.set('exportkey', a8Key);
  url.searchParams.set('pass_ticket', change.ids.verifyTicket());
  url.searchParams.set('wx_header', '1');
  url.searchParams.set('scene', String(scene));
  return { fullURL: url.toString(), a8Key };
}

/** The token a short link carries: `#小程序://<name>/<token>` or `mp://<token>`; null when it is neither. */
export function shortLinkToken(link: string): string | null {
  const trimmed = link.trim();
  const wxa = /^#?小程序:\/\/[^/]+\/([A-Za-z0-9_-]{4,64})$/u.exec(trimmed);
  if (wxa) return wxa[1]!;
  const mp = /^mp:\/\/([A-Za-z0-9_-]{4,64})$/.exec(trimmed);
  return mp ? mp[1]! : null;
}

/** A new short-link token (12 characters of WeChat's link alphabet). */
export function newShortLinkToken(change: WorldChange): string {
  return change.ids.avatarToken().slice(0, 12);
}

export function shortLinkNotFound(link: string): ApiError {
  return wechatRefusal('WXA_SHORT_LINK_NOT_FOUND', -2, `no mini-program short link "${link.slice(0, 200)}" in your app's sandbox world; create one with /app/create_wxa_short_link`);
}
