// Writes held back to the commit (runWithCommit): pipelined with COMMIT, undone with their savepoint, and a failure of
// one is reported as the failed commit it is (PostgreSQL answers COMMIT in a failed transaction with ROLLBACK, no error).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type pg from 'pg';
import { dropSchema, freshSchemaName, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../../../test/postgres.ts';
import { inTransaction, PoolSql, schemaPool } from './pg-sql.ts';

const url = TEST_DATABASE_URL;
const skip = url ? false : POSTGRES_SKIP_REASON;
const schema = freshSchemaName();
let pool: pg.Pool;

before(async () => {
  if (!url) return;
  pool = schemaPool(url, schema, 2, 'wxgate test');
  await pool.query(`CREATE SCHEMA ${schema}`);
  await pool.query('CREATE TABLE notes (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
});

after(async () => {
  if (!url) return;
  await pool.end();
  await dropSchema(url, schema);
});

const ids = async () => (await pool.query<{ id: string }>('SELECT id FROM notes ORDER BY id')).rows.map((r) => r.id);

test('a held-back write is made by the commit, after the transaction\'s own statements, and not before', { skip }, async () => {
  await inTransaction(pool, async (sql) => {
    await sql.runWithCommit('INSERT INTO notes (id, body) VALUES ($1, $2)', ['a1', 'held']);
    assert.equal(await sql.row('SELECT id FROM notes WHERE id = $1', ['a1']), undefined, 'not written before the commit');
    await sql.run('INSERT INTO notes (id, body) VALUES ($1, $2)', ['a0', 'now']);
  });
  assert.deepEqual(await ids(), ['a0', 'a1']);
  await new PoolSql(pool).runWithCommit('INSERT INTO notes (id, body) VALUES ($1, $2)', ['a2', 'pool']);
  assert.deepEqual(await ids(), ['a0', 'a1', 'a2'], 'over the pool it is written at once');
});

test('a failing held-back write fails the transaction: its other writes are undone and the error is the write\'s', { skip }, async () => {
  await assert.rejects(inTransaction(pool, async (sql) => {
    await sql.run('INSERT INTO notes (id, body) VALUES ($1, $2)', ['b0', 'kept?']);
    await sql.runWithCommit('INSERT INTO notes (id, body) VALUES ($1, $2)', ['a0', 'clashes']);
    await sql.runWithCommit('INSERT INTO notes (id, body) VALUES ($1, $2)', ['b1', 'after the clash']);
  }), (err: Error & { code?: string }) => err.code === '23505');
  assert.deepEqual(await ids(), ['a0', 'a1', 'a2']);
  // The connection went back to the pool in a usable state.
  await inTransaction(pool, (sql) => sql.runWithCommit('INSERT INTO notes (id, body) VALUES ($1, $2)', ['b2', 'fine']));
  assert.deepEqual(await ids(), ['a0', 'a1', 'a2', 'b2']);
});

test('what was held back inside a savepoint that rolled back is dropped with it; the rest commits', { skip }, async () => {
  await inTransaction(pool, async (sql) => {
    await sql.runWithCommit('INSERT INTO notes (id, body) VALUES ($1, $2)', ['c0', 'outer']);
    await assert.rejects(sql.atomic(async (inner) => {
      await inner.runWithCommit('INSERT INTO notes (id, body) VALUES ($1, $2)', ['c1', 'inner']);
      throw new Error('inner failed');
    }), /inner failed/);
    await sql.atomic((inner) => inner.runWithCommit('INSERT INTO notes (id, body) VALUES ($1, $2)', ['c2', 'inner kept']));
  });
  assert.deepEqual((await ids()).filter((id) => id.startsWith('c')), ['c0', 'c2']);
});
