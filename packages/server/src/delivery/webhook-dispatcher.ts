// Webhook delivery from the outbox: one lane per instance, events in sn order, retried on a schedule, every attempt stored.
import { NOTIFY_TYPES } from '@wxgate/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { EventRecord, InstanceRecord, SnRange, Store, WebhookStatus } from '../storage/ports.ts';
import { nextDelayMs } from './retry-schedule.ts';
import type { SigningKeys } from './signing-keys.ts';
import { signatureHeader } from './signing.ts';
import { isSharedLease, SOLE_NODE, type Ownership } from '../core/ownership.ts';
import type { UrlGuard } from '../core/egress/url-guard.ts';
import { postJson, type SendResult } from './webhook-sender.ts';

type Pending = EventRecord & { webhook: WebhookStatus };

/** How long delivered events wait to be written together, and how many at most (see #record). */
const GROUP_COMMIT_MS = 10;
const GROUP_COMMIT_MAX = 500;

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
  /** In a cluster, which node delivers which instance (one at a time); a lone node delivers all. */
  readonly ownership?: Ownership;
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

interface Completion {
  readonly guid: string;
  readonly delivery: Delivery;
  readonly startedAt: number;
  readonly result: SendResult;
  readonly status: WebhookStatus;
  /** The instance's replay count when the attempt ended: a replay after it keeps the events pending (see #commit). */
  readonly replays: number;
}

export class WebhookDispatcher {
  readonly #running = new Map<string, Promise<void>>();
  readonly #again = new Set<string>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #slots: Array<() => void> = [];
  #inFlight = 0;
  #poller: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Finished attempts not yet written; all lanes together go into one transaction (group commit). */
  #completions: Completion[] = [];
  #commitTimer: NodeJS.Timeout | undefined;
  /** The group commits in progress, in order (one connection: they run one after another). */
  #writing: Promise<void> = Promise.resolve();
  /**
   * Per instance, the highest sn delivered whose new state is not written yet: the lane reads the store past it, so
   * it neither waits for the commit nor sends those events twice.
   */
  readonly #sentThrough = new Map<string, { sn: number; replays: number }>();
  /**
   * Replays asked for, per instance, numbered in order (`base` + index): an attempt in flight, or a delivery not yet
   * written, learns from the ones since it started which of its events a replay put back in the queue — those keep
   * the replay's state, the others are written delivered (not sent again).
   */
  readonly #replays = new Map<string, { base: number; ranges: SnRange[] }>();

  readonly #ownership: Ownership;

  constructor(private readonly o: DispatcherOptions) {
    this.#ownership = o.ownership ?? SOLE_NODE;
    // A node died or joined: the instances this node now prefers may have events waiting.
    this.#ownership.onMembershipChange(() => void this.poll());
  }

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
    // Every node hears of every instance's events; only the one the cluster prefers for it delivers.
    if (!this.#ownership.prefers(webhookWork(guid))) return;
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
  replayed(guid: string, range: SnRange): void {
    let replays = this.#replays.get(guid);
    if (!replays) this.#replays.set(guid, (replays = { base: 0, ranges: [] }));
    replays.ranges.push(range);
    this.kick(guid);
  }

  /** How many replays of `guid` were asked for so far. */
  #replayCount(guid: string): number {
    const replays = this.#replays.get(guid);
    return replays ? replays.base + replays.ranges.length : 0;
  }

  /** Whether a replay asked for after the first `count` put event `sn` of `guid` back in the queue. */
  #replayedSince(guid: string, count: number, sn: number): boolean {
    const replays = this.#replays.get(guid);
    return replays?.ranges.slice(Math.max(0, count - replays.base)).some((r) => sn >= r.fromSn && sn <= r.toSn) ?? false;
  }

  /**
   * How long the oldest event this node has to deliver has waited, in ms (0 when none waits): over the instances whose
   * webhooks the cluster gives this node (all of them on a lone node), retries waiting included. One query of the
   * outbox's pending events per call, whatever the number of instances.
   */
  async lagMs(): Promise<number> {
    const now = this.o.now();
    let oldest = now;
    for (const { guid, createdAt } of await this.o.store.events.oldestPending()) {
      if (createdAt < oldest && this.#ownership.prefers(webhookWork(guid))) oldest = createdAt;
    }
    return now - oldest;
  }

  /** Stops taking work, waits for the attempts in flight and writes what they did. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#poller);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    for (const release of this.#slots.splice(0)) release();
    await Promise.allSettled([...this.#running.values()]);
    await this.#commit();
  }

  /**
   * One instance's deliveries, under its lease: in a cluster only the lease holder sends, so order and "one sender"
   * hold across nodes. The lease is given up when the lane has nothing left to send now, once what it sent is written:
   * the next holder (this node again, or another after a change of nodes) starts from the store.
   */
  async #lane(guid: string): Promise<void> {
    const lease = await this.#ownership.acquire(webhookWork(guid));
    if (!lease) return; // held by another node; the poll looks again
    try {
      await this.#deliver(guid, () => lease.valid);
    } finally {
      if (isSharedLease(lease)) {
        await this.#commit().catch(() => {}); // a failed write is logged by #commit; those events stay pending
        this.#sentThrough.delete(guid);
        await lease.release();
      }
    }
  }

  async #deliver(guid: string, holding: () => boolean): Promise<void> {
    while (!this.#stopped && holding()) {
      // The replayed events may lie below the sn read past: after a replay, read from the start of the queue once
      // what was delivered is written.
      const readReplays = this.#replayCount(guid);
      if (this.#sentThrough.has(guid) && this.#sentThrough.get(guid)!.replays !== readReplays) {
        await this.#commit();
        this.#sentThrough.delete(guid);
      }
      let pending = await this.o.store.events.pending(guid, 100, this.#sentThrough.get(guid)?.sn ?? 0);
      if (pending.length === 0) return;
      // Work through the page without re-reading it; a new page is read when it is used up.
      while (pending.length > 0 && !this.#stopped && holding()) {
        const head = pending[0]!;
        const now = this.o.now();
        if (head.webhook.nextAttemptAt !== null && head.webhook.nextAttemptAt > now) return this.#wakeAt(guid, head.webhook.nextAttemptAt - now);
        const instance = await this.o.instance(guid);
        if (!instance || !instance.notifyUrl) {
          // Nobody to call: the events stay in the log (and streams) but leave the webhook queue, a page per commit.
          await this.o.store.events.recordDeliveries(pending.map((e) => ({
            eventId: e.id, attempt: null, status: { state: 'skipped', attempts: e.webhook.attempts, nextAttemptAt: null },
          })));
          pending = [];
          continue;
        }
        const window = instance.callbackOptions.batchWindowMs;
        if (window > 0 && head.notifyType === NOTIFY_TYPES.NewMsg && head.webhook.attempts === 0 && now < head.createdAt + window) {
          return this.#wakeAt(guid, head.createdAt + window - now);
        }
        const delivery = planDelivery(guid, pending, window);
        pending = pending.slice(delivery.events.length);
        const startedAt = this.o.now();
        const replaysBefore = this.#replayCount(guid);
        const result = await this.#attempt(instance, delivery);
        const attempts = head.webhook.attempts + 1;
        const replaysAfter = this.#replayCount(guid);
        // A replay asked for during the attempt made the queue due now: its failure does not push it back by the schedule.
        const delay = result.ok ? null : replaysAfter !== replaysBefore ? 0 : nextDelayMs(this.o.retrySchedule, attempts, result.retryAfterMs);
        const status: WebhookStatus = result.ok
          ? { state: 'delivered', attempts, nextAttemptAt: null }
          : delay === null
            ? { state: 'failed', attempts, nextAttemptAt: null }
            : { state: 'pending', attempts, nextAttemptAt: this.o.now() + delay };
        this.#completions.push({ guid, delivery, startedAt, result, status, replays: replaysAfter });
        if (status.state !== 'pending') this.#sentThrough.set(guid, { sn: delivery.events.at(-1)!.sn, replays: readReplays });
        if (result.ok) {
          this.#commitLater();
          continue;
        }
        // Failures are written at once: the operator sees them, and a replay may follow.
        await this.#commit();
        if (delay === null) {
          this.o.log.warn({ guid, event: head.id, attempts }, 'webhook retries exhausted; event marked failed (replayable)');
          continue;
        }
        // Strict order per instance: later events wait behind the one being retried.
        return this.#wakeAt(guid, delay);
      }
    }
  }

  /**
   * Delivered events are written together within GROUP_COMMIT_MS (or once GROUP_COMMIT_MAX are waiting): one commit
   * per event cost a fifth of one lane's throughput. A crash before the write means those events are sent again after
   * restart, with the same ids and in order: at least once, never lost.
   */
  #commitLater(): void {
    if (this.#completions.length >= GROUP_COMMIT_MAX) void this.#commit();
    else this.#commitTimer ??= setTimeout(() => void this.#commit(), GROUP_COMMIT_MS);
  }

  /** Writes every finished attempt not yet written, in one write after those already writing; resolves when done. */
  #commit(): Promise<void> {
    clearTimeout(this.#commitTimer);
    this.#commitTimer = undefined;
    const batch = this.#completions;
    this.#completions = [];
    if (batch.length === 0) return this.#writing;
    const write = this.#writing.then(() => this.o.store.events.recordDeliveries(batch.flatMap((c) =>
      c.delivery.events.map((e) => ({
        eventId: e.id,
        attempt: {
          eventId: e.id,
          attempt: e.webhook.attempts + 1,
          startedAt: c.startedAt,
          durationMs: c.result.durationMs,
          statusCode: c.result.statusCode,
          error: c.result.error ?? (c.result.ok ? null : `HTTP ${c.result.statusCode}`),
          responseExcerpt: c.result.responseExcerpt,
        },
        // Put back in the queue by a replay since this attempt: the replay's state stands, and the event goes again.
        status: this.#replayedSince(c.guid, c.replays, e.sn) ? null : c.status,
      }))))).then(() => {
      // Written: the store now shows these events as done, so the lane no longer needs to read past them.
      for (const c of batch) if (this.#sentThrough.get(c.guid)?.sn === c.delivery.events.at(-1)!.sn) this.#sentThrough.delete(c.guid);
      // Replays no attempt in flight or delivery unwritten can still be older than: their ranges are done with.
      for (const guid of new Set(batch.map((c) => c.guid))) {
        const replays = this.#replays.get(guid);
        if (replays && !this.#running.has(guid) && !this.#completions.some((c) => c.guid === guid)) this.#replays.set(guid, { base: this.#replayCount(guid), ranges: [] });
      }
    });
    this.#writing = write.catch((err: unknown) => {
      // Still pending in the store: read them again, so they are sent again rather than skipped until a restart.
      for (const c of batch) this.#sentThrough.delete(c.guid);
      this.o.log.error({ err }, 'webhook attempts could not be written; the events will be sent again');
    });
    return write;
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

/** The name an instance's webhook delivery is held under in a cluster. */
const webhookWork = (guid: string) => `webhook:${guid}`;
