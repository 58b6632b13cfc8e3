// Migration 2: event outbox, delivery attempts, signing secrets, callback options.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 2,
  name: 'event outbox, delivery attempts, signing secrets, callback options',
  sql: `
    ALTER TABLE instances ADD COLUMN callback_options TEXT NOT NULL DEFAULT '{}';
    CREATE TABLE event_sequences (
      guid TEXT PRIMARY KEY,
      last_sn INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE events (
      id TEXT PRIMARY KEY,
      app_id TEXT NOT NULL,
      guid TEXT NOT NULL,
      sn INTEGER NOT NULL,
      notify_type INTEGER NOT NULL,
      data TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      filtered INTEGER NOT NULL DEFAULT 0,
      webhook_state TEXT NOT NULL CHECK (webhook_state IN ('pending', 'delivered', 'failed', 'skipped')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER,
      UNIQUE (guid, sn)
    ) STRICT;
    CREATE INDEX events_due ON events(next_attempt_at) WHERE webhook_state = 'pending';
    CREATE INDEX events_created ON events(created_at);
    CREATE TABLE delivery_attempts (
      event_id TEXT NOT NULL,
      attempt INTEGER NOT NULL,
      started_at INTEGER NOT NULL,
      duration_ms INTEGER NOT NULL,
      status_code INTEGER,
      error TEXT,
      response_excerpt TEXT NOT NULL,
      PRIMARY KEY (event_id, attempt)
    ) STRICT;
    CREATE TABLE signing_secrets (
      app_id TEXT NOT NULL,
      secret TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER,
      PRIMARY KEY (app_id, secret)
    ) STRICT;
    CREATE TABLE stream_cursors (
      guid TEXT NOT NULL,
      consumer TEXT NOT NULL,
      acked_sn INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (guid, consumer)
    ) STRICT;
  `,
};
