// One node per schema: a second PostgresNodeLock on the same schema is refused, naming the holder, until the first goes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, freshSchemaName } from '../../../test/postgres.ts';
import { DatabaseInUseError, PostgresNodeLock } from './pg-node-lock.ts';

const url = TEST_DATABASE_URL;

test('a second node on a schema is refused with the holder named; another schema is free; release frees it', { skip: url ? false : POSTGRES_SKIP_REASON }, async () => {
  const schema = freshSchemaName();
  const first = await PostgresNodeLock.acquire(url!, schema);
  try {
    await assert.rejects(PostgresNodeLock.acquire(url!, schema), (err: unknown) => {
      assert.ok(err instanceof DatabaseInUseError);
      assert.equal(err.schema, schema);
      assert.match(err.holder ?? '', new RegExp(`^wxgate pid ${process.pid} `));
      assert.match(err.message, new RegExp(`schema ${schema} is in use by wxgate pid ${process.pid}`));
      assert.match(err.message, /WXGATE_DATABASE_SCHEMA/);
      return true;
    });
    const other = await PostgresNodeLock.acquire(url!, freshSchemaName());
    await other.release();
  } finally {
    await first.release();
  }
  const again = await PostgresNodeLock.acquire(url!, schema);
  await again.release();
});
