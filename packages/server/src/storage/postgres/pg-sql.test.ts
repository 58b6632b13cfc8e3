// Writes held back to the commit (Sql.holdBack): pipelined with COMMIT, undone with their savepoint, a failure reported
// as the failed commit it is (PostgreSQL answers COMMIT in a failed transaction with ROLLBACK, no error); and group
// commit, where transactions that wrote nothing else commit their held-back writes together, each failing alone.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import { freshPostgresStore, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../../../test/postgres.ts';
import type { NewSandboxMessage, Store } from '../ports.ts';
import { GroupCommitter } from './pg-group-commit.ts';
import { heldBackEvents } from './pg-held-back.ts';
import { inTransaction, PoolSql, schemaPool } from './pg-sql.ts';

const url = TEST_DATABASE_URL;
const skip = url ? false : POSTGRES_SKIP_REASON;
let store: Store & { schema: string };
let closeStore: () => Promise<void>;
let pool: pg.Pool;

before(async () => {
  if (!url) return;
  ({ store, close: closeStore } = await freshPostgresStore(url));
  pool = schemaPool(url, store.schema, 4, 'wxgate test');
});

after(async () => {
  if (!url) return;
  await pool.end();
  await closeStore();
});

let n = 0;
const message = (appId = 'app-h'): NewSandboxMessage => {
  n++;
  return {
    appId, msgId: String(8_000_000_000 + n), localId: n, clientMsgId: n, session: 'wxid_a|wxid_b', fromWxid: 'wxid_a', toUsername: 'wxid_b',
    chatroom: '', msgType: 1, appType: 0, content: `held ${n} ’quote’ \\ 你好`, source: '', pushDesc: '', refersTo: '', createdAt: 1_700_000_000_000 + n,
  };
};
const archived = (m: NewSandboxMessage) => store.sandbox.messages.get(m.appId, m.msgId);
let eventIds = 0;
const events = (guid: string, data: unknown) => heldBackEvents([{ appId: 'app-h', guid, events: [{ notifyType: 1010, data }] }], 5, () => `held-ev-${++eventIds}`);

test('a held-back write is made by the commit, after the transaction\'s own statements, and not before', { skip }, async () => {
  const held = message();
  await inTransaction(pool, async (sql) => {
    await sql.holdBack({ kind: 'archive', message: held });
    await sql.holdBack(events('g-held', { msg_id: held.msgId }));
    assert.equal(await sql.row('SELECT seq FROM sandbox_messages WHERE msg_id = $1', [held.msgId]), undefined, 'not written before the commit');
  });
  assert.equal((await archived(held))?.content, held.content);
  assert.deepEqual((await store.events.list({ guid: 'g-held', afterSn: 0, limit: 5 })).map((e) => [e.sn, e.data]), [[1, { msg_id: held.msgId }]]);
  const direct = message();
  await new PoolSql(pool).holdBack({ kind: 'archive', message: direct });
  assert.ok(await archived(direct), 'over the pool it is written at once');
});

test('a failing held-back write fails the transaction: its other writes are undone and the error is the write\'s', { skip }, async () => {
  const first = message();
  await store.sandbox.messages.insert(first);
  const other = message();
  await assert.rejects(inTransaction(pool, async (sql) => {
    await sql.run('UPDATE sandbox_messages SET content = $1 WHERE msg_id = $2', ['changed', first.msgId]);
    await sql.holdBack({ kind: 'archive', message: other });
    await sql.holdBack({ kind: 'archive', message: { ...message(), msgId: first.msgId } });
  }), (err: Error & { code?: string }) => err.code === '23505');
  assert.equal((await archived(first))?.content, first.content, 'the transaction\'s own write is rolled back');
  assert.equal(await archived(other), undefined, 'and the held-back write before the clash');
  const after = message();
  await inTransaction(pool, (sql) => sql.holdBack({ kind: 'archive', message: after }));
  assert.ok(await archived(after), 'the connection went back to the pool usable');
});

test('what was held back inside a savepoint that rolled back is dropped with it; the rest commits', { skip }, async () => {
  const [outer, dropped, kept] = [message(), message(), message()];
  await inTransaction(pool, async (sql) => {
    await sql.holdBack({ kind: 'archive', message: outer });
    await assert.rejects(sql.atomic(async (inner) => {
      await inner.holdBack({ kind: 'archive', message: dropped });
      throw new Error('inner failed');
    }), /inner failed/);
    await sql.atomic((inner) => inner.holdBack({ kind: 'archive', message: kept }));
  });
  assert.ok(await archived(outer));
  assert.equal(await archived(dropped), undefined);
  assert.ok(await archived(kept));
});

test('transactions committing at once share group commits; a member whose write fails fails alone; seqs and sns follow commit order', { skip }, async () => {
  const group = new GroupCommitter(schemaPool(url!, store.schema, 1, 'wxgate test commits'));
  try {
    const clash = message();
    await store.sandbox.messages.insert(clash);
    const members = Array.from({ length: 24 }, (_, i) => (i === 7 ? { ...message('app-g'), msgId: clash.msgId, appId: clash.appId } : message('app-g')));
    const results = await Promise.allSettled(members.map((m) => inTransaction(pool, async (sql) => {
      await sql.row('SELECT 1');
      await sql.holdBack({ kind: 'archive', message: m });
      await sql.holdBack(events('g-group', { msg_id: m.msgId }));
    }, undefined, group)));
    assert.deepEqual(results.map((r) => r.status), members.map((_, i) => (i === 7 ? 'rejected' : 'fulfilled')));
    assert.equal((results[7] as PromiseRejectedResult).reason.code, '23505');
    assert.ok(group.largestGroup > 1, `the commits were grouped (largest group ${group.largestGroup})`);
    const kept = members.filter((_, i) => i !== 7);
    const rows = await store.sandbox.messages.listSession('app-g', 'wxid_a|wxid_b', 0, 100);
    assert.deepEqual(new Set(rows.map((r) => r.msgId)), new Set(kept.map((m) => m.msgId)));
    const listed = await store.events.list({ guid: 'g-group', afterSn: 0, limit: 100 });
    assert.deepEqual(listed.map((e) => e.sn), kept.map((_, i) => i + 1), 'sns gap-free: the failed member used none');
    // Within the app, archive order and event order agree: both follow the order the writes committed in.
    assert.deepEqual(listed.map((e) => (e.data as { msg_id: string }).msg_id), rows.map((r) => r.msgId));
  } finally {
    await group.close();
  }
});
