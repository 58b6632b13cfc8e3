// Conformance: the event outbox — per-instance numbering from 1, listing and ranges, webhook states and retries,
// replay, delivery attempts, stream cursors that never go back, and pruning that spares pending events.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WebhookStatus } from '../ports.ts';
import { idSequence, seedApp, withStore, type StoreFactory } from './subject.ts';

export const EVENT_METHODS = [
  'events.append', 'events.get', 'events.list', 'events.lastSn', 'events.range', 'events.dueInstances', 'events.oldestPending', 'events.pending',
  'events.setWebhookStatus', 'events.requeue', 'events.dueNow', 'events.recordDeliveries', 'events.appendMany', 'events.cursor', 'events.setCursor',
  'events.attempts', 'events.prune', 'events.appendWithCommit',
] as const;

const pending = (at: number): WebhookStatus => ({ state: 'pending', attempts: 0, nextAttemptAt: at });

export function eventConformance(make: StoreFactory): void {
  test('append numbers each instance\'s events from 1 after its last sn; records round-trip with their webhook state', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2']);
    const ids = idSequence('ev');
    assert.equal(await store.events.lastSn('g1'), 0);
    const first = await store.events.append('app-a', 'g1', [
      { notifyType: 1010, data: { msg_id: '1' } }, { notifyType: 1200, data: { n: 2 }, filtered: true }, { notifyType: 1010, data: null, unaddressed: true },
    ], 1_000, ids);
    assert.deepEqual(first.map((e) => [e.id, e.sn, e.filtered]), [['ev-1', 1, false], ['ev-2', 2, true], ['ev-3', 3, false]]);
    const second = await store.events.append('app-a', 'g1', [{ notifyType: 1010, data: { msg_id: '4' } }], 2_000, ids);
    assert.equal(second[0]?.sn, 4);
    assert.deepEqual((await store.events.append('app-a', 'g2', [{ notifyType: 1010, data: 'x' }], 2_000, ids)).map((e) => e.sn), [1], 'numbering is per instance');
    assert.deepEqual(await store.events.append('app-a', 'g2', [], 2_000, ids), []);
    assert.equal(await store.events.lastSn('g1'), 4);
    assert.equal(await store.events.lastSn('g2'), 1);

    assert.deepEqual(await store.events.get('ev-1'), { ...first[0], webhook: pending(1_000) });
    assert.deepEqual((await store.events.get('ev-2'))?.webhook, { state: 'skipped', attempts: 0, nextAttemptAt: null }, 'filtered is never queued');
    assert.deepEqual((await store.events.get('ev-3'))?.webhook, { state: 'skipped', attempts: 0, nextAttemptAt: null }, 'unaddressed is never queued');
    assert.equal((await store.events.get('ev-3'))?.data, null);
    assert.equal(await store.events.get('ev-none'), undefined);
    await assert.rejects(store.events.append('app-a', 'g1', [{ notifyType: 1010, data: 1 }], 3_000, () => 'ev-1'), 'event ids are unique');
    assert.equal(await store.events.lastSn('g1'), 4, 'a refused append numbers nothing');
    const clashing = ['ev-new', 'ev-1'];
    await assert.rejects(store.events.append('app-a', 'g1', [{ notifyType: 1010, data: 1 }, { notifyType: 1010, data: 2 }], 3_000, () => clashing.shift()!),
      'one refused event refuses the whole append');
    assert.equal(await store.events.get('ev-new'), undefined, 'the events before the refused one are not kept either');
    assert.equal(await store.events.lastSn('g1'), 4);
    assert.equal((await store.events.append('app-a', 'g1', [{ notifyType: 1010, data: 5 }], 4_000, ids))[0]?.sn, 5, 'numbering goes on');
  }));

  test('list pages by sn and filters by notify type; range is inclusive', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    await store.events.append('app-a', 'g1', [1010, 1200, 1010, 1010, 1200].map((notifyType) => ({ notifyType, data: notifyType })), 1, idSequence('e'));
    assert.deepEqual((await store.events.list({ guid: 'g1', afterSn: 0, limit: 2 })).map((e) => e.sn), [1, 2]);
    assert.deepEqual((await store.events.list({ guid: 'g1', afterSn: 2, limit: 10 })).map((e) => e.sn), [3, 4, 5]);
    assert.deepEqual((await store.events.list({ guid: 'g1', afterSn: 1, limit: 10, notifyType: 1200 })).map((e) => e.sn), [2, 5]);
    assert.deepEqual(await store.events.list({ guid: 'g-none', afterSn: 0, limit: 10 }), []);
    assert.deepEqual((await store.events.range('g1', 2, 4)).map((e) => e.sn), [2, 3, 4]);
    assert.deepEqual(await store.events.range('g1', 6, 9), []);
  }));

  test('webhook delivery: due instances, pending in sn order, status changes, requeue and dueNow for replay', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2']);
    const events = await store.events.append('app-a', 'g1', [1, 2, 3].map((n) => ({ notifyType: 1010, data: n })), 100, idSequence('a'));
    await store.events.append('app-a', 'g2', [{ notifyType: 1010, data: 0 }], 500, idSequence('b'));
    assert.deepEqual(await store.events.dueInstances(99), []);
    assert.deepEqual(await store.events.dueInstances(100), ['g1']);
    assert.deepEqual((await store.events.dueInstances(500)).sort(), ['g1', 'g2']);
    assert.deepEqual((await store.events.pending('g1', 2)).map((e) => e.sn), [1, 2]);
    assert.deepEqual((await store.events.pending('g1', 10, 1)).map((e) => e.sn), [2, 3]);

    const [e1, e2, e3] = events.map((e) => e.id) as [string, string, string];
    await store.events.setWebhookStatus(e1, { state: 'delivered', attempts: 1, nextAttemptAt: null });
    await store.events.setWebhookStatus(e2, { state: 'pending', attempts: 1, nextAttemptAt: 10_000 });
    await store.events.setWebhookStatus(e3, { state: 'pending', attempts: 2, nextAttemptAt: 20_000 });
    assert.deepEqual((await store.events.get(e1))?.webhook, { state: 'delivered', attempts: 1, nextAttemptAt: null });
    assert.deepEqual(await store.events.dueInstances(9_999), ['g2']);
    assert.deepEqual((await store.events.pending('g1', 10)).map((e) => e.sn), [2, 3], 'retries waiting are still pending');

    await store.events.dueNow('g1', 2, 1_000);
    assert.equal((await store.events.get(e2))?.webhook.nextAttemptAt, 1_000, 'pending up to throughSn becomes due');
    assert.equal((await store.events.get(e3))?.webhook.nextAttemptAt, 20_000, 'after throughSn stays');
    await store.events.dueNow('g1', 3, 30_000);
    assert.equal((await store.events.get(e2))?.webhook.nextAttemptAt, 1_000, 'dueNow never postpones');

    await store.events.setWebhookStatus(e3, { state: 'failed', attempts: 8, nextAttemptAt: null });
    await store.events.requeue([e1, e3], 2_000);
    assert.deepEqual((await store.events.get(e1))?.webhook, { state: 'pending', attempts: 1, nextAttemptAt: 2_000 });
    assert.deepEqual((await store.events.get(e3))?.webhook, { state: 'pending', attempts: 8, nextAttemptAt: 2_000 });
  }));

  test('oldestPending: per instance, when its oldest event still to deliver was made, retries waiting included', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2', 'g3']);
    assert.deepEqual(await store.events.oldestPending(), []);
    const ids = idSequence('e');
    const [first] = await store.events.append('app-a', 'g1', [{ notifyType: 1010, data: 1 }], 100, ids);
    await store.events.append('app-a', 'g1', [{ notifyType: 1010, data: 2 }], 300, ids);
    await store.events.append('app-a', 'g2', [{ notifyType: 1010, data: 3 }], 200, ids);
    await store.events.append('app-a', 'g3', [{ notifyType: 1200, data: 4, filtered: true }], 50, ids);
    await store.events.setWebhookStatus(first!.id, { state: 'pending', attempts: 3, nextAttemptAt: 99_000 });
    const byGuid = async () => (await store.events.oldestPending()).sort((x, y) => x.guid.localeCompare(y.guid));
    assert.deepEqual(await byGuid(), [{ guid: 'g1', createdAt: 100 }, { guid: 'g2', createdAt: 200 }], 'skipped events are nothing to deliver');
    await store.events.setWebhookStatus(first!.id, { state: 'delivered', attempts: 4, nextAttemptAt: null });
    assert.deepEqual(await byGuid(), [{ guid: 'g1', createdAt: 300 }, { guid: 'g2', createdAt: 200 }]);
  }));

  test('appendMany numbers each instance after its last sn, an instance named twice continuing; all or nothing', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2', 'g3']);
    const ids = idSequence('e');
    await store.events.append('app-a', 'g2', [{ notifyType: 1010, data: 'before' }], 1, ids);
    const written = await store.events.appendMany([
      { appId: 'app-a', guid: 'g1', events: [{ notifyType: 1010, data: 'a' }, { notifyType: 1010, data: 'b', filtered: true }] },
      { appId: 'app-a', guid: 'g2', events: [{ notifyType: 1010, data: { text: '群消息 ✓' }, unaddressed: true }] },
      { appId: 'app-a', guid: 'g3', events: [] },
      { appId: 'app-a', guid: 'g1', events: [{ notifyType: 1011, data: 'c' }] },
    ], 5, ids);
    assert.deepEqual(written.map((list) => list.map((e) => [e.guid, e.sn, e.data, e.filtered])), [
      [['g1', 1, 'a', false], ['g1', 2, 'b', true]], [['g2', 2, { text: '群消息 ✓' }, false]], [], [['g1', 3, 'c', false]],
    ]);
    assert.deepEqual((await store.events.list({ guid: 'g1', afterSn: 0, limit: 10 })).map((e) => [e.sn, e.notifyType, e.webhook.state]),
      [[1, 1010, 'pending'], [2, 1010, 'skipped'], [3, 1011, 'pending']]);
    assert.equal((await store.events.get(written[1]![0]!.id))?.webhook.state, 'skipped', 'unaddressed is never queued');
    assert.equal(await store.events.lastSn('g3'), 0, 'an empty batch numbers nothing');
    assert.deepEqual(await store.events.appendMany([], 6, ids), []);
    // A clashing id halfway: nothing of the call is kept, and no sn is used up.
    const clash = ['fresh-1', written[0]![0]!.id];
    await assert.rejects(store.events.appendMany([
      { appId: 'app-a', guid: 'g3', events: [{ notifyType: 1010, data: 'x' }] },
      { appId: 'app-a', guid: 'g2', events: [{ notifyType: 1010, data: 'y' }] },
    ], 7, () => clash.shift()!));
    assert.equal(await store.events.lastSn('g3'), 0);
    assert.equal(await store.events.lastSn('g2'), 2);
    assert.deepEqual((await store.events.append('app-a', 'g3', [{ notifyType: 1010, data: 'z' }], 8, ids)).map((e) => e.sn), [1]);
  }));

  test('appendWithCommit numbers as appendMany, written by the commit; a rollback keeps nothing; a refused write fails the whole transaction', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2', 'g3']);
    const ids = idSequence('w');
    await store.events.append('app-a', 'g1', [{ notifyType: 1010, data: 'before' }], 1, ids);
    await store.transaction(async (tx) => {
      await tx.events.appendWithCommit([
        { appId: 'app-a', guid: 'g1', events: [{ notifyType: 1010, data: { text: '你好 \\ \'quoted\' ✓' } }, { notifyType: 1200, data: 2, filtered: true }] },
        { appId: 'app-a', guid: 'g2', events: [{ notifyType: 1010, data: null, unaddressed: true }] },
        { appId: 'app-a', guid: 'g3', events: [] },
      ], 5, ids);
    });
    assert.deepEqual((await store.events.list({ guid: 'g1', afterSn: 0, limit: 10 })).map((e) => [e.sn, e.notifyType, e.data, e.createdAt, e.webhook.state]), [
      [1, 1010, 'before', 1, 'pending'], [2, 1010, { text: '你好 \\ \'quoted\' ✓' }, 5, 'pending'], [3, 1200, 2, 5, 'skipped'],
    ]);
    assert.deepEqual((await store.events.list({ guid: 'g2', afterSn: 0, limit: 10 })).map((e) => [e.sn, e.data, e.webhook.state]), [[1, null, 'skipped']]);
    assert.equal(await store.events.lastSn('g3'), 0, 'an empty batch numbers nothing');

    await assert.rejects(store.transaction(async (tx) => {
      await tx.events.appendWithCommit([{ appId: 'app-a', guid: 'g1', events: [{ notifyType: 1010, data: 'rolled back' }] }], 6, ids);
      throw new Error('changed my mind');
    }), /changed my mind/);
    assert.equal(await store.events.lastSn('g1'), 3, 'a rolled-back transaction appends nothing');

    // A clashing id in the held-back write: the transaction's other write is undone too, and its hooks never run.
    let hooked = false;
    await assert.rejects(store.transaction(async (tx) => {
      await tx.events.append('app-a', 'g2', [{ notifyType: 1010, data: 'with it' }], 7, ids);
      await tx.events.appendWithCommit([{ appId: 'app-a', guid: 'g1', events: [{ notifyType: 1010, data: 'clash' }] }], 7, () => 'w-1');
      tx.afterCommit(() => (hooked = true));
    }));
    assert.equal(hooked, false);
    assert.equal(await store.events.lastSn('g1'), 3);
    assert.equal(await store.events.lastSn('g2'), 1, 'the other write of the failed transaction is not kept');

    await store.events.appendWithCommit([{ appId: 'app-a', guid: 'g3', events: [{ notifyType: 1010, data: 'now' }] }], 8, ids);
    assert.equal(await store.events.lastSn('g3'), 1, 'outside a transaction it appends at once');
  }));

  test('delivery attempts are kept per (event, attempt) once, in attempt order', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    const [event] = await store.events.append('app-a', 'g1', [{ notifyType: 1010, data: 1 }], 1, idSequence('e'));
    const id = event!.id;
    const second = { eventId: id, attempt: 2, startedAt: 20, durationMs: 5, statusCode: 200, error: null, responseExcerpt: 'ok 好' };
    const first = { eventId: id, attempt: 1, startedAt: 10, durationMs: 3_000, statusCode: null, error: 'timeout', responseExcerpt: '' };
    await store.events.recordDeliveries([{ eventId: id, attempt: second, status: null }]);
    await store.events.recordDeliveries([{ eventId: id, attempt: first, status: null }, { eventId: id, attempt: { ...first, error: 'recorded twice' }, status: null }]);
    assert.deepEqual(await store.events.attempts(id), [first, second]);
    assert.deepEqual(await store.events.attempts('none'), []);
    assert.equal((await store.events.get(id))?.webhook.state, 'pending', 'no status given: the status stays');
    await store.events.recordDeliveries([]);
  }));

  test('deliveries recorded in one group: attempts and statuses of many events, the later status of one event winning', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2']);
    const ids = idSequence('e');
    const [a, b] = await store.events.append('app-a', 'g1', [{ notifyType: 1010, data: 1 }, { notifyType: 1010, data: 2 }], 1, ids);
    const [c] = await store.events.append('app-a', 'g2', [{ notifyType: 1010, data: 3 }], 1, ids);
    const attempt = (eventId: string, n: number, statusCode: number | null) =>
      ({ eventId, attempt: n, startedAt: 10 * n, durationMs: 2, statusCode, error: statusCode === 200 ? null : 'HTTP 500', responseExcerpt: '' });
    await store.events.recordDeliveries([
      { eventId: a!.id, attempt: attempt(a!.id, 1, 500), status: { state: 'pending', attempts: 1, nextAttemptAt: 5_000 } },
      { eventId: b!.id, attempt: null, status: { state: 'skipped', attempts: 0, nextAttemptAt: null } },
      { eventId: c!.id, attempt: attempt(c!.id, 1, 200), status: { state: 'delivered', attempts: 1, nextAttemptAt: null } },
      { eventId: a!.id, attempt: attempt(a!.id, 2, 200), status: { state: 'delivered', attempts: 2, nextAttemptAt: null } },
    ]);
    assert.deepEqual((await store.events.get(a!.id))?.webhook, { state: 'delivered', attempts: 2, nextAttemptAt: null }, 'the later of two statuses');
    assert.deepEqual((await store.events.get(b!.id))?.webhook, { state: 'skipped', attempts: 0, nextAttemptAt: null });
    assert.deepEqual((await store.events.get(c!.id))?.webhook, { state: 'delivered', attempts: 1, nextAttemptAt: null });
    assert.deepEqual((await store.events.attempts(a!.id)).map((x) => x.statusCode), [500, 200]);
    assert.deepEqual(await store.events.attempts(b!.id), []);
    assert.deepEqual(await store.events.pending('g1', 10), []);

    // A replay put c back in the queue (due at 500) after an attempt that started at 400: that attempt's status does
    // not undo it; an attempt started at 600, after the replay, writes its own.
    await store.events.requeue([c!.id], 500);
    await store.events.recordDeliveries([{ eventId: c!.id, attempt: { ...attempt(c!.id, 2, 200), startedAt: 400 }, status: { state: 'delivered', attempts: 2, nextAttemptAt: null } }]);
    assert.deepEqual((await store.events.get(c!.id))?.webhook, { state: 'pending', attempts: 1, nextAttemptAt: 500 }, 'the replay stands');
    await store.events.recordDeliveries([{ eventId: c!.id, attempt: { ...attempt(c!.id, 3, 200), startedAt: 600 }, status: { state: 'delivered', attempts: 3, nextAttemptAt: null } }]);
    assert.deepEqual((await store.events.get(c!.id))?.webhook, { state: 'delivered', attempts: 3, nextAttemptAt: null });
  }));

  test('stream cursors: null when unknown, per consumer, never moved back', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    assert.equal(await store.events.cursor('g1', 'ws-a'), null);
    await store.events.setCursor('g1', 'ws-a', 5, 1);
    await store.events.setCursor('g1', 'ws-a', 3, 2);
    await store.events.setCursor('g1', 'ws-b', 1, 2);
    assert.equal(await store.events.cursor('g1', 'ws-a'), 5);
    assert.equal(await store.events.cursor('g1', 'ws-b'), 1);
    await store.events.setCursor('g1', 'ws-a', 9, 3);
    assert.equal(await store.events.cursor('g1', 'ws-a'), 9);
  }));

  test('prune removes old settled events with their attempts, spares pending ones, keeps numbering going', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    const ids = idSequence('e');
    const old = await store.events.append('app-a', 'g1', [1, 2, 3].map((n) => ({ notifyType: 1010, data: n })), 100, ids);
    await store.events.append('app-a', 'g1', [{ notifyType: 1010, data: 4 }], 900, ids);
    for (const e of old.slice(0, 2)) await store.events.setWebhookStatus(e.id, { state: 'delivered', attempts: 1, nextAttemptAt: null });
    await store.events.recordDeliveries([{
      eventId: old[0]!.id, attempt: { eventId: old[0]!.id, attempt: 1, startedAt: 100, durationMs: 1, statusCode: 200, error: null, responseExcerpt: '' }, status: null,
    }]);
    assert.equal(await store.events.prune(500, 1), 1, 'the limit holds');
    assert.equal(await store.events.prune(500, 100), 1, 'the pending one stays');
    assert.deepEqual((await store.events.list({ guid: 'g1', afterSn: 0, limit: 10 })).map((e) => e.sn), [3, 4]);
    assert.deepEqual(await store.events.attempts(old[0]!.id), []);
    const [next] = await store.events.append('app-a', 'g1', [{ notifyType: 1010, data: 5 }], 1_000, ids);
    assert.equal(next?.sn, 5, 'pruning never lets an sn be reused');
  }));
}
