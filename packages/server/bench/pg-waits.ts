// What PostgreSQL's backends are doing while a bench runs — on CPU, waiting on a lock (and which), on I/O, or inside a transaction waiting for its client — sampled from pg_stat_activity and charged to whatever the bench says is running.
import pg from 'pg';

/** What the samples of one label found: mean backends per state over the samples. */
export interface Waits {
  readonly samples: number;
  /** [state, mean backends], most first: `running`, `Lock:<event>`, `IO:<event>`, `in a transaction, waiting for its client`, … */
  readonly states: ReadonlyArray<readonly [string, number]>;
}

export const WAITING_FOR_CLIENT = 'in a transaction, waiting for its client';

export class PgWaits {
  #label: string | undefined;
  readonly #samples = new Map<string, number>();
  readonly #counts = new Map<string, Map<string, number>>();
  #stopped = false;
  #loop: Promise<void> = Promise.resolve();

  private constructor(private readonly client: pg.Client, private readonly intervalMs: number) {}

  /** Samples every `intervalMs` (one cheap query on its own connection) until stopped. */
  static async start(url: string, intervalMs = 50): Promise<PgWaits> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const waits = new PgWaits(client, intervalMs);
    waits.#loop = waits.#run();
    return waits;
  }

  /** What the coming samples are charged to (undefined: nothing). */
  charge(label: string | undefined): void {
    this.#label = label;
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      const label = this.#label;
      if (label !== undefined) {
        // Active backends by what they wait on (none: on CPU), and those idle inside a transaction, whose locks stay
        // held while their client works between statements. Other databases (other clusters' tests) are left out.
        const { rows } = await this.client.query<{ state: string; n: string }>(`
          SELECT CASE WHEN state = 'idle in transaction' THEN $1
                      WHEN wait_event IS NULL THEN 'running' ELSE wait_event_type || ':' || wait_event END AS state, count(*) AS n
          FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')
            AND backend_type = 'client backend'
          GROUP BY 1`, [WAITING_FOR_CLIENT]);
        // The label may have changed during the query: the sample belongs to the one it was taken for.
        this.#samples.set(label, (this.#samples.get(label) ?? 0) + 1);
        const counts = this.#counts.get(label) ?? new Map<string, number>();
        for (const row of rows) counts.set(row.state, (counts.get(row.state) ?? 0) + Number(row.n));
        this.#counts.set(label, counts);
      }
      await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
    }
  }

  waits(label: string): Waits {
    const samples = this.#samples.get(label) ?? 0;
    const states = [...(this.#counts.get(label) ?? new Map<string, number>())]
      .map(([state, n]): [string, number] => [state, samples ? n / samples : 0])
      .sort((a, b) => b[1] - a[1]);
    return { samples, states };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
    await this.client.end();
  }
}
