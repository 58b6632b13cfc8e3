// The event outbox's front door: numbers and records events in the causing transaction, then wakes the consumers.
import { MSG_TYPES, NOTIFY_TYPES } from '@wxgate/contract';
import { v7 as timeOrderedUuid } from 'uuid';
import type { CallbackOptions, EventQuery, EventRecord, InstanceRecord, SnRange, Store, Transaction } from '../storage/ports.ts';
import type { Clock } from './clock.ts';
import { NO_PEERS, type Peers } from './peers.ts';

export interface PublishedEvent {
  readonly notifyType: number;
  readonly data: unknown;
}

/**
 * `evt_` + 32 hex digits: globally unique and header-safe (it is the `webhook-id`). The digits are a UUIDv7 (RFC 9562:
 * milliseconds, then random bits), so ids made one after another sort together: each event and each delivery attempt
 * lands on the last leaf of its B-tree index instead of a random one, and a commit of a hundred of them writes a few
 * pages, not a hundred (about half the write system calls of bench:callbacks, on either store).
 */
export function newEventId(): string {
  return 'evt_' + timeOrderedUuid().replaceAll('-', '');
}

/** Whether the instance's consumers want this event (filters and the self-sent switch). */
export function wanted(options: CallbackOptions, event: PublishedEvent, ownWxid: string | null): boolean {
  if (options.notifyTypes && !options.notifyTypes.includes(event.notifyType)) return false;
  if (event.notifyType === NOTIFY_TYPES.NewMsg) {
    const msg = event.data as { msg_type?: number; from_username?: string; chatroom_sender?: string } | null;
    if (options.msgTypes && msg?.msg_type !== undefined && !options.msgTypes.includes(msg.msg_type)) return false;
    const sender = msg?.chatroom_sender || msg?.from_username;
    if (!options.includeSelf && ownWxid && sender === ownWxid && msg?.msg_type !== MSG_TYPES.System) return false;
  }
  return true;
}

/** Why a listener is told: events of the instance committed, or a replay put some back in the webhook queue. */
export interface Wake {
  /** The range a replay put back in the webhook queue (sent at once, before later ones); null for new events. */
  readonly replay: SnRange | null;
  /** Some of the events are for the webhook queue; false when all were filtered or the instance has no notify_url. */
  readonly webhook: boolean;
}

/** Told an instance whose events committed. */
type Listener = (guid: string, wake: Wake) => void;

/** What publishing needs of an instance: where its events go and which it wants. */
type PublishingInstance = Pick<InstanceRecord, 'appId' | 'guid' | 'callbackOptions' | 'loginWxid' | 'notifyUrl'>;
/** Events for one instance. */
type PublishTarget = { readonly instance: PublishingInstance; readonly events: readonly PublishedEvent[] };
/** A target's events as written: which are filtered, which go to no URL; `index` is the target's place in the call. */
type PublishBatch = { readonly index: number; readonly instance: PublishingInstance; readonly events: Array<PublishedEvent & { filtered: boolean; unaddressed: boolean }> };

export class EventService {
  readonly #listeners = new Set<Listener>();

  constructor(private readonly store: Store, private readonly clock: Clock, private readonly peers: Peers = NO_PEERS) {
    // Events committed through another node wake this node's streams and lanes as its own do.
    peers.onNotice((notice) => {
      if (notice.kind === 'events') this.#tell(notice.guid, { replay: notice.replay, webhook: notice.webhook });
    });
  }

  /**
   * Appends events for an instance. Inside `tx` they commit with the change that caused them; consumers are woken
   * only after the commit, so nothing is ever sent that did not happen.
   */
  async publish(instance: PublishingInstance, events: readonly PublishedEvent[], tx?: Transaction): Promise<EventRecord[]> {
    return (await this.publishMany([{ instance, events }], tx))[0]!;
  }

  /** Appends events for several instances in one write (a room message reaches every member's instance); as `publish`. */
  async publishMany(targets: readonly PublishTarget[], tx?: Transaction): Promise<EventRecord[][]> {
    const batches = this.#batches(targets);
    const answer: EventRecord[][] = targets.map(() => []);
    if (batches.length === 0) return answer;
    const write = async (t: Transaction) => {
      const written = await t.events.appendMany(batches.map(({ instance, events }) => ({ appId: instance.appId, guid: instance.guid, events })), this.clock.now(), newEventId);
      this.#wakeAfter(t, batches);
      batches.forEach((batch, i) => (answer[batch.index] = written[i]!));
      return answer;
    };
    return tx ? write(tx) : this.store.transaction(write);
  }

  /**
   * As `publishMany` inside `tx`, for a caller that needs no sn: the append is made with the commit (the store's
   * appendWithCommit), which on PostgreSQL keeps the instances' sequence rows locked for the least time.
   */
  async publishWithCommit(targets: readonly PublishTarget[], tx: Transaction): Promise<void> {
    const batches = this.#batches(targets);
    if (batches.length === 0) return;
    await tx.events.appendWithCommit(batches.map(({ instance, events }) => ({ appId: instance.appId, guid: instance.guid, events })), this.clock.now(), newEventId);
    this.#wakeAfter(tx, batches);
  }

  #batches(targets: readonly PublishTarget[]): PublishBatch[] {
    return targets.flatMap(({ instance, events }, index) => (events.length === 0 ? [] : [{
      index,
      instance,
      // Without a notify_url the webhook queue is skipped at once (streams still carry them): no lane runs for it.
      events: events.map((e) => ({ ...e, filtered: !wanted(instance.callbackOptions, e, instance.loginWxid), unaddressed: !instance.notifyUrl })),
    }]));
  }

  #wakeAfter(tx: Transaction, batches: readonly PublishBatch[]): void {
    tx.afterCommit(() => {
      for (const { instance, events } of batches) this.#wake(instance.guid, { replay: null, webhook: events.some((e) => !e.filtered && !e.unaddressed) });
    });
  }

  list(query: EventQuery) {
    return this.store.events.list(query);
  }

  get(id: string) {
    return this.store.events.get(id);
  }

  lastSn(guid: string): Promise<number> {
    return this.store.events.lastSn(guid);
  }

  attempts(eventId: string) {
    return this.store.events.attempts(eventId);
  }

  /** Where a named stream consumer acknowledged up to (contiguously), or null for a consumer never seen. */
  cursor(guid: string, consumer: string): Promise<number | null> {
    return this.store.events.cursor(guid, consumer);
  }

  saveCursor(guid: string, consumer: string, ackedSn: number): Promise<void> {
    return this.store.events.setCursor(guid, consumer, ackedSn, this.clock.now());
  }

  /**
   * Puts a range of (unfiltered) events back in the webhook queue, due now, with the pending events before them (a
   * replay is sent at once, not after a retry delay, and still in sn order); returns how many were replayed.
   */
  async replay(guid: string, fromSn: number, toSn: number): Promise<number> {
    const events = (await this.store.events.range(guid, fromSn, toSn)).filter((e) => !e.filtered);
    if (events.length === 0) return 0;
    const now = this.clock.now();
    await this.store.transaction(async (tx) => {
      await tx.events.requeue(events.map((e) => e.id), now);
      await tx.events.dueNow(guid, events[events.length - 1]!.sn, now);
      tx.afterCommit(() => this.#wake(guid, { replay: { fromSn, toSn }, webhook: true }));
    });
    return events.length;
  }

  /** Called with an instance's guid whenever new events for it committed (dispatcher, streams). */
  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #wake(guid: string, wake: Wake): void {
    this.#tell(guid, wake);
    void this.peers.announce({ kind: 'events', guid, ...wake });
  }

  #tell(guid: string, wake: Wake): void {
    for (const listener of this.#listeners) listener(guid, wake);
  }
}
