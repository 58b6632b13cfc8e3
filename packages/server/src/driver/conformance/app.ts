// Conformance: third-party apps — mini-program login codes redeemed once with a stable openid, OAuth confirm → code
// in the redirect → redeemed once, short links that round-trip, and WeChat's refusals for unknown apps and scopes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, expectError, logIn, wechatRet, withSubject, type Make } from './subject.ts';

const authorizeUrl = (appid: string, scope: string, redirect: string) =>
  `https://open.weixin.qq.com/connect/oauth2/authorize?appid=${appid}&redirect_uri=${encodeURIComponent(redirect)}&response_type=code&scope=${scope}&state=st#wechat_redirect`;

export function appConformance(make: Make): void {
  test('mini-programs: js_login codes work once, the openid is stable, short links round-trip', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    await logIn(s, a);
    const appid = await s.phone.createMiniProgram('点餐', ['pages/index/index', 'pages/menu/menu']);

    const first = await call(a.session, '/app/js_login', { appid });
    assert.equal(first.jsapiBaseresponse.errcode, 0);
    const session = await s.phone.redeemJsCode(appid, first.code);
    await expectError(s.phone.redeemJsCode(appid, first.code), 'THIRDPARTY_CODE_INVALID');
    const second = await call(a.session, '/app/js_login', { appid });
    assert.notEqual(second.code, first.code);
    assert.deepEqual(await s.phone.redeemJsCode(appid, second.code), session);

    const created = await call(a.session, '/app/create_wxa_short_link', { appid, page_path: 'pages/menu/menu', page_title: '菜单' });
    assert.ok(created.link?.startsWith('#小程序://点餐/'), created.link);
    const target = await call(a.session, '/app/resolve_wxa_short_link', { short_link: created.link! });
    assert.deepEqual([target.appid, target.path], [appid, 'pages/menu/menu']);
    assert.equal((await call(a.session, '/app/resolve_wxa_app_short_link', { short_link: created.app_link! })).appid, appid);
    await expectError(call(a.session, '/app/resolve_wxa_app_short_link', { short_link: 'mp://ZZZZZZZZZZZZ' }), 'WXA_SHORT_LINK_NOT_FOUND');
    assert.equal(wechatRet(await expectError(call(a.session, '/app/js_login', { appid: 'wxffffffffffffffff' }), 'THIRDPARTY_APP_NOT_FOUND')), -1);
  }));

  test('OAuth: the scope page, confirm → code in the redirect → redeemed once; foreign domains and scopes refused', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    await logIn(s, a);
    const redirect = 'https://shop.example.com/cb';
    const appid = await s.phone.createOAuthApp('商城', redirect, ['snsapi_userinfo']);
    const url = authorizeUrl(appid, 'snsapi_userinfo', redirect);

    const page = await call(a.session, '/app/oauth_authorize', { url, username: '' });
    assert.equal(page.appname, '商城');
    assert.equal(page.scopeList?.length, 1);
    const confirmed = await call(a.session, '/app/oauth_authorize_confirm', { url, scope: ['snsapi_userinfo'] });
    const back = new URL(confirmed.redirectUrl!);
    assert.equal(back.searchParams.get('state'), 'st');
    const code = back.searchParams.get('code')!;
    const token = await s.phone.redeemOAuthCode(appid, code);
    assert.equal(token.scope, 'snsapi_userinfo');
    await expectError(s.phone.redeemOAuthCode(appid, code), 'THIRDPARTY_CODE_INVALID');

    await expectError(call(a.session, '/app/oauth_authorize', { url: authorizeUrl(appid, 'snsapi_userinfo', 'https://evil.example.net/cb'), username: '' }), 'OAUTH_REDIRECT_MISMATCH');
    await expectError(call(a.session, '/app/oauth_authorize', { url: authorizeUrl(appid, 'snsapi_base', redirect), username: '' }), 'OAUTH_SCOPE_NOT_ALLOWED');
    await expectError(call(a.session, '/app/oauth_authorize', { url: authorizeUrl('wxffffffffffffffff', 'snsapi_userinfo', redirect), username: '' }), 'THIRDPARTY_APP_NOT_FOUND');
  }));
}
