// Migration 10: where each sandbox account's live delivery stopped when it logged out, so its next login syncs the rest.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 10,
  name: 'sandbox offline sync marks',
  sql: `
    CREATE TABLE sandbox_offline_marks (
      app_id TEXT NOT NULL,
      wxid TEXT NOT NULL,
      synced_seq INTEGER NOT NULL,
      PRIMARY KEY (app_id, wxid)
    ) STRICT;
  `,
};
