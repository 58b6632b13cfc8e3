// The vendor rule: at most 100 calls per instance in any 60 s; the 101st locks the instance's API for 30 min, across restarts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startHarness } from '../../harness.ts';

describe('rate limit', () => {
  test('the 101st call in a minute locks for 30 minutes, and the lock survives a restart', async () => {
    let h = await startHarness();
    try {
      const guid = await h.createInstance();
      const other = await h.createInstance();
      // Failed calls count too: 50 validation failures, then 50 successes, spread over 59 s.
      for (let i = 0; i < 50; i++) assert.equal((await h.direct('/client/set_notify_url', { guid, notify_url: 42 })).status, 422);
      h.clock.advance(59_000);
      for (let i = 0; i < 49; i++) assert.equal((await h.gateway('/client/set_bridge', { guid, bridge: `b${i}` })).status, 200);
      const status = await h.direct('/client/get_client_status', { guid });
      assert.equal(status.body.data.rate_limit.used, 100);
      assert.equal(status.body.data.rate_limit.locked, false);

      const locking = await h.direct('/client/set_bridge', { guid, bridge: 'one too many' });
      assert.equal(locking.status, 429);
      assert.equal(locking.body.code, 42901);
      const unlockAt = Math.ceil((h.clock.now() + 30 * 60_000) / 1000);
      assert.equal(locking.body.data.unlock_time, unlockAt);
      assert.equal(locking.headers['retry-after'], String(30 * 60));

      // Locked: every endpoint refuses, except the status query that shows the lock.
      h.clock.advance(10 * 60_000);
      const refused = await h.gateway('/client/get_client_version', { guid });
      assert.equal(refused.status, 429);
      assert.equal(refused.headers['retry-after'], String(20 * 60));
      const shown = await h.direct('/client/get_client_status', { guid });
      assert.equal(shown.status, 200);
      assert.equal(shown.body.data.rate_limit.locked, true);
      assert.equal(shown.body.data.rate_limit.unlock_time, unlockAt);
      // Another instance of the same app is unaffected.
      assert.equal((await h.direct('/client/get_client_version', { guid: other })).status, 200);

      h = await h.restart();
      const afterRestart = await h.direct('/client/set_bridge', { guid, bridge: 'x' });
      assert.equal(afterRestart.status, 429, 'the lock survived the restart');
      assert.equal(afterRestart.body.data.unlock_time, unlockAt);

      h.clock.advance(20 * 60_000);
      assert.equal((await h.direct('/client/set_bridge', { guid, bridge: 'free again' })).status, 200);
      assert.equal((await h.direct('/client/get_client_status', { guid })).body.data.rate_limit.locked, false);
      const metrics = await h.app.http.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /^wxgate_locked_instances 0$/m);
    } finally {
      await h.close();
    }
  });

  test('the calls of the minute survive a restart: 60 before it and 40 after make 100, and the next one locks', async () => {
    let h = await startHarness();
    try {
      const guid = await h.createInstance();
      for (let i = 0; i < 60; i++) {
        assert.equal((await h.direct('/client/set_bridge', { guid, bridge: `before ${i}` })).status, 200);
        h.clock.advance(500);
      }
      h = await h.restart();
      h.clock.advance(5_000);
      const status = await h.direct('/client/get_client_status', { guid });
      assert.equal(status.body.data.rate_limit.used, 61, 'the 60 calls before the restart and this one');
      for (let i = 0; i < 39; i++) assert.equal((await h.gateway('/client/set_bridge', { guid, bridge: `after ${i}` })).status, 200);
      h.clock.advance(100);
      const locking = await h.direct('/client/set_bridge', { guid, bridge: 'the 101st in the minute' });
      assert.equal(locking.status, 429);
      assert.equal(locking.body.code, 42901);
      assert.equal(locking.body.data.unlock_time, Math.ceil((h.clock.now() + 30 * 60_000) / 1000));
      for (let i = 0; i < 4; i++) assert.equal((await h.direct('/client/set_bridge', { guid, bridge: `locked ${i}` })).status, 429);
      assert.equal((await h.direct('/client/get_client_status', { guid })).body.data.rate_limit.locked, true);
    } finally {
      await h.close();
    }
  });

  test('calls older than the window no longer count', async () => {
    const h = await startHarness({ rateLimit: { maxCalls: 3, windowSeconds: 60, lockSeconds: 1800 } });
    try {
      const guid = await h.createInstance();
      for (let i = 0; i < 3; i++) assert.equal((await h.direct('/client/get_client_version', { guid })).status, 200);
      h.clock.advance(60_001);
      for (let i = 0; i < 3; i++) assert.equal((await h.direct('/client/get_client_version', { guid })).status, 200);
      assert.equal((await h.direct('/client/get_client_version', { guid })).status, 429);
      const metrics = await h.app.http.inject({ method: 'GET', url: '/metrics' });
      assert.match(metrics.body, /^wxgate_locked_instances 1$/m);
    } finally {
      await h.close();
    }
  });

  test('app-level and admin calls do not count against an instance', async () => {
    const h = await startHarness({ rateLimit: { maxCalls: 2, windowSeconds: 60, lockSeconds: 1800 } });
    try {
      const guid = await h.createInstance();
      for (let i = 0; i < 5; i++) {
        assert.equal((await h.direct('/client/all_clients', {})).status, 200);
        assert.equal((await h.admin('/admin/list_apps')).status, 200);
      }
      assert.equal((await h.direct('/client/get_client_status', { guid })).body.data.rate_limit.used, 1);
    } finally {
      await h.close();
    }
  });
});
