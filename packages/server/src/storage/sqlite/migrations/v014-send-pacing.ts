// Migration 14: send pacing — per-instance settings, the queue of paced sends, the log the caps count, device logins.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 14,
  name: 'send pacing',
  sql: `
    CREATE TABLE send_pacing (
      guid TEXT PRIMARY KEY,
      settings TEXT NOT NULL
    ) STRICT;
    CREATE TABLE send_pacing_devices (
      guid TEXT PRIMARY KEY,
      wxid TEXT NOT NULL,
      first_login_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE paced_sends (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      queue_id TEXT NOT NULL UNIQUE,
      app_id TEXT NOT NULL,
      guid TEXT NOT NULL,
      path TEXT NOT NULL,
      request TEXT NOT NULL,
      recipient TEXT NOT NULL,
      enqueued_at INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('queued', 'sending'))
    ) STRICT;
    CREATE TABLE paced_send_log (
      guid TEXT NOT NULL,
      at INTEGER NOT NULL,
      recipient TEXT NOT NULL
    ) STRICT;
    CREATE INDEX paced_send_log_by_guid ON paced_send_log (guid, at);
  `,
};
