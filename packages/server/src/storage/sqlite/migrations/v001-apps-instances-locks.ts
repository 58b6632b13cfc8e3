// Migration 1: apps, instances, rate-limit locks.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 1,
  name: 'apps, instances, rate-limit locks',
  sql: `
    CREATE TABLE apps (
      id TEXT PRIMARY KEY,
      app_key TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      secret_hash TEXT NOT NULL,
      mode TEXT NOT NULL CHECK (mode IN ('standard', 'raw')),
      disabled INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE instances (
      guid TEXT PRIMARY KEY,
      app_id TEXT NOT NULL REFERENCES apps(id),
      run_state TEXT NOT NULL CHECK (run_state IN ('stopped', 'running')),
      login_wxid TEXT,
      client_type INTEGER NOT NULL,
      notify_url TEXT NOT NULL DEFAULT '',
      bridge TEXT NOT NULL DEFAULT '',
      proxy TEXT NOT NULL DEFAULT '',
      is_long_proxy INTEGER NOT NULL DEFAULT 0,
      is_login_proxy INTEGER NOT NULL DEFAULT 0,
      sync_history_msg INTEGER NOT NULL DEFAULT 1,
      auto_start INTEGER NOT NULL DEFAULT 1,
      payload TEXT NOT NULL DEFAULT '',
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX instances_by_app ON instances(app_id, created_at);
    CREATE TABLE instance_locks (
      guid TEXT PRIMARY KEY,
      locked_until INTEGER NOT NULL
    ) STRICT;
  `,
};
