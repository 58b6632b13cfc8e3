// PostgreSQL migration 5 (SQLite's 16): the Wechaty bridge's tokens, per instance, stored as SHA-256 hashes.
import type { Migration } from '../../sqlite/migrations.ts';

export const migration: Migration = {
  version: 5,
  name: 'wechaty tokens',
  sql: `
    CREATE TABLE wechaty_tokens (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL,
      guid TEXT NOT NULL REFERENCES instances (guid) ON DELETE CASCADE,
      token_hash TEXT NOT NULL UNIQUE,
      created_at BIGINT NOT NULL
    );
    CREATE INDEX wechaty_tokens_by_guid ON wechaty_tokens (guid, created_at, id);
  `,
};
