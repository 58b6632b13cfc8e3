// Migration 12: the rate limit's calls still inside the window, so a restart (or a crash) does not reset the count.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 12,
  name: 'rate-limit calls in the window',
  sql: `
    CREATE TABLE quota_calls (
      guid TEXT NOT NULL,
      at INTEGER NOT NULL,
      calls INTEGER NOT NULL,
      PRIMARY KEY (guid, at)
    ) STRICT, WITHOUT ROWID;
  `,
};
