// Follows an instance's event log from a sequence number: pages through the outbox, then waits for new commits.
import type { EventService } from '../core/events.ts';
import type { EventRecord } from '../storage/ports.ts';

const PAGE = 500;

/**
 * Hands every unfiltered event after `afterSn` to `deliver`, in sn order, exactly once per follower. `deliver` may
 * wait (backpressure); the follower reads on only when it returns. Reading restarts whenever new events commit.
 */
export class EventFollower {
  #cursor: number;
  #reading: Promise<void> | null = null;
  #dirty = false;
  #stopped = false;
  #unsubscribe: (() => void) | undefined;

  constructor(
    private readonly events: EventService,
    private readonly guid: string,
    afterSn: number,
    private readonly deliver: (event: EventRecord) => Promise<void> | void,
    private readonly onError: (err: unknown) => void,
  ) {
    this.#cursor = afterSn;
  }

  get cursor(): number {
    return this.#cursor;
  }

  start(): void {
    this.#unsubscribe = this.events.subscribe((guid) => {
      if (guid === this.guid) this.#pump();
    });
    this.#pump();
  }

  stop(): void {
    this.#stopped = true;
    this.#unsubscribe?.();
  }

  #pump(): void {
    if (this.#stopped) return;
    if (this.#reading) {
      this.#dirty = true;
      return;
    }
    this.#reading = (async () => {
      do {
        this.#dirty = false;
        for (;;) {
          const page = await this.events.list({ guid: this.guid, afterSn: this.#cursor, limit: PAGE });
          for (const event of page) {
            if (this.#stopped) return;
            this.#cursor = event.sn;
            if (!event.filtered) await this.deliver(event);
          }
          if (page.length < PAGE) break;
        }
      } while (this.#dirty && !this.#stopped);
    })()
      .catch(this.onError)
      .finally(() => {
        this.#reading = null;
      });
  }
}
