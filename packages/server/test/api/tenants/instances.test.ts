// Instance lifecycle and settings through /client/*, and that all of it survives a restart.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startHarness } from '../../harness.ts';

describe('instances', () => {
  test('create, stop, restore, settings and remove', async () => {
    const h = await startHarness();
    try {
      const stopped = await h.createInstance({});
      assert.equal((await h.direct('/client/get_client_status', { guid: stopped })).body.data.status, 0, 'auto_start defaults to false');
      const guid = await h.createInstance({ auto_start: true, client_type: 250 });
      assert.match(guid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal((await h.direct('/client/get_client_status', { guid })).body.data.status, 1);

      assert.equal((await h.direct('/client/stop_client', { guid })).status, 200);
      assert.equal((await h.direct('/client/get_client_status', { guid })).body.data.status, 0);
      const whileStopped = await h.direct('/user/get_profile', { guid });
      const served = ((await h.direct('/client/get_client_version', { guid })).body.data.capabilities as string[]).includes('/user/get_profile');
      // Capability is checked before state: an unserved path says so even on a stopped instance.
      assert.equal(whileStopped.status, served ? 409 : 501);
      assert.equal(whileStopped.body.code, served ? 40901 : 50101);
      assert.equal((await h.direct('/client/restore_client', { guid, bridge: 'br-1' })).status, 200);
      assert.equal((await h.direct('/client/get_client_status', { guid })).body.data.status, 1);

      const badUrl = await h.direct('/client/set_notify_url', { guid, notify_url: 'ftp://example.com/x' });
      assert.equal(badUrl.status, 422);
      assert.deepEqual(badUrl.body.errors[0].loc, ['body', 'notify_url']);
      assert.equal((await h.direct('/client/set_notify_url', { guid, notify_url: 'https://hooks.example.com/wx' })).status, 200);

      const badProxy = await h.direct('/client/set_proxy', { guid, proxy: 'ftp://1.2.3.4:21' });
      assert.equal(badProxy.status, 422);
      assert.deepEqual(badProxy.body.errors[0].loc, ['body', 'proxy']);
      assert.equal((await h.direct('/client/set_proxy', { guid, proxy: 'socks5://user:pa55@10.10.1.10:3128', is_long_proxy: true })).status, 200);

      const downgrade = await h.direct('/client/update_client', { guid, new_client_type: 100 });
      assert.equal(downgrade.status, 409);
      assert.equal(downgrade.body.code, 40903);
      assert.match(downgrade.body.message, /only upgrades/);
      assert.equal((await h.direct('/client/update_client', { guid, new_client_type: 300 })).status, 200);

      const status = (await h.direct('/client/get_client_status', { guid })).body.data;
      assert.equal(status.notify_url, 'https://hooks.example.com/wx');
      assert.equal(status.proxy, 'socks5://***:***@10.10.1.10:3128');
      assert.equal(status.bridge, 'br-1');
      assert.equal(status.client_type, 300);

      const version = (await h.direct('/client/get_client_version', { guid })).body.data;
      assert.equal(version.driver, 'sandbox');
      assert.equal(version.client_type, 300);
      assert.ok(Array.isArray(version.capabilities));

      assert.equal((await h.direct('/client/remove_client', { guid: stopped })).status, 200);
      assert.equal((await h.direct('/client/get_client_status', { guid: stopped })).status, 404);
      assert.deepEqual((await h.direct('/client/all_clients', {})).body.data, [guid]);
    } finally {
      await h.close();
    }
  });

  test('instance state survives a restart', async () => {
    let h = await startHarness();
    try {
      const running = await h.createInstance({ auto_start: true, bridge: 'b1', proxy: 'http://10.0.0.2:8080' });
      h.clock.advance(1000);
      const stopped = await h.createInstance({ auto_start: true });
      await h.direct('/client/set_notify_url', { guid: running, notify_url: 'http://127.0.0.1:9999/cb' });
      await h.direct('/client/update_client', { guid: running, new_client_type: 260 });
      await h.direct('/client/stop_client', { guid: stopped });
      const before = (await h.direct('/client/get_client_status', { guid: running })).body.data;

      h = await h.restart();
      const after = (await h.direct('/client/get_client_status', { guid: running })).body.data;
      assert.deepEqual({ ...after, rate_limit: undefined }, { ...before, rate_limit: undefined });
      assert.equal(after.status, 1);
      assert.equal(after.client_type, 260);
      assert.equal(after.notify_url, 'http://127.0.0.1:9999/cb');
      assert.equal((await h.direct('/client/get_client_status', { guid: stopped })).body.data.status, 0);
      assert.deepEqual((await h.direct('/client/all_clients', {})).body.data, [running, stopped]);
    } finally {
      await h.close();
    }
  });
});
