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
  {
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
  },
  {
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
  },
  {
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
  },
  {
    version: 7,
    name: 'media: CDN object index (file_id + rendition → encrypted blob, key verifier, md5, crc) and media secrets',
    sql: `
      CREATE TABLE cdn_objects (
        file_id TEXT NOT NULL,
        rendition TEXT NOT NULL CHECK (rendition IN ('original', 'mid', 'thumb', 'main')),
        app_id TEXT NOT NULL,
        owner_guid TEXT,
        media_kind TEXT NOT NULL,
        blob_id TEXT NOT NULL,
        key_verifier TEXT NOT NULL,
        md5 TEXT NOT NULL,
        size INTEGER NOT NULL,
        cipher_size INTEGER NOT NULL,
        crc32 INTEGER NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (file_id, rendition)
      ) STRICT;
      CREATE INDEX cdn_objects_blob ON cdn_objects(blob_id);
      CREATE TABLE media_secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
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
  },
];
