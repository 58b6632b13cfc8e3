// PostgreSQL migration 4 (SQLite's 15): paced sends any node of a cluster can run — blocking sends stored too (with
// the node whose caller waits), and the outcomes of blocking sends finished on another node, kept until taken.
import type { Migration } from '../../sqlite/migrations.ts';

export const migration: Migration = {
  version: 4,
  name: 'paced sends of a cluster',
  sql: `
    ALTER TABLE paced_sends ADD COLUMN answer TEXT NOT NULL DEFAULT 'queued' CHECK (answer IN ('queued', 'blocking'));
    ALTER TABLE paced_sends ADD COLUMN waiter TEXT;
    CREATE INDEX paced_sends_by_guid ON paced_sends (guid, seq);
    CREATE TABLE paced_send_outcomes (
      queue_id TEXT PRIMARY KEY,
      guid TEXT NOT NULL,
      outcome TEXT NOT NULL,
      finished_at BIGINT NOT NULL
    );
    CREATE INDEX paced_send_outcomes_by_time ON paced_send_outcomes (finished_at);
  `,
};
