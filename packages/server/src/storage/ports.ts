// The storage port: what core needs from persistence, with no SQL in sight, so SQLite and Postgres can both serve it.

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
  /** Stored as given; only ever shown masked. */
  readonly proxy: string;
  readonly isLongProxy: boolean;
  readonly isLoginProxy: boolean;
  readonly syncHistoryMsg: boolean;
  readonly autoStart: boolean;
  readonly payload: string;
}

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
  listByApp(appId: string): Promise<InstanceRecord[]>;
  listAll(): Promise<InstanceRecord[]>;
  countByApp(appId: string): Promise<number>;
  update(guid: string, patch: InstancePatch, now: number): Promise<void>;
  delete(guid: string): Promise<void>;
}

/** Rate-limit locks outlive restarts; the per-minute counters do not need to. */
export interface QuotaRepository {
  setLock(guid: string, lockedUntil: number): Promise<void>;
  clearLock(guid: string): Promise<void>;
  /** Locks still in force at `now` (unix ms). */
  activeLocks(now: number): Promise<Array<{ guid: string; lockedUntil: number }>>;
}

export interface Store {
  readonly kind: string;
  readonly apps: AppRepository;
  readonly instances: InstanceRepository;
  readonly quota: QuotaRepository;
  /** Runs `work` atomically: everything it writes through `tx` commits together or not at all. */
  transaction<T>(work: (tx: Store) => Promise<T>): Promise<T>;
  /** Cheap liveness probe for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
