// `wxgate migrate` (the built binary): arguments checked before anything is opened, the exit code of each refusal, and
// with a test database a whole copy, a refused second one and a --force one, in both output forms.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildFixtureStore, fixtureSealer } from '../../server/test/migrate-fixture.ts';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, dropSchema, freshSchemaName } from '../../server/test/postgres.ts';
import { buildCli, cliEnv, run } from './helpers.ts';

let dir: string;
before(() => {
  buildCli();
  dir = mkdtempSync(join(tmpdir(), 'wxgate-cli-migrate-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const NOWHERE = 'postgres://wxgate:hunter2@127.0.0.1:1/none';

describe('wxgate migrate: arguments', () => {
  test('--from and --to are required and must be sqlite:<dir> and postgres://; usage errors exit 2 and never show a password', async () => {
    const env = cliEnv();
    const noFrom = await run(['migrate', '--to', NOWHERE], env);
    assert.equal(noFrom.code, 2);
    assert.match(noFrom.stderr, /--from is required/);
    assert.match(noFrom.stderr, /sqlite:\.\/data/);
    const plainPath = await run(['migrate', '--from', './data', '--to', NOWHERE], env);
    assert.equal(plainPath.code, 2);
    assert.match(plainPath.stderr, /--from "\.\/data" is not sqlite:<data dir>/);
    const noTo = await run(['migrate', '--from', `sqlite:${dir}`], env);
    assert.equal(noTo.code, 2);
    assert.match(noTo.stderr, /--to is required \(or WXGATE_DATABASE_URL\)/);
    const mysql = await run(['migrate', '--from', `sqlite:${dir}`, '--to', 'mysql://root:hunter2@db/wxgate'], env);
    assert.equal(mysql.code, 2);
    assert.match(mysql.stderr, /--to "mysql:\/\/root:\*\*\*@db\/wxgate" is not a postgres:\/\/ or postgresql:\/\/ URL/);
    assert.doesNotMatch(mysql.stderr, /hunter2/);
    const schema = await run(['migrate', '--from', `sqlite:${dir}`, '--to', NOWHERE, '--schema', 'Wx-Gate'], env);
    assert.equal(schema.code, 2);
    assert.match(schema.stderr, /--schema "Wx-Gate" must be a lowercase identifier/);
  });

  test('a missing source is a usage error (2) before PostgreSQL is contacted; an unreachable PostgreSQL exits 3; in Chinese too', async () => {
    const missing = await run(['migrate', '--from', `sqlite:${join(dir, 'nope')}`, '--to', NOWHERE, '--json'], cliEnv());
    assert.equal(missing.code, 2);
    assert.deepEqual(JSON.parse(missing.stderr).error, {
      message: `no wxgate database at ${join(dir, 'nope', 'wxgate.db')}`, exit_code: 2, code: 'source_missing', file: join(dir, 'nope', 'wxgate.db'),
    });
    const zh = await run(['migrate', '--from', `sqlite:${join(dir, 'nope')}`, '--to', NOWHERE], cliEnv({ LANG: 'zh_CN.UTF-8' }));
    assert.equal(zh.code, 2);
    assert.match(zh.stderr, /处没有 wxgate 数据库/);

    const source = join(dir, 'unreachable');
    await buildFixtureStore(source, fixtureSealer());
    const refused = await run(['migrate', '--from', `sqlite:${source}`, '--to', NOWHERE], cliEnv());
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /cannot connect to PostgreSQL at postgres:\/\/wxgate:\*\*\*@127\.0\.0\.1:1\/none/);
    assert.doesNotMatch(refused.stderr, /hunter2/);
  });
});

const url = TEST_DATABASE_URL;
describe('wxgate migrate: into PostgreSQL', { skip: url ? false : POSTGRES_SKIP_REASON }, () => {
  const schema = freshSchemaName();
  after(() => (url ? dropSchema(url, schema) : undefined));

  test('copies with per-table counts (--json), refuses a second copy (2), and --force copies again (table and summary)', async () => {
    const source = join(dir, 'data');
    await buildFixtureStore(source, fixtureSealer());
    // --to from WXGATE_DATABASE_URL and the schema from WXGATE_DATABASE_SCHEMA, the variables the server reads.
    const env = cliEnv({ WXGATE_DATABASE_URL: url!, WXGATE_DATABASE_SCHEMA: schema });
    const copied = await run(['migrate', '--from', `sqlite:${source}`, '--json'], env);
    assert.equal(copied.code, 0, copied.stderr);
    const doc = JSON.parse(copied.stdout);
    assert.equal(doc.schema, schema);
    assert.equal(doc.source, join(source, 'wxgate.db'));
    assert.equal(doc.verified, true);
    assert.equal(doc.replaced_rows, 0);
    assert.deepEqual(doc.tables.find((t: { table: string }) => t.table === 'events'), { table: 'events', rows: 4 });
    assert.ok(!doc.tables.some((t: { table: string }) => t.table === 'schema_migrations'), 'each engine keeps its own bookkeeping');
    assert.equal(doc.total_rows, doc.tables.reduce((n: number, t: { rows: number }) => n + t.rows, 0));

    const again = await run(['migrate', '--from', `sqlite:${source}`], env);
    assert.equal(again.code, 2);
    assert.match(again.stderr, new RegExp(`schema ${schema} already holds wxgate data \\(apps: 2, `));
    assert.match(again.stderr, /--force empties/);

    const forced = await run(['migrate', '--from', `sqlite:${source}`, '--to', url!, '--schema', schema, '--force'], cliEnv());
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /^TABLE +ROWS$/m);
    assert.match(forced.stdout, /^events +4$/m);
    assert.match(forced.stdout, /^voice_transcription_blocks +2$/m);
    assert.match(forced.stdout, new RegExp(`^${doc.tables.length} tables, ${doc.total_rows} rows in [\\d.]+ s; every table's row count verified before commit$`, 'm'));
    assert.match(forced.stdout, new RegExp(`^--force: the ${doc.total_rows} rows the schema held before were removed first$`, 'm'));
  });
});
