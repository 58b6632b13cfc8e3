// Retention: events and their attempts older than the configured period are pruned in small chunks, off the hot path.
import type { FastifyBaseLogger } from 'fastify';
import { SOLE_NODE, type Lease, type Ownership } from '../core/ownership.ts';
import type { Store } from '../storage/ports.ts';

/** The name pruning is held under in a cluster. */
const PRUNING = 'singleton:retention';

const CHUNK = 500;

export class RetentionPruner {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly retentionMs: number,
    private readonly log: FastifyBaseLogger,
    /** In a cluster one node prunes at a time (the one preferred for it, holding its lease). */
    private readonly ownership: Ownership = SOLE_NODE,
  ) {}

  start(everyMs = 3600_000): void {
    this.#timer = setInterval(() => void this.prune(), everyMs);
    this.#timer.unref();
    void this.prune();
  }

  /** Deletes what is past retention (never events still waiting for a webhook attempt); returns how many went. */
  prune(): Promise<number> {
    this.#running ??= (async () => {
      let total = 0;
      let lease: Lease | null = null;
      try {
        lease = this.ownership.prefers(PRUNING) ? await this.ownership.acquire(PRUNING) : null;
        if (!lease) return 0;
        for (;;) {
          if (!lease.valid) break;
          const removed = await this.store.events.prune(this.now() - this.retentionMs, CHUNK);
          total += removed;
          if (removed < CHUNK) break;
          // Yield between chunks so deliveries and requests interleave.
          await new Promise((resolve) => setImmediate(resolve));
        }
        if (total) this.log.info({ pruned: total }, 'pruned events past retention');
      } catch (err) {
        this.log.error({ err }, 'pruning events failed');
      } finally {
        await lease?.release();
        this.#running = undefined;
      }
      return total;
    })();
    return this.#running;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }
}
