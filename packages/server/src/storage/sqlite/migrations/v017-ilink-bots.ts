// Migration 17: the iLink bridge's bots, per instance, their bot_token stored as a SHA-256 hash (docs/ilink.md).
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 17,
  name: 'ilink bots',
  sql: `
    CREATE TABLE ilink_bots (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL,
      guid TEXT NOT NULL REFERENCES instances (guid) ON DELETE CASCADE,
      token_hash TEXT NOT NULL UNIQUE,
      user_wxid TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX ilink_bots_by_guid ON ilink_bots (guid, created_at, id);
  `,
};
