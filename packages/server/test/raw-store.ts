// Plain SQL on the tables of the store a harness uses (SQLite file, or its PostgreSQL schema), past wxgate's code: for
// tests that check what is really stored, e.g. that secrets are encrypted at rest.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { postgresSchemaFor, TEST_DATABASE_URL } from './postgres.ts';

export interface RawStore {
  /** Runs `sql` (`?` placeholders); SELECTs answer their rows. */
  all(sql: string, ...params: unknown[]): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

export async function rawStore(dataDir: string): Promise<RawStore> {
  if (!TEST_DATABASE_URL) {
    const db = new Database(join(dataDir, 'wxgate.db'));
    return {
      all: async (sql, ...params) => (/^\s*SELECT/i.test(sql) ? db.prepare(sql).all(...params) as Array<Record<string, unknown>> : (db.prepare(sql).run(...params), [])),
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${postgresSchemaFor(dataDir)}` });
  await client.connect();
  return {
    all: async (sql, ...params) => {
      let n = 0;
      return (await client.query(sql.replace(/\?/g, () => `$${++n}`), params)).rows;
    },
    close: () => client.end(),
  };
}
