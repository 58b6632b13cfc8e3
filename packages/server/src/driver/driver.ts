// The driver port: how core reaches a WeChat network (the sandbox simulation or a real upstream), one session per instance.
import type { Contract, Modules, RequestOf, ResponseOf } from '@wxgate/contract';
import type { InstanceRecord, Transaction } from '../storage/ports.ts';

/** Modules whose endpoints a driver serves; `client` and `admin` are wxgate's own business. */
export const DRIVER_MODULES = ['login', 'user', 'contact', 'room', 'msg', 'cloud', 'label', 'openim', 'sns', 'app', 'other', 'cdn'] as const;
export type DriverModule = (typeof DRIVER_MODULES)[number];
export type DriverPath = { [M in DriverModule]: keyof Modules[M] & string }[DriverModule];

export type DriverOperation<P extends DriverPath> = (
  request: RequestOf<Contract[P]>,
) => Promise<ResponseOf<Contract[P]>>;

/** What a session can do: an operation per contract path it serves; the keys are its capabilities. */
export type DriverOperations = { readonly [P in DriverPath]?: DriverOperation<P> };

/** A driver event on its way to the callback pipeline (notify_type + data, exactly as the vendor sends them). */
export interface DriverEvent {
  readonly notifyType: number;
  readonly data: unknown;
}

/** Where a session reports what happens on its account; connection trouble is an event, never a throw. */
export interface DriverEventSink {
  /**
   * Records callback events for an instance. Pass the transaction of the state change that caused them, so the
   * change and its events commit together; delivery starts only after the commit.
   */
  emit(guid: string, events: readonly DriverEvent[], tx?: Transaction): Promise<void>;
  /** Records events for several instances in one write (a room message's members); as `emit`. */
  emitMany(batches: ReadonlyArray<{ readonly guid: string; readonly events: readonly DriverEvent[] }>, tx?: Transaction): Promise<void>;
  /**
   * The account logged in (wxid) or out (null); core persists it so status 2 survives restarts. Pass the transaction
   * of the change (and its events), so the login state commits with them.
   */
  loginChanged(guid: string, wxid: string | null, tx?: Transaction): Promise<void>;
}

export interface DriverSession {
  readonly guid: string;
  readonly operations: DriverOperations;
  /** Ends the session (instance stopped or removed); must not throw. */
  close(): Promise<void>;
}

/** The /client/* changes a driver whose instances live elsewhere applies there before core records them. */
export type LifecyclePath = '/client/restore_client' | '/client/stop_client' | '/client/set_proxy' | '/client/set_bridge' | '/client/update_client';

/**
 * Optional hooks for a driver that backs each instance with something of its own (the relay: an upstream instance).
 * Core calls them before it changes its own records, so a failure there leaves nothing half done here.
 */
export interface DriverLifecycle {
  /** Before the instance is stored: create (or adopt) what backs it. */
  create(instance: InstanceRecord): Promise<void>;
  /** A lifecycle or settings call (request without guid), applied where the instance lives. */
  apply(instance: InstanceRecord, path: LifecyclePath, request: Record<string, unknown>): Promise<void>;
  /** Before the instance is removed here. */
  remove(instance: InstanceRecord): Promise<void>;
}

/** A message of an instance's archive: the 1010 fields as its account saw it (the `/events/messages` rows). */
export interface ArchivedMessage {
  readonly seq: number;
  readonly direction: 'in' | 'out';
  readonly revoked: boolean;
  readonly data: Readonly<Record<string, unknown>>;
}

export interface ArchiveQuery {
  /** One conversation only: the peer's wxid or the room id. */
  readonly talker?: string;
  readonly afterSeq: number;
  readonly limit: number;
}

/** The messages a driver keeps for an instance, oldest first. */
export interface MessageArchive {
  list(instance: InstanceRecord, query: ArchiveQuery): Promise<ArchivedMessage[]>;
  /** One message by its msg_id, when the account sent or received it (the Wechaty bridge's messageRawPayload): one indexed read. */
  get(instance: InstanceRecord, msgId: string): Promise<ArchivedMessage | undefined>;
}

export interface Driver {
  readonly name: string;
  /** Present when instances live elsewhere too (see DriverLifecycle); the sandbox has none. */
  readonly lifecycle?: DriverLifecycle;
  /** Present when the driver keeps the messages its instances saw (`/events/messages`). */
  readonly archive?: MessageArchive;
  /** Every path this driver can serve on some session; sessions may serve fewer (e.g. before login). */
  capabilities(): readonly DriverPath[];
  /**
   * Sessions need not be reopened at start: each opens on its instance's first call (the sandbox, whose sessions hold
   * nothing). Without it core reopens every running instance's session at start (the relay resyncs with its upstream).
   */
  readonly lazySessions?: boolean;
  /** Starts the session of a running instance. */
  open(instance: InstanceRecord, sink: DriverEventSink): Promise<DriverSession>;
  /** Releases driver-wide resources at shutdown. */
  close(): Promise<void>;
}
