// Migration 22: the ilink driver's voices by message id (download_voice's index), kept as long as the instance.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 22,
  name: 'ilink driver voices',
  sql: `
    CREATE TABLE ilink_voices (
      guid TEXT NOT NULL REFERENCES instances (guid) ON DELETE CASCADE,
      msg_id TEXT NOT NULL,
      file_id TEXT NOT NULL,
      aes_key TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (guid, msg_id)
    ) STRICT, WITHOUT ROWID;
  `,
};
