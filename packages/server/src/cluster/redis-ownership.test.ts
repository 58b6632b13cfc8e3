// Unit tests of leases and membership over a real Redis (WXGATE_TEST_REDIS_URL; skipped with the reason without one).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { REDIS_SKIP_REASON, TEST_REDIS_URL } from '../../test/redis.ts';
import { RedisOwnership, type OwnershipTimings } from './redis-ownership.ts';

const skip = TEST_REDIS_URL ? false : REDIS_SKIP_REASON;
const url = TEST_REDIS_URL ?? 'redis://127.0.0.1:1';
/** Short enough for a test to watch a dead node's work move. */
const FAST: OwnershipTimings = { heartbeatMs: 50, nodeTtlMs: 400, leaseMs: 400 };
const ignore = () => {};

async function eventually(check: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) assert.fail('not within the time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('live nodes split the work: each name is preferred by exactly one node, and each node gets a fair share', { skip }, async () => {
  const namespace = `t_${randomBytes(4).toString('hex')}`;
  const nodes = await Promise.all(['n1', 'n2', 'n3'].map((id) => RedisOwnership.start(url, namespace, id, ignore, FAST)));
  try {
    await eventually(() => nodes.every((n) => n.alive.length === 3));
    const names = Array.from({ length: 600 }, (_, i) => `webhook:guid-${i}`);
    const shares = nodes.map((n) => names.filter((name) => n.prefers(name)).length);
    for (const name of names) assert.equal(nodes.filter((n) => n.prefers(name)).length, 1, `${name} has one preferred node`);
    assert.ok(shares.every((share) => share > 120), `each node gets a fair share of 600: ${shares.join(', ')}`);
    // A node that leaves gives its share to the others; nobody else's names move.
    const before = names.map((name) => nodes.findIndex((n) => n.prefers(name)));
    await nodes[2]!.close();
    await eventually(() => nodes[0]!.alive.length === 2 && nodes[1]!.alive.length === 2);
    for (const [i, name] of names.entries()) {
      const now = nodes.slice(0, 2).findIndex((n) => n.prefers(name));
      if (before[i] !== 2) assert.equal(now, before[i], `${name} stays where it was`);
      else assert.ok(now >= 0, `${name} moved to a live node`);
    }
  } finally {
    for (const n of nodes) await n.close();
  }
});

test('a lease has one holder; released, another node takes it; a dead holder\'s lease frees itself', { skip }, async () => {
  const namespace = `t_${randomBytes(4).toString('hex')}`;
  const [a, b] = await Promise.all(['a', 'b'].map((id) => RedisOwnership.start(url, namespace, id, ignore, FAST)));
  const admin = new Redis(url);
  try {
    const lease = await a!.acquire('webhook:g1');
    assert.ok(lease?.valid);
    assert.equal(await b!.acquire('webhook:g1'), null, 'held by a');
    // Held past its first expiry: the holder's heartbeat keeps it.
    await new Promise((resolve) => setTimeout(resolve, FAST.leaseMs * 2));
    assert.ok(lease!.valid);
    assert.equal(await b!.acquire('webhook:g1'), null);
    await lease!.release();
    assert.equal(lease!.valid, false);
    const taken = await b!.acquire('webhook:g1');
    assert.ok(taken?.valid, 'free once released');
    await taken!.release();

    // A node that died holding a lease (it renews no more): the lease is refused until it expires, then taken.
    await admin.set(`wxgate:${namespace}:lease:webhook:g2`, 'dead-node', 'PX', 300);
    await admin.zadd(`wxgate:${namespace}:nodes`, Date.now(), 'dead-node');
    assert.equal(await b!.acquire('webhook:g2'), null);
    await eventually(async () => (await b!.acquire('webhook:g2')) !== null, 2000);
    await eventually(() => !b!.alive.includes('dead-node'), 2000);
  } finally {
    admin.disconnect();
    await a!.close();
    await b!.close();
  }
});

test('a lease taken over by another node is no longer valid for its old holder', { skip }, async () => {
  const namespace = `t_${randomBytes(4).toString('hex')}`;
  const a = await RedisOwnership.start(url, namespace, 'a', ignore, FAST);
  const admin = new Redis(url);
  try {
    const lease = await a.acquire('singleton:retention');
    assert.ok(lease?.valid);
    // As if it had expired during a pause and another node took it.
    await admin.set(`wxgate:${namespace}:lease:singleton:retention`, 'other-node', 'PX', 10_000);
    await eventually(() => !lease!.valid, 2000);
    assert.equal(await a.acquire('singleton:retention'), null);
  } finally {
    admin.disconnect();
    await a.close();
  }
});

test('close gives every lease up; work that ends after it lets go of its lease quietly', { skip }, async () => {
  const namespace = `t_${randomBytes(4).toString('hex')}`;
  const errors: Error[] = [];
  const a = await RedisOwnership.start(url, namespace, 'a', (err) => errors.push(err), FAST);
  const b = await RedisOwnership.start(url, namespace, 'b', ignore, FAST);
  const admin = new Redis(url);
  try {
    const lease = await a.acquire('voice:g1/v1');
    assert.ok(lease);
    await a.close();
    assert.equal(lease.valid, false);
    const taken = await b.acquire('voice:g1/v1');
    assert.ok(taken?.valid, 'free once its holder closed');
    await lease.release();
    assert.deepEqual(errors, [], 'no error from a link that is closed');
    assert.equal(await admin.get(`wxgate:${namespace}:lease:voice:g1/v1`), 'b', 'the new holder keeps it');
    await taken.release();
  } finally {
    admin.disconnect();
    await a.close();
    await b.close();
  }
});

test('membership changes are told to listeners', { skip }, async () => {
  const namespace = `t_${randomBytes(4).toString('hex')}`;
  const a = await RedisOwnership.start(url, namespace, 'a', ignore, FAST);
  let changes = 0;
  a.onMembershipChange(() => changes++);
  const b = await RedisOwnership.start(url, namespace, 'b', ignore, FAST);
  try {
    await eventually(() => changes >= 1 && a.alive.length === 2);
    await b.close();
    await eventually(() => changes >= 2 && a.alive.length === 1);
  } finally {
    await a.close();
    await b.close();
  }
});
