// Retention: events and their attempts older than the configured period are pruned in small chunks, off the hot path.
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../storage/ports.ts';

const CHUNK = 500;

export class RetentionPruner {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly retentionMs: number,
    private readonly log: FastifyBaseLogger,
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
      try {
        for (;;) {
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
