// Migration 3: sandbox world: people, contacts, stranger tickets, friend requests, login sessions.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 3,
  name: 'sandbox world: people, contacts, stranger tickets, friend requests, login sessions',
  sql: `
    CREATE TABLE sandbox_people (
      app_id TEXT NOT NULL,
      wxid TEXT NOT NULL,
      alias TEXT NOT NULL,
      nickname TEXT NOT NULL,
      sex INTEGER NOT NULL,
      signature TEXT NOT NULL,
      country TEXT NOT NULL,
      province TEXT NOT NULL,
      city TEXT NOT NULL,
      phone TEXT NOT NULL,
      qq TEXT NOT NULL,
      big_head_img_url TEXT NOT NULL,
      small_head_img_url TEXT NOT NULL,
      needs_verification INTEGER NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('account', 'simulated')),
      created_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, wxid)
    ) STRICT;
    CREATE INDEX sandbox_people_created ON sandbox_people(app_id, created_at);
    CREATE UNIQUE INDEX sandbox_people_alias ON sandbox_people(app_id, alias) WHERE alias != '';
    CREATE UNIQUE INDEX sandbox_people_phone ON sandbox_people(app_id, phone) WHERE phone != '';
    CREATE UNIQUE INDEX sandbox_people_qq ON sandbox_people(app_id, qq) WHERE qq != '';
    CREATE TABLE sandbox_contacts (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      app_id TEXT NOT NULL,
      owner_wxid TEXT NOT NULL,
      contact_wxid TEXT NOT NULL,
      remark TEXT NOT NULL,
      pinned INTEGER NOT NULL,
      add_scene INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      UNIQUE (app_id, owner_wxid, contact_wxid)
    ) STRICT;
    CREATE INDEX sandbox_contacts_page ON sandbox_contacts(app_id, owner_wxid, seq);
    CREATE TABLE sandbox_stranger_tickets (
      app_id TEXT NOT NULL,
      viewer_wxid TEXT NOT NULL,
      target_wxid TEXT NOT NULL,
      encrypt_username TEXT NOT NULL,
      ticket TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, viewer_wxid, target_wxid),
      UNIQUE (app_id, viewer_wxid, encrypt_username)
    ) STRICT;
    CREATE TABLE sandbox_friend_requests (
      app_id TEXT NOT NULL,
      from_wxid TEXT NOT NULL,
      to_wxid TEXT NOT NULL,
      encrypt_username TEXT NOT NULL,
      ticket TEXT NOT NULL,
      verify_content TEXT NOT NULL,
      scene INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('pending', 'accepted')),
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, from_wxid, to_wxid)
    ) STRICT;
    CREATE TABLE sandbox_login_sessions (
      guid TEXT PRIMARY KEY,
      app_id TEXT NOT NULL,
      attempt TEXT,
      last_wxid TEXT,
      sync_failed INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX sandbox_login_sessions_app ON sandbox_login_sessions(app_id);
  `,
};
