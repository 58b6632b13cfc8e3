// Migration 6: relay driver: upstream mappings, callback dedup, contact/room/message mirror.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 6,
  name: 'relay driver: upstream mappings, callback dedup, contact/room/message mirror',
  sql: `
    CREATE TABLE relay_mappings (
      guid TEXT PRIMARY KEY,
      app_id TEXT NOT NULL,
      upstream_guid TEXT NOT NULL UNIQUE,
      notify_token TEXT NOT NULL UNIQUE,
      adopted INTEGER NOT NULL,
      registered_notify_url TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE relay_dedup (
      guid TEXT NOT NULL,
      key TEXT NOT NULL,
      seen_at INTEGER NOT NULL,
      PRIMARY KEY (guid, key)
    ) STRICT;
    CREATE INDEX relay_dedup_seen ON relay_dedup(seen_at);
    CREATE TABLE relay_mirror (
      guid TEXT NOT NULL,
      username TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('contact', 'room', 'openim', 'openim_room')),
      data TEXT NOT NULL,
      label_ids TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (guid, username)
    ) STRICT;
    CREATE INDEX relay_mirror_kind ON relay_mirror(guid, kind, username);
    CREATE TABLE relay_room_members (
      guid TEXT NOT NULL,
      room TEXT NOT NULL,
      username TEXT NOT NULL,
      data TEXT NOT NULL,
      PRIMARY KEY (guid, room, username)
    ) STRICT;
    CREATE TABLE relay_messages (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      guid TEXT NOT NULL,
      msg_id TEXT NOT NULL,
      direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
      from_username TEXT NOT NULL,
      to_username TEXT NOT NULL,
      msg_type INTEGER NOT NULL,
      create_time INTEGER NOT NULL,
      data TEXT NOT NULL,
      UNIQUE (guid, msg_id)
    ) STRICT;
  `,
};
