// Migration 18: pending iLink bot QR codes in the store (docs/ilink.md), so a restart keeps them and any node answers.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 18,
  name: 'ilink qrcodes',
  sql: `
    CREATE TABLE ilink_qrcodes (
      code_hash TEXT PRIMARY KEY,
      created_at INTEGER NOT NULL,
      status TEXT NOT NULL,
      reported TEXT,
      app_id TEXT,
      guid TEXT REFERENCES instances (guid) ON DELETE CASCADE,
      bot_id TEXT,
      token_nonce TEXT,
      verify_code_hash TEXT,
      verify_failures INTEGER NOT NULL DEFAULT 0,
      presented_bot_ids TEXT NOT NULL DEFAULT '[]'
    ) STRICT;
    CREATE INDEX ilink_qrcodes_by_age ON ilink_qrcodes (created_at);
    CREATE INDEX ilink_qrcodes_by_guid ON ilink_qrcodes (guid);
  `,
};
