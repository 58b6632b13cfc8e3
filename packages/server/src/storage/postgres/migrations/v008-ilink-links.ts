// PostgreSQL migration 8 (SQLite's 19): the ilink driver's links to Tencent's iLink server and the last context_token
// of each conversation.
import type { Migration } from '../../sqlite/migrations.ts';

export const migration: Migration = {
  version: 8,
  name: 'ilink driver links',
  sql: `
    CREATE TABLE ilink_links (
      guid TEXT PRIMARY KEY REFERENCES instances (guid) ON DELETE CASCADE,
      bot_token TEXT NOT NULL,
      ilink_bot_id TEXT NOT NULL,
      ilink_user_id TEXT NOT NULL,
      base_url TEXT NOT NULL,
      updates_buf TEXT NOT NULL,
      created_at BIGINT NOT NULL
    );
    CREATE TABLE ilink_link_contexts (
      guid TEXT NOT NULL REFERENCES ilink_links (guid) ON DELETE CASCADE,
      peer TEXT NOT NULL,
      context_token TEXT NOT NULL,
      updated_at BIGINT NOT NULL,
      PRIMARY KEY (guid, peer)
    );
  `,
};
