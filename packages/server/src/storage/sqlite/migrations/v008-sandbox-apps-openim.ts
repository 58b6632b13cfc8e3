// Migration 8: sandbox third-party apps (mini-programs, OAuth apps, one-time codes, short links) and OpenIM (corporations, WeCom people, rooms).
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 8,
  name: 'sandbox third-party apps (mini-programs, OAuth apps, one-time codes, short links) and OpenIM (corporations, WeCom people, rooms)',
  sql: `
    CREATE TABLE sandbox_thirdparty_apps (
      app_id TEXT NOT NULL,
      appid TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('mini_program', 'oauth')),
      name TEXT NOT NULL,
      icon_url TEXT NOT NULL,
      pages TEXT NOT NULL,
      redirect_uri TEXT NOT NULL,
      scopes TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, appid)
    ) STRICT;
    CREATE TABLE sandbox_thirdparty_codes (
      app_id TEXT NOT NULL,
      code TEXT NOT NULL,
      appid TEXT NOT NULL,
      wxid TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('js_login', 'oauth')),
      scope TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      redeemed INTEGER NOT NULL,
      PRIMARY KEY (app_id, code)
    ) STRICT;
    CREATE TABLE sandbox_wxa_short_links (
      app_id TEXT NOT NULL,
      token TEXT NOT NULL,
      appid TEXT NOT NULL,
      path TEXT NOT NULL,
      title TEXT NOT NULL,
      created_by TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, token)
    ) STRICT;
    CREATE TABLE sandbox_corporations (
      app_id TEXT NOT NULL,
      corp_id TEXT NOT NULL,
      name TEXT NOT NULL,
      full_name TEXT NOT NULL,
      openim_appid TEXT NOT NULL,
      wording_id TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, corp_id)
    ) STRICT;
    CREATE TABLE sandbox_wecom_profiles (
      app_id TEXT NOT NULL,
      username TEXT NOT NULL,
      corp_id TEXT NOT NULL,
      real_name TEXT NOT NULL,
      position TEXT NOT NULL,
      qr_token TEXT NOT NULL,
      card_blocked INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, username),
      UNIQUE (app_id, qr_token)
    ) STRICT;
    CREATE TABLE sandbox_openim_mutes (
      app_id TEXT NOT NULL,
      owner_wxid TEXT NOT NULL,
      username TEXT NOT NULL,
      PRIMARY KEY (app_id, owner_wxid, username)
    ) STRICT;
    CREATE TABLE sandbox_openim_rooms (
      app_id TEXT NOT NULL,
      room_username TEXT NOT NULL,
      name TEXT NOT NULL,
      owner_username TEXT NOT NULL,
      version INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, room_username)
    ) STRICT;
    CREATE TABLE sandbox_openim_room_members (
      app_id TEXT NOT NULL,
      room_username TEXT NOT NULL,
      username TEXT NOT NULL,
      joined_at INTEGER NOT NULL,
      PRIMARY KEY (app_id, room_username, username)
    ) STRICT;
  `,
};
