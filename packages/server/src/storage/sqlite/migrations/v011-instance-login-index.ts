// Migration 11: instances found by the account logged in on them, so delivering a message or confirming a login costs
// the same with 10 or 10,000 instances in an app.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 11,
  name: 'instances by logged-in account',
  sql: `
    CREATE INDEX instances_by_login ON instances (app_id, login_wxid) WHERE login_wxid IS NOT NULL;
  `,
};
