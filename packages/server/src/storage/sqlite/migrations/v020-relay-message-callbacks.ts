// Migration 20: a relayed message remembers whether its callback was taken in, so the message row is the callbacks'
// dedup record for messages (relay_dedup keeps the keys of other events).
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 20,
  name: 'relay messages remember their callback',
  sql: `
    ALTER TABLE relay_messages ADD COLUMN called_back INTEGER NOT NULL DEFAULT 0;
    UPDATE relay_messages SET called_back = 1
      WHERE EXISTS (SELECT 1 FROM relay_dedup d WHERE d.guid = relay_messages.guid AND d.key = 'msg:' || relay_messages.msg_id);
    DELETE FROM relay_dedup WHERE key LIKE 'msg:%';
  `,
};
