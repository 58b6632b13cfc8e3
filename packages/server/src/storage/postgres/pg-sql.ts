// How PostgreSQL repositories run SQL: over the pool outside a transaction, over the transaction's own connection inside
// one, with statements prepared once per connection and BIGINT read back as a number.
import pg from 'pg';

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
  const pool = new pg.Pool({ connectionString: url, max, options: `-c search_path=${schema}`, types: pgTypes, application_name: applicationName });
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

abstract class QuerySql implements Sql {
  protected abstract readonly target: Queryable;

  async rows(text: string, params?: readonly unknown[]): Promise<Row[]> {
    return (await this.target.query(statement(text, params))).rows as Row[];
  }

  async row(text: string, params?: readonly unknown[]): Promise<Row | undefined> {
    return (await this.target.query(statement(text, params))).rows[0] as Row | undefined;
  }

  async run(text: string, params?: readonly unknown[]): Promise<number> {
    return (await this.target.query(statement(text, params))).rowCount ?? 0;
  }

  abstract atomic<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
}

/** One transaction's connection: everything runs in order on it; `atomic` nests as savepoints. */
export class TransactionSql extends QuerySql {
  #savepoints = 0;

  constructor(protected readonly target: pg.PoolClient) {
    super();
  }

  async atomic<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const name = `wxg_sp_${++this.#savepoints}`;
    await this.target.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn(this);
      await this.target.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      await this.target.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw err;
    }
  }
}

/** The pool, for calls made outside any transaction: each statement commits on its own. */
export class PoolSql extends QuerySql {
  constructor(protected readonly target: pg.Pool) {
    super();
  }

  async atomic<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    return inTransaction(this.target, (client) => fn(new TransactionSql(client)));
  }
}

/**
 * Runs `fn` in a transaction on a connection of its own: COMMIT when it resolves, ROLLBACK when it throws. `first`, a
 * parameterless statement (a lock), is sent with BEGIN in one round trip.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, first?: string): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    try {
      // Inside the try: when `first` fails, BEGIN has opened a transaction that must be rolled back.
      await client.query(first === undefined ? 'BEGIN' : `BEGIN; ${first}`);
      const result = await fn(client);
      await client.query('COMMIT');
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
