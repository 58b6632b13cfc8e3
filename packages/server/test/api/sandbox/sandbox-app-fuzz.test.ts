// Junk bodies on every /app and /sandbox/apps endpoint, from a logged-in account with a real mini-program, OAuth app,
// code and short link (so valid bodies with a field or two spoiled reach the world's rules), never produce a 5xx.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { endpointList, type EndpointSpec } from '@wxgate/contract';
import { fuzzEndpoints, junkBody } from '../../fuzz-bodies.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { loggedIn, ok } from '../../sandbox-helpers.ts';

interface Known { guid: string; mp: string; web: string; oauthUrl: string; code: string; link: string }

/** A body each endpoint would accept, to spoil a field or two at a time. */
function validBody(path: string, k: Known): Record<string, unknown> | undefined {
  const a8 = { req_url: 'https://example.com/a', scene: 1, client_version: 0, device_type: 'iPad' };
  const bodies: Record<string, Record<string, unknown>> = {
    '/app/get_a8key': a8,
    '/app/mp_get_a8key': a8,
    '/app/js_login': { appid: k.mp },
    '/app/js_operate_wxdata': { appid: k.mp, data: '{"a":1}', grant_scope: 'scope.userInfo' },
    '/app/js_operate_wxdata_vip': { appid: k.mp, data: '{"a":1}' },
    '/app/oauth_authorize': { url: k.oauthUrl, username: '' },
    '/app/oauth_authorize_confirm': { url: k.oauthUrl, scope: ['snsapi_userinfo'] },
    '/app/qrconnect_authorize': { url: k.oauthUrl, username: '' },
    '/app/qrconnect_authorize_confirm': { url: k.oauthUrl, scope: ['snsapi_login'] },
    '/app/create_wxa_short_link': { appid: k.mp, page_path: 'pages/index/index' },
    '/app/resolve_wxa_short_link': { short_link: k.link },
    '/app/resolve_wxa_app_short_link': { short_link: k.link },
    '/sandbox/apps/create_mini_program': { name: 'm' },
    '/sandbox/apps/create_oauth_app': { name: 'o', redirect_uri: 'https://a.example/cb' },
    '/sandbox/apps/jscode2session': { appid: k.mp, js_code: k.code },
    '/sandbox/apps/oauth_access_token': { appid: k.web, code: k.code },
  };
  return bodies[path];
}

function junkFor(spec: EndpointSpec, k: Known): fc.Arbitrary<Record<string, unknown>> {
  return junkBody(spec, {
    guid: k.guid,
    plausible: [
    k.mp, k.web, k.oauthUrl, k.code, k.link, 'mp://', '#小程序://', '#小程序://x/' + 'A'.repeat(70), 'https://open.weixin.qq.com/connect/qrconnect?appid=',
    'https://open.weixin.qq.com/connect/oauth2/authorize?appid=x&redirect_uri=%zz&scope=,', 'snsapi_login', 'snsapi_base,snsapi_userinfo', '0', '-1', '',
    ' ', '9'.repeat(40), '{', 'null', '[]', '长'.repeat(3000), 'javascript:alert(1)', 'http://[::1', 'wx0123456789abcdef',,
    ],
    template: validBody(spec.path, k),
  });
}

describe('fuzz: third-party apps', () => {
  let h: Harness;
  let known: Known;
  before(async () => {
    h = await startHarness({ rateLimit: { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 1800 } });
    const { guid, wxid: me } = await loggedIn(h, { nickname: 'Fuzz' });
    const mp = (await ok(h.direct('/sandbox/apps/create_mini_program', { name: 'Fuzz' }))).appid;
    const web = (await ok(h.direct('/sandbox/apps/create_oauth_app', { name: 'Web', redirect_uri: 'https://a.example/cb' }))).appid;
    const oauthUrl = `https://open.weixin.qq.com/connect/oauth2/authorize?appid=${web}&redirect_uri=${encodeURIComponent('https://a.example/cb')}&scope=snsapi_userinfo&state=x`;
    const code = (await ok(h.direct('/app/js_login', { guid, appid: mp }))).code;
    const link = (await ok(h.direct('/app/create_wxa_short_link', { guid, appid: mp }))).link;
    known = { guid, mp, web, oauthUrl, code, link };
  });
  after(() => h.close());

  test('every /app and /sandbox/apps endpoint survives junk on both transports', async () => {
    const specs = endpointList.filter((e) => e.module === 'app' || e.path.startsWith('/sandbox/apps/'));
    assert.equal(specs.length, 12 + 4);
    const codes = await fuzzEndpoints(h, specs, (spec) => junkFor(spec, known), { numRuns: 40, seed: 4046 });
    for (const status of [200, 404, 409, 422]) assert.ok((codes.get(status) ?? 0) > 0, `saw ${JSON.stringify([...codes])}`);
    assert.equal((await h.direct('/client/get_client_status', { guid: known.guid })).body.data.status, 2);
  });
});
