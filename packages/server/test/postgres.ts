// Test support for the PostgreSQL store: the database tests run against (WXGATE_TEST_DATABASE_URL, or skipped with the
// reason), and a fresh schema per store, dropped when the test is done.
import { createHash, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import pg from 'pg';
import type { Store } from '../src/storage/ports.ts';
import { PostgresStore, type PostgresStoreOptions } from '../src/storage/postgres/pg-store.ts';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.ts';

/** The server the Postgres tests use; unset, they skip. */
export const TEST_DATABASE_URL = process.env.WXGATE_TEST_DATABASE_URL || undefined;

export const POSTGRES_SKIP_REASON =
  'no PostgreSQL: set WXGATE_TEST_DATABASE_URL, or run `npm run test:pg` (starts a throwaway cluster; needs Debian postgresql)';

/** A schema name no other test uses. */
export const freshSchemaName = () => `wxg_test_${randomBytes(6).toString('hex')}`;

/** Drops a test's schema and everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** A Postgres store on `schema` of the test server, and how to throw it away (close, then drop the schema). */
async function storeOnSchema(url: string, schema: string, options: Omit<PostgresStoreOptions, 'schema'> = {}) {
  const store = await PostgresStore.open(url, { ...options, schema, poolSize: options.poolSize ?? 4 });
  return {
    store,
    close: async () => {
      await store.close();
      await dropSchema(url, schema);
    },
  };
}

/** A Postgres store on a fresh schema of the test server, and how to throw it away. */
export const freshPostgresStore = (url: string, options: Omit<PostgresStoreOptions, 'schema'> = {}) => storeOnSchema(url, freshSchemaName(), options);

/**
 * With a test database, where a server on `dataDir` keeps its data: a schema named after the directory, so a restart on
 * the same directory (a crash test, `harness.restart()`) finds its data again. Without one: nothing (SQLite in dataDir).
 */
export function postgresSchemaFor(dataDir: string): string {
  return `wxg_dd_${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16)}`;
}

/** The environment that puts a spawned server on `dataDir` onto the test database (empty without one). */
export function postgresEnvFor(dataDir: string): Record<string, string> {
  return TEST_DATABASE_URL ? { WXGATE_DATABASE_URL: TEST_DATABASE_URL, WXGATE_DATABASE_SCHEMA: postgresSchemaFor(dataDir) } : {};
}

/** The same as configuration overrides, for servers built in-process. */
export function postgresConfigFor(dataDir: string): { databaseUrl?: string; databaseSchema?: string } {
  return TEST_DATABASE_URL ? { databaseUrl: TEST_DATABASE_URL, databaseSchema: postgresSchemaFor(dataDir) } : {};
}

/** Drops the schema of a server on `dataDir` once its test is done (nothing without a test database). */
export async function dropSchemaFor(dataDir: string): Promise<void> {
  if (TEST_DATABASE_URL) await dropSchema(TEST_DATABASE_URL, postgresSchemaFor(dataDir));
}

/**
 * The store a driver test runs on: SQLite in `file`, or with a test database a Postgres schema named after `file`;
 * `close` closes it (and drops that schema).
 */
export async function openTestStore(file: string): Promise<{ store: Store; close: () => Promise<void> }> {
  if (TEST_DATABASE_URL) return storeOnSchema(TEST_DATABASE_URL, postgresSchemaFor(file));
  const store = new SqliteStore(file);
  return { store, close: () => store.close() };
}
