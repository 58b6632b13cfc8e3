// One wxgate node per PostgreSQL schema until nodes coordinate: a session advisory lock that the server drops when the
// holder's connection ends, however its process dies.
import { hostname } from 'node:os';
import pg from 'pg';

/** Another wxgate holds the schema. */
export class DatabaseInUseError extends Error {
  constructor(readonly schema: string, readonly holder: string | null) {
    const who = holder ? `${holder}` : 'another wxgate';
    super(
      `the PostgreSQL schema ${schema} is in use by ${who}; only one wxgate may run on a schema for now (several nodes need coordination that is not there yet) — stop that one first, or give this one its own WXGATE_DATABASE_SCHEMA\n` +
      `PostgreSQL 模式 ${schema} 已被 ${holder ?? '另一个 wxgate'} 占用；目前同一模式只能运行一个 wxgate（多节点协调尚未提供）—— 请先停止该进程，或为本进程设置另一个 WXGATE_DATABASE_SCHEMA`,
    );
    this.name = 'DatabaseInUseError';
  }
}

/** The lock's 64-bit key: one per schema, in a class of its own (the first int) so it meets no transaction lock. */
const LOCK_CLASS = 0x77786774; // "wxgt"

export class PostgresNodeLock {
  private constructor(readonly schema: string, private client: pg.Client | null) {}

  /** Takes the schema or throws DatabaseInUseError at once, naming the holder's pid and host when it can see them. */
  static async acquire(url: string, schema: string, startedAt = new Date()): Promise<PostgresNodeLock> {
    const me = `wxgate pid ${process.pid} on ${hostname()} since ${startedAt.toISOString()}`;
    // application_name is how a refused node learns who holds the lock (pg_stat_activity), at most 63 bytes.
    const client = new pg.Client({ connectionString: url, application_name: me.slice(0, 63) });
    // A broken connection has lost the lock with it; the error must not end the process (the pool reports the database).
    client.on('error', () => {});
    await client.connect();
    try {
      const { rows } = await client.query<{ taken: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS taken', [LOCK_CLASS, schema]);
      if (!rows[0]!.taken) {
        const holder = await client.query<{ application_name: string }>(`SELECT a.application_name FROM pg_locks l
          JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.classid::bigint = $1
            AND l.objid::bigint = (hashtext($2)::bigint + 4294967296) % 4294967296 AND l.granted`,
        [LOCK_CLASS, schema]).catch(() => ({ rows: [] as Array<{ application_name: string }> }));
        throw new DatabaseInUseError(schema, holder.rows[0]?.application_name || null);
      }
    } catch (err) {
      await client.end().catch(() => {});
      throw err;
    }
    return new PostgresNodeLock(schema, client);
  }

  /** Gives the schema up. */
  async release(): Promise<void> {
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
