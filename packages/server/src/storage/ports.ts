// The storage port: what core needs from persistence, with no SQL in sight, so SQLite and Postgres can both serve it.
import type { CdnObjectRepository } from './media-ports.ts';
import type { RelayRepository } from './relay-ports.ts';
import type { SandboxWorldRepository } from './sandbox-ports.ts';
import type { SendPacingRepository } from './send-pacing-ports.ts';
import type { WechatyTokenRepository } from './wechaty-ports.ts';
import type { IlinkBotRepository, IlinkQrRepository } from './ilink-ports.ts';
import type { IlinkLinkRepository } from './ilink-link-ports.ts';
import type { VoiceTranscriptionRepository } from './voice-ports.ts';

export type * from './media-ports.ts';
export type * from './relay-ports.ts';
export type * from './sandbox-ports.ts';
export type * from './send-pacing-ports.ts';
export type * from './voice-ports.ts';
export type * from './wechaty-ports.ts';
export type * from './ilink-ports.ts';
export type * from './ilink-link-ports.ts';

export type ResponseModeName = 'standard' | 'raw';

export interface AppRecord {
  readonly id: string;
  readonly appKey: string;
  readonly name: string;
  /** `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`; the secret itself is never stored. */
  readonly secretHash: string;
  readonly mode: ResponseModeName;
  readonly disabled: boolean;
  /** unix ms */
  readonly createdAt: number;
}

/** Persisted lifecycle; 2 (online) is derived from `running` plus a logged-in account. */
export type InstanceRunState = 'stopped' | 'running';

export interface InstanceSettings {
  readonly clientType: number;
  readonly notifyUrl: string;
  readonly bridge: string;
  /** As given (encrypted at rest by the store's SecretSealer); only ever shown masked. */
  readonly proxy: string;
  readonly isLongProxy: boolean;
  readonly isLoginProxy: boolean;
  readonly syncHistoryMsg: boolean;
  readonly autoStart: boolean;
  readonly payload: string;
  readonly callbackOptions: CallbackOptions;
}

/** Which events an instance's consumers get, and whether 1010s are coalesced into 1011 batches. */
export interface CallbackOptions {
  /** notify types to deliver; null = all. */
  readonly notifyTypes: readonly number[] | null;
  /** msg types of 1010 events to deliver; null = all. */
  readonly msgTypes: readonly number[] | null;
  /** deliver messages this account sent itself (from another device or the API). */
  readonly includeSelf: boolean;
  /** coalesce 1010 events arriving within `batchWindowMs` into one 1011; 0 = off. */
  readonly batchWindowMs: number;
}

export const DEFAULT_CALLBACK_OPTIONS: CallbackOptions = { notifyTypes: null, msgTypes: null, includeSelf: true, batchWindowMs: 0 };

export interface InstanceRecord extends InstanceSettings {
  readonly guid: string;
  readonly appId: string;
  readonly runState: InstanceRunState;
  /** wxid of the logged-in account, if any (set by the login flow). */
  readonly loginWxid: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type InstancePatch = Partial<InstanceSettings & Pick<InstanceRecord, 'runState' | 'loginWxid'>>;

export interface AppRepository {
  insert(app: AppRecord): Promise<void>;
  findByKey(appKey: string): Promise<AppRecord | undefined>;
  findById(id: string): Promise<AppRecord | undefined>;
  list(): Promise<AppRecord[]>;
  update(id: string, patch: Partial<Pick<AppRecord, 'name' | 'secretHash' | 'mode' | 'disabled'>>): Promise<void>;
}

export interface InstanceRepository {
  insert(instance: InstanceRecord): Promise<void>;
  get(guid: string): Promise<InstanceRecord | undefined>;
  /** Every instance of an app: for listings and app-wide changes, never on a per-call path (it is O(instances)). */
  listByApp(appId: string): Promise<InstanceRecord[]>;
  listAll(): Promise<InstanceRecord[]>;
  /** The guid of the app's instance `wxid` is logged in on (at most one), by an index. */
  findByLogin(appId: string, wxid: string): Promise<string | undefined>;
  /** For each of `wxids` logged in on one of the app's instances, that instance's guid: O(wxids), whatever the app's size. */
  findByLogins(appId: string, wxids: readonly string[]): Promise<Map<string, string>>;
  countByApp(appId: string): Promise<number>;
  update(guid: string, patch: InstancePatch, now: number): Promise<void>;
  delete(guid: string): Promise<void>;
}

/** Calls one instance made in one millisecond. */
export interface CallTally {
  readonly guid: string;
  /** unix ms */
  readonly at: number;
  readonly calls: number;
}

/** The rate limit outlives restarts, crashes included: the calls still inside an instance's window, and its lock. */
export interface QuotaRepository {
  /** Adds the tallies, and forgets the calls of the `forget` instances at or before `windowStart` (out of the window). */
  recordCalls(tallies: readonly CallTally[], forget: readonly string[], windowStart: number): Promise<void>;
  /** The calls after `windowStart`, in time order per instance. */
  recentCalls(windowStart: number): Promise<CallTally[]>;
  /** Forgets every instance's calls at or before `windowStart`. */
  forgetCallsBefore(windowStart: number): Promise<void>;
  /** Locks the instance until `lockedUntil` and forgets its calls: the window starts over when the lock ends. */
  setLock(guid: string, lockedUntil: number): Promise<void>;
  clearLock(guid: string): Promise<void>;
  /** Locks still in force at `now` (unix ms). */
  activeLocks(now: number): Promise<Array<{ guid: string; lockedUntil: number }>>;
}

/** One callback event in the outbox: written in the transaction of the change that caused it, before anyone is told. */
export interface EventRecord {
  /** Globally unique, stable across retries and replays (the `webhook-id`). */
  readonly id: string;
  readonly appId: string;
  readonly guid: string;
  /** Per instance, strictly increasing from 1. */
  readonly sn: number;
  readonly notifyType: number;
  /** The callback's `data`, exactly as sent. */
  readonly data: unknown;
  /** unix ms */
  readonly createdAt: number;
  /** Left out of delivery (webhook and streams) by the instance's callback filters; still listable. */
  readonly filtered: boolean;
}

export type WebhookState = 'pending' | 'delivered' | 'failed' | 'skipped';

/** The webhook side of an event: where its delivery stands. */
export interface WebhookStatus {
  readonly state: WebhookState;
  readonly attempts: number;
  /** unix ms of the next try while pending. */
  readonly nextAttemptAt: number | null;
}

export interface NewEvent {
  readonly notifyType: number;
  readonly data: unknown;
  /** Recorded and listable, but filtered out of delivery (webhook and streams) by the instance's callback options. */
  readonly filtered?: boolean;
  /** Nobody to call (no notify_url when it was published): never queued for the webhook; streams still carry it. */
  readonly unaddressed?: boolean;
}

/** Sns `fromSn` to `toSn` of one instance, both included (e.g. what a replay put back in the webhook queue). */
export interface SnRange {
  readonly fromSn: number;
  readonly toSn: number;
}

export interface EventQuery {
  readonly guid: string;
  readonly afterSn: number;
  readonly limit: number;
  readonly notifyType?: number;
}

export interface DeliveryAttempt {
  readonly eventId: string;
  readonly attempt: number;
  /** unix ms */
  readonly startedAt: number;
  readonly durationMs: number;
  /** HTTP status, or null when no answer came (timeout, refused, DNS, blocked address). */
  readonly statusCode: number | null;
  readonly error: string | null;
  /** The first bytes of the receiver's answer. */
  readonly responseExcerpt: string;
}

/** New events of one instance, for EventRepository.appendMany. */
export interface EventBatch {
  readonly appId: string;
  readonly guid: string;
  readonly events: readonly NewEvent[];
}

/**
 * What one delivery did to one event: the attempt made (null for an event skipped unsent) and its new status (null when
 * a replay since then stands). A status that comes with an attempt is not written over a replay that put the event back
 * in the queue after the attempt started (its next attempt is then later than the attempt's start).
 */
export interface DeliveryRecord {
  readonly eventId: string;
  readonly attempt: DeliveryAttempt | null;
  readonly status: WebhookStatus | null;
}

export interface EventRepository {
  /** Appends events for one instance, numbering them after its last sn; call inside the causing transaction. */
  append(appId: string, guid: string, events: readonly NewEvent[], now: number, ids: () => string): Promise<EventRecord[]>;
  /**
   * Appends events for several instances at once (a room message's members), all or nothing — one statement where the
   * engine allows; answers each batch's records, in the order given. An instance named twice continues its numbering.
   */
  appendMany(batches: readonly EventBatch[], now: number, ids: () => string): Promise<EventRecord[][]>;
  /**
   * As appendMany, answering nothing, for a caller that needs no sn: inside a transaction the engine may hold the write
   * back and make it with the commit (PostgreSQL pipelines it with COMMIT, or commits it in a group with other
   * transactions' held-back writes, so the instances' sequence rows stay locked only while the server commits); its
   * failure fails the commit. Reads later in the same transaction may not see it.
   */
  appendWithCommit(batches: readonly EventBatch[], now: number, ids: () => string): Promise<void>;
  get(id: string): Promise<(EventRecord & { webhook: WebhookStatus }) | undefined>;
  list(query: EventQuery): Promise<Array<EventRecord & { webhook: WebhookStatus }>>;
  lastSn(guid: string): Promise<number>;
  /** Events between two sns, for replay. */
  range(guid: string, fromSn: number, toSn: number): Promise<EventRecord[]>;
  /** Instances with webhook events due at `now` (pending and next attempt reached). */
  dueInstances(now: number): Promise<string[]>;
  /** Per instance with webhook events still to deliver (pending, due or waiting for a retry): when the oldest was made. */
  oldestPending(): Promise<Array<{ guid: string; createdAt: number }>>;
  /** The oldest pending webhook events of an instance after `afterSn`, in sn order. */
  pending(guid: string, limit: number, afterSn?: number): Promise<Array<EventRecord & { webhook: WebhookStatus }>>;
  setWebhookStatus(id: string, status: WebhookStatus): Promise<void>;
  /** Puts events back to pending from `now` (replay). */
  requeue(ids: readonly string[], now: number): Promise<void>;
  /**
   * Makes the instance's pending events up to `throughSn` due at `now`: a replayed event is delivered in sn order, so
   * the ones before it must not keep waiting for a retry hours away.
   */
  dueNow(guid: string, throughSn: number, now: number): Promise<void>;
  /**
   * Writes what deliveries did, all or nothing — one statement where the engine allows, since the webhook sender writes
   * them in groups; an attempt already recorded is kept, and of two statuses for one event the later in the list wins.
   */
  recordDeliveries(records: readonly DeliveryRecord[]): Promise<void>;
  /** Where a stream consumer (WebSocket) has acknowledged up to, contiguously; 0 when unknown. */
  cursor(guid: string, consumer: string): Promise<number | null>;
  setCursor(guid: string, consumer: string, ackedSn: number, now: number): Promise<void>;
  attempts(eventId: string): Promise<DeliveryAttempt[]>;
  /** Deletes events and attempts older than `before` (unix ms); returns how many events went. */
  prune(before: number, limit: number): Promise<number>;
}

/** Per-app webhook signing secrets; during a rotation the previous one stays valid until it expires. */
export interface SigningSecret {
  readonly secret: string;
  readonly createdAt: number;
  /** unix ms after which it is no longer used to sign, or null while current. */
  readonly expiresAt: number | null;
}

export interface SigningSecretRepository {
  /** Secrets still signing at `now`, newest first. */
  active(appId: string, now: number): Promise<SigningSecret[]>;
  add(appId: string, secret: string, now: number): Promise<void>;
  /** Marks every current secret of the app to expire at `at` (a rotation's grace period). */
  expireCurrent(appId: string, at: number): Promise<void>;
}

/**
 * Encrypts secrets for storage at rest (implemented in core/secrets/secret-box.ts): a store seals the columns that hold secrets
 * (proxy URLs, webhook signing secrets, server secrets) on write and opens them on read, so the port stays plaintext.
 */
export interface SecretSealer {
  /** The stored form of `plain`, bound to `context` (which column of which row): it opens nowhere else. */
  seal(plain: string, context: string): string;
  /** The plaintext of a stored form; throws (naming the key setting) when no key it holds opens it. */
  open(stored: string, context: string): string;
  /** current: sealed with the current key; stale: sealed with another one (to re-seal); plain: written before encryption. */
  state(stored: string): 'current' | 'stale' | 'plain';
}

export interface Store {
  readonly kind: string;
  readonly apps: AppRepository;
  readonly instances: InstanceRepository;
  readonly quota: QuotaRepository;
  readonly events: EventRepository;
  readonly signingSecrets: SigningSecretRepository;
  /** The sandbox driver's simulated world (storage/sandbox-ports.ts). */
  readonly sandbox: SandboxWorldRepository;
  /** The relay driver's upstream mappings, callback dedup and mirror (storage/relay-ports.ts). */
  readonly relay: RelayRepository;
  /** The CDN object index of the media layer (storage/media-ports.ts). */
  readonly media: CdnObjectRepository;
  /** Voice-transcription jobs (storage/voice-ports.ts). */
  readonly voice: VoiceTranscriptionRepository;
  /** Send pacing: settings, the queue, the send log (storage/send-pacing-ports.ts). */
  readonly sendPacing: SendPacingRepository;
  /** The Wechaty bridge's tokens (storage/wechaty-ports.ts). */
  readonly wechatyTokens: WechatyTokenRepository;
  /** The iLink bridge's bots (storage/ilink-ports.ts). */
  readonly ilinkBots: IlinkBotRepository;
  /** The iLink bridge's pending bot QR codes (storage/ilink-ports.ts). */
  readonly ilinkQrCodes: IlinkQrRepository;
  /** The ilink driver's links to Tencent's iLink server (storage/ilink-link-ports.ts). */
  readonly ilinkLinks: IlinkLinkRepository;
  /** Runs `work` atomically: everything it writes through `tx` commits together or not at all. */
  transaction<T>(work: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Cheap liveness probe for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface TransactionOptions {
  /**
   * Transactions naming the same key run one at a time, in full (e.g. every change of one app's sandbox world, whose
   * rules read before they write). A store that runs every transaction one at a time (SQLite) has nothing more to do.
   */
  readonly serializeOn?: string;
  /**
   * Takes `serializeOn` shared: transactions that take a key shared may run side by side, and one that takes it without
   * `shared` waits for all of them and runs alone (e.g. changes that only add messages to a world whose rules they read).
   */
  readonly shared?: boolean;
}

/** The store as seen inside a transaction: the same repositories, plus hooks that run only once it committed. */
export interface Transaction extends Store {
  /** Runs `fn` after a successful commit (e.g. wake delivery); never when the transaction rolls back. */
  afterCommit(fn: () => void): void;
}
