// SendPacing's warm-up while a send is on its way (the chat being sent to still counts as one talked to in the hour), and
// pacing on a cluster of nodes: refused, never run per node.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '@wxgate/contract';
import { DEFAULT_CALLBACK_OPTIONS, type InstanceRecord } from '../storage/ports.ts';
import { SqliteStore } from '../storage/sqlite/sqlite-store.ts';
import { ManualClock, randomIds } from './clock.ts';
import { EventService } from './events.ts';
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

test('on a cluster, pacing cannot be turned on; sends of an instance paced before are refused, and its stored queue is not run', async () => {
  const { store, clock, instance } = await oneInstance();
  const performed: string[] = [];
  const options = {
    store, clock, ids: randomIds, events: new EventService(store, clock), instance: async () => instance,
    perform: async (_instance: InstanceRecord, path: string) => {
      performed.push(path);
      return { ok: true };
    },
  };
  // A single node paced the instance and left a send queued.
  const alone = new SendPacing(options);
  await alone.configure('g1', { ...alone.settingsOf('g1'), enabled: true, minDelayMs: 60_000, maxDelayMs: 60_000, perMinute: 0, perDay: 0 });
  await alone.submit(instance, '/msg/send_text', { guid: 'g1', to_username: 'wxid_a', content: 'first' }, 'queued');
  await alone.submit(instance, '/msg/send_text', { guid: 'g1', to_username: 'wxid_a', content: 'second' }, 'queued');
  await alone.close();
  const sentAlone = performed.length;

  const clustered = new SendPacing({ ...options, clustered: true });
  try {
    await clustered.load();
    clock.advance(3_600_000);
    await clustered.runDue();
    assert.equal(performed.length, sentAlone, 'the stored queue waits for a single node');
    const notSupported = (err: unknown) => (err as ApiError).spec?.code === 50101 && /cluster/.test((err as ApiError).message);
    await assert.rejects(clustered.submit(instance, '/msg/send_text', { guid: 'g1', to_username: 'wxid_a', content: 'hi' }), notSupported, 'not sent unpaced');
    await assert.rejects(clustered.configure('g1', { ...clustered.settingsOf('g1'), enabled: true }), notSupported);
    await clustered.configure('g1', { ...clustered.settingsOf('g1'), enabled: false });
    await clustered.submit(instance, '/msg/send_text', { guid: 'g1', to_username: 'wxid_a', content: 'unpaced now' });
    assert.equal(performed.length, sentAlone + 1, 'turned off, sends go straight to the driver');
    assert.equal(performed.at(-1), '/msg/send_text');
  } finally {
    await clustered.close();
    await store.close();
  }
});
