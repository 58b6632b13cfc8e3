// Migration 16: the Wechaty bridge's tokens, per instance, stored as SHA-256 hashes (docs/wechaty.md).
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 16,
  name: 'wechaty tokens',
  sql: `
    CREATE TABLE wechaty_tokens (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL,
      guid TEXT NOT NULL REFERENCES instances (guid) ON DELETE CASCADE,
      token_hash TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX wechaty_tokens_by_guid ON wechaty_tokens (guid, created_at, id);
  `,
};
