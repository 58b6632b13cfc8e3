// Third-party apps in the sandbox through HTTP: mini-program login codes redeemed once (jscode2session stand-in),
// OAuth and QR-connect authorization with codes redeemed once, A8Key, js_operate_wxdata, short-link round trips,
// and the refusals for unknown apps, foreign redirect domains, refused scopes and unknown links.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTenant, startHarness, type Harness } from '../../harness.ts';
import { type Creds, loggedIn, ok } from '../../sandbox-helpers.ts';

/** status and code of a refusal. */
async function refused(res: Promise<{ status: number; body: any }>): Promise<[number, number]> {
  const r = await res;
  return [r.status, r.body.code];
}

const authorizeUrl = (appid: string, scope: string, redirect = 'https://shop.example.com/wx/callback', flow = 'oauth2/authorize') =>
  `https://open.weixin.qq.com/connect/${flow}?appid=${appid}&redirect_uri=${encodeURIComponent(redirect)}&response_type=code&scope=${scope}&state=s1#wechat_redirect`;

describe('sandbox third-party apps over HTTP', () => {
  test('mini-program: js_login code redeemed once, stable openid per app and person, data calls, short links', async () => {
    const h = await startHarness();
    try {
      const alice = await loggedIn(h, { nickname: 'Alice' });
      const bob = await loggedIn(h, { nickname: 'Bob' });
      const mp = await ok(h.direct('/sandbox/apps/create_mini_program', { name: '点餐', pages: ['pages/index/index', 'pages/menu/menu'] }));
      assert.match(mp.appid, /^wx[0-9a-f]{16}$/);
      const other = await ok(h.direct('/sandbox/apps/create_mini_program', { appid: 'wx0123456789abcdef', name: '其他' }));
      assert.deepEqual(await refused(h.direct('/sandbox/apps/create_mini_program', { appid: 'wx0123456789abcdef', name: 'dup' })), [409, 40980]);

      const login = await ok(h.gateway('/app/js_login', { guid: alice.guid, appid: mp.appid }));
      assert.deepEqual(login.jsapiBaseresponse, { errcode: 0, errmsg: 'ok' });
      assert.equal(login.baseResponse.ret, 0);
      const session = await ok(h.direct('/sandbox/apps/jscode2session', { appid: mp.appid, js_code: login.code }));
      assert.match(session.openid, /^o.{27}$/);
      assert.deepEqual(await refused(h.direct('/sandbox/apps/jscode2session', { appid: mp.appid, js_code: login.code })), [409, 40981]);
      const again = await ok(h.direct('/app/js_login', { guid: alice.guid, appid: mp.appid }));
      assert.notEqual(again.code, login.code);
      // Another app cannot redeem the code; it stays usable for its own app.
      assert.deepEqual(await refused(h.direct('/sandbox/apps/jscode2session', { appid: other.appid, js_code: again.code })), [409, 40981]);
      const second = await ok(h.direct('/sandbox/apps/jscode2session', { appid: mp.appid, js_code: again.code }));
      assert.equal(second.openid, session.openid);
      assert.equal(second.unionid, session.unionid);
      const bobCode = (await ok(h.direct('/app/js_login', { guid: bob.guid, appid: mp.appid }))).code;
      assert.notEqual((await ok(h.direct('/sandbox/apps/jscode2session', { appid: mp.appid, js_code: bobCode }))).openid, session.openid);
      const otherCode = (await ok(h.direct('/app/js_login', { guid: alice.guid, appid: other.appid }))).code;
      const otherSession = await ok(h.direct('/sandbox/apps/jscode2session', { appid: other.appid, js_code: otherCode }));
      assert.notEqual(otherSession.openid, session.openid);
      assert.equal(otherSession.unionid, session.unionid);

      // Codes expire after 5 minutes.
      const stale = (await ok(h.direct('/app/js_login', { guid: alice.guid, appid: mp.appid }))).code;
      h.clock.advance(5 * 60 * 1000 + 1);
      assert.deepEqual(await refused(h.direct('/sandbox/apps/jscode2session', { appid: mp.appid, js_code: stale })), [409, 40981]);

      const wxdata = await ok(h.direct('/app/js_operate_wxdata', { guid: alice.guid, appid: mp.appid, data: '{"api_name":"webapi_getuserinfo"}', grant_scope: 'scope.userInfo' }));
      assert.deepEqual(JSON.parse(wxdata.data), { appid: mp.appid, openid: session.openid, grant_scope: 'scope.userInfo', request: { api_name: 'webapi_getuserinfo' } });
      assert.equal((await ok(h.direct('/app/js_operate_wxdata_vip', { guid: alice.guid, appid: mp.appid }))).jsapiBaseresponse.errcode, 0);
      assert.deepEqual(await refused(h.direct('/app/js_operate_wxdata', { guid: alice.guid, appid: mp.appid, data: '{nope' })), [422, 422]);

      const created = await ok(h.gateway('/app/create_wxa_short_link', { guid: alice.guid, appid: mp.appid, page_path: 'pages/menu/menu?table=7', page_title: '菜单' }));
      assert.match(created.link, /^#小程序:\/\/点餐\/[A-Za-z0-9_-]{12}$/);
      assert.equal(created.short_link, created.link);
      assert.match(created.app_link, /^mp:\/\/[A-Za-z0-9_-]{12}$/);
      const target = { appid: mp.appid, path: 'pages/menu/menu?table=7', title: '菜单' };
      assert.deepEqual(await ok(h.gateway('/app/resolve_wxa_short_link', { guid: bob.guid, short_link: created.link })), target);
      assert.deepEqual(await ok(h.direct('/app/resolve_wxa_app_short_link', { guid: bob.guid, short_link: created.app_link })), target);
      const home = await ok(h.direct('/app/create_wxa_short_link', { guid: alice.guid, appid: mp.appid }));
      assert.equal((await ok(h.direct('/app/resolve_wxa_short_link', { guid: alice.guid, short_link: home.link }))).path, 'pages/index/index');
      assert.deepEqual(await refused(h.direct('/app/create_wxa_short_link', { guid: alice.guid, appid: mp.appid, page_path: 'pages/nope/nope' })), [422, 422]);
      assert.deepEqual(await refused(h.direct('/app/resolve_wxa_app_short_link', { guid: alice.guid, short_link: 'mp://AAAAAAAAAAAA' })), [404, 40461]);
      assert.deepEqual(await refused(h.direct('/app/resolve_wxa_short_link', { guid: alice.guid, short_link: 'https://example.com' })), [422, 422]);

      // Unknown appids are WeChat's refusal, with its ret.
      const unknown = await h.direct('/app/js_login', { guid: alice.guid, appid: 'wxffffffffffffffff' });
      assert.deepEqual([unknown.status, unknown.body.code, unknown.body.data.baseResponse.ret], [404, 40460, -1]);
      assert.deepEqual(await refused(h.direct('/app/create_wxa_short_link', { guid: alice.guid, appid: 'wxffffffffffffffff' })), [404, 40460]);

      // Another tenant's world has none of it.
      const creds = await createTenant(h);
      const carol = await loggedIn(h, { nickname: 'Carol' }, creds);
      assert.deepEqual(await refused(h.direct('/app/js_login', { guid: carol.guid, appid: mp.appid }, creds)), [404, 40460]);
      assert.deepEqual(await refused(h.direct('/app/resolve_wxa_short_link', { guid: carol.guid, short_link: created.link }, creds)), [404, 40461]);
    } finally {
      await h.close();
    }
  });

  test('OAuth and QR-connect: scope page, confirm → code in the redirect → redeemed once; refusals; A8Key; survives a restart', async () => {
    let h = await startHarness();
    try {
      const alice = await loggedIn(h, { nickname: 'Alice' });
      const app = await ok(h.direct('/sandbox/apps/create_oauth_app', { name: '商城', redirect_uri: 'https://shop.example.com/wx/callback', scopes: ['snsapi_base', 'snsapi_userinfo'], icon_url: 'https://shop.example.com/i.png' }));
      const web = await ok(h.direct('/sandbox/apps/create_oauth_app', { name: '官网', redirect_uri: 'https://www.example.org/login', scopes: ['snsapi_login'] }));

      const page = await ok(h.gateway('/app/oauth_authorize', { guid: alice.guid, url: authorizeUrl(app.appid, 'snsapi_userinfo'), username: alice.wxid }));
      assert.equal(page.appname, '商城');
      assert.equal(page.appicon, 'https://shop.example.com/i.png');
      assert.deepEqual(page.scopeList.map((s: any) => s.scope), ['snsapi_userinfo']);
      assert.equal(page.redirectUrl, undefined);

      const confirmed = await ok(h.gateway('/app/oauth_authorize_confirm', { guid: alice.guid, url: authorizeUrl(app.appid, 'snsapi_userinfo'), scope: ['snsapi_userinfo'] }));
      const redirect = new URL(confirmed.redirectUrl);
      assert.equal(`${redirect.origin}${redirect.pathname}`, 'https://shop.example.com/wx/callback');
      assert.equal(redirect.searchParams.get('state'), 's1');
      const code = redirect.searchParams.get('code')!;
      const token = await ok(h.direct('/sandbox/apps/oauth_access_token', { appid: app.appid, code }));
      assert.equal(token.scope, 'snsapi_userinfo');
      assert.match(token.openid, /^o.{27}$/);
      assert.deepEqual(await refused(h.direct('/sandbox/apps/oauth_access_token', { appid: app.appid, code })), [409, 40981]);
      assert.deepEqual(await refused(h.direct('/sandbox/apps/oauth_access_token', { appid: app.appid, code: 'nope' })), [409, 40981]);

      // snsapi_base is silent: the code comes at once, and the openid is the same person's.
      const silent = await ok(h.direct('/app/oauth_authorize', { guid: alice.guid, url: authorizeUrl(app.appid, 'snsapi_base'), username: '' }));
      const silentCode = new URL(silent.redirectUrl).searchParams.get('code')!;
      assert.equal((await ok(h.direct('/sandbox/apps/oauth_access_token', { appid: app.appid, code: silentCode }))).openid, token.openid);

      // Refusing keeps the state and carries no code.
      const declined = await ok(h.direct('/app/oauth_authorize_confirm', { guid: alice.guid, url: authorizeUrl(app.appid, 'snsapi_userinfo'), scope: 'snsapi_userinfo', opt: 2 }));
      assert.equal(new URL(declined.redirectUrl).searchParams.get('code'), null);

      const qr = authorizeUrl(web.appid, 'snsapi_login', 'https://www.example.org/login', 'qrconnect');
      assert.deepEqual((await ok(h.direct('/app/qrconnect_authorize', { guid: alice.guid, url: qr, username: '' }))).scopeList.map((s: any) => s.scope), ['snsapi_login']);
      const qrCode = new URL((await ok(h.direct('/app/qrconnect_authorize_confirm', { guid: alice.guid, url: qr, scope: ['snsapi_login'] }))).redirectUrl).searchParams.get('code')!;
      const qrToken = await ok(h.direct('/sandbox/apps/oauth_access_token', { appid: web.appid, code: qrCode }));
      assert.equal(qrToken.unionid, token.unionid);
      assert.notEqual(qrToken.openid, token.openid);

      // Refusals: unknown app, foreign redirect domain, scopes the app may not ask for, the wrong flow, not a URL.
      const unknownApp = await h.direct('/app/oauth_authorize', { guid: alice.guid, url: authorizeUrl('wxffffffffffffffff', 'snsapi_userinfo'), username: '' });
      assert.deepEqual([unknownApp.status, unknownApp.body.code, unknownApp.body.data.baseResponse.ret], [404, 40460, -1]);
      assert.deepEqual(await refused(h.direct('/app/oauth_authorize', { guid: alice.guid, url: authorizeUrl(app.appid, 'snsapi_userinfo', 'https://evil.example.net/cb'), username: '' })), [403, 40360]);
      assert.deepEqual(await refused(h.direct('/app/oauth_authorize', { guid: alice.guid, url: authorizeUrl(app.appid, 'snsapi_login'), username: '' })), [403, 40361]);
      assert.deepEqual(await refused(h.direct('/app/qrconnect_authorize', { guid: alice.guid, url: authorizeUrl(web.appid, 'snsapi_userinfo', 'https://www.example.org/login', 'qrconnect'), username: '' })), [403, 40361]);
      assert.deepEqual(await refused(h.direct('/app/oauth_authorize_confirm', { guid: alice.guid, url: authorizeUrl(app.appid, 'snsapi_base'), scope: ['snsapi_userinfo'] })), [422, 422]);
      assert.deepEqual(await refused(h.direct('/app/oauth_authorize', { guid: alice.guid, url: 'not a url', username: '' })), [422, 422]);
      assert.deepEqual(await refused(h.direct('/app/js_login', { guid: alice.guid, appid: app.appid })), [404, 40460]);

      const a8 = await ok(h.gateway('/app/get_a8key', { guid: alice.guid, req_url: 'https://mp.weixin.qq.com/s/abc?x=1', scene: 2, client_version: 0, device_type: 'iPad' }));
      const full = new URL(a8.fullURL);
      assert.equal(full.pathname, '/s/abc');
      assert.equal(full.searchParams.get('x'), '1');
      assert.equal(full.searchParams.get('exportkey'), a8.a8Key);
      assert.equal(full.searchParams.get('scene'), '2');
      assert.equal((await ok(h.direct('/app/mp_get_a8key', { guid: alice.guid, req_url: 'http://example.com/', client_version: 0, device_type: 'iPad' }))).actionCode, 26);
      assert.deepEqual(await refused(h.direct('/app/get_a8key', { guid: alice.guid, req_url: 'weixin://x', client_version: 0, device_type: 'iPad' })), [422, 422]);

      // Apps and codes are in the store: a restart keeps them, and a fresh code still works once.
      const pending = new URL((await ok(h.direct('/app/oauth_authorize_confirm', { guid: alice.guid, url: authorizeUrl(app.appid, 'snsapi_userinfo'), scope: ['snsapi_userinfo'] }))).redirectUrl).searchParams.get('code')!;
      h = await h.restart();
      assert.equal((await ok(h.direct('/sandbox/apps/oauth_access_token', { appid: app.appid, code: pending }))).openid, token.openid);
      await ok(h.direct('/sandbox/world/reset', {}));
      // The reset took the apps too: the appid is free again.
      await ok(h.direct('/sandbox/apps/create_oauth_app', { appid: app.appid, name: 'x', redirect_uri: 'https://a.example' }));
    } finally {
      await h.close();
    }
  });
});
