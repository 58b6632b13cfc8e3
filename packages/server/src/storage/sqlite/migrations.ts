// Numbered schema migrations for the embedded SQLite store; append only, never edit a shipped one.

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'apps, instances, rate-limit locks',
    sql: `
      CREATE TABLE apps (
        id TEXT PRIMARY KEY,
        app_key TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('standard', 'raw')),
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE instances (
        guid TEXT PRIMARY KEY,
        app_id TEXT NOT NULL REFERENCES apps(id),
        run_state TEXT NOT NULL CHECK (run_state IN ('stopped', 'running')),
        login_wxid TEXT,
        client_type INTEGER NOT NULL,
        notify_url TEXT NOT NULL DEFAULT '',
        bridge TEXT NOT NULL DEFAULT '',
        proxy TEXT NOT NULL DEFAULT '',
        is_long_proxy INTEGER NOT NULL DEFAULT 0,
        is_login_proxy INTEGER NOT NULL DEFAULT 0,
        sync_history_msg INTEGER NOT NULL DEFAULT 1,
        auto_start INTEGER NOT NULL DEFAULT 1,
        payload TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX instances_by_app ON instances(app_id, created_at);
      CREATE TABLE instance_locks (
        guid TEXT PRIMARY KEY,
        locked_until INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'event outbox, delivery attempts, signing secrets, callback options',
    sql: `
      ALTER TABLE instances ADD COLUMN callback_options TEXT NOT NULL DEFAULT '{}';
      CREATE TABLE event_sequences (
        guid TEXT PRIMARY KEY,
        last_sn INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE events (
        id TEXT PRIMARY KEY,
        app_id TEXT NOT NULL,
        guid TEXT NOT NULL,
        sn INTEGER NOT NULL,
        notify_type INTEGER NOT NULL,
        data TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        filtered INTEGER NOT NULL DEFAULT 0,
        webhook_state TEXT NOT NULL CHECK (webhook_state IN ('pending', 'delivered', 'failed', 'skipped')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        UNIQUE (guid, sn)
      ) STRICT;
      CREATE INDEX events_due ON events(next_attempt_at) WHERE webhook_state = 'pending';
      CREATE INDEX events_created ON events(created_at);
      CREATE TABLE delivery_attempts (
        event_id TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        status_code INTEGER,
        error TEXT,
        response_excerpt TEXT NOT NULL,
        PRIMARY KEY (event_id, attempt)
      ) STRICT;
      CREATE TABLE signing_secrets (
        app_id TEXT NOT NULL,
        secret TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER,
        PRIMARY KEY (app_id, secret)
      ) STRICT;
      CREATE TABLE stream_cursors (
        guid TEXT NOT NULL,
        consumer TEXT NOT NULL,
        acked_sn INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (guid, consumer)
      ) STRICT;
    `,
  },
  {
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
  },
];
