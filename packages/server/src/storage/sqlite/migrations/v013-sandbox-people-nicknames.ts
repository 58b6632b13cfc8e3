// Migration 13: sandbox people found by nickname, so a new person's default nickname is chosen unused in its world
// with an index lookup instead of a scan of every person of the app.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 13,
  name: 'sandbox people by nickname',
  sql: `
    CREATE INDEX sandbox_people_nickname ON sandbox_people (app_id, nickname);
  `,
};
