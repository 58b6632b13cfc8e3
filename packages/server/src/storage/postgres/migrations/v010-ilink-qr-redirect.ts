// PostgreSQL migration 10 (SQLite's 21): where a bot QR code's status poll continues (scaned_but_redirect's
// redirect_host; docs/ilink.md).
import type { Migration } from '../../sqlite/migrations.ts';

export const migration: Migration = {
  version: 10,
  name: 'ilink qr redirect host',
  sql: `
    ALTER TABLE ilink_qrcodes ADD COLUMN redirect_host TEXT;
  `,
};
