// App credentials, disabled apps, the admin API, and isolation between apps on every instance endpoint.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { endpointList } from '@wxgate/contract';
import { createTenant, startHarness, type Harness } from '../../harness.ts';

describe('credentials', () => {
  let h: Harness;
  let guid: string;
  before(async () => {
    h = await startHarness();
    guid = await h.createInstance();
  });
  after(() => h.close());

  test('missing credentials answer 401 MISSING_CREDENTIALS on both transports', async () => {
    const direct = await h.direct('/client/get_client_status', { guid }, null);
    assert.equal(direct.status, 401);
    assert.equal(direct.body.code, 40101);
    const gateway = await h.app.http.inject({ method: 'POST', url: '/open/GuidRequest', payload: { path: '/client/get_client_status', data: { guid } } });
    assert.equal(gateway.statusCode, 401);
    assert.equal(gateway.json().code, 40101);
  });

  test('a wrong secret and an unknown key answer the same 401', async () => {
    const wrongSecret = await h.direct('/client/get_client_status', { guid }, { appKey: h.appKey, appSecret: 'x'.repeat(43) });
    const unknownKey = await h.direct('/client/get_client_status', { guid }, { appKey: 'wxg_nobody_here_000', appSecret: h.appSecret });
    assert.equal(wrongSecret.status, 401);
    assert.equal(wrongSecret.body.code, 40102);
    assert.deepEqual(wrongSecret.body, unknownKey.body);
    // A second wrong attempt is answered from the rejection cache, identically.
    const again = await h.gateway('/client/get_client_status', { guid }, { appKey: h.appKey, appSecret: 'x'.repeat(43) });
    assert.deepEqual(again.body, wrongSecret.body);
  });

  test('a disabled app is refused with 403 until enabled again', async () => {
    const other = await createTenant(h, 'to-disable');
    assert.equal((await h.direct('/client/all_clients', {}, other)).status, 200);
    assert.equal((await h.admin('/admin/disable_app', { app_key: other.appKey })).status, 200);
    const refused = await h.direct('/client/all_clients', {}, other);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 40301);
    assert.equal((await h.admin('/admin/enable_app', { app_key: other.appKey })).status, 200);
    assert.equal((await h.direct('/client/all_clients', {}, other)).status, 200);
  });

  test('rotating a secret retires the old one at once', async () => {
    const other = await createTenant(h, 'to-rotate');
    assert.equal((await h.direct('/client/all_clients', {}, other)).status, 200);
    const rotated = await h.admin('/admin/rotate_app_secret', { app_key: other.appKey });
    assert.equal(rotated.status, 200);
    const fresh = { appKey: other.appKey, appSecret: rotated.body.data.app_secret as string };
    assert.notEqual(fresh.appSecret, other.appSecret);
    assert.equal((await h.direct('/client/all_clients', {}, other)).status, 401);
    assert.equal((await h.direct('/client/all_clients', {}, fresh)).status, 200);
  });

  test('the admin API needs the admin token and never lists secrets', async () => {
    const noToken = await h.direct('/admin/list_apps', {}, null);
    assert.equal(noToken.status, 401);
    assert.equal(noToken.body.code, 40103);
    const appCreds = await h.direct('/admin/list_apps', {}, { appKey: h.appKey, appSecret: h.appSecret });
    assert.equal(appCreds.status, 401, 'app credentials are not admin credentials');
    const list = await h.admin('/admin/list_apps');
    assert.equal(list.status, 200);
    assert.ok(list.body.data.some((a: { app_key: string }) => a.app_key === h.appKey));
    assert.ok(!list.text.includes(h.appSecret));
    assert.ok(!/secret/i.test(Object.keys(list.body.data[0]).join(',')));
    const unknown = await h.admin('/admin/disable_app', { app_key: 'nope' });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 40403);
  });

  test('without WXGATE_ADMIN_TOKEN the admin API is off', async () => {
    const bare = await startHarness({ adminToken: undefined });
    try {
      const res = await bare.admin('/admin/list_apps');
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 40302);
    } finally {
      await bare.close();
    }
  });
});

describe('tenant isolation', () => {
  let h: Harness;
  let mine: string;
  let theirs: string;
  let other: { appKey: string; appSecret: string };
  before(async () => {
    h = await startHarness();
    mine = await h.createInstance();
    other = await createTenant(h);
    theirs = await h.createInstance({ auto_start: true, proxy: 'socks5://u:p@10.0.0.1:1080' }, other);
  });
  after(() => h.close());

  const instanceClientPaths = endpointList.filter((e) => e.module === 'client' && e.scope === 'instance').map((e) => e.path);

  test('every /client/* instance endpoint answers another app\'s guid exactly like an unknown guid', async () => {
    assert.equal(instanceClientPaths.length, 11);
    const unknown = '11111111-2222-4333-8444-555555555555';
    const fields = { notify_url: 'http://127.0.0.1:9/x', bridge: 'b', proxy: '', new_client_type: 999 };
    for (const path of instanceClientPaths) {
      const foreign = await h.direct(path, { guid: theirs, ...fields });
      const missing = await h.direct(path, { guid: unknown, ...fields });
      assert.equal(foreign.status, 404, path);
      assert.equal(foreign.body.code, 40402, path);
      assert.deepEqual(foreign.body, missing.body, path);
      const viaGateway = await h.gateway(path, { guid: theirs, ...fields });
      assert.deepEqual(viaGateway.body, foreign.body, path);
    }
  });

  test('nothing of the other app changed, and all_clients lists only one\'s own instances', async () => {
    const status = await h.direct('/client/get_client_status', { guid: theirs }, other);
    assert.equal(status.status, 200);
    assert.equal(status.body.data.status, 1, 'still running: stop_client/remove_client did not reach it');
    assert.equal(status.body.data.notify_url, '');
    assert.equal(status.body.data.client_type, 241);
    assert.deepEqual((await h.direct('/client/all_clients', {})).body.data, [mine]);
    assert.deepEqual((await h.direct('/client/all_clients', {}, other)).body.data, [theirs]);
  });

  test('driver endpoints refuse another app\'s guid the same way', async () => {
    const res = await h.direct('/msg/send_text', { guid: theirs, to_username: 'wxid_x', content: 'hi' });
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 40402);
  });
});
