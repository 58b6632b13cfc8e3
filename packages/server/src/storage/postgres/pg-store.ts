// The PostgreSQL store (WXGATE_DATABASE_URL): the storage port over a connection pool, in a schema of its own.
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { SecretSealer, Store, Transaction, TransactionOptions } from '../ports.ts';
import { SecretColumns } from '../secret-columns.ts';
import { runAfterCommitHooks } from '../transaction-hooks.ts';
import { pgApps, pgInstances, pgQuota } from './pg-core.ts';
import { pgEvents, pgSigningSecrets } from './pg-events.ts';
import { pgMedia } from './pg-media.ts';
import { DEFAULT_SCHEMA, migratePostgres } from './pg-migrations.ts';
import { PostgresNodeLock } from './pg-node-lock.ts';
import { pgRelay } from './pg-relay.ts';
import { pgSandbox } from './sandbox/pg-sandbox.ts';
import { resealPostgresSecrets } from './pg-secrets.ts';
import { pgSendPacing } from './pg-send-pacing.ts';
import { GroupCommitter } from './pg-group-commit.ts';
import { inTransaction, PoolSql, schemaPool, type Sql } from './pg-sql.ts';
import { pgVoice } from './pg-voice.ts';
import { pgWechatyTokens } from './pg-wechaty.ts';
import { pgIlinkBots } from './pg-ilink.ts';
import { pgIlinkQrCodes } from './pg-ilink-qr.ts';
import { pgIlinkLinks } from './pg-ilink-links.ts';

export interface PostgresStoreOptions {
  /** The schema (namespace) wxgate's tables live in; created when missing. */
  readonly schema?: string;
  /** Connections in the pool. */
  readonly poolSize?: number;
  /** Encrypts the secret columns at rest (core/secrets/secret-box.ts); see SqliteStore. */
  readonly sealer?: SecretSealer;
  /** Holds the schema for this process (pg-node-lock.ts): a second store opened on it throws DatabaseInUseError. */
  readonly exclusive?: boolean;
}

type Repositories = Omit<Store, 'kind' | 'transaction' | 'ping' | 'close'>;

function repositories(sql: Sql, secrets: SecretColumns): Repositories {
  return {
    apps: pgApps(sql),
    instances: pgInstances(sql, secrets),
    quota: pgQuota(sql),
    events: pgEvents(sql),
    signingSecrets: pgSigningSecrets(sql, secrets),
    sandbox: pgSandbox(sql),
    relay: pgRelay(sql),
    media: pgMedia(sql, secrets),
    voice: pgVoice(sql),
    sendPacing: pgSendPacing(sql),
    wechatyTokens: pgWechatyTokens(sql),
    ilinkBots: pgIlinkBots(sql),
    ilinkQrCodes: pgIlinkQrCodes(sql),
    ilinkLinks: pgIlinkLinks(sql, secrets),
  };
}

/**
 * The statement that takes a transaction-level advisory lock for `serializeOn` (shared or alone), held until commit or
 * rollback. The key is 64 bits of the name's SHA-256, a plain integer, so the statement can ride in the same round trip
 * as BEGIN (the simple protocol takes no parameters).
 */
function lockStatement({ serializeOn, shared }: TransactionOptions): string | undefined {
  if (serializeOn === undefined) return undefined;
  const key = createHash('sha256').update(serializeOn).digest().readBigInt64BE(0);
  return `SELECT ${shared ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock'}(${key})`;
}

export class PostgresStore implements Store {
  readonly kind = 'postgres';
  readonly apps: Repositories['apps'];
  readonly instances: Repositories['instances'];
  readonly quota: Repositories['quota'];
  readonly events: Repositories['events'];
  readonly signingSecrets: Repositories['signingSecrets'];
  readonly sandbox: Repositories['sandbox'];
  readonly relay: Repositories['relay'];
  readonly media: Repositories['media'];
  readonly voice: Repositories['voice'];
  readonly sendPacing: Repositories['sendPacing'];
  readonly wechatyTokens: Repositories['wechatyTokens'];
  readonly ilinkBots: Repositories['ilinkBots'];
  readonly ilinkQrCodes: Repositories['ilinkQrCodes'];
  readonly ilinkLinks: Repositories['ilinkLinks'];
  readonly schema: string;
  readonly #pool: pg.Pool;
  readonly #secrets: SecretColumns;
  readonly #nodeLock: PostgresNodeLock | undefined;
  /** Commits sends' held-back writes together, on a connection of its own (pg-group-commit.ts). */
  readonly #group: GroupCommitter;
  #closed = false;

  /**
   * Connects, migrates the schema (once across nodes starting together) and brings every stored secret to the current
   * key, as SqliteStore does; throws, closing the pool, when the database cannot be reached or a secret does not open.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const schema = options.schema ?? DEFAULT_SCHEMA;
    // Before anything is migrated or resealed: a refused node must change nothing.
    const nodeLock = options.exclusive ? await PostgresNodeLock.acquire(url, schema) : undefined;
    const pool = schemaPool(url, schema, options.poolSize ?? 10, 'wxgate');
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client, schema);
      } finally {
        client.release();
      }
      if (options.sealer) await resealPostgresSecrets(pool, options.sealer);
    } catch (err) {
      await pool.end();
      await nodeLock?.release();
      throw err;
    }
    return new PostgresStore(pool, schema, new SecretColumns(options.sealer), nodeLock, new GroupCommitter(schemaPool(url, schema, 1, 'wxgate commits')));
  }

  private constructor(pool: pg.Pool, schema: string, secrets: SecretColumns, nodeLock: PostgresNodeLock | undefined, group: GroupCommitter) {
    this.#group = group;
    this.#pool = pool;
    this.#nodeLock = nodeLock;
    this.schema = schema;
    this.#secrets = secrets;
    const outside = repositories(new PoolSql(pool), secrets);
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
  }

  async transaction<T>(work: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const committed: Array<() => void> = [];
    const lock = lockStatement(options);
    const result = await inTransaction(this.#pool, async (sql, client) => {
      const tx: Transaction = {
        kind: this.kind,
        ...repositories(sql, this.#secrets),
        // A nested transaction joins the outer one, taking the lock it names for the rest of it.
        transaction: async (inner, innerOptions) => {
          const innerLock = innerOptions && lockStatement(innerOptions);
          if (innerLock) await client.query(innerLock);
          return inner(tx);
        },
        afterCommit: (fn) => committed.push(fn),
        ping: () => this.ping(),
        close: () => Promise.reject(new Error('cannot close the store inside a transaction')),
      };
      return work(tx);
    }, lock, this.#group);
    runAfterCommitHooks(committed);
    return result;
  }

  async ping(): Promise<void> {
    await this.#pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
    await this.#group.close();
    await this.#nodeLock?.release();
  }
}
