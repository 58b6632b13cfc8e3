// The embedded default store: SQLite (WAL) through better-sqlite3, implementing the storage port.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import {
  type AppRepository, type EventRepository, type InstancePatch, type InstanceRepository,
  type CallTally, type CdnObjectRepository, type VoiceTranscriptionRepository, type SendPacingRepository, type QuotaRepository, type RelayRepository, type SandboxWorldRepository, type SecretSealer, type SigningSecretRepository, type Store, type Transaction,
} from '../ports.ts';
import { MIGRATIONS } from './migrations.ts';
import { sqliteEvents, sqliteSigningSecrets } from './sqlite-events.ts';
import { sqliteMedia } from './sqlite-media.ts';
import { sqliteRelay } from './sqlite-relay.ts';
import { appFromRow, instanceFromRow } from '../rows/core-rows.ts';
import { secretContext, SecretColumns } from '../secret-columns.ts';
import { runAfterCommitHooks } from '../transaction-hooks.ts';
import { resealSecrets } from './sqlite-secrets.ts';
import { sqliteVoice } from './sqlite-voice.ts';
import { sqliteSendPacing } from './sqlite-send-pacing.ts';
import { sqliteWechatyTokens } from './sqlite-wechaty.ts';
import type { WechatyTokenRepository } from '../wechaty-ports.ts';
import { sqliteIlinkBots } from './sqlite-ilink.ts';
import { sqliteIlinkQrCodes } from './sqlite-ilink-qr.ts';
import type { IlinkBotRepository, IlinkQrRepository } from '../ilink-ports.ts';
import { sqliteIlinkLinks } from './sqlite-ilink-links.ts';
import type { IlinkLinkRepository } from '../ilink-link-ports.ts';
import { sqliteSandbox } from './sandbox/sqlite-sandbox.ts';

type Db = Database.Database;
type Row = Record<string, unknown>;

function migrate(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT');
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((r) => r.version as number));
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(migration.version, migration.name, Date.now());
    })();
  }
}

/** Instance fields ↔ columns; booleans become 0/1. */
const INSTANCE_COLUMNS: Record<keyof InstancePatch, string> = {
  runState: 'run_state', loginWxid: 'login_wxid', clientType: 'client_type', notifyUrl: 'notify_url', bridge: 'bridge',
  proxy: 'proxy', isLongProxy: 'is_long_proxy', isLoginProxy: 'is_login_proxy', syncHistoryMsg: 'sync_history_msg',
  autoStart: 'auto_start', payload: 'payload', callbackOptions: 'callback_options',
};
const APP_COLUMNS = { name: 'name', secretHash: 'secret_hash', mode: 'mode', disabled: 'disabled' } as const;

const toSql = (value: unknown): unknown =>
  typeof value === 'boolean' ? (value ? 1 : 0) : value !== null && typeof value === 'object' ? JSON.stringify(value) : value;

function updateSql(table: string, key: string, columns: Record<string, string>, patch: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const column = columns[field];
    if (!column) throw new Error(`unknown field ${field} for ${table}`);
    sets.push(`${column} = ?`);
    values.push(toSql(value));
  }
  for (const [column, value] of Object.entries(extra)) {
    sets.push(`${column} = ?`);
    values.push(value);
  }
  return { sql: `UPDATE ${table} SET ${sets.join(', ')} WHERE ${key} = ?`, values, empty: sets.length === 0 };
}

/** The repositories over one connection; the store guards them so no write slips into someone else's transaction. */
/** The instance an account is logged in on: by the login index (migration 11), whatever the app's size. */
export const INSTANCE_BY_LOGIN_SQL = 'SELECT guid, created_at FROM instances WHERE app_id = ? AND login_wxid = ?';
export const instancesByLoginsSql = (count: number) =>
  `SELECT login_wxid, guid, created_at FROM instances WHERE app_id = ? AND login_wxid IN (${Array.from({ length: count }, () => '?').join(',')})`;

class Repositories {
  readonly apps: AppRepository;
  readonly instances: InstanceRepository;
  readonly quota: QuotaRepository;
  readonly events: EventRepository;
  readonly signingSecrets: SigningSecretRepository;
  readonly sandbox: SandboxWorldRepository;
  readonly relay: RelayRepository;
  readonly media: CdnObjectRepository;
  readonly voice: VoiceTranscriptionRepository;
  readonly sendPacing: SendPacingRepository;
  readonly wechatyTokens: WechatyTokenRepository;
  readonly ilinkBots: IlinkBotRepository;
  readonly ilinkQrCodes: IlinkQrRepository;
  readonly ilinkLinks: IlinkLinkRepository;

  /** `busy()` answers what to wait for while another transaction holds the connection, or null when free. */
  constructor(db: Db, busy: () => Promise<void> | null, secrets: SecretColumns) {
    const stmt = new Map<string, Database.Statement>();
    const prepared = (sql: string) => {
      let s = stmt.get(sql);
      if (!s) stmt.set(sql, (s = db.prepare(sql)));
      return s;
    };
    const run = async <T>(fn: () => T): Promise<T> => {
      // Check and run in the same microtask, so no transaction can begin in between.
      for (let wait = busy(); wait; wait = busy()) await wait;
      return fn();
    };
    this.apps = {
      insert: (a) => run(() => {
        prepared('INSERT INTO apps (id, app_key, name, secret_hash, mode, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(a.id, a.appKey, a.name, a.secretHash, a.mode, a.disabled ? 1 : 0, a.createdAt);
      }),
      findByKey: (appKey) => run(() => {
        const row = prepared('SELECT * FROM apps WHERE app_key = ?').get(appKey) as Row | undefined;
        return row && appFromRow(row);
      }),
      findById: (id) => run(() => {
        const row = prepared('SELECT * FROM apps WHERE id = ?').get(id) as Row | undefined;
        return row && appFromRow(row);
      }),
      list: () => run(() => (prepared('SELECT * FROM apps ORDER BY created_at, id').all() as Row[]).map(appFromRow)),
      update: (id, patch) => run(() => {
        const u = updateSql('apps', 'id', APP_COLUMNS, patch);
        if (!u.empty) prepared(u.sql).run(...u.values, id);
      }),
    };
    this.instances = {
      insert: (i) => run(() => {
        prepared(`INSERT INTO instances (guid, app_id, run_state, login_wxid, client_type, notify_url, bridge, proxy, is_long_proxy,
          is_login_proxy, sync_history_msg, auto_start, payload, callback_options, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
          .run(i.guid, i.appId, i.runState, i.loginWxid, i.clientType, i.notifyUrl, i.bridge, secrets.seal(i.proxy, secretContext.proxy(i.guid)), toSql(i.isLongProxy),
            toSql(i.isLoginProxy), toSql(i.syncHistoryMsg), toSql(i.autoStart), i.payload, toSql(i.callbackOptions), i.createdAt, i.updatedAt);
      }),
      get: (guid) => run(() => {
        const row = prepared('SELECT * FROM instances WHERE guid = ?').get(guid) as Row | undefined;
        return row && instanceFromRow(row, secrets);
      }),
      listByApp: (appId) => run(() =>
        (prepared('SELECT * FROM instances WHERE app_id = ? ORDER BY created_at, guid').all(appId) as Row[]).map((r) => instanceFromRow(r, secrets))),
      listAll: () => run(() => (prepared('SELECT * FROM instances ORDER BY created_at, guid').all() as Row[]).map((r) => instanceFromRow(r, secrets))),
      // No ORDER BY in SQL: with one, SQLite walks instances_by_app (every instance of the app) instead of the login
      // index. An account is logged in on one instance; should two rows ever name it, the oldest wins, picked here.
      findByLogin: (appId, wxid) => run(() => {
        const rows = prepared(INSTANCE_BY_LOGIN_SQL).all(appId, wxid) as Row[];
        return rows.reduce<Row | undefined>((oldest, r) => (!oldest || (r.created_at as number) < (oldest.created_at as number) ? r : oldest), undefined)?.guid as string | undefined;
      }),
      findByLogins: (appId, wxids) => run(() => {
        const found = new Map<string, { guid: string; createdAt: number }>();
        // In chunks under SQLite's bound-parameter limit; a room has at most 500 members.
        for (let i = 0; i < wxids.length; i += 500) {
          const chunk = wxids.slice(i, i + 500);
          const rows = prepared(instancesByLoginsSql(chunk.length)).all(appId, ...chunk) as Row[];
          for (const row of rows) {
            const seen = found.get(row.login_wxid as string);
            if (!seen || (row.created_at as number) < seen.createdAt) found.set(row.login_wxid as string, { guid: row.guid as string, createdAt: row.created_at as number });
          }
        }
        return new Map([...found].map(([wxid, { guid }]) => [wxid, guid]));
      }),
      countByApp: (appId) => run(() => (prepared('SELECT count(*) AS n FROM instances WHERE app_id = ?').get(appId) as Row).n as number),
      update: (guid, patch, now) => run(() => {
        const sealed = patch.proxy === undefined ? patch : { ...patch, proxy: secrets.seal(patch.proxy, secretContext.proxy(guid)) };
        const u = updateSql('instances', 'guid', INSTANCE_COLUMNS, sealed, { updated_at: now });
        prepared(u.sql).run(...u.values, guid);
      }),
      delete: (guid) => run(() => {
        prepared('DELETE FROM instance_locks WHERE guid = ?').run(guid);
        prepared('DELETE FROM quota_calls WHERE guid = ?').run(guid);
        prepared('DELETE FROM instances WHERE guid = ?').run(guid);
      }),
    };
    const allOrNothing = db.transaction((fn: () => unknown) => fn());
    this.events = sqliteEvents(prepared, run, <T>(fn: () => T) => allOrNothing(fn) as T);
    this.signingSecrets = sqliteSigningSecrets(prepared, run, secrets);
    this.sandbox = sqliteSandbox(prepared, run);
    this.relay = sqliteRelay(prepared, run);
    this.media = sqliteMedia(prepared, run, secrets);
    this.voice = sqliteVoice(prepared, run);
    this.sendPacing = sqliteSendPacing(prepared, run);
    this.wechatyTokens = sqliteWechatyTokens(prepared, run);
    this.ilinkBots = sqliteIlinkBots(prepared, run);
    this.ilinkQrCodes = sqliteIlinkQrCodes(prepared, run);
    this.ilinkLinks = sqliteIlinkLinks(prepared, run, secrets);
    // Savepoints when the caller's transaction is open, a transaction of its own otherwise.
    const recordCalls = db.transaction((tallies: readonly CallTally[], forget: readonly string[], windowStart: number) => {
      const add = prepared('INSERT INTO quota_calls (guid, at, calls) VALUES (?, ?, ?) ON CONFLICT(guid, at) DO UPDATE SET calls = calls + excluded.calls');
      for (const t of tallies) add.run(t.guid, t.at, t.calls);
      const expired = prepared('DELETE FROM quota_calls WHERE guid = ? AND at <= ?');
      for (const guid of forget) expired.run(guid, windowStart);
    });
    const setLock = db.transaction((guid: string, lockedUntil: number) => {
      prepared('INSERT INTO instance_locks (guid, locked_until) VALUES (?, ?) ON CONFLICT(guid) DO UPDATE SET locked_until = excluded.locked_until')
        .run(guid, lockedUntil);
      prepared('DELETE FROM quota_calls WHERE guid = ?').run(guid);
    });
    this.quota = {
      recordCalls: (tallies, forget, windowStart) => run(() => recordCalls(tallies, forget, windowStart)),
      recentCalls: (windowStart) => run(() =>
        (prepared('SELECT guid, at, calls FROM quota_calls WHERE at > ? ORDER BY guid, at').all(windowStart) as Row[])
          .map((r) => ({ guid: r.guid as string, at: r.at as number, calls: r.calls as number }))),
      forgetCallsBefore: (windowStart) => run(() => {
        prepared('DELETE FROM quota_calls WHERE at <= ?').run(windowStart);
      }),
      setLock: (guid, lockedUntil) => run(() => setLock(guid, lockedUntil)),
      clearLock: (guid) => run(() => {
        prepared('DELETE FROM instance_locks WHERE guid = ?').run(guid);
      }),
      activeLocks: (now) => run(() =>
        (prepared('SELECT guid, locked_until FROM instance_locks WHERE locked_until > ?').all(now) as Row[])
          .map((r) => ({ guid: r.guid as string, lockedUntil: r.locked_until as number }))),
    };
  }
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite';
  readonly apps: AppRepository;
  readonly instances: InstanceRepository;
  readonly quota: QuotaRepository;
  readonly events: EventRepository;
  readonly signingSecrets: SigningSecretRepository;
  readonly sandbox: SandboxWorldRepository;
  readonly relay: RelayRepository;
  readonly media: CdnObjectRepository;
  readonly voice: VoiceTranscriptionRepository;
  readonly sendPacing: SendPacingRepository;
  readonly wechatyTokens: WechatyTokenRepository;
  readonly ilinkBots: IlinkBotRepository;
  readonly ilinkQrCodes: IlinkQrRepository;
  readonly ilinkLinks: IlinkLinkRepository;
  readonly #db: Db;
  /** Resolves when no transaction holds the connection. */
  #idle: Promise<void> = Promise.resolve();
  #inTransaction = false;
  readonly #txRepositories: Repositories;

  /**
   * `sealer` encrypts the secret columns at rest (core/secrets/secret-box.ts); opening the store brings every stored secret to
   * its current key and throws, closing the file, when one does not open. Without a sealer secrets are stored as given.
   */
  constructor(file: string, options: { sealer?: SecretSealer } = {}) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('foreign_keys = ON');
    this.#db.pragma('busy_timeout = 5000');
    try {
      migrate(this.#db);
      if (options.sealer) resealSecrets(this.#db, options.sealer);
    } catch (err) {
      this.#db.close();
      throw err;
    }
    const secrets = new SecretColumns(options.sealer);
    const outside = new Repositories(this.#db, () => (this.#inTransaction ? this.#idle : null), secrets);
    this.apps = outside.apps;
    this.instances = outside.instances;
    this.quota = outside.quota;
    this.events = outside.events;
    this.signingSecrets = outside.signingSecrets;
    this.sandbox = outside.sandbox;
    this.relay = outside.relay;
    this.media = outside.media;
    this.voice = outside.voice;
    this.sendPacing = outside.sendPacing;
    this.wechatyTokens = outside.wechatyTokens;
    this.ilinkBots = outside.ilinkBots;
    this.ilinkQrCodes = outside.ilinkQrCodes;
    this.ilinkLinks = outside.ilinkLinks;
    this.#txRepositories = new Repositories(this.#db, () => null, secrets);
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    // One connection: transactions queue behind each other, and plain calls wait while one is open.
    let release!: () => void;
    const previous = this.#idle;
    this.#idle = new Promise<void>((r) => (release = r));
    await previous;
    this.#inTransaction = true;
    const committed: Array<() => void> = [];
    const tx: Transaction = {
      kind: this.kind,
      apps: this.#txRepositories.apps,
      instances: this.#txRepositories.instances,
      quota: this.#txRepositories.quota,
      events: this.#txRepositories.events,
      signingSecrets: this.#txRepositories.signingSecrets,
      sandbox: this.#txRepositories.sandbox,
      relay: this.#txRepositories.relay,
      media: this.#txRepositories.media,
      voice: this.#txRepositories.voice,
      sendPacing: this.#txRepositories.sendPacing,
      wechatyTokens: this.#txRepositories.wechatyTokens,
      ilinkBots: this.#txRepositories.ilinkBots,
      ilinkQrCodes: this.#txRepositories.ilinkQrCodes,
      ilinkLinks: this.#txRepositories.ilinkLinks,
      // A nested transaction joins the outer one.
      transaction: (inner) => inner(tx),
      afterCommit: (fn) => committed.push(fn),
      ping: () => this.ping(),
      close: () => Promise.reject(new Error('cannot close the store inside a transaction')),
    };
    this.#db.exec('BEGIN IMMEDIATE');
    let result: T;
    try {
      result = await work(tx);
      this.#db.exec('COMMIT');
    } catch (err) {
      this.#db.exec('ROLLBACK');
      throw err;
    } finally {
      this.#inTransaction = false;
      release();
    }
    runAfterCommitHooks(committed);
    return result;
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.#idle;
    if (this.#db.open) this.#db.close();
  }
}
