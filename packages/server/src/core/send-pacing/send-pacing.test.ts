// SendPacing's warm-up while a send is on its way (the chat being sent to still counts as one talked to in the hour), and
// a blocking send stored by a cluster node, run by a single node (a cluster itself: test/api/cluster/send-pacing.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '@wxgate/contract';
import { DEFAULT_CALLBACK_OPTIONS, type InstanceRecord } from '../../storage/ports.ts';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import { ManualClock, randomIds } from '../clock.ts';
import { EventService } from '../events.ts';
import { SendPacing } from './send-pacing.ts';

/** A store with one app and one logged-in instance (g1), and a manual clock. */
async function oneInstance(): Promise<{ store: SqliteStore; clock: ManualClock; instance: InstanceRecord }> {
  const store = new SqliteStore(':memory:');
  const clock = new ManualClock();
  await store.apps.insert({ id: 'app', appKey: 'key', name: 'app', secretHash: 'scrypt$unused', mode: 'standard', disabled: false, createdAt: 0 });
  const instance: InstanceRecord = {
    guid: 'g1', appId: 'app', runState: 'running', loginWxid: 'wxid_me', clientType: 0, notifyUrl: '', bridge: '', proxy: '',
    isLongProxy: false, isLoginProxy: false, syncHistoryMsg: false, autoStart: true, payload: '', callbackOptions: DEFAULT_CALLBACK_OPTIONS, createdAt: 0, updatedAt: 0,
  };
  await store.instances.insert(instance);
  return { store, clock, instance };
}

test('a send taken off the queue and not yet finished still counts as a recent chat for the mass-send rule', async () => {
  const { store, clock, instance } = await oneInstance();
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const performed: string[] = [];
  const pacing = new SendPacing({
    store, clock, ids: randomIds, events: new EventService(store, clock), instance: async () => instance,
    // The first send hangs at the driver until released: it is in flight, neither queued nor sent.
    perform: async (_instance, _path, request) => {
      performed.push((request as { to_username: string }).to_username);
      if (performed.length === 1) await held;
      return { ok: true };
    },
  });
  try {
    await pacing.noteLogin('g1', 'wxid_me');
    await pacing.configure('g1', {
      ...pacing.settingsOf('g1'), enabled: true, warmupDays: 3, massSendRecipients: 1, perMinute: 0, perDay: 0, minDelayMs: 0, maxDelayMs: 0,
    });
    await pacing.submit(instance, '/msg/send_text', { guid: 'g1', to_username: 'wxid_first', content: 'hi' });
    const drained = pacing.runDue();
    for (let turn = 0; performed.length === 0 && turn < 1000; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(performed, ['wxid_first']);
    assert.equal((await pacing.state('g1')).queueLength, 0, 'the first send has left the queue');
    await assert.rejects(pacing.submit(instance, '/msg/send_text', { guid: 'g1', to_username: 'wxid_second', content: 'hi' }),
      (err: unknown) => (err as ApiError).spec?.code === 40370, 'a second chat within the hour is a mass send, though the first is only in flight');
    await pacing.submit(instance, '/msg/send_text', { guid: 'g1', to_username: 'wxid_first', content: 'again' });
    release();
    await drained;
    await pacing.runDue();
    assert.deepEqual(performed, ['wxid_first', 'wxid_first']);
  } finally {
    release();
    await pacing.close();
    await store.close();
  }
});

test('a blocking send a cluster node stored is sent by a single node, its outcome kept for the caller\'s node, which is gone', async () => {
  const { store, clock, instance } = await oneInstance();
  const performed: unknown[] = [];
  const pacing = new SendPacing({
    store, clock, ids: randomIds, events: new EventService(store, clock), instance: async () => instance,
    perform: async (_instance: InstanceRecord, _path: string, request: unknown) => {
      performed.push(request);
      return { newMsgId: '42' };
    },
  });
  try {
    await pacing.configure('g1', { ...pacing.settingsOf('g1'), enabled: true, minDelayMs: 0, maxDelayMs: 0, perMinute: 0, perDay: 0, warmupDays: 0 });
    const request = { guid: 'g1', to_username: 'wxid_a', content: 'left by a cluster' };
    await store.sendPacing.enqueue({
      queueId: 'psq_b1', appId: instance.appId, guid: 'g1', path: '/msg/send_text', request, recipient: 'wxid_a', enqueuedAt: clock.now(),
      state: 'queued', answer: 'blocking', waiter: 'node-gone',
    });
    await pacing.load();
    await pacing.runDue();
    assert.deepEqual(performed, [request], 'sent once, in its turn');
    assert.deepEqual(await store.sendPacing.pending(), []);
    assert.deepEqual(await store.sendPacing.takeOutcome('psq_b1'), { ok: true, result: { newMsgId: '42' } }, 'kept, not published as a 9001');
    assert.equal((await store.events.pending('g1', 10, 0)).length, 0);
  } finally {
    await pacing.close();
    await store.close();
  }
});
