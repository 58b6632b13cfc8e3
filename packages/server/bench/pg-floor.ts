// What PostgreSQL round trips alone cost on this machine: statements counted per message, and the rate of transactions
// of that many trivial statements — a ceiling no send path with that many round trips can pass, printed beside the aim.
import pg from 'pg';

/** Counts every statement node-postgres sends from this process (wxgate runs in it) while `counting` is on. */
export class StatementCounter {
  count = 0;
  counting = false;
  readonly #original = pg.Client.prototype.query;

  constructor() {
    const counter = this;
    const original = this.#original;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      if (counter.counting) counter.count++;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof pg.Client.prototype.query;
  }

  restore(): void {
    pg.Client.prototype.query = this.#original;
  }
}

/**
 * Transactions per second when each is `statements` round trips of `SELECT 1` (BEGIN and COMMIT among them), on
 * `connections` connections at once for `seconds` — the same pool size and server wxgate used, none of its work.
 */
export async function roundTripFloor(url: string, connections: number, statements: number, seconds: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: url, max: connections });
  try {
    let done = 0;
    const until = Date.now() + seconds * 1000;
    await Promise.all(Array.from({ length: connections }, async () => {
      const client = await pool.connect();
      try {
        while (Date.now() < until) {
          await client.query('BEGIN');
          for (let i = 2; i < statements; i++) await client.query('SELECT 1');
          await client.query('COMMIT');
          done++;
        }
      } finally {
        client.release();
      }
    }));
    return done / seconds;
  } finally {
    await pool.end();
  }
}
