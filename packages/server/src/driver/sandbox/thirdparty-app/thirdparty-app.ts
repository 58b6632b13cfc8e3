// The /app/* operations of one instance: A8Key URL resolution, mini-program login codes and data calls, OAuth and
// QR-connect authorization (code issued on confirm), and mini-program short links — against the world's apps.
import { invalidField, wechatRefusal } from '@wxgate/contract';
import type { SandboxPerson, SandboxThirdPartyApp } from '../../../storage/sandbox-ports.ts';
import type { DriverOperations } from '../../driver.ts';
import {
  a8KeyUrl, checkAuthorization, CODE_LIFETIME_MS, confirmedScopes, JSAPI_OK, newShortLinkToken, openidOf, parseAuthorizeUrl,
  requireThirdPartyApp, SCOPE_WORDING, shortLinkNotFound, shortLinkToken, withQuery, type AuthorizeRequest,
} from './thirdparty-app-objects.ts';
import { OK_BASE_RESPONSE } from '../wechat-objects.ts';
import { requireAccount, type World, type WorldChange } from '../world.ts';

type Flow = 'oauth' | 'qrconnect';

/** The authorize URL's app and scopes, checked as WeChat checks them before showing its page. */
async function authorizeTarget(change: WorldChange, rawUrl: string, flow: Flow): Promise<{ app: SandboxThirdPartyApp; request: AuthorizeRequest }> {
  const request = parseAuthorizeUrl(rawUrl, flow);
  const app = await requireThirdPartyApp(change, request.appid, 'oauth');
  // Website QR login is snsapi_login only; the in-WeChat web page flow never is.
  const wrongFlow = request.scopes.filter((s) => (flow === 'qrconnect') !== (s === 'snsapi_login'));
  if (wrongFlow.length > 0) {
    throw wechatRefusal('OAUTH_SCOPE_NOT_ALLOWED', -1, `${flow === 'qrconnect' ? 'QR-connect asks for snsapi_login only' : 'the OAuth page flow cannot ask for snsapi_login (use qrconnect)'}; refused: ${wrongFlow.join(', ')} (errcode 10005)`);
  }
  checkAuthorization(app, request, request.scopes);
  return { app, request };
}

/** Issues a one-time OAuth code and answers the redirect URL carrying it and the caller's state. */
async function issueOAuthCode(change: WorldChange, me: SandboxPerson, app: SandboxThirdPartyApp, request: AuthorizeRequest, scopes: readonly string[]): Promise<string> {
  const code = change.ids.verifyTicket();
  await change.world.thirdPartyApps.putCode({
    appId: change.appId, code, appid: app.appid, wxid: me.wxid, kind: 'oauth', scope: scopes.join(','), expiresAt: change.now + CODE_LIFETIME_MS,
  });
  return withQuery(request.redirectUri, { code, state: request.state });
}

export function thirdPartyAppOperations(world: World, appId: string, guid: string): DriverOperations {
  const asAccount = <T>(work: (change: WorldChange, me: SandboxPerson) => Promise<T>) =>
    world.change(appId, async (change) => work(change, await requireAccount(change, guid)));

  const a8Key = (req: { req_url: string; scene?: number }) => asAccount(async (change) => {
    const { fullURL, a8Key: key } = a8KeyUrl(change, req.req_url, req.scene ?? 1);
    // actionCode 26: open the URL in WeChat's browser (the plain-web-page answer).
    return { baseResponse: OK_BASE_RESPONSE, fullURL, a8Key: key, actionCode: 26, title: '', content: '' };
  });

  const operateWxData = (req: { appid: string; data?: string; grant_scope?: string }) => asAccount(async (change, me) => {
    const app = await requireThirdPartyApp(change, req.appid, 'mini_program');
    let payload: unknown = null;
    if ((req.data ?? '') !== '') {
      try {
        payload = JSON.parse(req.data!);
      } catch {
        throw invalidField('data', 'data must be a JSON string (the mini-program call\'s payload)');
      }
    }
    // The mini-program side is simulated: it answers the call with who made it and what it sent.
    const data = JSON.stringify({ appid: app.appid, openid: openidOf(appId, app.appid, me.wxid), grant_scope: req.grant_scope ?? '', request: payload });
    return { baseResponse: OK_BASE_RESPONSE, jsapiBaseresponse: JSAPI_OK, data };
  });

  const authorize = (flow: Flow) => (req: { url: string }) => asAccount(async (change, me) => {
    const { app, request } = await authorizeTarget(change, req.url, flow);
    // snsapi_base is silent (静默授权): WeChat redirects at once with a code, without a page to confirm.
    if (flow === 'oauth' && request.scopes.every((s) => s === 'snsapi_base')) {
      return { baseResponse: OK_BASE_RESPONSE, appname: app.name, appicon: app.iconUrl, scopeList: [], redirectUrl: await issueOAuthCode(change, me, app, request, request.scopes) };
    }
    const scopeList = request.scopes.map((scope) => ({ scope, desc: SCOPE_WORDING[scope] ?? scope, authState: 1 }));
    return { baseResponse: OK_BASE_RESPONSE, appname: app.name, appicon: app.iconUrl, scopeList };
  });

  const confirm = (flow: Flow) => (req: { url: string; scope: string[] | string; opt?: number }) => asAccount(async (change, me) => {
    const { app, request } = await authorizeTarget(change, req.url, flow);
    const scopes = confirmedScopes(req.scope);
    checkAuthorization(app, request, scopes);
    const unasked = scopes.filter((s) => !request.scopes.includes(s));
    if (unasked.length > 0) throw invalidField('scope', `the authorize URL did not ask for ${unasked.join(', ')}; confirm some of ${request.scopes.join(', ')}`);
    // opt 1 confirms; anything else is the person refusing: the site gets its state back without a code.
    if ((req.opt ?? 1) !== 1) return { baseResponse: OK_BASE_RESPONSE, redirectUrl: withQuery(request.redirectUri, { state: request.state }) };
    return { baseResponse: OK_BASE_RESPONSE, redirectUrl: await issueOAuthCode(change, me, app, request, scopes) };
  });

  // Both resolvers take either form, as the vendor documents the one field for both.
  const resolveShortLink = (req: { short_link: string }) => asAccount(async (change) => {
    const token = shortLinkToken(req.short_link);
    if (token === null) throw invalidField('short_link', 'expected a #小程序://<name>/<token> or mp://<token> link');
    const link = await change.world.thirdPartyApps.getShortLink(appId, token);
    if (!link) throw shortLinkNotFound(req.short_link);
    return { appid: link.appid, path: link.path, title: link.title };
  });

  return {
    '/app/get_a8key': a8Key,
    '/app/mp_get_a8key': a8Key,
    '/app/js_login': (req) => asAccount(async (change, me) => {
      const app = await requireThirdPartyApp(change, req.appid, 'mini_program');
      const code = change.ids.verifyTicket();
      await change.world.thirdPartyApps.putCode({ appId, code, appid: app.appid, wxid: me.wxid, kind: 'js_login', scope: '', expiresAt: change.now + CODE_LIFETIME_MS });
      return { baseResponse: OK_BASE_RESPONSE, jsapiBaseresponse: JSAPI_OK, code };
    }),
    '/app/js_operate_wxdata': operateWxData,
    '/app/js_operate_wxdata_vip': operateWxData,
    '/app/oauth_authorize': authorize('oauth'),
    '/app/oauth_authorize_confirm': confirm('oauth'),
    '/app/qrconnect_authorize': authorize('qrconnect'),
    '/app/qrconnect_authorize_confirm': confirm('qrconnect'),
    '/app/create_wxa_short_link': (req) => asAccount(async (change, me) => {
      const app = await requireThirdPartyApp(change, req.appid, 'mini_program');
      const path = (req.page_path ?? '') === '' ? app.pages[0]! : req.page_path!;
      const page = path.split('?')[0]!.replace(/^\//, '');
      if (!app.pages.includes(page)) throw invalidField('page_path', `${app.name} has no page ${page}; its pages are ${app.pages.join(', ')}`);
      const token = newShortLinkToken(change);
      await change.world.thirdPartyApps.putShortLink({ appId, token, appid: app.appid, path, title: req.page_title ?? '', createdBy: me.wxid, createdAt: change.now });
      const link = `#小程序://${app.name}/${token}`;
      return { link, short_link: link, app_link: `mp://${token}` };
    }),
    '/app/resolve_wxa_short_link': resolveShortLink,
    '/app/resolve_wxa_app_short_link': resolveShortLink,
  };
}
