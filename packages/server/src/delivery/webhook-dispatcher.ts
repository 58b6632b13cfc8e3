// Webhook delivery from the outbox: one lane per instance, events in sn order, retried on a schedule, every attempt stored.
import { NOTIFY_TYPES } from '@wxgate/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { EventRecord, InstanceRecord, Store, WebhookStatus } from '../storage/ports.ts';
import { nextDelayMs } from './retry-schedule.ts';
import type { SigningKeys } from './signing-keys.ts';
import { signatureHeader } from './signing.ts';
import type { UrlGuard } from '../core/url-guard.ts';
import { postJson, type SendResult } from './webhook-sender.ts';

type Pending = EventRecord & { webhook: WebhookStatus };

export interface DispatcherOptions {
  readonly store: Store;
  /** Current instance record (notify_url, callback options), or undefined when it was removed. */
  readonly instance: (guid: string) => Promise<InstanceRecord | undefined>;
  readonly keys: SigningKeys;
  readonly guard: UrlGuard;
  readonly now: () => number;
  readonly timeoutMs: number;
  readonly retrySchedule: readonly number[];
  readonly maxInFlight: number;
  readonly log: FastifyBaseLogger;
  /** How often due retries are looked for (ms); lanes also wake when events are published. */
  readonly pollMs?: number;
}

/** What a webhook receiver gets: the body, its id, and the sn header value. */
export interface Delivery {
  readonly id: string;
  readonly sn: string;
  readonly body: string;
  readonly events: readonly Pending[];
}

/** A 1010 run starting at the head, within the instance's batch window, becomes one 1011 (the option is per instance). */
export function planDelivery(guid: string, pending: readonly Pending[], windowMs: number): Delivery {
  const head = pending[0]!;
  if (windowMs > 0 && head.notifyType === NOTIFY_TYPES.NewMsg) {
    const run: Pending[] = [];
    for (const e of pending) {
      if (e.notifyType !== NOTIFY_TYPES.NewMsg || e.createdAt > head.createdAt + windowMs) break;
      run.push(e);
    }
    const last = run[run.length - 1]!;
    return {
      id: `${head.id}_b${run.length}`,
      sn: `${head.sn}-${last.sn}`,
      body: JSON.stringify({ guid, notify_type: NOTIFY_TYPES.BatchNewMsg, data: run.map((e) => e.data) }),
      events: run,
    };
  }
  return { id: head.id, sn: String(head.sn), body: JSON.stringify({ guid, notify_type: head.notifyType, data: head.data }), events: [head] };
}

export class WebhookDispatcher {
  readonly #running = new Map<string, Promise<void>>();
  readonly #again = new Set<string>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #slots: Array<() => void> = [];
  #inFlight = 0;
  #poller: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Finished attempts waiting to be written, all lanes together, in one transaction (group commit). */
  #completions: Array<{ delivery: Delivery; startedAt: number; result: SendResult; status: WebhookStatus }> = [];
  #flush: Promise<void> | null = null;
  /** Replays asked for, per instance: one that arrives while an attempt is in flight must not be undone by its result. */
  readonly #replays = new Map<string, number>();

  constructor(private readonly o: DispatcherOptions) {}

  start(): void {
    this.#poller = setInterval(() => void this.poll(), this.o.pollMs ?? 1000);
    this.#poller.unref();
    void this.poll();
  }

  /** Wakes the lanes of instances with due events (retries, events left over from before a restart). */
  async poll(): Promise<void> {
    if (this.#stopped) return;
    for (const guid of await this.o.store.events.dueInstances(this.o.now())) this.kick(guid);
  }

  /** New events for `guid` committed (or a retry came due): run its lane, or make the running one look again. */
  kick(guid: string): void {
    if (this.#stopped) return;
    if (this.#running.has(guid)) {
      this.#again.add(guid);
      return;
    }
    const lane = this.#lane(guid)
      .catch((err: unknown) => this.o.log.error({ err, guid }, 'webhook lane failed'))
      .finally(() => {
        this.#running.delete(guid);
        if (this.#again.delete(guid)) this.kick(guid);
      });
    this.#running.set(guid, lane);
  }

  /** Events of `guid` were replayed (requeued due now): run its lane now, and keep them due if an attempt was in flight. */
  replayed(guid: string): void {
    this.#replays.set(guid, (this.#replays.get(guid) ?? 0) + 1);
    this.kick(guid);
  }

  /** Stops taking work and waits for the attempts in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#poller);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    for (const release of this.#slots.splice(0)) release();
    await Promise.allSettled([...this.#running.values()]);
  }

  async #lane(guid: string): Promise<void> {
    // A lane reads the store again only after its own finished attempts are written, so it never sees them as pending.
    const written: Array<Promise<void>> = [];
    try {
      await this.#work(guid, written);
    } finally {
      await Promise.all(written);
    }
  }

  async #work(guid: string, written: Array<Promise<void>>): Promise<void> {
    while (!this.#stopped) {
      await Promise.all(written.splice(0));
      let pending = await this.o.store.events.pending(guid, 100);
      if (pending.length === 0) return;
      // Work through the page without re-reading it; a new page is read when it is used up.
      while (pending.length > 0 && !this.#stopped) {
        const head = pending[0]!;
        const now = this.o.now();
        if (head.webhook.nextAttemptAt !== null && head.webhook.nextAttemptAt > now) {
          await Promise.all(written.splice(0));
          return this.#wakeAt(guid, head.webhook.nextAttemptAt - now);
        }
        const instance = await this.o.instance(guid);
        if (!instance || !instance.notifyUrl) {
          // Nobody to call: the events stay in the log (and streams) but leave the webhook queue.
          for (const e of pending) await this.o.store.events.setWebhookStatus(e.id, { state: 'skipped', attempts: e.webhook.attempts, nextAttemptAt: null });
          pending = [];
          continue;
        }
        const window = instance.callbackOptions.batchWindowMs;
        if (window > 0 && head.notifyType === NOTIFY_TYPES.NewMsg && head.webhook.attempts === 0 && now < head.createdAt + window) {
          await Promise.all(written.splice(0));
          return this.#wakeAt(guid, head.createdAt + window - now);
        }
        const delivery = planDelivery(guid, pending, window);
        pending = pending.slice(delivery.events.length);
        const startedAt = this.o.now();
        const replays = this.#replays.get(guid) ?? 0;
        const result = await this.#attempt(instance, delivery);
        const attempts = head.webhook.attempts + 1;
        // A replay asked for during the attempt made the queue due now: its failure does not push it back by the schedule.
        const replayedMeanwhile = (this.#replays.get(guid) ?? 0) !== replays;
        const delay = result.ok ? null : replayedMeanwhile ? 0 : nextDelayMs(this.o.retrySchedule, attempts, result.retryAfterMs);
        const status: WebhookStatus = result.ok
          ? { state: 'delivered', attempts, nextAttemptAt: null }
          : delay === null
            ? { state: 'failed', attempts, nextAttemptAt: null }
            : { state: 'pending', attempts, nextAttemptAt: this.o.now() + delay };
        written.push(this.#record(delivery, startedAt, result, status));
        if (result.ok) continue;
        if (delay === null) {
          this.o.log.warn({ guid, event: head.id, attempts }, 'webhook retries exhausted; event marked failed (replayable)');
          continue;
        }
        // Strict order per instance: later events wait behind the one being retried.
        await Promise.all(written.splice(0));
        return this.#wakeAt(guid, delay);
      }
    }
  }

  #wakeAt(guid: string, delayMs: number): void {
    clearTimeout(this.#timers.get(guid));
    const timer = setTimeout(() => {
      this.#timers.delete(guid);
      this.kick(guid);
    }, Math.max(0, Math.min(delayMs, 2 ** 31 - 1)));
    timer.unref();
    this.#timers.set(guid, timer);
  }

  async #attempt(instance: InstanceRecord, delivery: Delivery): Promise<SendResult> {
    await this.#acquire();
    try {
      const secrets = await this.o.keys.active(instance.appId);
      const timestamp = Math.floor(this.o.now() / 1000);
      return await postJson(instance.notifyUrl, delivery.body, {
        'webhook-id': delivery.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(secrets, delivery.id, timestamp, delivery.body),
        'x-wxgate-sn': delivery.sn,
      }, { timeoutMs: this.o.timeoutMs, guard: this.o.guard, now: this.o.now });
    } finally {
      this.#release();
    }
  }

  /**
   * Queues the attempt row and new webhook state of a delivery; everything queued in the same tick is written in one
   * transaction. A crash before that write means the event is sent again after restart: at least once, never lost.
   */
  #record(delivery: Delivery, startedAt: number, result: SendResult, status: WebhookStatus): Promise<void> {
    this.#completions.push({ delivery, startedAt, result, status });
    this.#flush ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const batch = this.#completions;
      this.#completions = [];
      this.#flush = null;
      return this.o.store.transaction(async (tx) => {
        for (const { delivery: d, startedAt: at, result: r, status: st } of batch) {
          for (const e of d.events) {
            await tx.events.recordAttempt({
              eventId: e.id,
              attempt: e.webhook.attempts + 1,
              startedAt: at,
              durationMs: r.durationMs,
              statusCode: r.statusCode,
              error: r.error ?? (r.ok ? null : `HTTP ${r.statusCode}`),
              responseExcerpt: r.responseExcerpt,
            });
            await tx.events.setWebhookStatus(e.id, st);
          }
        }
      });
    });
    return this.#flush;
  }

  async #acquire(): Promise<void> {
    if (this.#inFlight < this.o.maxInFlight) {
      this.#inFlight++;
      return;
    }
    await new Promise<void>((resolve) => this.#slots.push(resolve));
    this.#inFlight++;
  }

  #release(): void {
    this.#inFlight--;
    this.#slots.shift()?.();
  }
}
