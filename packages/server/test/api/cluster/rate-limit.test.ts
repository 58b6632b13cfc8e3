// Two nodes over one PostgreSQL schema and one Redis count an instance's calls together: the rate limit is exact
// whichever node each call reaches (real PostgreSQL and Redis; skipped without them).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { CLUSTER_SKIP, useTwoNodes } from '../../cluster.ts';
import type { Harness } from '../../harness.ts';
import { postgresSchemaFor } from '../../postgres.ts';
import { TEST_REDIS_URL } from '../../redis.ts';

const skip = CLUSTER_SKIP;

const LIMIT = 10;
const LOCK_SECONDS = 1800;

describe('cluster: the rate limit counted across nodes', { skip }, () => {
  let a: Harness;
  let b: Harness;

  useTwoNodes((nodes) => ({ a, b } = nodes), { rateLimit: { maxCalls: LIMIT, windowSeconds: 60, lockSeconds: LOCK_SECONDS } });

  const lockedGauge = async (node: Harness) =>
    /^wxgate_locked_instances (\d+)$/m.exec((await node.app.http.inject({ method: 'GET', url: '/metrics' })).body)?.[1];

  test('calls alternating between the nodes: exactly the limit succeeds, the next is refused on either node', async () => {
    const guid = await a.createInstance();
    for (let i = 0; i < LIMIT - 1; i++) {
      const node = i % 2 ? b : a;
      assert.equal((await node.gateway('/client/get_client_version', { guid })).status, 200, `call ${i + 1}`);
    }
    // The status query is the last call the limit allows: it counts, and sees the calls of both nodes.
    assert.equal((await b.direct('/client/get_client_status', { guid })).body.data.rate_limit.used, LIMIT);

    const locking = await a.direct('/client/get_client_version', { guid });
    assert.equal(locking.status, 429, 'the call over the limit');
    assert.equal(locking.body.code, 42901);
    const unlockAt = Math.ceil((a.clock.now() + LOCK_SECONDS * 1000) / 1000);
    assert.equal(locking.body.data.unlock_time, unlockAt);
    assert.equal(locking.body.data.retry_after, LOCK_SECONDS);
    assert.equal(locking.headers['retry-after'], String(LOCK_SECONDS));

    a.clock.advance(60_000);
    for (const node of [a, b]) {
      const refused = await node.direct('/client/set_bridge', { guid, bridge: 'x' });
      assert.equal(refused.status, 429);
      assert.equal(refused.body.data.unlock_time, unlockAt);
      assert.equal(refused.headers['retry-after'], String(LOCK_SECONDS - 60));
      const shown = await node.direct('/client/get_client_status', { guid });
      assert.equal(shown.status, 200, 'the status query passes the lock');
      assert.deepEqual(shown.body.data.rate_limit, { limit: LIMIT, window_seconds: 60, used: 0, locked: true, unlock_time: unlockAt });
      assert.equal(await lockedGauge(node), '1');
    }

    a.clock.advance((LOCK_SECONDS - 60) * 1000);
    assert.equal((await b.direct('/client/set_bridge', { guid, bridge: 'free again' })).status, 200);
    assert.equal((await a.direct('/client/get_client_status', { guid })).body.data.rate_limit.locked, false);
    assert.equal(await lockedGauge(a), '0');
  });

  test('a burst over both nodes at once: exactly the limit succeeds', async () => {
    const guid = await b.createInstance();
    const answers = await Promise.all(Array.from({ length: 4 * LIMIT }, (_, i) => (i % 2 ? b : a).direct('/client/get_client_version', { guid })));
    assert.equal(answers.filter((r) => r.status === 200).length, LIMIT);
    assert.equal(answers.filter((r) => r.status === 429).length, 3 * LIMIT);
    const unlockTimes = new Set(answers.filter((r) => r.status === 429).map((r) => r.body.data.unlock_time));
    assert.equal(unlockTimes.size, 1, 'one lock');
  });

  test('an instance removed through one node takes its count out of Redis', async () => {
    const guid = await a.createInstance();
    const schema = postgresSchemaFor(a.dataDir);
    for (let i = 0; i < 7; i++) assert.equal((await (i % 2 ? b : a).direct('/client/get_client_version', { guid })).status, 200);
    const redis = new Redis(TEST_REDIS_URL!);
    try {
      assert.equal(await redis.zcard(`wxgate:${schema}:quota:${guid}`), 7, 'the calls are counted in Redis');
      assert.equal((await b.direct('/client/remove_client', { guid })).status, 200);
      assert.equal(await redis.exists(`wxgate:${schema}:quota:${guid}`, `wxgate:${schema}:lock:${guid}`), 0);
    } finally {
      redis.disconnect();
    }
  });
});
