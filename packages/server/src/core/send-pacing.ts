// Send pacing: the optional per-instance queue in front of the driver for sends (gaps, caps, quiet hours, warm-up).
import { ApiError, NOTIFY_TYPES } from '@wxgate/contract';
import type { InstanceRecord, PacedSendLogEntry, PacedSendRecord, SendAnswer, SendPacingSettings, Store, Transaction } from '../storage/ports.ts';
import type { Clock, IdSource } from './clock.ts';
import type { EventService } from './events.ts';
import { NO_PEERS, type Peers } from './peers.ts';
import {
  DAY_MS, DEFAULT_SEND_PACING, drawGap, earliestSendTime, HOUR_MS, isPacedPath, MINUTE_MS, nextSendTime, sentWithin, warmupActionOf, warmupEnd, warmupRefuses,
} from './send-pacing-schedule.ts';

/** What a queued call answers instead of the vendor's payload (the transport renders it, docs/pacing.md). */
export class QueuedSend {
  constructor(readonly queueId: string, /** unix ms */ readonly sendAt: number) {}
}

/** Runs a call on the instance's driver session, as an unpaced call would. */
export type PerformSend = (instance: InstanceRecord, path: string, request: unknown) => Promise<unknown>;

interface Waiting {
  readonly queueId: string;
  readonly path: string;
  readonly request: unknown;
  readonly recipient: string;
  /** Present for the queued form: the record in the store. */
  readonly record?: PacedSendRecord;
  /** Present for the blocking form: the caller waiting for the vendor's answer. */
  readonly caller?: { resolve(value: unknown): void; reject(err: unknown): void };
}

interface History {
  lastSentAt: number | null;
  gapMs: number;
  sent: PacedSendLogEntry[];
}

export interface SendPacingState {
  readonly settings: SendPacingSettings;
  readonly queueLength: number;
  /** unix ms; null when nothing waits. */
  readonly nextSendAt: number | null;
  readonly sentLastMinute: number;
  readonly sentLastDay: number;
  /** unix ms; null when no warm-up is running. */
  readonly warmupUntil: number | null;
}

export interface SendPacingOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly events: EventService;
  readonly instance: (guid: string) => Promise<InstanceRecord | undefined>;
  readonly perform: PerformSend;
  readonly random?: () => number;
  /** The other nodes of a cluster: settings changed on one are read again by the others. */
  readonly peers?: Peers;
  /**
   * One of several nodes: an instance's queue would run on whichever node took each send, so pacing is refused
   * rather than run per node (docs/cluster.md); queued sends left from a single node stay stored, unsent.
   */
  readonly clustered?: boolean;
}

/** Why a cluster refuses send pacing, naming the way out. */
const notOnCluster = () => new ApiError('NOT_SUPPORTED',
  'send pacing is not available on a cluster of wxgate nodes yet (docs/cluster.md): its queue must run on one node; turn it off with enabled=false, or run a single node');

const MAX_TIMER_MS = 2 ** 31 - 1;

/** The call's chat, for the mass-send rule: messages name it `to_username`, friend adds `to_wxid` or `username`. */
function recipientOf(request: unknown): string {
  const r = request as { to_username?: unknown; to_wxid?: unknown } | null;
  const to = r?.to_username ?? r?.to_wxid;
  return typeof to === 'string' ? to : '';
}

function errorOf(err: unknown): { code: number; message: string; data: Record<string, unknown> | null } {
  const api = err instanceof ApiError ? err : new ApiError('INTERNAL');
  return { code: api.spec.code, message: api.message, data: api.data };
}

export class SendPacing {
  readonly #settings = new Map<string, SendPacingSettings>();
  readonly #queues = new Map<string, Waiting[]>();
  readonly #history = new Map<string, History>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** One drain at a time per instance, in order. */
  readonly #drains = new Map<string, Promise<void>>();
  /** The send each instance has taken off its queue and not finished: still a recent recipient for the warm-up. */
  readonly #inFlight = new Map<string, Waiting>();
  readonly #random: () => number;
  #closed = false;
  #lastPrune = 0;

  constructor(private readonly options: SendPacingOptions) {
    this.#random = options.random ?? Math.random;
    const peers = options.peers ?? NO_PEERS;
    peers.onNotice((notice) => {
      if (notice.kind === 'send-pacing-settings') void this.#reloadSettings([notice.guid]);
    });
    peers.onResync(() => void this.#reloadSettings([...this.#settings.keys()]));
  }

  /** Reads instances' settings again (changed on another node); a failed read keeps what was known. */
  async #reloadSettings(guids: readonly string[]): Promise<void> {
    for (const guid of guids) {
      const settings = await this.options.store.sendPacing.settings(guid).catch(() => null);
      if (settings === null) continue;
      if (settings === undefined) this.#settings.delete(guid);
      else {
        this.#settings.set(guid, settings);
        this.#historyOf(guid).gapMs = drawGap(settings, this.#random);
      }
    }
  }

  /**
   * Loads settings, recent sends and the persisted queue. A send found `sending` was handed to the driver when the
   * process stopped: whether WeChat got it is unknown, so it is reported as interrupted and never resent (at-most-once).
   */
  async load(): Promise<void> {
    const { store, clock } = this.options;
    const now = clock.now();
    await store.sendPacing.forgetSentBefore(now - DAY_MS);
    for (const { guid, settings } of await store.sendPacing.allSettings()) {
      this.#settings.set(guid, settings);
      const sent = await store.sendPacing.sentSince(guid, now - DAY_MS);
      const last = sent.at(-1);
      this.#history.set(guid, { lastSentAt: last?.at ?? null, gapMs: drawGap(settings, this.#random), sent });
    }
    // On a cluster every node would run them: they wait, stored, for a single node.
    for (const record of this.options.clustered ? [] : await store.sendPacing.pending()) {
      if (record.state === 'sending') {
        await this.#report(record, { ok: false, error: errorOf(new ApiError('PACED_SEND_INTERRUPTED')) });
        continue;
      }
      this.#queueOf(record.guid).push({ queueId: record.queueId, path: record.path, request: record.request, recipient: record.recipient, record });
    }
    for (const guid of this.#queues.keys()) this.#schedule(guid);
  }

  settingsOf(guid: string): SendPacingSettings {
    return this.#settings.get(guid) ?? DEFAULT_SEND_PACING;
  }

  async configure(guid: string, settings: SendPacingSettings): Promise<void> {
    if (settings.enabled && this.options.clustered) throw notOnCluster();
    await this.options.store.sendPacing.saveSettings(guid, settings);
    this.#settings.set(guid, settings);
    void (this.options.peers ?? NO_PEERS).announce({ kind: 'send-pacing-settings', guid });
    const history = this.#historyOf(guid);
    history.gapMs = drawGap(settings, this.#random);
    this.#schedule(guid);
  }

  /** The account logged in on the instance: a device is new for an account until it has been on it warmupDays. */
  noteLogin(guid: string, wxid: string, tx?: Transaction): Promise<void> {
    return (tx ?? this.options.store).sendPacing.recordDeviceLogin(guid, wxid, this.options.clock.now());
  }

  async state(guid: string): Promise<SendPacingState> {
    const settings = this.settingsOf(guid);
    const now = this.options.clock.now();
    const history = this.#historyOf(guid);
    const queueLength = this.#queues.get(guid)?.length ?? 0;
    const device = await this.options.store.sendPacing.deviceLogin(guid);
    return {
      settings,
      queueLength,
      nextSendAt: queueLength ? nextSendTime(settings, history, now) : null,
      sentLastMinute: sentWithin(history.sent, now, MINUTE_MS),
      sentLastDay: sentWithin(history.sent, now, DAY_MS),
      warmupUntil: warmupEnd(settings, device?.at, now),
    };
  }

  /** Every instance with something waiting, for the metrics. */
  queues(): Array<{ guid: string; length: number; nextSendAt: number }> {
    const now = this.options.clock.now();
    return [...this.#queues].filter(([, q]) => q.length > 0)
      .map(([guid, q]) => ({ guid, length: q.length, nextSendAt: nextSendTime(this.settingsOf(guid), this.#historyOf(guid), now) }));
  }

  /**
   * A call on its way to the driver: run at once when the instance is not paced or the call is no send; otherwise
   * checked against the warm-up, then queued (answering a QueuedSend) or held until its turn (answering the driver's),
   * as `answer` (the caller's, for this call) or else the instance's settings say.
   */
  async submit(instance: InstanceRecord, path: string, request: unknown, answer?: SendAnswer): Promise<unknown> {
    const settings = this.#settings.get(instance.guid);
    if (!settings?.enabled || !isPacedPath(path)) return this.options.perform(instance, path, request);
    // Refused, not sent unpaced: the operator asked for pacing, and a cluster cannot keep it yet.
    if (this.options.clustered) throw notOnCluster();
    const recipient = recipientOf(request);
    await this.#checkWarmup(instance.guid, settings, path, recipient);
    const queueId = 'psq_' + this.options.ids.uuid().replaceAll('-', '');
    if ((answer ?? settings.answer) === 'blocking') {
      return new Promise((resolve, reject) => {
        this.#queueOf(instance.guid).push({ queueId, path, request, recipient, caller: { resolve, reject } });
        this.#schedule(instance.guid);
      });
    }
    const record: PacedSendRecord = {
      queueId, appId: instance.appId, guid: instance.guid, path, request, recipient, enqueuedAt: this.options.clock.now(), state: 'queued',
    };
    await this.options.store.sendPacing.enqueue(record);
    // Taken after the await: a drain that emptied the queue meanwhile has dropped the old array.
    const queue = this.#queueOf(instance.guid);
    queue.push({ queueId, path, request, recipient, record });
    const sendAt = earliestSendTime(settings, this.#historyOf(instance.guid), this.options.clock.now(), queue.length - 1);
    this.#schedule(instance.guid);
    return new QueuedSend(queueId, sendAt);
  }

  /** Sends whatever is due now on every instance, and waits for it (the timers call this; tests on a manual clock too). */
  async runDue(): Promise<void> {
    await Promise.all([...this.#queues.keys()].map((guid) => this.#drain(guid)));
  }

  /** Forgets a removed instance: its queue is dropped without sending. */
  async forget(guid: string): Promise<void> {
    for (const waiting of this.#queues.get(guid) ?? []) waiting.caller?.reject(new ApiError('UNKNOWN_INSTANCE'));
    this.#queues.delete(guid);
    this.#settings.delete(guid);
    this.#history.delete(guid);
    clearTimeout(this.#timers.get(guid));
    this.#timers.delete(guid);
    await this.options.store.sendPacing.removeInstance(guid);
  }

  /** Stops the timers; blocking callers are answered SHUTTING_DOWN (their sends did not go); queued sends stay stored. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    for (const queue of this.#queues.values()) {
      for (const waiting of queue) waiting.caller?.reject(new ApiError('SHUTTING_DOWN'));
    }
    await Promise.all(this.#drains.values());
  }

  async #checkWarmup(guid: string, settings: SendPacingSettings, path: string, recipient: string): Promise<void> {
    const action = warmupActionOf(path);
    if (!action) return;
    const now = this.options.clock.now();
    const device = await this.options.store.sendPacing.deviceLogin(guid);
    const end = warmupEnd(settings, device?.at, now);
    if (end === null) return;
    const recent = new Set<string>();
    if (action === 'mass_send') {
      for (const entry of this.#historyOf(guid).sent) if (entry.at > now - HOUR_MS && entry.recipient) recent.add(entry.recipient);
      const pending = [...(this.#queues.get(guid) ?? []), ...[this.#inFlight.get(guid)].filter((w) => w !== undefined)];
      for (const waiting of pending) if (waiting.recipient && warmupActionOf(waiting.path) === 'mass_send') recent.add(waiting.recipient);
    }
    if (!warmupRefuses(action, recipient, recent, settings)) return;
    const what = { moments: 'Moments posts', friend_add: 'friend adds', mass_send: `messages to more than ${settings.massSendRecipients} chats an hour (mass sends)` }[action];
    throw new ApiError('PACING_WARMUP',
      `${device!.wxid} logged in on this instance at ${new Date(device!.at).toISOString()}; during the ${settings.warmupDays}-day warm-up its send pacing refuses ${what} until ${new Date(end).toISOString()}`,
      { allowed_after: Math.floor(end / 1000), action });
  }

  #queueOf(guid: string): Waiting[] {
    let queue = this.#queues.get(guid);
    if (!queue) this.#queues.set(guid, (queue = []));
    return queue;
  }

  #historyOf(guid: string): History {
    let history = this.#history.get(guid);
    if (!history) this.#history.set(guid, (history = { lastSentAt: null, gapMs: 0, sent: [] }));
    return history;
  }

  /** Arms the instance's timer for its head's send time (real time; a manual clock's tests call runDue instead). */
  #schedule(guid: string): void {
    if (this.#closed) return;
    clearTimeout(this.#timers.get(guid));
    this.#timers.delete(guid);
    const queue = this.#queues.get(guid);
    if (!queue?.length) return;
    const now = this.options.clock.now();
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, nextSendTime(this.settingsOf(guid), this.#historyOf(guid), now) - now));
    const timer = setTimeout(() => {
      this.#timers.delete(guid);
      void this.#drain(guid);
    }, delay);
    // Not unref'd: a blocking caller waits on it, and close() clears it.
    this.#timers.set(guid, timer);
  }

  #drain(guid: string): Promise<void> {
    const next = (this.#drains.get(guid) ?? Promise.resolve()).then(() => this.#sendDue(guid));
    this.#drains.set(guid, next);
    void next.finally(() => {
      if (this.#drains.get(guid) === next) this.#drains.delete(guid);
    });
    return next;
  }

  async #sendDue(guid: string): Promise<void> {
    const queue = this.#queues.get(guid);
    while (queue?.length && !this.#closed) {
      const settings = this.settingsOf(guid);
      const history = this.#historyOf(guid);
      const now = this.options.clock.now();
      if (nextSendTime(settings, history, now) > now) break;
      const waiting = queue.shift()!;
      this.#inFlight.set(guid, waiting);
      try {
        await this.#send(guid, waiting, settings, history);
      } finally {
        this.#inFlight.delete(guid);
      }
    }
    if (!queue?.length) this.#queues.delete(guid);
    this.#schedule(guid);
  }

  async #send(guid: string, waiting: Waiting, settings: SendPacingSettings, history: History): Promise<void> {
    const { store, clock } = this.options;
    const instance = await this.options.instance(guid);
    if (!instance) {
      waiting.caller?.reject(new ApiError('UNKNOWN_INSTANCE'));
      if (waiting.record) await store.sendPacing.remove(waiting.queueId);
      return;
    }
    // Written before the driver is called: after a crash from here on the send is reported, not repeated.
    if (waiting.record) await store.sendPacing.markSending(waiting.queueId);
    let outcome: { ok: true; result: unknown } | { ok: false; error: ReturnType<typeof errorOf>; err: unknown };
    try {
      outcome = { ok: true, result: await this.options.perform(instance, waiting.path, waiting.request) };
    } catch (err) {
      outcome = { ok: false, error: errorOf(err), err };
    }
    // Every call that reached the driver counts against the caps, whatever WeChat answered.
    const at = clock.now();
    const entry = { at, recipient: waiting.recipient };
    history.lastSentAt = at;
    history.gapMs = drawGap(settings, this.#random);
    history.sent.push(entry);
    while (history.sent.length && history.sent[0]!.at <= at - DAY_MS) history.sent.shift();
    await store.sendPacing.recordSent(guid, entry);
    if (at - this.#lastPrune > MINUTE_MS) {
      this.#lastPrune = at;
      await store.sendPacing.forgetSentBefore(at - DAY_MS);
    }
    if (waiting.caller) {
      if (outcome.ok) waiting.caller.resolve(outcome.result);
      else waiting.caller.reject(outcome.err);
    } else if (waiting.record) {
      await this.#report(waiting.record, outcome.ok ? { ok: true, result: outcome.result } : { ok: false, error: outcome.error }, instance);
    }
  }

  /** Removes the record and publishes its 9001 in one transaction: the result is told once, exactly when it is final. */
  async #report(record: PacedSendRecord, outcome: { ok: boolean; result?: unknown; error?: unknown }, known?: InstanceRecord): Promise<void> {
    const instance = known ?? await this.options.instance(record.guid);
    await this.options.store.transaction(async (tx) => {
      await tx.sendPacing.remove(record.queueId);
      if (instance) {
        await this.options.events.publish(instance, [{
          notifyType: NOTIFY_TYPES.PacedSendResult,
          data: { queue_id: record.queueId, path: record.path, enqueued_at: Math.floor(record.enqueuedAt / 1000), ...outcome },
        }], tx);
      }
    });
  }
}
