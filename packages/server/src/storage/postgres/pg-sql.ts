// How PostgreSQL repositories run SQL: over the pool outside a transaction, over the transaction's own connection inside
// one, with statements prepared once per connection and BIGINT read back as a number.
import pg from 'pg';
import type { GroupCommitter } from './pg-group-commit.ts';
import { heldBackStatements, type HeldBackWrite } from './pg-held-back.ts';

export type Row = Record<string, unknown>;

/** The SQL a repository runs; the same interface over the pool and over one transaction's connection. */
export interface Sql {
  /** Every row the query answers. */
  rows(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** The first row the query answers, or undefined. */
  row(text: string, params?: readonly unknown[]): Promise<Row | undefined>;
  /** Runs a statement and answers how many rows it touched. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
  /** Runs `fn` all or nothing: a savepoint inside the caller's transaction, a transaction of its own otherwise. */
  atomic<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /**
   * A write that answers nothing, made as late as possible. Inside a transaction it is held back to the commit and
   * sent with it (pipelined, one round trip), so a lock it takes is held only while the server commits — or, when the
   * transaction wrote nothing else, made together with other transactions' held-back writes (GroupCommitter): one WAL
   * flush for them all. Its failure fails the commit. Over the pool it is made at once. Later reads in the same
   * transaction do not see it.
   */
  holdBack(write: HeldBackWrite): Promise<void>;
}

const INT8_OID = 20;
/**
 * Every integer column is BIGINT (unix ms do not fit INTEGER); node-postgres reads BIGINT as a string by default, so
 * that its precision is never silently lost. Ours stay far below 2^53 (ms until the year 287,396; counters; ids), so
 * they are read as numbers, on this store's connections only (the parser is not installed globally).
 */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * A pool on `url` whose connections resolve table names in wxgate's schema only and read BIGINT as numbers. An idle
 * connection that breaks (the server restarted) is dropped and the next query reconnects (/readyz reports the database
 * meanwhile): without the listener its error would end the process.
 */
export function schemaPool(url: string, schema: string, max: number, applicationName: string): pg.Pool {
  // Pipelined (node-postgres sends a query without waiting for the previous answer): every caller awaits its query
  // anyway, except a commit, whose held-back writes go out with it (TransactionSql.commit).
  const pool = new pg.Pool({
    connectionString: url, max, options: `-c search_path=${schema}`, types: pgTypes, application_name: applicationName, pipeline: true,
  });
  pool.on('error', () => {});
  return pool;
}

/** A name per distinct statement text, so each connection parses and plans it once. */
const statementNames = new Map<string, string>();
function statement(text: string, params: readonly unknown[] | undefined): pg.QueryConfig {
  let name = statementNames.get(text);
  if (!name) statementNames.set(text, (name = `wxg_${statementNames.size + 1}`));
  return { name, text, values: params as unknown[] | undefined };
}

type Queryable = pg.Pool | pg.PoolClient;

const READ_ONLY = /^\s*SELECT\b/i;

abstract class QuerySql implements Sql {
  protected abstract readonly target: Queryable;
  /** Whether a statement other than a SELECT ran here. */
  protected wrote = false;

  async rows(text: string, params?: readonly unknown[]): Promise<Row[]> {
    return (await this.#query(text, params)).rows as Row[];
  }

  async row(text: string, params?: readonly unknown[]): Promise<Row | undefined> {
    return (await this.#query(text, params)).rows[0] as Row | undefined;
  }

  async run(text: string, params?: readonly unknown[]): Promise<number> {
    return (await this.#query(text, params)).rowCount ?? 0;
  }

  #query(text: string, params: readonly unknown[] | undefined): Promise<pg.QueryResult> {
    if (!READ_ONLY.test(text)) this.wrote = true;
    return this.target.query(statement(text, params));
  }

  abstract atomic<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  abstract holdBack(write: HeldBackWrite): Promise<void>;
}

/** One transaction's connection: everything runs in order on it; `atomic` nests as savepoints. */
export class TransactionSql extends QuerySql {
  #savepoints = 0;
  /** The writes held back for the commit, in the order they were asked for. */
  readonly #heldBack: HeldBackWrite[] = [];

  constructor(protected readonly target: pg.PoolClient, private readonly group?: GroupCommitter) {
    super();
  }

  async holdBack(write: HeldBackWrite): Promise<void> {
    this.#heldBack.push(write);
  }

  async atomic<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const name = `wxg_sp_${++this.#savepoints}`;
    const heldBack = this.#heldBack.length;
    await this.target.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this);
      await this.target.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await this.target.query(`ROLLBACK TO SAVEPOINT ${name}`);
      // What was held back inside the savepoint is undone with it.
      this.#heldBack.length = heldBack;
      throw err;
    }
  }

  /**
   * Commits, making the held-back writes: with a group when this transaction wrote nothing itself (its writes then
   * commit in the group's transaction while this one, read-only, keeps its locks — a world key taken shared — until
   * they are in); else pipelined with this transaction's COMMIT. A waiting member holds only what its reads took (its
   * world key, a label or relay lock, rows read FOR UPDATE); the group needs none of those, only archive keys and
   * sequence rows, which are taken by writes alone: the wait cannot close a cycle.
   */
  async commit(): Promise<void> {
    const writes = this.#heldBack.splice(0);
    if (writes.length > 0 && !this.wrote && this.group) {
      await this.group.commit(writes);
      await this.target.query('COMMIT');
      return;
    }
    await commitPipelined(this.target, heldBackStatements(writes));
  }
}

/**
 * Sends `statements` and COMMIT together. In a failed transaction PostgreSQL answers COMMIT with ROLLBACK and no error,
 * so a statement's failure, or that answer, is what says the commit did not happen.
 */
export async function commitPipelined(client: pg.PoolClient, statements: readonly pg.QueryConfig[]): Promise<void> {
  const answers = await Promise.allSettled([...statements.map((q) => client.query(q)), client.query('COMMIT')]);
  const failed = answers.find((a): a is PromiseRejectedResult => a.status === 'rejected');
  if (failed) throw failed.reason;
  const commit = answers.at(-1) as PromiseFulfilledResult<pg.QueryResult>;
  if (commit.value.command !== 'COMMIT') throw new Error(`the transaction did not commit (PostgreSQL answered ${commit.value.command})`);
}

/** The pool, for calls made outside any transaction: each statement commits on its own. */
export class PoolSql extends QuerySql {
  constructor(protected readonly target: pg.Pool) {
    super();
  }

  async atomic<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return inTransaction(this.target, (sql) => fn(sql));
  }

  async holdBack(write: HeldBackWrite): Promise<void> {
    await inTransaction(this.target, (sql) => sql.holdBack(write));
  }
}

/**
 * Runs `fn` in a transaction on a connection of its own: COMMIT when it resolves, ROLLBACK when it throws. `first`, a
 * parameterless statement (a lock), is sent with BEGIN in one round trip.
 */
export async function inTransaction<T>(
  pool: pg.Pool, fn: (sql: TransactionSql, client: pg.PoolClient) => Promise<T>, first?: string, group?: GroupCommitter,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    try {
      // Inside the try: when `first` fails, BEGIN has opened a transaction that must be rolled back.
      await client.query(first === undefined ? 'BEGIN' : `BEGIN; ${first}`);
      const sql = new TransactionSql(client, group);
      const result = await fn(sql, client);
      await sql.commit();
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      throw err;
    }
  } finally {
    // A connection whose rollback failed is in an unknown state: the pool closes it rather than lend it again.
    client.release(broken);
  }
}
