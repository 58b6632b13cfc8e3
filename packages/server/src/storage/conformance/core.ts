// Conformance: apps, instances, the rate-limit quota and webhook signing secrets — round trips, lookups by key and
// login, patches that change only what they name, and deletes that take an instance's quota rows with them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appRecord, instanceRecord, seedApp, withStore, type StoreFactory } from './subject.ts';

export const CORE_METHODS = [
  'apps.insert', 'apps.findByKey', 'apps.findById', 'apps.list', 'apps.update',
  'instances.insert', 'instances.get', 'instances.listByApp', 'instances.listAll', 'instances.findByLogin', 'instances.findByLogins',
  'instances.countByApp', 'instances.update', 'instances.delete',
  'quota.recordCalls', 'quota.recentCalls', 'quota.forgetCallsBefore', 'quota.setLock', 'quota.clearLock', 'quota.activeLocks',
  'signingSecrets.active', 'signingSecrets.add', 'signingSecrets.expireCurrent',
] as const;

export function coreConformance(make: StoreFactory): void {
  test('apps round-trip, are found by key and id, listed oldest first, and patched field by field', () => withStore(make, async (store) => {
    const a = appRecord('app-a', { createdAt: 2 });
    const b = appRecord('app-b', { createdAt: 1, mode: 'raw', disabled: true });
    await store.apps.insert(a);
    await store.apps.insert(b);
    assert.deepEqual(await store.apps.findByKey(a.appKey), a);
    assert.deepEqual(await store.apps.findById('app-b'), b);
    assert.equal(await store.apps.findByKey('wxg_key_none'), undefined);
    assert.equal(await store.apps.findById('none'), undefined);
    assert.deepEqual((await store.apps.list()).map((x) => x.id), ['app-b', 'app-a']);
    await store.apps.update('app-a', { name: 'renamed', disabled: true });
    assert.deepEqual(await store.apps.findById('app-a'), { ...a, name: 'renamed', disabled: true });
    await store.apps.update('app-a', {});
    assert.deepEqual(await store.apps.findById('app-a'), { ...a, name: 'renamed', disabled: true });
    await assert.rejects(store.apps.insert({ ...a, id: 'app-c' }), 'a second app with the same key is refused');
    await assert.rejects(store.apps.insert(a), 'a second app with the same id is refused');
  }));

  test('instances round-trip with every setting, list per app and overall, count, update and delete', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    await seedApp(store, 'app-b');
    const full = instanceRecord('g1', 'app-a', {
      runState: 'running', clientType: 242, notifyUrl: 'https://hook.example.com/wx', bridge: 'b1', proxy: 'socks5://u:p@10.0.0.1:1080',
      isLongProxy: true, isLoginProxy: true, syncHistoryMsg: false, autoStart: true, payload: '{"k":1}',
      callbackOptions: { notifyTypes: [1010, 1011], msgTypes: [1, 3], includeSelf: false, batchWindowMs: 250 }, createdAt: 10, updatedAt: 10,
    });
    await store.instances.insert(full);
    await store.instances.insert(instanceRecord('g2', 'app-a', { createdAt: 5 }));
    await store.instances.insert(instanceRecord('g3', 'app-b', { createdAt: 7 }));
    assert.deepEqual(await store.instances.get('g1'), full);
    assert.equal(await store.instances.get('none'), undefined);
    assert.deepEqual((await store.instances.listByApp('app-a')).map((i) => i.guid), ['g2', 'g1']);
    assert.deepEqual((await store.instances.listAll()).map((i) => i.guid), ['g2', 'g3', 'g1']);
    assert.equal(await store.instances.countByApp('app-a'), 2);
    assert.equal(await store.instances.countByApp('app-none'), 0);

    await store.instances.update('g1', { runState: 'stopped', notifyUrl: '', proxy: '', callbackOptions: { ...full.callbackOptions, batchWindowMs: 0 } }, 99);
    assert.deepEqual(await store.instances.get('g1'), {
      ...full, runState: 'stopped', notifyUrl: '', proxy: '', callbackOptions: { ...full.callbackOptions, batchWindowMs: 0 }, updatedAt: 99,
    });
    await assert.rejects(store.instances.insert(instanceRecord('g9', 'app-none')), 'an instance of an unknown app is refused');
    await assert.rejects(store.instances.insert(instanceRecord('g1', 'app-a')), 'a second instance with the same guid is refused');

    await store.quota.setLock('g2', 1_000);
    await store.quota.recordCalls([{ guid: 'g2', at: 10, calls: 1 }], [], 0);
    await store.instances.delete('g2');
    assert.equal(await store.instances.get('g2'), undefined);
    assert.deepEqual(await store.quota.activeLocks(0), [], 'the deleted instance\'s lock went with it');
    assert.deepEqual(await store.quota.recentCalls(0), [], 'the deleted instance\'s calls went with it');
    assert.equal(await store.instances.countByApp('app-a'), 1);
  }));

  test('listings with equal creation times order by id, whatever the insertion order', () => withStore(make, async (store) => {
    for (const id of ['app-c', 'app-a', 'app-b']) await store.apps.insert(appRecord(id, { createdAt: 5 }));
    assert.deepEqual((await store.apps.list()).map((a) => a.id), ['app-a', 'app-b', 'app-c']);
    for (const guid of ['g3', 'g1', 'g2']) await store.instances.insert(instanceRecord(guid, 'app-a', { createdAt: 5 }));
    assert.deepEqual((await store.instances.listByApp('app-a')).map((i) => i.guid), ['g1', 'g2', 'g3']);
    assert.deepEqual((await store.instances.listAll()).map((i) => i.guid), ['g1', 'g2', 'g3']);
  }));

  test('instances are found by the account logged in on them, per app; the oldest wins when two name it', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    await seedApp(store, 'app-b');
    await store.instances.insert(instanceRecord('newer', 'app-a', { createdAt: 20, loginWxid: 'wxid_x' }));
    await store.instances.insert(instanceRecord('older', 'app-a', { createdAt: 10, loginWxid: 'wxid_x' }));
    await store.instances.insert(instanceRecord('g-y', 'app-a', { createdAt: 30 }));
    await store.instances.update('g-y', { loginWxid: 'wxid_y' }, 31);
    await store.instances.insert(instanceRecord('other-app', 'app-b', { loginWxid: 'wxid_z' }));
    assert.equal(await store.instances.findByLogin('app-a', 'wxid_x'), 'older');
    assert.equal(await store.instances.findByLogin('app-a', 'wxid_y'), 'g-y');
    assert.equal(await store.instances.findByLogin('app-a', 'wxid_z'), undefined, 'another app\'s login is not found');
    assert.deepEqual(await store.instances.findByLogins('app-a', ['wxid_x', 'wxid_y', 'wxid_z', 'wxid_none']), new Map([['wxid_x', 'older'], ['wxid_y', 'g-y']]));
    assert.deepEqual(await store.instances.findByLogins('app-a', []), new Map());
    const many = Array.from({ length: 1_200 }, (_, i) => `wxid_${i}`);
    assert.deepEqual(await store.instances.findByLogins('app-a', [...many, 'wxid_y']), new Map([['wxid_y', 'g-y']]), 'past any bound-parameter limit');
    await store.instances.update('g-y', { loginWxid: null }, 40);
    assert.equal(await store.instances.findByLogin('app-a', 'wxid_y'), undefined);
  }));

  test('quota: tallies add up per (instance, ms), windows forget old calls, locks hold until their time', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2']);
    await store.quota.recordCalls([{ guid: 'g1', at: 100, calls: 2 }, { guid: 'g1', at: 200, calls: 1 }, { guid: 'g2', at: 150, calls: 4 }], [], 0);
    await store.quota.recordCalls([{ guid: 'g1', at: 200, calls: 3 }], [], 0);
    assert.deepEqual(await store.quota.recentCalls(0), [
      { guid: 'g1', at: 100, calls: 2 }, { guid: 'g1', at: 200, calls: 4 }, { guid: 'g2', at: 150, calls: 4 },
    ]);
    assert.deepEqual(await store.quota.recentCalls(150), [{ guid: 'g1', at: 200, calls: 4 }], 'after windowStart, exclusive');
    await store.quota.recordCalls([{ guid: 'g2', at: 300, calls: 1 }], ['g1'], 100);
    assert.deepEqual(await store.quota.recentCalls(0), [
      { guid: 'g1', at: 200, calls: 4 }, { guid: 'g2', at: 150, calls: 4 }, { guid: 'g2', at: 300, calls: 1 },
    ], 'g1\'s call at the window start went; g2 was not named');
    await store.quota.forgetCallsBefore(200);
    assert.deepEqual(await store.quota.recentCalls(0), [{ guid: 'g2', at: 300, calls: 1 }]);

    await store.quota.setLock('g2', 5_000);
    assert.deepEqual(await store.quota.recentCalls(0), [], 'a lock forgets the instance\'s calls');
    await store.quota.setLock('g1', 1_000);
    await store.quota.setLock('g1', 2_000);
    assert.deepEqual((await store.quota.activeLocks(1_500)).sort((x, y) => x.guid.localeCompare(y.guid)), [
      { guid: 'g1', lockedUntil: 2_000 }, { guid: 'g2', lockedUntil: 5_000 },
    ]);
    assert.deepEqual(await store.quota.activeLocks(2_000), [{ guid: 'g2', lockedUntil: 5_000 }], 'a lock ends at its time');
    await store.quota.clearLock('g2');
    assert.deepEqual(await store.quota.activeLocks(0), [{ guid: 'g1', lockedUntil: 2_000 }]);
  }));

  test('signing secrets: newest first, a rotation keeps the old one until it expires, per app', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    await seedApp(store, 'app-b');
    assert.deepEqual(await store.signingSecrets.active('app-a', 0), []);
    await store.signingSecrets.add('app-a', 'whsec_first', 100);
    await store.signingSecrets.add('app-b', 'whsec_other', 100);
    await store.signingSecrets.expireCurrent('app-a', 1_000);
    await store.signingSecrets.add('app-a', 'whsec_second', 200);
    assert.deepEqual(await store.signingSecrets.active('app-a', 500), [
      { secret: 'whsec_second', createdAt: 200, expiresAt: null }, { secret: 'whsec_first', createdAt: 100, expiresAt: 1_000 },
    ]);
    assert.deepEqual(await store.signingSecrets.active('app-a', 1_000), [{ secret: 'whsec_second', createdAt: 200, expiresAt: null }]);
    assert.deepEqual(await store.signingSecrets.active('app-b', 5_000), [{ secret: 'whsec_other', createdAt: 100, expiresAt: null }]);
  }));
}
