// One process per data directory (and, on PostgreSQL, per schema): a second server on the same DATA_DIR or schema exits
// before listening and names the holder; after the holder is killed with SIGKILL, the next start takes it, no cleanup.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { dropSchema, freshSchemaName, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../postgres.ts';
import { killServers, spawnServer, startServer } from './server-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'wxgate-lock-'));
after(() => {
  killServers();
  rmSync(dataDir, { recursive: true, force: true });
});

test('a second server on the same data directory exits without listening; after kill -9 of the first, a restart takes it', async () => {
  const first = await startServer({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  const holder = first.child.pid!;

  const second = spawnServer({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  const outcome = await Promise.race([second.exited.then((code) => ({ code })), second.listening.then((base) => ({ base }))]);
  assert.deepEqual(outcome, { code: 75 }, `the second server exits with EX_TEMPFAIL, without listening:\n${second.stdout()}\n${second.stderr()}`);
  assert.doesNotMatch(second.stdout(), /Server listening/);
  assert.match(second.stderr(), new RegExp(`the data directory ${dataDir} is in use by process ${holder}\\b`));
  assert.match(second.stderr(), new RegExp(`数据目录 ${dataDir} 已被进程 ${holder} 占用`));
  assert.doesNotMatch(second.stderr(), /created your first app/, 'it created nothing in the directory it does not hold');
  assert.equal((await fetch(`${first.base}/readyz`)).status, 200, 'the first server is undisturbed');

  first.child.kill('SIGKILL');
  assert.equal(await first.exited, null, 'the first server died by the signal, with no chance to clean up');

  const third = await startServer({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
  assert.equal((await fetch(`${third.base}/readyz`)).status, 200);
  assert.doesNotMatch(third.stderr(), /created your first app/, 'it took over the same data, not a new one');
  third.child.kill('SIGTERM');
  assert.equal(await third.exited, 0);
});

test('PostgreSQL: a second server on the same schema, from another data directory, exits 75 naming the holder; kill -9 frees the schema', { skip: TEST_DATABASE_URL ? false : POSTGRES_SKIP_REASON }, async () => {
  const url = TEST_DATABASE_URL!;
  const schema = freshSchemaName();
  // Nodes on one schema share the key that seals its secrets (a data directory's own secret.key would not open them).
  const secretKey = randomBytes(32).toString('hex');
  const onSchema = (dir: string) => ({
    DATA_DIR: join(dataDir, dir), LOG_LEVEL: 'info', WXGATE_DATABASE_URL: url, WXGATE_DATABASE_SCHEMA: schema, WXGATE_SECRET_KEY: secretKey,
  });
  try {
    const first = await startServer(onSchema('node-a'));
    const second = spawnServer(onSchema('node-b'));
    const outcome = await Promise.race([second.exited.then((code) => ({ code })), second.listening.then((base) => ({ base }))]);
    assert.deepEqual(outcome, { code: 75 }, `the second server exits with EX_TEMPFAIL, without listening:\n${second.stdout()}\n${second.stderr()}`);
    assert.match(second.stderr(), new RegExp(`the PostgreSQL schema ${schema} is in use by wxgate pid ${first.child.pid} `));
    assert.match(second.stderr(), new RegExp(`PostgreSQL 模式 ${schema} 已被 wxgate pid ${first.child.pid} `));
    assert.doesNotMatch(second.stderr(), /created your first app/, 'it created nothing in the schema it does not hold');
    assert.equal((await fetch(`${first.base}/readyz`)).status, 200, 'the first server is undisturbed');

    first.child.kill('SIGKILL');
    assert.equal(await first.exited, null);
    // The server drops a dead client's session locks when it notices the closed socket, at once on loopback.
    const third = await startServer(onSchema('node-b'));
    assert.equal((await fetch(`${third.base}/readyz`)).status, 200);
    assert.doesNotMatch(third.stderr(), /created your first app/, 'it took over the data in the schema, not a new world');
    third.child.kill('SIGTERM');
    assert.equal(await third.exited, 0);
  } finally {
    await dropSchema(url, schema);
  }
});
