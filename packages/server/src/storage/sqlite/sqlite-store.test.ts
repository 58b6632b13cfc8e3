// Unit tests of the SQLite store: migrations, round trips, and transactions that commit or roll back as one.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CALLBACK_OPTIONS, type AppRecord, type InstanceRecord } from '../ports.ts';
import { SqliteStore } from './sqlite-store.ts';

const app: AppRecord = { id: 'app-1', appKey: 'wxg_key_0000000000', name: 'a', secretHash: 'scrypt$x', mode: 'standard', disabled: false, createdAt: 1 };
const instance = (guid: string): InstanceRecord => ({
  guid, appId: app.id, runState: 'running', loginWxid: null, clientType: 241, notifyUrl: '', bridge: '', proxy: '',
  isLongProxy: false, isLoginProxy: false, syncHistoryMsg: true, autoStart: true, payload: '', callbackOptions: DEFAULT_CALLBACK_OPTIONS,
  createdAt: 1, updatedAt: 1,
});

test('records round-trip and survive reopening the file (migrations run once)', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'wxgate-store-')), 'db.sqlite');
  const store = new SqliteStore(file);
  await store.apps.insert(app);
  await store.instances.insert(instance('g1'));
  await store.instances.update('g1', { notifyUrl: 'http://x', isLongProxy: true, loginWxid: 'wxid_a' }, 5);
  await store.close();
  const reopened = new SqliteStore(file);
  assert.deepEqual(await reopened.apps.findByKey(app.appKey), app);
  const got = await reopened.instances.get('g1');
  assert.equal(got?.notifyUrl, 'http://x');
  assert.equal(got?.isLongProxy, true);
  assert.equal(got?.loginWxid, 'wxid_a');
  assert.equal(got?.updatedAt, 5);
  await reopened.close();
});

test('a failed transaction leaves nothing behind; a plain call waits for an open one', async () => {
  const store = new SqliteStore(':memory:');
  await store.apps.insert(app);
  await assert.rejects(store.transaction(async (tx) => {
    await tx.instances.insert(instance('g1'));
    throw new Error('boom');
  }), /boom/);
  assert.equal(await store.instances.get('g1'), undefined);

  const order: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const tx = store.transaction(async (t) => {
    await t.instances.insert(instance('g2'));
    order.push('tx wrote');
    await gate;
    order.push('tx commits');
  });
  await new Promise((r) => setImmediate(r));
  const outside = store.instances.insert(instance('g3')).then(() => order.push('outside wrote'));
  await new Promise((r) => setImmediate(r));
  release();
  await Promise.all([tx, outside]);
  assert.deepEqual(order, ['tx wrote', 'tx commits', 'outside wrote']);
  assert.equal((await store.instances.listByApp(app.id)).length, 2);
  await store.close();
});
