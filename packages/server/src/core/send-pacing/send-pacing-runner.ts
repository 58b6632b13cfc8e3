// Runs each instance's paced-send queue: its timer, its turns (on a cluster under the instance's lease, read from the
// store), the sends themselves and telling their outcomes once.
import { ApiError, NOTIFY_TYPES } from '@wxgate/contract';
import type { InstanceRecord, PacedSendLogEntry, PacedSendOutcome, PacedSendRecord, SendPacingSettings, Store } from '../../storage/ports.ts';
import type { Clock } from '../clock.ts';
import type { EventService } from '../events.ts';
import { isSharedLease, SOLE_NODE, type Lease, type Ownership } from '../ownership.ts';
import type { Peers } from '../peers.ts';
import { DAY_MS, drawGap, MINUTE_MS, nextSendTime } from './send-pacing-schedule.ts';
import { BlockingWaiters, pacedSendError, settle, type Caller } from './send-pacing-waiters.ts';

/** Runs a call on the instance's driver session, as an unpaced call would. */
export type PerformSend = (instance: InstanceRecord, path: string, request: unknown) => Promise<unknown>;

export interface Waiting {
  readonly queueId: string;
  readonly path: string;
  readonly request: unknown;
  readonly recipient: string;
  /** Present when the send is stored: the queued form always, the blocking form on a cluster. */
  readonly record?: PacedSendRecord;
  /** Present when the caller waits on this node for the vendor's answer (the blocking form). */
  readonly caller?: Caller;
}

export interface History {
  lastSentAt: number | null;
  gapMs: number;
  sent: PacedSendLogEntry[];
}

/** The queue and recent sends of an instance, which the warm-up, the caps and the state judge by. */
export interface PacingView {
  readonly history: History;
  /** Waiting their turn, in the order they go. */
  readonly queued: readonly Waiting[];
  /** Handed to the driver and not finished (on a cluster also those a node stopped with). */
  readonly sending: readonly Waiting[];
}

/** One of several nodes (docs/cluster.md): the leases, and this node's name on the records of its blocking callers. */
export interface PacingCluster {
  readonly ownership: Ownership;
  readonly nodeId: string;
}

export interface PacingRunnerOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: EventService;
  readonly instance: (guid: string) => Promise<InstanceRecord | undefined>;
  readonly perform: PerformSend;
  readonly settingsOf: (guid: string) => SendPacingSettings;
  readonly random: () => number;
  readonly peers: Peers;
  readonly cluster?: PacingCluster;
  readonly waiters: BlockingWaiters;
}

/** On a cluster: how often a node looks for queues it should run and outcomes its callers wait for (notices can be missed). */
const CLUSTER_POLL_MS = 2000;
/** A blocking send's outcome nobody took within this long: its caller's node died. */
const OUTCOME_KEPT_MS = 3_600_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

const pacingWork = (guid: string) => `pacing:${guid}`;

/** The 9001 callback's form of an outcome: the error without its catalog name, as before clusters. */
function reported(outcome: PacedSendOutcome): { ok: boolean; result?: unknown; error?: unknown } {
  if (outcome.ok) return outcome;
  const { code, message, data } = outcome.error;
  return { ok: false, error: { code, message, data } };
}

const interrupted = (): PacedSendOutcome => ({ ok: false, error: pacedSendError(new ApiError('PACED_SEND_INTERRUPTED')) });

export const waitingOf = (record: PacedSendRecord, caller?: Caller): Waiting =>
  ({ queueId: record.queueId, path: record.path, request: record.request, recipient: record.recipient, record, ...(caller && { caller }) });

export class PacingRunner {
  /** The queues this node runs: every instance's on one node; on a cluster, those it held the lease of, as last read. */
  readonly #queues = new Map<string, Waiting[]>();
  readonly #history = new Map<string, History>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** One turn at a time per instance, in order; a turn asked for while one runs is folded into the next. */
  readonly #drains = new Map<string, Promise<void>>();
  readonly #nextTurns = new Map<string, Promise<void>>();
  /** The send each instance has taken off its queue and not finished: still a recent recipient for the warm-up. */
  readonly #inFlight = new Map<string, Waiting>();
  readonly #ownership: Ownership;
  #poller: NodeJS.Timeout | undefined;
  #closed = false;
  #lastPrune = 0;

  constructor(private readonly o: PacingRunnerOptions) {
    this.#ownership = o.cluster?.ownership ?? SOLE_NODE;
    this.#ownership.onMembershipChange(() => void this.poll());
  }

  /**
   * Reads the persisted queues. A send found `sending` was handed to the driver when the process stopped: whether
   * WeChat got it is unknown, so it is reported as interrupted and never resent (at-most-once). On a cluster each
   * queue is read by the node that runs it, at each turn, so this only starts looking for them.
   */
  async load(): Promise<void> {
    if (this.o.cluster) {
      this.#poller = setInterval(() => void this.poll(), CLUSTER_POLL_MS);
      this.#poller.unref();
      return this.poll();
    }
    for (const record of await this.o.store.sendPacing.pending()) {
      if (record.state === 'sending') await this.#finish(waitingOf(record), interrupted());
      else this.#queueOf(record.guid).push(waitingOf(record));
    }
    for (const guid of this.#queues.keys()) this.#schedule(guid);
  }

  historyOf(guid: string): History {
    let history = this.#history.get(guid);
    if (!history) this.#history.set(guid, (history = { lastSentAt: null, gapMs: 0, sent: [] }));
    return history;
  }

  /** The instance's queue and recent sends: this node's own on one node; the store's on a cluster (any node may have sent or queued). */
  async view(guid: string): Promise<PacingView> {
    if (!this.o.cluster) {
      const inFlight = this.#inFlight.get(guid);
      return { history: this.historyOf(guid), queued: [...(this.#queues.get(guid) ?? [])], sending: inFlight ? [inFlight] : [] };
    }
    const { store, clock } = this.o;
    const [records, sent] = await Promise.all([store.sendPacing.pending(guid), store.sendPacing.sentSince(guid, clock.now() - DAY_MS)]);
    // The drawn gap is kept while the last send is the one it was drawn after.
    const history = this.historyOf(guid);
    const lastSentAt = sent.at(-1)?.at ?? null;
    if (lastSentAt !== history.lastSentAt) Object.assign(history, { lastSentAt, gapMs: drawGap(this.o.settingsOf(guid), this.o.random) });
    history.sent = sent;
    return {
      history,
      queued: records.filter((r) => r.state === 'queued').map((record) => waitingOf(record)),
      sending: records.filter((r) => r.state === 'sending').map((record) => waitingOf(record)),
    };
  }

  /** A send queued on one node (a cluster's are stored and read at the turn). */
  push(guid: string, waiting: Waiting): number {
    const queue = this.#queueOf(guid);
    queue.push(waiting);
    this.#schedule(guid);
    return queue.length - 1;
  }

  /** Something changed for `guid`'s queue: on one node re-arm its timer; on a cluster, run a turn if this node runs it. */
  kick(guid: string): void {
    if (this.#closed) return;
    if (!this.o.cluster) this.#schedule(guid);
    else if (this.#ownership.prefers(pacingWork(guid))) void this.#drain(guid);
  }

  /** Sends whatever is due now on every instance this node runs, and waits for it (tests on a manual clock call this). */
  async runDue(): Promise<void> {
    await Promise.all([...this.#queues.keys()].map((guid) => this.#drain(guid)));
  }

  /** Every instance with something waiting in the queues this node runs, for the metrics. */
  queues(): Array<{ guid: string; length: number; nextSendAt: number }> {
    const now = this.o.clock.now();
    return [...this.#queues].filter(([, q]) => q.length > 0)
      .map(([guid, q]) => ({ guid, length: q.length, nextSendAt: nextSendTime(this.o.settingsOf(guid), this.historyOf(guid), now) }));
  }

  /** Drops a removed instance's queue without sending: its callers here are answered UNKNOWN_INSTANCE. */
  async forget(guid: string): Promise<void> {
    for (const waiting of this.#queues.get(guid) ?? []) waiting.caller?.reject(new ApiError('UNKNOWN_INSTANCE'));
    await this.o.waiters.rejectAll(() => new ApiError('UNKNOWN_INSTANCE'), guid);
    this.#queues.delete(guid);
    this.#history.delete(guid);
    clearTimeout(this.#timers.get(guid));
    this.#timers.delete(guid);
  }

  /**
   * Stops the timers; blocking callers are answered SHUTTING_DOWN (their sends did not go: on a cluster their records
   * are withdrawn, or, if another node is sending one right now, answered PACED_SEND_INTERRUPTED); queued sends stay stored.
   */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#poller);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    for (const queue of this.#queues.values()) for (const waiting of queue) waiting.caller?.reject(new ApiError('SHUTTING_DOWN'));
    await this.o.waiters.rejectAll((withdrawn) => new ApiError(withdrawn ? 'SHUTTING_DOWN' : 'PACED_SEND_INTERRUPTED'));
    await Promise.all(this.#drains.values());
  }

  /** On a cluster: runs the queues this node should run (a node died, a notice was missed), and answers waiting callers. */
  async poll(): Promise<void> {
    if (this.#closed || !this.o.cluster) return;
    try {
      for (const guid of await this.o.store.sendPacing.queuedInstances()) {
        if (!this.#drains.has(guid) && !this.#timers.has(guid)) this.kick(guid);
      }
      if (this.o.waiters.size) await this.o.waiters.collect();
      const now = this.o.clock.now();
      if (now - this.#lastPrune > MINUTE_MS) {
        this.#lastPrune = now;
        await this.o.store.sendPacing.forgetOutcomesBefore(now - OUTCOME_KEPT_MS);
      }
    } catch {
      // The store is unreachable: the next poll looks again.
    }
  }

  #queueOf(guid: string): Waiting[] {
    let queue = this.#queues.get(guid);
    if (!queue) this.#queues.set(guid, (queue = []));
    return queue;
  }

  /** Arms the instance's timer for its head's send time (real time; a manual clock's tests call runDue instead). */
  #schedule(guid: string): void {
    if (this.#closed) return;
    clearTimeout(this.#timers.get(guid));
    this.#timers.delete(guid);
    const queue = this.#queues.get(guid);
    if (!queue?.length) return;
    const now = this.o.clock.now();
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, nextSendTime(this.o.settingsOf(guid), this.historyOf(guid), now) - now));
    const timer = setTimeout(() => {
      this.#timers.delete(guid);
      void this.#drain(guid);
    }, delay);
    // Not unref'd: a blocking caller waits on it, and close() clears it.
    this.#timers.set(guid, timer);
  }

  /** Runs a turn of `guid`'s queue after the running one; turns asked for meanwhile share that one. */
  #drain(guid: string): Promise<void> {
    const waiting = this.#nextTurns.get(guid);
    if (waiting) return waiting;
    const running = this.#drains.get(guid);
    const next = (running ?? Promise.resolve()).then(() => {
      this.#nextTurns.delete(guid);
      return this.#turn(guid);
    });
    if (running) this.#nextTurns.set(guid, next);
    this.#drains.set(guid, next);
    void next.finally(() => {
      if (this.#drains.get(guid) === next) this.#drains.delete(guid);
    });
    return next;
  }

  /**
   * Sends what is due of `guid`'s queue. On a cluster, only under the instance's lease, with the queue and the log read
   * from the store first (another node may have queued or sent since); the lease is given up when nothing is due now.
   */
  async #turn(guid: string): Promise<void> {
    if (this.#closed) return;
    if (this.o.cluster && !this.#ownership.prefers(pacingWork(guid))) {
      this.#queues.delete(guid); // another node runs it now
      return;
    }
    const lease = await this.#ownership.acquire(pacingWork(guid)).catch(() => null);
    if (!lease) return; // another node holds it and runs the queue; the poll looks again
    try {
      if (isSharedLease(lease)) await this.#reload(guid);
      await this.#sendDue(guid, lease);
    } finally {
      if (isSharedLease(lease)) await lease.release().catch(() => {});
    }
    this.#schedule(guid);
  }

  /** The queue of `guid` as the store holds it; a send left `sending` was the previous holder's, which stopped with it. */
  async #reload(guid: string): Promise<void> {
    const { queued, sending } = await this.view(guid);
    for (const { record } of sending) await this.#finish(waitingOf(record!, this.o.waiters.take(record!.queueId)), interrupted());
    if (queued.length) this.#queues.set(guid, [...queued]);
    else this.#queues.delete(guid);
  }

  async #sendDue(guid: string, lease: Lease): Promise<void> {
    const queue = this.#queues.get(guid);
    while (queue?.length && !this.#closed && lease.valid) {
      const settings = this.o.settingsOf(guid);
      const history = this.historyOf(guid);
      const now = this.o.clock.now();
      if (nextSendTime(settings, history, now) > now) break;
      const head = queue.shift()!;
      // A cluster's caller waiting on this node is answered directly, not through the store.
      const caller = head.record?.waiter != null && head.record.waiter === this.o.cluster?.nodeId ? this.o.waiters.take(head.queueId) : undefined;
      const waiting = caller ? { ...head, caller } : head;
      this.#inFlight.set(guid, waiting);
      try {
        await this.#send(guid, waiting, settings, history);
      } finally {
        this.#inFlight.delete(guid);
      }
    }
    if (!queue?.length) this.#queues.delete(guid);
  }

  async #send(guid: string, waiting: Waiting, settings: SendPacingSettings, history: History): Promise<void> {
    const { store, clock } = this.o;
    const instance = await this.o.instance(guid);
    if (!instance) {
      waiting.caller?.reject(new ApiError('UNKNOWN_INSTANCE'));
      if (waiting.record) await store.sendPacing.remove(waiting.queueId);
      return;
    }
    // Written before the driver is called: after a crash from here on the send is reported, not repeated.
    if (waiting.record) await store.sendPacing.markSending(waiting.queueId);
    let outcome: PacedSendOutcome;
    let failure: unknown;
    try {
      outcome = { ok: true, result: await this.o.perform(instance, waiting.path, waiting.request) };
    } catch (err) {
      outcome = { ok: false, error: pacedSendError(err) };
      failure = err;
    }
    // Every call that reached the driver counts against the caps, whatever WeChat answered.
    const at = clock.now();
    const entry = { at, recipient: waiting.recipient };
    history.lastSentAt = at;
    history.gapMs = drawGap(settings, this.o.random);
    history.sent.push(entry);
    while (history.sent.length && history.sent[0]!.at <= at - DAY_MS) history.sent.shift();
    await store.sendPacing.recordSent(guid, entry);
    if (at - this.#lastPrune > MINUTE_MS) {
      this.#lastPrune = at;
      await store.sendPacing.forgetSentBefore(at - DAY_MS);
    }
    await this.#finish(waiting, outcome, instance, failure);
  }

  /**
   * Tells the outcome once, exactly when it is final: to the caller waiting on this node (with the driver's own error
   * when there is one); as a 9001 callback for the queued form, removing the record in the same transaction; or, for a
   * blocking caller on another node, kept in the store in the transaction that removes the record, and that node told.
   */
  async #finish(waiting: Waiting, outcome: PacedSendOutcome, known?: InstanceRecord, failure?: unknown): Promise<void> {
    const { record } = waiting;
    const { store } = this.o;
    if (waiting.caller) {
      if (record) await store.sendPacing.remove(record.queueId);
      if (failure !== undefined) waiting.caller.reject(failure);
      else settle(waiting.caller, outcome);
      return;
    }
    if (!record) return;
    if (record.answer === 'blocking') {
      await store.transaction(async (tx) => {
        await tx.sendPacing.remove(record.queueId);
        await tx.sendPacing.keepOutcome(record.queueId, record.guid, outcome, this.o.clock.now());
      });
      void this.o.peers.announce({ kind: 'send-pacing-done', guid: record.guid, queueId: record.queueId });
      return;
    }
    const instance = known ?? await this.o.instance(record.guid);
    await store.transaction(async (tx) => {
      await tx.sendPacing.remove(record.queueId);
      if (instance) {
        await this.o.events.publish(instance, [{
          notifyType: NOTIFY_TYPES.PacedSendResult,
          data: { queue_id: record.queueId, path: record.path, enqueued_at: Math.floor(record.enqueuedAt / 1000), ...reported(outcome) },
        }], tx);
      }
    });
  }
}
