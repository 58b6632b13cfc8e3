// Migration 4: sandbox rooms, labels, moments, device logins.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 4,
  name: 'sandbox rooms, labels, moments, device logins',
  sql: `
    CREATE TABLE sandbox_rooms (
      app_id TEXT NOT NULL,
      room_id TEXT NOT NULL,
      name TEXT NOT NULL,
      owner_wxid TEXT NOT NULL,
      announcement TEXT NOT NULL,
      announcement_editor TEXT NOT NULL,
      announcement_at INTEGER NOT NULL,
      version INTEGER NOT NULL,
      info_version INTEGER NOT NULL,
      qrcode_issued_at INTEGER,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, room_id)
    ) STRICT;
    CREATE TABLE sandbox_room_members (
      app_id TEXT NOT NULL,
      room_id TEXT NOT NULL,
      wxid TEXT NOT NULL,
      display_name TEXT NOT NULL,
      inviter_wxid TEXT NOT NULL,
      admin INTEGER NOT NULL,
      show_names INTEGER NOT NULL,
      folded INTEGER NOT NULL,
      muted INTEGER NOT NULL,
      pinned INTEGER NOT NULL,
      joined_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, room_id, wxid)
    ) STRICT;
    CREATE INDEX sandbox_room_members_of ON sandbox_room_members(app_id, wxid);
    CREATE TABLE sandbox_saved_rooms (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      app_id TEXT NOT NULL,
      wxid TEXT NOT NULL,
      room_id TEXT NOT NULL,
      UNIQUE (app_id, wxid, room_id)
    ) STRICT;
    CREATE INDEX sandbox_saved_rooms_page ON sandbox_saved_rooms(app_id, wxid, seq);
    CREATE TABLE sandbox_room_invites (
      app_id TEXT NOT NULL,
      room_id TEXT NOT NULL,
      invitee_wxid TEXT NOT NULL,
      inviter_wxid TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, room_id, invitee_wxid)
    ) STRICT;
    CREATE TABLE sandbox_room_top_msgs (
      app_id TEXT NOT NULL,
      room_id TEXT NOT NULL,
      msg_id TEXT NOT NULL,
      summary TEXT NOT NULL,
      msg_info TEXT NOT NULL,
      operator_wxid TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, room_id, msg_id)
    ) STRICT;
    CREATE TABLE sandbox_labels (
      app_id TEXT NOT NULL,
      owner_wxid TEXT NOT NULL,
      label_id INTEGER NOT NULL,
      name TEXT NOT NULL,
      deleted INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (app_id, owner_wxid, label_id)
    ) STRICT;
    CREATE UNIQUE INDEX sandbox_labels_name ON sandbox_labels(app_id, owner_wxid, name) WHERE deleted = 0;
    CREATE TABLE sandbox_contact_labels (
      app_id TEXT NOT NULL,
      owner_wxid TEXT NOT NULL,
      contact_wxid TEXT NOT NULL,
      label_id INTEGER NOT NULL,
      PRIMARY KEY (app_id, owner_wxid, contact_wxid, label_id)
    ) STRICT;
    CREATE INDEX sandbox_contact_labels_by_label ON sandbox_contact_labels(app_id, owner_wxid, label_id);
    CREATE TABLE sandbox_moments (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      app_id TEXT NOT NULL,
      object_id TEXT NOT NULL,
      author_wxid TEXT NOT NULL,
      object_desc TEXT NOT NULL,
      with_wxids TEXT NOT NULL,
      allowed_wxids TEXT,
      blocked_wxids TEXT NOT NULL,
      last_comment_id INTEGER NOT NULL DEFAULT 0,
      deleted INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      UNIQUE (app_id, object_id)
    ) STRICT;
    CREATE INDEX sandbox_moments_by_author ON sandbox_moments(app_id, author_wxid, seq);
    CREATE TABLE sandbox_moment_comments (
      app_id TEXT NOT NULL,
      moment_seq INTEGER NOT NULL,
      comment_id INTEGER NOT NULL,
      author_wxid TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('like', 'comment')),
      content TEXT NOT NULL,
      reply_comment_id INTEGER NOT NULL,
      reply_wxid TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (moment_seq, comment_id)
    ) STRICT;
    CREATE UNIQUE INDEX sandbox_moment_likes ON sandbox_moment_comments(moment_seq, author_wxid) WHERE kind = 'like';
    CREATE TABLE sandbox_device_logins (
      app_id TEXT NOT NULL,
      guid TEXT NOT NULL,
      wxid TEXT NOT NULL,
      first_login_at INTEGER NOT NULL,
      PRIMARY KEY (guid, wxid)
    ) STRICT;
  `,
};
