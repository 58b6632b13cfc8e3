// Unit tests of the SQLite store: migrations, round trips, and transactions that commit or roll back as one.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DEFAULT_CALLBACK_OPTIONS, type AppRecord, type InstanceRecord } from '../ports.ts';
import Database from 'better-sqlite3';
import { INSTANCE_BY_LOGIN_SQL, instancesByLoginsSql, SqliteStore } from './sqlite-store.ts';

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

test('instances are found by the account logged in on them through the login index, never by walking the app', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'wxgate-store-')), 'db.sqlite');
  const store = new SqliteStore(file);
  await store.apps.insert(app);
  for (let i = 0; i < 50; i++) {
    await store.instances.insert({ ...instance(`g${i}`), createdAt: i });
    await store.instances.update(`g${i}`, { loginWxid: `wxid_${i}` }, i);
  }
  assert.equal(await store.instances.findByLogin(app.id, 'wxid_7'), 'g7');
  assert.equal(await store.instances.findByLogin(app.id, 'wxid_none'), undefined);
  assert.deepEqual(await store.instances.findByLogins(app.id, ['wxid_3', 'wxid_none', 'wxid_42']), new Map([['wxid_3', 'g3'], ['wxid_42', 'g42']]));
  await store.close();
  // The plans: a search of instances_by_login, not instances_by_app (which an ORDER BY created_at made SQLite choose).
  const db = new Database(file, { readonly: true });
  for (const sql of [INSTANCE_BY_LOGIN_SQL, instancesByLoginsSql(3)]) {
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(app.id, ...['a', 'b', 'c'].slice(0, sql === INSTANCE_BY_LOGIN_SQL ? 1 : 3)).map((r) => (r as { detail: string }).detail)).join('; ');
    assert.match(plan, /USING INDEX instances_by_login \(app_id=\? AND login_wxid=\?\)/, sql);
  }
  db.close();
});
