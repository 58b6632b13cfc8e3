// Unit tests of the rate limit counted in Redis, over a real Redis (WXGATE_TEST_REDIS_URL; skipped with the reason without one).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { ApiError } from '@wxgate/contract';
import { Redis } from 'ioredis';
import { REDIS_SKIP_REASON, TEST_REDIS_URL } from '../../test/redis.ts';
import { ManualClock } from '../core/clock.ts';
import { InstanceQuota, type LockTable, type QuotaRules } from '../core/quota.ts';
import { SqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { RedisCallCounter } from './redis-quota.ts';

const skip = TEST_REDIS_URL ? false : REDIS_SKIP_REASON;
const url = TEST_REDIS_URL ?? 'redis://127.0.0.1:1';
const rules: QuotaRules = { maxCalls: 20, windowSeconds: 10, lockSeconds: 100 };
const ignore = () => {};

const opened: RedisCallCounter[] = [];
after(() => Promise.all(opened.map((c) => c.close())));

/** A cluster of its own on the shared test Redis: a namespace no other test uses. */
const freshNamespace = () => `t_${randomBytes(4).toString('hex')}`;

/** One node's quota: its own link to Redis, the cluster's namespace, the node's store for the lock table. */
async function node(namespace: string, clock: ManualClock, locks: LockTable = new SqliteStore(':memory:').quota): Promise<InstanceQuota> {
  const counter = await RedisCallCounter.connect(url, namespace, rules, locks, ignore);
  opened.push(counter);
  const quota = new InstanceQuota(clock, counter);
  await quota.load();
  return quota;
}

/** The call's outcome: 'ok', or the RATE_LIMITED error. */
async function outcome(call: Promise<void>): Promise<'ok' | ApiError> {
  try {
    await call;
    return 'ok';
  } catch (err) {
    assert.ok(err instanceof ApiError && err.error === 'RATE_LIMITED', String(err));
    return err;
  }
}

test('calls from two nodes at once on one instance: exactly the limit is accepted, and the next call locks both', { skip }, async () => {
  const namespace = freshNamespace();
  const clock = new ManualClock(1_000_000);
  const [a, b] = await Promise.all([node(namespace, clock), node(namespace, clock)]);
  // 60 calls, 30 through each node, all in flight together and all in the same millisecond.
  const results = await Promise.all(Array.from({ length: 60 }, (_, i) => outcome((i % 2 ? a : b).consume('g'))));
  assert.equal(results.filter((r) => r === 'ok').length, rules.maxCalls);
  const refused = results.filter((r): r is ApiError => r !== 'ok');
  assert.equal(refused.length, 60 - rules.maxCalls);
  for (const error of refused) {
    assert.equal(error.data?.unlock_time, 1_000 + 100, 'one lock, started by the first call over the limit');
    assert.equal(error.data?.retry_after, 100);
    assert.equal(error.headers['retry-after'], '100');
  }
  for (const quota of [a, b]) {
    assert.deepEqual(await quota.status('g'), { limit: 20, window_seconds: 10, used: 0, locked: true, unlock_time: 1_100 });
    assert.equal(await quota.lockedCount(), 1);
  }
  assert.equal((await a.status('other')).locked, false, 'another instance is counted apart');
});

test('the window slides by wxgate\'s clock, and a lock ends by it; the status query passes a lock uncounted', { skip }, async () => {
  const namespace = freshNamespace();
  const clock = new ManualClock(0);
  const [a, b] = await Promise.all([node(namespace, clock), node(namespace, clock)]);
  for (let i = 0; i < rules.maxCalls; i++) {
    await (i % 2 ? a : b).consume('g');
    clock.advance(250);
  }
  // t=5s: 20 calls since t=0. The first leaves the window at t=10s (it must be strictly younger than 10 s to count).
  assert.equal((await a.status('g')).used, 20);
  clock.set(10_000);
  assert.equal((await b.status('g')).used, 19);
  await a.consume('g');
  assert.equal((await outcome(b.consume('g'))) === 'ok', false, 'the 21st call in the window locks');
  await b.consume('g', true);
  assert.equal((await a.status('g')).used, 0, 'the status query passed the lock uncounted');
  clock.set(10_000 + 99_999);
  assert.notEqual(await outcome(a.consume('g')), 'ok');
  assert.equal(await b.lockedCount(), 1);
  clock.advance(1);
  assert.equal(await a.lockedCount(), 0);
  assert.deepEqual(await b.status('g'), { limit: 20, window_seconds: 10, used: 0, locked: false, unlock_time: null });
  await b.consume('g');
  assert.equal((await a.status('g')).used, 1, 'the window started over when the lock ended');
});

test('forget drops an instance\'s calls and lock on every node, and its keys in Redis', { skip }, async () => {
  const namespace = freshNamespace();
  const clock = new ManualClock(0);
  const [a, b] = await Promise.all([node(namespace, clock), node(namespace, clock)]);
  for (let i = 0; i < rules.maxCalls; i++) await a.consume('locked');
  await outcome(a.consume('locked'));
  await b.consume('counted');
  assert.equal((await b.status('locked')).locked, true);
  await a.forget('locked');
  await a.forget('counted');
  assert.equal((await b.status('locked')).locked, false);
  assert.equal((await b.status('counted')).used, 0);
  assert.equal(await b.lockedCount(), 0);
  const admin = new Redis(url);
  try {
    assert.deepEqual(await admin.keys(`wxgate:${namespace}:*`), []);
  } finally {
    admin.disconnect();
  }
});

test('a node that starts (or restarts) sees the counts and locks already in Redis', { skip }, async () => {
  const namespace = freshNamespace();
  const clock = new ManualClock(0);
  const before = await node(namespace, clock);
  for (let i = 0; i < rules.maxCalls; i++) await before.consume('locked');
  await outcome(before.consume('locked'));
  for (let i = 0; i < 15; i++) await before.consume('busy');
  clock.advance(1000);
  // Another store: nothing of it comes from the lock table.
  const after = await node(namespace, clock);
  assert.deepEqual(await after.status('locked'), { limit: 20, window_seconds: 10, used: 0, locked: true, unlock_time: 100 });
  assert.equal((await after.status('busy')).used, 15);
  for (let i = 0; i < 5; i++) await after.consume('busy');
  assert.equal((await outcome(after.consume('busy'))) === 'ok', false, 'the 21st call in the window, across the restart');
});

test('a lock is written to the store when it starts, and put back into a Redis that lost it when a node starts', { skip }, async () => {
  const namespace = freshNamespace();
  const clock = new ManualClock(0);
  const store = new SqliteStore(':memory:');
  const first = await node(namespace, clock, store.quota);
  for (let i = 0; i < rules.maxCalls; i++) await first.consume('g');
  await outcome(first.consume('g'));
  assert.deepEqual(await store.quota.activeLocks(0), [{ guid: 'g', lockedUntil: 100_000 }]);
  const admin = new Redis(url);
  try {
    // Redis restarted without persistence: the cluster's keys are gone.
    const keys = await admin.keys(`wxgate:${namespace}:*`);
    assert.ok(keys.length > 0);
    await admin.del(...keys);
  } finally {
    admin.disconnect();
  }
  clock.advance(40_000);
  const restarted = await node(namespace, clock, store.quota);
  const refused = await outcome(restarted.consume('g'));
  assert.ok(refused instanceof ApiError);
  assert.equal(refused.data?.unlock_time, 100);
  assert.equal(refused.data?.retry_after, 60);
  assert.equal(await restarted.lockedCount(), 1);
});

test('start-up fails with a message naming the setting when Redis cannot be reached', async () => {
  await assert.rejects(RedisCallCounter.connect('redis://127.0.0.1:1', 'x', rules, new SqliteStore(':memory:').quota, ignore), /cannot reach Redis at WXGATE_REDIS_URL \(redisUrl\)/);
});
