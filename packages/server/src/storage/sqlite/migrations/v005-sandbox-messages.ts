// Migration 5: sandbox messages: archive, read marks, emoji store, send restrictions; pending events by instance.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 5,
  name: 'sandbox messages: archive, read marks, emoji store, send restrictions; pending events by instance',
  sql: `
    -- A webhook lane reads an instance's pending events in sn order; without this it walks every delivered event
    -- of the instance first, which a long conversation makes quadratic.
    CREATE INDEX events_pending_by_guid ON events(guid, sn) WHERE webhook_state = 'pending';
    CREATE TABLE sandbox_messages (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      app_id TEXT NOT NULL,
      msg_id TEXT NOT NULL,
      local_id INTEGER NOT NULL,
      client_msg_id INTEGER NOT NULL,
      session TEXT NOT NULL,
      from_wxid TEXT NOT NULL,
      to_username TEXT NOT NULL,
      chatroom TEXT NOT NULL,
      msg_type INTEGER NOT NULL,
      app_type INTEGER NOT NULL,
      content TEXT NOT NULL,
      source TEXT NOT NULL,
      push_desc TEXT NOT NULL,
      refers_to TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      revoked_at INTEGER,
      UNIQUE (app_id, msg_id)
    ) STRICT;
    CREATE INDEX sandbox_messages_session ON sandbox_messages(app_id, session, seq);
    CREATE INDEX sandbox_messages_from ON sandbox_messages(app_id, from_wxid, seq);
    CREATE INDEX sandbox_messages_to ON sandbox_messages(app_id, to_username, seq);
    CREATE TABLE sandbox_read_marks (
      app_id TEXT NOT NULL,
      owner_wxid TEXT NOT NULL,
      session TEXT NOT NULL,
      read_seq INTEGER NOT NULL,
      PRIMARY KEY (app_id, owner_wxid, session)
    ) STRICT;
    CREATE TABLE sandbox_emojis (
      app_id TEXT NOT NULL,
      md5 TEXT NOT NULL,
      size INTEGER NOT NULL,
      cdn_url TEXT NOT NULL,
      aes_key TEXT NOT NULL,
      extern_url TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, md5)
    ) STRICT;
    CREATE TABLE sandbox_send_restrictions (
      app_id TEXT NOT NULL,
      wxid TEXT NOT NULL,
      until INTEGER NOT NULL,
      PRIMARY KEY (app_id, wxid)
    ) STRICT;
  `,
};
