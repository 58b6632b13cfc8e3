// `wxgate migrate`: copies a SQLite store (DATA_DIR/wxgate.db) table by table into a PostgreSQL schema, in one
// transaction that is verified before it commits.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DataDirInUseError, DataDirLock } from '../data-dir-lock.ts';
import { DEFAULT_SCHEMA, migratePostgres, SCHEMA_NAME } from '../postgres/pg-migrations.ts';
import { DatabaseInUseError, PostgresNodeLock } from '../postgres/pg-node-lock.ts';
import { MIGRATIONS } from '../sqlite/migrations.ts';
import { planTables, qualified, quoteIdentifier, readPgTables, readSqliteSequences, readSqliteTables, type TablePlan } from './migrate-catalog.ts';
import { advanceIdentities, copyTable, countRows, verifyCounts, type CopyProgress } from './migrate-copy.ts';
import { MigrateError } from './migrate-errors.ts';

export { MigrateError, type MigrateFailure, type MigrateFailureCode } from './migrate-errors.ts';
export type { CopyProgress } from './migrate-copy.ts';
export { DEFAULT_SCHEMA } from '../postgres/pg-migrations.ts';

/** The file SqliteStore keeps in DATA_DIR (storage/open-store.ts). */
export const SQLITE_FILE = 'wxgate.db';

export interface MigrateOptions {
  /** The SQLite store's data directory (or its wxgate.db itself). */
  readonly sqliteDir: string;
  /** postgres:// or postgresql:// */
  readonly url: string;
  /** The PostgreSQL schema to fill; created (and migrated) when missing. */
  readonly schema?: string;
  /** Empty a target that already holds wxgate rows instead of refusing. */
  readonly force?: boolean;
  /** After each batch of each table, and once before the copy starts (`copied` 0). */
  readonly onProgress?: (progress: CopyProgress) => void;
}

export interface MigrateReport {
  /** The SQLite file copied. */
  readonly source: string;
  readonly sourceVersion: number;
  readonly schema: string;
  /** Every table of the target schema, in the order filled, with the rows it now holds (= the source's). */
  readonly tables: ReadonlyArray<{ readonly table: string; readonly rows: number }>;
  readonly totalRows: number;
  /** Rows the target held before and --force removed. */
  readonly replacedRows: number;
  readonly durationMs: number;
}

/** The URL with its password replaced, for messages and reports. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

export function isPostgresUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'postgres:' || protocol === 'postgresql:';
  } catch {
    return false;
  }
}

/** The data directory and the database file a --from path names. */
export function sqliteSource(path: string): { dataDir: string; file: string } {
  const resolved = resolve(path);
  if (existsSync(resolved) && statSync(resolved).isFile()) return { dataDir: dirname(resolved), file: resolved };
  return { dataDir: resolved, file: join(resolved, SQLITE_FILE) };
}

/**
 * Takes the data directory's lock for the copy, so no wxgate starts on it meanwhile. Refuses while a wxgate runs on it.
 * Where the lock cannot be taken for another reason (a read-only copy of a data directory), the copy goes ahead: the
 * source is read in one read transaction, a consistent snapshot even of a database someone writes in WAL mode.
 */
function lockSource(dataDir: string): DataDirLock | null {
  try {
    return DataDirLock.acquire(dataDir);
  } catch (err) {
    if (err instanceof DataDirInUseError) throw new MigrateError({ code: 'source_in_use', dataDir: err.dataDir, owner: err.owner }, { cause: err });
    return null;
  }
}

function openSource(file: string): { db: Database.Database; version: number } {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new MigrateError({ code: 'source_unreadable', file, reason: (err as Error).message }, { cause: err });
  }
  try {
    const bookkeeping = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'").get();
    const version = bookkeeping ? ((db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0) : 0;
    const newest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    // An older file lacks tables or columns the PostgreSQL schema mirrors; the server brings it up to date when it opens it.
    if (version < newest) throw new MigrateError({ code: 'source_outdated', file, version, newest });
    if (version > newest) throw new MigrateError({ code: 'source_newer', file, version, newest });
    return { db, version };
  } catch (err) {
    db.close();
    if (err instanceof MigrateError) throw err;
    throw new MigrateError({ code: 'source_unreadable', file, reason: (err as Error).message }, { cause: err });
  }
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'wxgate migrate' });
  // A connection that breaks mid-copy fails the next query; without a listener the error would end the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw new MigrateError({ code: 'target_unreachable', reason: (err as Error).message }, { cause: err });
  }
  return client;
}

/**
 * Copies every table of the SQLite store in `sqliteDir` into `schema` at `url` (the migration bookkeeping aside: each
 * engine records its own). The PostgreSQL schema is migrated first; the copy itself is one transaction: a target that
 * already holds rows is refused without `force` (emptied with it), the row counts are compared table by table before
 * COMMIT, and any failure rolls everything back. Secret columns are copied sealed: the server that opens the target
 * must use the key that sealed them. Throws MigrateError for every refusal.
 */
export async function migrateSqliteToPostgres(options: MigrateOptions): Promise<MigrateReport> {
  const started = performance.now();
  const schema = options.schema ?? DEFAULT_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) throw new MigrateError({ code: 'bad_schema', schema });
  if (!isPostgresUrl(options.url)) throw new MigrateError({ code: 'bad_target' });
  const { dataDir, file } = sqliteSource(options.sqliteDir);
  if (!existsSync(file)) throw new MigrateError({ code: 'source_missing', file });

  const lock = lockSource(dataDir);
  let source: { db: Database.Database; version: number } | undefined;
  let client: pg.Client | undefined;
  let target: PostgresNodeLock | undefined;
  try {
    source = openSource(file);
    const { db } = source;
    // One read transaction over every table: the counts and the rows copied come from the same snapshot.
    db.exec('BEGIN');
    const sqliteTables = readSqliteTables(db);
    const highWater = readSqliteSequences(db);
    const sourceCounts = new Map<string, number>();
    for (const table of sqliteTables) {
      sourceCounts.set(table.name, Number((db.prepare(`SELECT count(*) AS n FROM ${quoteIdentifier(table.name)}`).get() as { n: number }).n));
    }

    client = await connect(options.url);
    target = await holdTarget(options.url, schema);
    await migratePostgres(client, schema);
    const plans = planTables(sqliteTables, await readPgTables(client, schema));
    const report = await copyInTransaction(db, client, schema, plans, sourceCounts, highWater, options);
    return { source: file, sourceVersion: source.version, schema, ...report, durationMs: Math.round(performance.now() - started) };
  } finally {
    if (source?.db.open) source.db.close();
    await client?.end().catch(() => {});
    await target?.release();
    lock?.release();
  }
}

/** Holds the target schema as a wxgate node would (pg-node-lock.ts): never copy under a server running on it. */
async function holdTarget(url: string, schema: string): Promise<PostgresNodeLock> {
  try {
    return await PostgresNodeLock.acquire(url, schema);
  } catch (err) {
    if (err instanceof DatabaseInUseError) throw new MigrateError({ code: 'target_in_use', schema, holder: err.holder }, { cause: err });
    throw new MigrateError({ code: 'target_unreachable', reason: (err as Error).message }, { cause: err });
  }
}

async function copyInTransaction(
  db: Database.Database, client: pg.Client, schema: string, plans: readonly TablePlan[], sourceCounts: ReadonlyMap<string, number>,
  highWater: ReadonlyMap<string, bigint>, options: MigrateOptions,
): Promise<Pick<MigrateReport, 'tables' | 'totalRows' | 'replacedRows'>> {
  const tables = plans.map((p) => p.table);
  await client.query('BEGIN');
  try {
    // The key migratePostgres holds while it migrates: a second copy into this schema, and a server starting on it,
    // wait here until this one has committed or rolled back rather than see it half done.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`wxgate:migrate:${schema}`]);
    const before = await countRows(client, schema, tables);
    const occupied = [...before].filter(([, rows]) => rows > 0).map(([table, rows]) => ({ table, rows }));
    if (occupied.length > 0 && !options.force) throw new MigrateError({ code: 'target_not_empty', schema, tables: occupied });
    if (occupied.length > 0) {
      await client.query(`TRUNCATE ${tables.map((t) => qualified(schema, t)).join(', ')} RESTART IDENTITY CASCADE`);
    }
    const progress = options.onProgress ?? (() => {});
    const expected = new Map<string, number>();
    for (const plan of plans) {
      const total = sourceCounts.get(plan.table) ?? 0;
      expected.set(plan.table, total);
      progress({ table: plan.table, copied: 0, total });
      await copyTable(db, client, schema, plan, total, progress);
      await advanceIdentities(client, schema, plan, highWater.get(plan.table));
    }
    await verifyCounts(client, schema, expected);
    await client.query('COMMIT');
    const copied = plans.map((p) => ({ table: p.table, rows: expected.get(p.table) ?? 0 }));
    return {
      tables: copied,
      totalRows: copied.reduce((sum, t) => sum + t.rows, 0),
      replacedRows: occupied.reduce((sum, t) => sum + t.rows, 0),
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
