// Unit tests of the sliding-window limiter and its lock.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '@wxgate/contract';
import { SqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { ManualClock } from './clock.ts';
import { InstanceQuota, LocalCallCounter } from './quota.ts';

const rules = { maxCalls: 5, windowSeconds: 10, lockSeconds: 100 };

/** The quota of a lone node: counted in memory, written to `store`. */
const localQuota = (store: SqliteStore, clock: ManualClock) => new InstanceQuota(clock, new LocalCallCounter(store, clock, rules));

async function rejects(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiError);
    return err;
  }
  assert.fail('expected RATE_LIMITED');
}

test('the window slides: calls leave it one by one as they age', async () => {
  const clock = new ManualClock(0);
  const quota = localQuota(new SqliteStore(':memory:'), clock);
  for (let i = 0; i < 5; i++) {
    await quota.consume('g');
    clock.advance(2000);
  }
  // t=10s: the first call (t=0) has just left the window (it must be strictly younger than 10 s to count).
  await quota.consume('g');
  assert.equal((await quota.status('g')).used, 5);
  const error = await rejects(quota.consume('g'));
  assert.equal(error.error, 'RATE_LIMITED');
  assert.equal(error.data?.unlock_time, 110);
  assert.equal(error.headers['retry-after'], '100');
  assert.deepEqual(await quota.status('g'), { limit: 5, window_seconds: 10, used: 0, locked: true, unlock_time: 110 });
  assert.equal(await quota.lockedCount(), 1);
});

test('a lock passes the status query uncounted and ends on time', async () => {
  const clock = new ManualClock(0);
  const store = new SqliteStore(':memory:');
  const quota = localQuota(store, clock);
  for (let i = 0; i < 5; i++) await quota.consume('g');
  await rejects(quota.consume('g'));
  await quota.consume('g', true);
  clock.advance(99_999);
  await rejects(quota.consume('g'));
  clock.advance(1);
  await quota.consume('g');
  assert.equal((await quota.status('g')).locked, false);
  assert.deepEqual(await store.quota.activeLocks(clock.now()), []);
});

test('locks are reloaded from the store; counters of other instances are separate', async () => {
  const clock = new ManualClock(0);
  const store = new SqliteStore(':memory:');
  const first = localQuota(store, clock);
  for (let i = 0; i < 5; i++) await first.consume('a');
  await rejects(first.consume('a'));
  await first.consume('b');
  const second = localQuota(store, clock);
  await second.load();
  assert.equal((await second.status('a')).locked, true);
  assert.equal((await second.status('b')).locked, false);
  await second.forget('a');
  assert.equal((await second.status('a')).locked, false);
});

test('the calls inside the window are reloaded: a restart does not reset the count', async () => {
  const clock = new ManualClock(0);
  const store = new SqliteStore(':memory:');
  const before = localQuota(store, clock);
  for (let i = 0; i < 3; i++) {
    await before.consume('g');
    clock.advance(1000);
  }
  await before.consume('other');
  const after = localQuota(store, clock);
  await after.load();
  assert.equal((await after.status('g')).used, 3);
  assert.equal((await after.status('other')).used, 1);
  await after.consume('g');
  await after.consume('g');
  const error = await rejects(after.consume('g'));
  assert.equal(error.error, 'RATE_LIMITED');
});

test('calls that left the window are neither reloaded nor kept in the store', async () => {
  const clock = new ManualClock(0);
  const store = new SqliteStore(':memory:');
  const quota = localQuota(store, clock);
  await quota.consume('g'); // t=0
  clock.advance(4000);
  await quota.consume('g'); // t=4s
  clock.advance(6000);
  // t=10s: the first call has left the window; the second has not.
  const reloaded = localQuota(store, clock);
  await reloaded.load();
  assert.equal((await reloaded.status('g')).used, 1);
  assert.deepEqual(await store.quota.recentCalls(-1), [{ guid: 'g', at: 4000, calls: 1 }]);
  // While running, an instance's calls are forgotten as they leave, at most once a second.
  clock.advance(5000);
  await reloaded.consume('g'); // t=15s: the t=4s call is out
  assert.deepEqual(await store.quota.recentCalls(-1), [{ guid: 'g', at: 15_000, calls: 1 }]);
});

test('calls in one event-loop turn share one write, and a lock starts the stored window over', async () => {
  const clock = new ManualClock(0);
  const store = new SqliteStore(':memory:');
  const quota = localQuota(store, clock);
  await Promise.all([quota.consume('g'), quota.consume('g'), quota.consume('h')]);
  assert.deepEqual(await store.quota.recentCalls(-1), [{ guid: 'g', at: 0, calls: 2 }, { guid: 'h', at: 0, calls: 1 }]);
  await Promise.all([quota.consume('g'), quota.consume('g'), quota.consume('g')]);
  await rejects(quota.consume('g'));
  assert.deepEqual(await store.quota.recentCalls(-1), [{ guid: 'h', at: 0, calls: 1 }]);
  const reloaded = localQuota(store, clock);
  await reloaded.load();
  assert.deepEqual(await reloaded.status('g'), { limit: 5, window_seconds: 10, used: 0, locked: true, unlock_time: 100 });
  clock.advance(100_000);
  await reloaded.consume('g');
  assert.equal((await reloaded.status('g')).used, 1);
});
