// `wxgate migrate` end to end: a SQLite store built by the server's own repositories copied into a fresh PostgreSQL
// schema and compared row for row; refusals, --force, rollback on a count mismatch, and the source checks.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { SecretKeyError } from '../../core/secrets/secret-box.ts';
import { DataDirLock } from '../data-dir-lock.ts';
import { migratePostgres } from '../postgres/pg-migrations.ts';
import { PostgresStore } from '../postgres/pg-store.ts';
import { MIGRATIONS } from '../sqlite/migrations.ts';
import { SqliteStore } from '../sqlite/sqlite-store.ts';
import { MigrateError, migrateSqliteToPostgres, type MigrateFailure, type MigrateOptions, type MigrateReport } from './sqlite-to-postgres.ts';
import { BLOB, buildFixtureStore, fixtureSealer, LARGE_PAYLOAD, MIB, PROXY, SIGNING_SECRET } from '../../../test/migrate-fixture.ts';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, dropSchema, freshSchemaName } from '../../../test/postgres.ts';

const NOWHERE = 'postgres://wxgate@127.0.0.1:1/none';

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Resolves to the MigrateError's failure, or fails the test. */
async function failure(options: MigrateOptions): Promise<MigrateFailure> {
  try {
    await migrateSqliteToPostgres(options);
  } catch (err) {
    if (err instanceof MigrateError) return err.failure;
    throw err;
  }
  assert.fail('the migration did not refuse');
}

type Value = string | null;
interface TableRows { readonly columns: string[]; readonly rows: Value[][] }

/** Integers (BigInt from SQLite, text from PostgreSQL's int8) as decimal text, bytes as hex: one form for both engines. */
const normal = (v: unknown): Value => (v === null ? null : Buffer.isBuffer(v) ? `x${v.toString('hex')}` : String(v));

/** Rows in primary-key order (or whole-row order for a table without one), compared in JS so no collation differs. */
function ordered(rows: Value[][], keyIndexes: number[]): Value[][] {
  const key = (r: Value[]) => JSON.stringify(keyIndexes.length ? keyIndexes.map((i) => r[i]) : r);
  return rows.map((r) => [key(r), r] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

async function pgLayout(client: pg.Client, schema: string) {
  const columns = await client.query<{ table_name: string; column_name: string; is_identity: string }>(
    `SELECT table_name, column_name, is_identity FROM information_schema.columns WHERE table_schema = $1 AND table_name <> 'schema_migrations'
      ORDER BY table_name, ordinal_position`, [schema]);
  const keys = await client.query<{ table_name: string; column_name: string }>(
    `SELECT k.table_name, k.column_name FROM information_schema.table_constraints c JOIN information_schema.key_column_usage k
       ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema
      WHERE c.table_schema = $1 AND c.constraint_type = 'PRIMARY KEY' ORDER BY k.ordinal_position`, [schema]);
  const layout = new Map<string, { columns: string[]; identities: string[]; key: string[] }>();
  for (const c of columns.rows) {
    const t = layout.get(c.table_name) ?? { columns: [], identities: [], key: [] };
    layout.set(c.table_name, t);
    t.columns.push(c.column_name);
    if (c.is_identity === 'YES') t.identities.push(c.column_name);
  }
  for (const k of keys.rows) layout.get(k.table_name)?.key.push(k.column_name);
  return layout;
}

/** Every table of the target, full rows. */
async function pgSnapshot(client: pg.Client, schema: string): Promise<Map<string, TableRows>> {
  const snapshot = new Map<string, TableRows>();
  for (const [table, t] of await pgLayout(client, schema)) {
    const result = await client.query({ text: `SELECT ${t.columns.map((c) => `"${c}"`).join(', ')} FROM "${schema}"."${table}"`, rowMode: 'array' });
    snapshot.set(table, { columns: t.columns, rows: ordered((result.rows as unknown[][]).map((r) => r.map(normal)), t.key.map((k) => t.columns.indexOf(k))) });
  }
  return snapshot;
}

/**
 * The same tables read from SQLite; a PostgreSQL identity SQLite has no column for is its rowid. A table SQLite lacks
 * (media_blobs: the postgres media store's) is empty: the copy leaves it so.
 */
async function sqliteSnapshot(file: string, client: pg.Client, schema: string): Promise<Map<string, TableRows>> {
  const db = new Database(file, { readonly: true });
  try {
    const snapshot = new Map<string, TableRows>();
    for (const [table, t] of await pgLayout(client, schema)) {
      const own = new Set((db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((c) => c.name));
      if (own.size === 0) {
        snapshot.set(table, { columns: t.columns, rows: [] });
        continue;
      }
      const select = t.columns.map((c) => (own.has(c) ? `"${c}"` : 'rowid'));
      const rows = db.prepare(`SELECT ${select.join(', ')} FROM "${table}"`).safeIntegers(true).raw(true).all() as unknown[][];
      snapshot.set(table, { columns: t.columns, rows: ordered(rows.map((r) => r.map(normal)), t.key.map((k) => t.columns.indexOf(k))) });
    }
    return snapshot;
  } finally {
    db.close();
  }
}

/** Where each identity sequence stands: the value the next row gets. */
async function nextIdentities(client: pg.Client, schema: string): Promise<Record<string, number>> {
  const next: Record<string, number> = {};
  for (const [table, t] of await pgLayout(client, schema)) {
    for (const column of t.identities) {
      const seq = (await client.query<{ s: string }>('SELECT pg_get_serial_sequence($1, $2) AS s', [`"${schema}"."${table}"`, column])).rows[0]!.s;
      const state = (await client.query<{ last_value: string; is_called: boolean }>(`SELECT last_value, is_called FROM ${seq}`)).rows[0]!;
      next[`${table}.${column}`] = Number(state.last_value) + (state.is_called ? 1 : 0);
    }
  }
  return next;
}

describe('wxgate migrate: the source is checked before anything is written', () => {
  test('a missing data directory, or one without wxgate.db, is refused; nothing is created there', async () => {
    const dir = tempDir('wxgate-migrate-empty-');
    assert.deepEqual(await failure({ sqliteDir: join(dir, 'nope'), url: NOWHERE }), { code: 'source_missing', file: join(dir, 'nope', 'wxgate.db') });
    assert.deepEqual(await failure({ sqliteDir: dir, url: NOWHERE }), { code: 'source_missing', file: join(dir, 'wxgate.db') });
    assert.deepEqual(readdirSync(dir), []);
  });

  test('a store older than the newest SQLite migration (or newer) is refused with both versions', async () => {
    const dir = tempDir('wxgate-migrate-old-');
    const db = new Database(join(dir, 'wxgate.db'));
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT');
    const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    for (const m of MIGRATIONS.slice(0, -1)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(m.version, m.name);
    }
    db.close();
    assert.deepEqual(await failure({ sqliteDir: dir, url: NOWHERE }), { code: 'source_outdated', file: join(dir, 'wxgate.db'), version: MIGRATIONS[MIGRATIONS.length - 2]!.version, newest });
    await new SqliteStore(join(dir, 'wxgate.db')).close(); // what "start wxgate once on it" does
    const newer = new Database(join(dir, 'wxgate.db'));
    newer.prepare('INSERT INTO schema_migrations VALUES (999, ?, 0)').run('from the future');
    newer.close();
    assert.equal((await failure({ sqliteDir: dir, url: NOWHERE })).code, 'source_newer');
  });

  test('a data directory a running wxgate holds is refused; bad schema names and URLs too; an unreachable target is named', async () => {
    const dir = tempDir('wxgate-migrate-busy-');
    await new SqliteStore(join(dir, 'wxgate.db')).close();
    const lock = DataDirLock.acquire(dir);
    try {
      const refused = await failure({ sqliteDir: dir, url: NOWHERE });
      assert.equal(refused.code, 'source_in_use');
      assert.equal(refused.code === 'source_in_use' && refused.owner?.pid, process.pid);
    } finally {
      lock.release();
    }
    assert.deepEqual(await failure({ sqliteDir: dir, url: NOWHERE, schema: 'Bad-Name' }), { code: 'bad_schema', schema: 'Bad-Name' });
    assert.deepEqual(await failure({ sqliteDir: dir, url: 'mysql://localhost/db' }), { code: 'bad_target' });
    assert.equal((await failure({ sqliteDir: dir, url: NOWHERE })).code, 'target_unreachable');
  });
});

const url = TEST_DATABASE_URL;
describe('wxgate migrate: SQLite → PostgreSQL', { skip: url ? false : POSTGRES_SKIP_REASON }, () => {
  const sealer = fixtureSealer();
  let dataDir: string;
  let file: string;
  let schema: string;
  let report: MigrateReport;
  let client: pg.Client;
  const schemas: string[] = [];

  before(async () => {
    dataDir = tempDir('wxgate-migrate-');
    file = join(dataDir, 'wxgate.db');
    await buildFixtureStore(dataDir, sealer);
    schemas.push((schema = freshSchemaName()));
    report = await migrateSqliteToPostgres({ sqliteDir: `${dataDir}/`, url: url!, schema });
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });
  after(async () => {
    await client?.end();
    for (const s of schemas) await dropSchema(url!, s);
  });

  test('every table arrives row for row: unicode, a 1 MiB payload, a 1 MiB BLOB, sealed secrets as stored', async () => {
    const source = await sqliteSnapshot(file, client, schema);
    const db = new Database(file, { readonly: true });
    const sqliteTables = new Set((db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name));
    db.close();
    const target = await pgSnapshot(client, schema);
    assert.deepEqual([...target.keys()].sort(), report.tables.map((t) => t.table).sort(), 'the report names every table');
    const postgresOnly = new Set(['media_blobs']);
    assert.deepEqual([...source.keys()].filter((table) => !sqliteTables.has(table)), [...postgresOnly], 'the tables only PostgreSQL has');
    for (const [table, rows] of source) {
      assert.ok(rows.rows.length > 0 || postgresOnly.has(table), `the fixture leaves ${table} empty: add a row to test/migrate-fixture.ts`);
      assert.deepEqual(target.get(table), rows, table);
      assert.equal(report.tables.find((t) => t.table === table)?.rows, rows.rows.length, `${table} count in the report`);
    }
    const big = target.get('events')!.rows.find((r) => r[0] === 'evt-1')!;
    assert.ok(Buffer.byteLength(big[5]!) >= MIB, 'the 1 MiB payload');
    const blocks = target.get('voice_transcription_blocks')!.rows;
    assert.equal(blocks[0]![3], `x${BLOB.toString('hex')}`, 'the 1 MiB BLOB');
    const proxy = target.get('instances')!.rows.find((r) => r[0] === 'g1')![7]!;
    assert.match(proxy, /^enc:v1:/, 'secrets stay sealed');
    assert.equal(report.replacedRows, 0);
    assert.equal(report.totalRows, [...source.values()].reduce((n, t) => n + t.rows.length, 0));
  });

  test('identity sequences continue past the copied rows, and past SQLite\'s AUTOINCREMENT high-water marks', async () => {
    const next = await nextIdentities(client, schema);
    assert.equal(next['sandbox_contacts.seq'], 4, 'contact 3 was removed in SQLite; its seq is not handed out again');
    assert.equal(next['paced_sends.seq'], 4, 'likewise the removed paced send');
    assert.equal(next['sandbox_messages.seq'], 3);
    assert.equal(next['relay_dedup.rid'], 3, 'rid continues from the rowid');
    for (const [column, value] of Object.entries(next)) assert.ok(value > 1, `${column} was moved past the copied rows`);
    const inserted = await client.query<{ seq: string }>(
      `INSERT INTO "${schema}".sandbox_messages (app_id, msg_id, local_id, client_msg_id, session, from_wxid, to_username, chatroom, msg_type, app_type,
         content, source, push_desc, refers_to, created_at) VALUES ('app-a', 'new', 1, 1, 's', 'a', 'b', '', 1, 0, '', '', '', '', 1) RETURNING seq`);
    assert.equal(inserted.rows[0]!.seq, '3');
    const contact = await client.query<{ seq: string }>(
      `INSERT INTO "${schema}".sandbox_contacts (app_id, owner_wxid, contact_wxid, remark, pinned, add_scene, created_at)
       VALUES ('app-a', 'wxid_a', 'wxid_new', '', 0, 3, 1) RETURNING seq`);
    assert.equal(contact.rows[0]!.seq, '4');
  });

  test('the PostgreSQL store opens the copy with the key that sealed it, and refuses another key', async () => {
    const store = await PostgresStore.open(url!, { schema, sealer, poolSize: 2 });
    try {
      assert.equal((await store.instances.get('g1'))?.proxy, PROXY);
      assert.deepEqual((await store.signingSecrets.active('app-a', 0)).map((s) => s.secret), [SIGNING_SECRET]);
      assert.deepEqual((await store.events.get('evt-1'))?.data, LARGE_PAYLOAD);
      assert.equal(await store.events.lastSn('g1'), 3, 'event_sequences came along');
    } finally {
      await store.close();
    }
    await assert.rejects(PostgresStore.open(url!, { schema, sealer: fixtureSealer(), poolSize: 1 }), SecretKeyError);
  });

  test('a non-empty target is refused without --force and left exactly as it was', async () => {
    const before = await pgSnapshot(client, schema);
    const identities = await nextIdentities(client, schema);
    const refused = await failure({ sqliteDir: dataDir, url: url!, schema });
    assert.equal(refused.code, 'target_not_empty');
    assert.ok(refused.code === 'target_not_empty' && refused.tables.some((t) => t.table === 'events' && t.rows === 4));
    assert.deepEqual(await pgSnapshot(client, schema), before);
    assert.deepEqual(await nextIdentities(client, schema), identities);
  });

  test('a schema a running wxgate holds is refused even with --force, naming the holder, and left as it was', async () => {
    const before = await pgSnapshot(client, schema);
    const server = await PostgresStore.open(url!, { schema, sealer, poolSize: 1, exclusive: true });
    try {
      const refused = await failure({ sqliteDir: dataDir, url: url!, schema, force: true });
      assert.equal(refused.code, 'target_in_use');
      assert.match(refused.code === 'target_in_use' ? refused.holder ?? '' : '', new RegExp(`^wxgate pid ${process.pid} `));
    } finally {
      await server.close();
    }
    assert.deepEqual(await pgSnapshot(client, schema), before);
  });

  test('--force empties the target and copies again; a second --force run ends the same', async () => {
    // A blob of the postgres media store: a table the source lacks is emptied too, like every table of the target.
    await client.query(`INSERT INTO ${schema}.media_blobs (blob_id, data, size, created_at) VALUES ($1, $2, 3, 0)`, ['ab'.repeat(32), Buffer.from('abc')]);
    const first = await migrateSqliteToPostgres({ sqliteDir: dataDir, url: url!, schema, force: true });
    assert.equal(first.replacedRows, report.totalRows + 3, 'the copy, the two rows the identity test added and the blob');
    assert.equal(first.tables.find((t) => t.table === 'media_blobs')?.rows, 0);
    const afterFirst = { rows: await pgSnapshot(client, schema), next: await nextIdentities(client, schema) };
    assert.deepEqual(afterFirst.rows, await sqliteSnapshot(file, client, schema));
    const second = await migrateSqliteToPostgres({ sqliteDir: dataDir, url: url!, schema, force: true });
    assert.equal(second.replacedRows, report.totalRows);
    assert.deepEqual(second.tables, first.tables);
    assert.deepEqual({ rows: await pgSnapshot(client, schema), next: await nextIdentities(client, schema) }, afterFirst);
    assert.equal(afterFirst.next['sandbox_contacts.seq'], 4);
  });

  test('a table whose count differs after the copy rolls everything back, naming the table', async () => {
    const target = freshSchemaName();
    schemas.push(target);
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    try {
      await migratePostgres(setup, target);
      // A trigger that silently drops rows: the copy "succeeds" and only the count check can notice.
      await setup.query(`CREATE FUNCTION "${target}".drop_row() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END'`);
      await setup.query(`CREATE TRIGGER drop_rows BEFORE INSERT ON "${target}".sandbox_emojis FOR EACH ROW EXECUTE FUNCTION "${target}".drop_row()`);
    } finally {
      await setup.end();
    }
    assert.deepEqual(await failure({ sqliteDir: dataDir, url: url!, schema: target }), { code: 'verify_failed', table: 'sandbox_emojis', source: 1, target: 0 });
    for (const [table, rows] of await pgSnapshot(client, target)) assert.equal(rows.rows.length, 0, `${table} was rolled back`);
  });

  test('a SQLite column PostgreSQL lacks is refused, naming the table and the column', async () => {
    const copy = tempDir('wxgate-migrate-extra-');
    copyFileSync(file, join(copy, 'wxgate.db'));
    const db = new Database(join(copy, 'wxgate.db'));
    db.exec("ALTER TABLE sandbox_people ADD COLUMN mood TEXT NOT NULL DEFAULT ''");
    db.close();
    const target = freshSchemaName();
    schemas.push(target);
    assert.deepEqual(await failure({ sqliteDir: copy, url: url!, schema: target }), { code: 'column_missing', table: 'sandbox_people', column: 'mood' });
  });

  test('100,000 events copy in seconds, with their sequence numbers', async (t) => {
    const dir = tempDir('wxgate-migrate-bulk-');
    mkdirSync(dir, { recursive: true });
    const store = new SqliteStore(join(dir, 'wxgate.db'));
    await store.apps.insert({ id: 'app-a', appKey: 'k', name: 'a', secretHash: 'h', mode: 'standard', disabled: false, createdAt: 1 });
    let n = 0;
    const ids = () => `evt-${String(++n).padStart(6, '0')}`;
    for (let batch = 0; batch < 100; batch++) {
      const guid = `g${batch % 10}`;
      await store.events.append('app-a', guid, Array.from({ length: 1_000 }, (_, i) => ({ notifyType: 1010, data: { msg_id: batch * 1_000 + i, content: `消息 ${i} 😀`, from: 'wxid_a' } })), 1_733_558_400_000 + batch, ids);
    }
    await store.close();
    const target = freshSchemaName();
    schemas.push(target);
    const bulk = await migrateSqliteToPostgres({ sqliteDir: dir, url: url!, schema: target });
    t.diagnostic(`100,000 events (+ ${bulk.totalRows - 100_000} other rows) copied and verified in ${bulk.durationMs} ms`);
    assert.equal(bulk.tables.find((x) => x.table === 'events')?.rows, 100_000);
    const last = await client.query<{ last_sn: string }>(`SELECT last_sn FROM "${target}".event_sequences WHERE guid = 'g3'`);
    assert.equal(last.rows[0]?.last_sn, '10000');
    assert.ok(bulk.durationMs < 60_000, `${bulk.durationMs} ms`);
  });
});
