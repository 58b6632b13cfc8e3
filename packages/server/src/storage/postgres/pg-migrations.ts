// Numbered schema migrations for the PostgreSQL store, run under an advisory lock so that nodes starting together
// migrate once; append only, never edit a shipped one.
import type pg from 'pg';
import type { Migration } from '../sqlite/migrations.ts';
import { migration as v1 } from './migrations/v001-core.ts';
import { migration as v2 } from './migrations/v002-sandbox-world.ts';
import { migration as v3 } from './migrations/v003-media-blobs.ts';
import { migration as v4 } from './migrations/v004-paced-sends-cluster.ts';
import { migration as v5 } from './migrations/v005-wechaty-tokens.ts';
import { migration as v6 } from './migrations/v006-ilink-bots.ts';
import { migration as v7 } from './migrations/v007-ilink-qrcodes.ts';
import { migration as v8 } from './migrations/v008-ilink-links.ts';
import { migration as v9 } from './migrations/v009-relay-message-callbacks.ts';
import { migration as v10 } from './migrations/v010-ilink-qr-redirect.ts';
import { migration as v11 } from './migrations/v011-ilink-voices.ts';

export const PG_MIGRATIONS: readonly Migration[] = [v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11];

/** The schema wxgate's tables live in unless WXGATE_DATABASE_SCHEMA names another. */
export const DEFAULT_SCHEMA = 'wxgate';

/** A schema name is spliced into SQL (identifiers cannot be parameters), so only plain identifiers are accepted. */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Creates the schema when missing and applies the migrations it lacks; answers the versions applied now. */
export async function migratePostgres(client: pg.ClientBase, schema: string): Promise<number[]> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`database schema ${JSON.stringify(schema)} must be a lowercase identifier (a-z, 0-9, _)`);
  // Session-level, so it spans the per-migration transactions; every node starting on this schema waits here.
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [`wxgate:migrate:${schema}`]);
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`);
    const applied = new Set((await client.query(`SELECT version FROM ${schema}.schema_migrations`)).rows.map((r: { version: string | number }) => Number(r.version)));
    const now: number[] = [];
    for (const migration of PG_MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(`SET LOCAL search_path TO ${schema}`);
        await client.query(migration.sql);
        await client.query(`INSERT INTO ${schema}.schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [migration.version, migration.name, Date.now()]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
      now.push(migration.version);
    }
    return now;
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`wxgate:migrate:${schema}`]);
  }
}
