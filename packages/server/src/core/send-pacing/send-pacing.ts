// Send pacing: the optional per-instance queue in front of the driver for sends (gaps, caps, quiet hours, warm-up).
import { ApiError } from '@wxgate/contract';
import type { InstanceRecord, PacedSendRecord, SendAnswer, SendPacingSettings, Store, Transaction } from '../../storage/ports.ts';
import type { Clock, IdSource } from '../clock.ts';
import type { EventService } from '../events.ts';
import { NO_PEERS, type Peers } from '../peers.ts';
import { PacingRunner, waitingOf, type PacingCluster, type PacingView, type PerformSend } from './send-pacing-runner.ts';
import {
  DAY_MS, DEFAULT_SEND_PACING, drawGap, earliestSendTime, HOUR_MS, isPacedPath, MINUTE_MS, nextSendTime, sentWithin, warmupActionOf, warmupEnd, warmupRefuses,
} from './send-pacing-schedule.ts';
import { BlockingWaiters } from './send-pacing-waiters.ts';

export type { PerformSend } from './send-pacing-runner.ts';

/** What a queued call answers instead of the vendor's payload (the transport renders it, docs/pacing.md). */
export class QueuedSend {
  constructor(readonly queueId: string, /** unix ms */ readonly sendAt: number) {}
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
  /** The other nodes of a cluster: settings changed on one are read again by the others, queued sends run by one. */
  readonly peers?: Peers;
  /**
   * One of several nodes (docs/cluster.md): every paced send is stored, and each instance's queue is run by one node
   * at a time, under the lease `pacing:<guid>`, from the store — its queue and its log of recent sends.
   */
  readonly cluster?: PacingCluster;
}

/** The call's chat, for the mass-send rule: messages name it `to_username`, friend adds `to_wxid` or `username`. */
function recipientOf(request: unknown): string {
  const r = request as { to_username?: unknown; to_wxid?: unknown } | null;
  const to = r?.to_username ?? r?.to_wxid;
  return typeof to === 'string' ? to : '';
}

export class SendPacing {
  readonly #settings = new Map<string, SendPacingSettings>();
  readonly #random: () => number;
  readonly #peers: Peers;
  readonly #waiters: BlockingWaiters;
  readonly #runner: PacingRunner;

  constructor(private readonly options: SendPacingOptions) {
    this.#random = options.random ?? Math.random;
    this.#peers = options.peers ?? NO_PEERS;
    this.#waiters = new BlockingWaiters(options.store);
    this.#runner = new PacingRunner({
      ...options, random: this.#random, peers: this.#peers, waiters: this.#waiters, settingsOf: (guid) => this.settingsOf(guid),
    });
    this.#peers.onNotice((notice) => {
      if (notice.kind === 'send-pacing-settings') void this.#reloadSettings([notice.guid]).then(() => this.#runner.kick(notice.guid));
      else if (notice.kind === 'send-pacing-queue') this.#runner.kick(notice.guid);
      else if (notice.kind === 'send-pacing-done') void this.#waiters.collect([notice.queueId]);
    });
    this.#peers.onResync(() => void this.#reloadSettings([...this.#settings.keys()]).then(() => this.#runner.poll()));
  }

  /** Reads instances' settings again (changed on another node); a failed read keeps what was known. */
  async #reloadSettings(guids: readonly string[]): Promise<void> {
    for (const guid of guids) {
      const settings = await this.options.store.sendPacing.settings(guid).catch(() => null);
      if (settings === null) continue;
      if (settings === undefined) this.#settings.delete(guid);
      else {
        this.#settings.set(guid, settings);
        this.#runner.historyOf(guid).gapMs = drawGap(settings, this.#random);
      }
    }
  }

  /** Loads settings, recent sends and the persisted queues (see PacingRunner.load). */
  async load(): Promise<void> {
    const { store, clock } = this.options;
    const now = clock.now();
    await store.sendPacing.forgetSentBefore(now - DAY_MS);
    for (const { guid, settings } of await store.sendPacing.allSettings()) {
      this.#settings.set(guid, settings);
      // On a cluster each turn and each submit read the log from the store: a copy here would only cost a query per instance.
      if (this.options.cluster) continue;
      const sent = await store.sendPacing.sentSince(guid, now - DAY_MS);
      Object.assign(this.#runner.historyOf(guid), { lastSentAt: sent.at(-1)?.at ?? null, gapMs: drawGap(settings, this.#random), sent });
    }
    await this.#runner.load();
  }

  settingsOf(guid: string): SendPacingSettings {
    return this.#settings.get(guid) ?? DEFAULT_SEND_PACING;
  }

  async configure(guid: string, settings: SendPacingSettings): Promise<void> {
    await this.options.store.sendPacing.saveSettings(guid, settings);
    this.#settings.set(guid, settings);
    void this.#peers.announce({ kind: 'send-pacing-settings', guid });
    this.#runner.historyOf(guid).gapMs = drawGap(settings, this.#random);
    this.#runner.kick(guid);
  }

  /** The account logged in on the instance: a device is new for an account until it has been on it warmupDays. */
  noteLogin(guid: string, wxid: string, tx?: Transaction): Promise<void> {
    return (tx ?? this.options.store).sendPacing.recordDeviceLogin(guid, wxid, this.options.clock.now());
  }

  async state(guid: string): Promise<SendPacingState> {
    const settings = this.settingsOf(guid);
    const now = this.options.clock.now();
    const { history, queued } = await this.#runner.view(guid);
    const device = await this.options.store.sendPacing.deviceLogin(guid);
    return {
      settings,
      queueLength: queued.length,
      nextSendAt: queued.length ? nextSendTime(settings, history, now) : null,
      sentLastMinute: sentWithin(history.sent, now, MINUTE_MS),
      sentLastDay: sentWithin(history.sent, now, DAY_MS),
      warmupUntil: warmupEnd(settings, device?.at, now),
    };
  }

  /** Every instance with something waiting in the queues this node runs, for the metrics. */
  queues(): Array<{ guid: string; length: number; nextSendAt: number }> {
    return this.#runner.queues();
  }

  /**
   * A call on its way to the driver: run at once when the instance is not paced or the call is no send; otherwise
   * checked against the warm-up, then queued (answering a QueuedSend) or held until its turn (answering the driver's),
   * as `answer` (the caller's, for this call) or else the instance's settings say.
   */
  async submit(instance: InstanceRecord, path: string, request: unknown, answer?: SendAnswer): Promise<unknown> {
    const settings = this.#settings.get(instance.guid);
    if (!settings?.enabled || !isPacedPath(path)) return this.options.perform(instance, path, request);
    const { guid } = instance;
    const recipient = recipientOf(request);
    const view = await this.#runner.view(guid);
    await this.#checkWarmup(guid, settings, path, recipient, view);
    const queueId = 'psq_' + this.options.ids.uuid().replaceAll('-', '');
    const form = answer ?? settings.answer;
    const { cluster } = this.options;
    if (form === 'blocking' && !cluster) {
      return new Promise((resolve, reject) => this.#runner.push(guid, { queueId, path, request, recipient, caller: { resolve, reject } }));
    }
    const record: PacedSendRecord = {
      queueId, appId: instance.appId, guid, path, request, recipient, enqueuedAt: this.options.clock.now(), state: 'queued',
      answer: form, waiter: form === 'blocking' ? cluster!.nodeId : null,
    };
    await this.options.store.sendPacing.enqueue(record);
    if (!cluster) {
      const position = this.#runner.push(guid, waitingOf(record));
      return new QueuedSend(queueId, earliestSendTime(settings, this.#runner.historyOf(guid), this.options.clock.now(), position));
    }
    // Stored first, then told: the node that runs the queue reads it from the store, whichever node that is.
    const answered = form === 'blocking' ? this.#waiters.wait(queueId, guid) : undefined;
    void this.#peers.announce({ kind: 'send-pacing-queue', guid });
    this.#runner.kick(guid);
    return answered ?? new QueuedSend(queueId, earliestSendTime(settings, view.history, this.options.clock.now(), view.queued.length));
  }

  /** Sends whatever is due now on every instance this node runs, and waits for it (tests on a manual clock call this). */
  runDue(): Promise<void> {
    return this.#runner.runDue();
  }

  /** Forgets a removed instance: its queue is dropped without sending. */
  async forget(guid: string): Promise<void> {
    await this.#runner.forget(guid);
    this.#settings.delete(guid);
    await this.options.store.sendPacing.removeInstance(guid);
  }

  /** Stops the timers and answers the blocking callers (see PacingRunner.close); queued sends stay stored. */
  close(): Promise<void> {
    return this.#runner.close();
  }

  async #checkWarmup(guid: string, settings: SendPacingSettings, path: string, recipient: string, view: PacingView): Promise<void> {
    const action = warmupActionOf(path);
    if (!action) return;
    const now = this.options.clock.now();
    const device = await this.options.store.sendPacing.deviceLogin(guid);
    const end = warmupEnd(settings, device?.at, now);
    if (end === null) return;
    const recent = new Set<string>();
    if (action === 'mass_send') {
      for (const entry of view.history.sent) if (entry.at > now - HOUR_MS && entry.recipient) recent.add(entry.recipient);
      for (const waiting of [...view.sending, ...view.queued]) if (waiting.recipient && warmupActionOf(waiting.path) === 'mass_send') recent.add(waiting.recipient);
    }
    if (!warmupRefuses(action, recipient, recent, settings)) return;
    const what = { moments: 'Moments posts', friend_add: 'friend adds', mass_send: `messages to more than ${settings.massSendRecipients} chats an hour (mass sends)` }[action];
    throw new ApiError('PACING_WARMUP',
      `${device!.wxid} logged in on this instance at ${new Date(device!.at).toISOString()}; during the ${settings.warmupDays}-day warm-up its send pacing refuses ${what} until ${new Date(end).toISOString()}`,
      { allowed_after: Math.floor(end / 1000), action });
  }
}
