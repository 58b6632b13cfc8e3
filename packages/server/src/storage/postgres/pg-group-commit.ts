// Group commit on PostgreSQL: the writes that transactions committing at the same time held back (sends' archive
// inserts and callbacks), made in one transaction, so that with synchronous_commit on they share one WAL flush.
import type pg from 'pg';
import { heldBackStatements, type HeldBackWrite } from './pg-held-back.ts';
import { commitPipelined } from './pg-sql.ts';

const MAX_GROUP = 256;

/**
 * Group commit: the held-back writes of transactions committing at the same time, made in one transaction on a
 * connection of its own (the members keep theirs meanwhile), so N sends cost one WAL flush rather than one each — with
 * synchronous_commit on, the flush is what an app's sends would otherwise take turns on (its archive lock and its
 * instances' sequence rows are held through it). While a group commits, the next one gathers. A group that fails is
 * retried member by member, so one member's failure is its own.
 */
export class GroupCommitter {
  readonly #waiting: Array<{ readonly writes: readonly HeldBackWrite[]; readonly settle: (error?: unknown) => void }> = [];
  #draining = false;
  #largestGroup = 0;

  /** `pool`: the group's own (one connection is enough), so waiting members cannot starve it of connections. */
  constructor(private readonly pool: pg.Pool) {}

  /** The most members one group committed together so far. */
  get largestGroup(): number {
    return this.#largestGroup;
  }

  commit(writes: readonly HeldBackWrite[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ writes, settle: (error) => (error === undefined ? resolve() : reject(error)) });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#waiting.length > 0) {
        const group = this.#waiting.splice(0, MAX_GROUP);
        this.#largestGroup = Math.max(this.#largestGroup, group.length);
        const failure = await this.#commitTogether(group.flatMap((member) => member.writes));
        if (failure === undefined) for (const member of group) member.settle();
        else if (group.length === 1) group[0]!.settle(failure);
        else for (const member of group) member.settle(await this.#commitTogether(member.writes));
      }
    } finally {
      this.#draining = false;
    }
  }

  /** BEGIN, the writes and COMMIT in one round trip; answers the failure, if any. */
  async #commitTogether(writes: readonly HeldBackWrite[]): Promise<unknown> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      return err;
    }
    let broken: Error | undefined;
    try {
      const begin = client.query('BEGIN');
      begin.catch(() => {}); // its failure fails the statements after it, which answer it
      await commitPipelined(client, heldBackStatements(writes));
      await begin;
      return undefined;
    } catch (err) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
      return err ?? new Error('the group commit failed');
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
