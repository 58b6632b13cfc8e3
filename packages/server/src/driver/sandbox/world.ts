// The sandbox world's transaction: every change of the simulated network, the callbacks it causes and the login
// state it moves commit together in one store transaction, or not at all.
import { ApiError } from '@wxgate/contract';
import type { SandboxLoginSession, SandboxPerson, SandboxWorldRepository, Store, Transaction } from '../../storage/ports.ts';
import type { DriverEvent, DriverEventSink } from '../driver.ts';
import type { SandboxIds } from './ids.ts';

/** The time source the world runs on (unix ms); tests pass a manual clock. */
export interface SandboxClock {
  now(): number;
}

/** Optional WeChat rules a deployment can turn on (config). */
export interface SandboxRules {
  /** WeChat's new-device advice enforced: no Moments, mass sending or friend adds in a device's first 3 days. */
  readonly newDeviceRiskControl: boolean;
}

export interface WorldDeps {
  readonly store: Store;
  readonly clock: SandboxClock;
  readonly ids: SandboxIds;
  readonly sink: DriverEventSink;
  /** Off when omitted. */
  readonly rules?: SandboxRules;
}

/** One change of one app's world, inside its transaction. */
export class WorldChange {
  /** The moment of the change: every record and callback of it carries the same time. */
  readonly now: number;
  readonly #events = new Map<string, DriverEvent[]>();

  constructor(readonly tx: Transaction, readonly appId: string, private readonly deps: WorldDeps) {
    this.now = deps.clock.now();
  }

  get world(): SandboxWorldRepository {
    return this.tx.sandbox;
  }

  get ids(): SandboxIds {
    return this.deps.ids;
  }

  get rules(): SandboxRules {
    return this.deps.rules ?? { newDeviceRiskControl: false };
  }

  /** Queues a callback for an instance; it is recorded with the change when the change commits. */
  emit(guid: string, notifyType: number, data: unknown): void {
    let list = this.#events.get(guid);
    if (!list) this.#events.set(guid, (list = []));
    list.push({ notifyType, data });
  }

  /** Queues a callback for whichever of the app's instances `wxid` is logged in on; none when it is not. */
  async emitToAccount(wxid: string, notifyType: number, data: unknown): Promise<void> {
    const guid = await this.instanceOf(wxid);
    if (guid) this.emit(guid, notifyType, data);
  }

  /** The app's instance `wxid` is logged in on (one iPad login per account), or null. */
  async instanceOf(wxid: string): Promise<string | null> {
    return (await this.tx.instances.findByLogin(this.appId, wxid)) ?? null;
  }

  /** For each of `wxids` logged in on one of the app's instances, that instance: O(wxids), whatever the app's size. */
  instancesOf(wxids: readonly string[]): Promise<Map<string, string>> {
    return this.tx.instances.findByLogins(this.appId, wxids);
  }

  /** Records who is logged in on an instance (core persists it; status 2 follows from it). */
  setLogin(guid: string, wxid: string | null): Promise<void> {
    return this.deps.sink.loginChanged(guid, wxid, this.tx);
  }

  async person(wxid: string): Promise<SandboxPerson | undefined> {
    return this.world.people.get(this.appId, wxid);
  }

  /** The person, or SANDBOX_PERSON_NOT_FOUND naming the wxid (for the control API). */
  async requirePerson(wxid: string): Promise<SandboxPerson> {
    const person = await this.person(wxid);
    if (!person) throw new ApiError('SANDBOX_PERSON_NOT_FOUND', `no person ${wxid} in your app's sandbox world; list them with /sandbox/people/list`, { wxid });
    return person;
  }

  async loginSession(guid: string): Promise<SandboxLoginSession> {
    return (await this.world.loginSessions.get(guid)) ?? { guid, appId: this.appId, attempt: null, lastWxid: null, syncFailed: false };
  }

  /** A 64-bit message id for a 1010. */
  msgId(): string {
    return this.deps.ids.msgId();
  }

  /** Hands the queued callbacks to the sink inside the transaction, instance by instance, in the order they happened. */
  async flush(): Promise<void> {
    if (this.#events.size > 0) await this.deps.sink.emitMany([...this.#events].map(([guid, events]) => ({ guid, events })), this.tx);
    this.#events.clear();
  }
}

export class World {
  constructor(readonly deps: WorldDeps) {}

  /** Runs `work` as one change of `appId`'s world: its writes and its callbacks commit together, alone in the app. */
  change<T>(appId: string, work: (change: WorldChange) => Promise<T>): Promise<T> {
    return this.#run(appId, work, false);
  }

  /**
   * Runs `work` as a change that only adds messages (to the archive, with their callbacks) and reads the rest of the
   * world: such changes of one app run side by side, and every other change still runs alone. Among themselves they
   * are ordered by the app's archive lock and each instance's event sequence, which they take in that order.
   */
  addMessages<T>(appId: string, work: (change: WorldChange) => Promise<T>): Promise<T> {
    return this.#run(appId, work, true);
  }

  #run<T>(appId: string, work: (change: WorldChange) => Promise<T>, shared: boolean): Promise<T> {
    return this.deps.store.transaction(async (tx) => {
      const change = new WorldChange(tx, appId, this.deps);
      const result = await work(change);
      await change.flush();
      return result;
    }, { serializeOn: `sandbox-world:${appId}`, shared });
  }
}

/** The account logged in on `guid`, or the reason WeChat calls cannot run there now. */
export async function requireAccount(change: WorldChange, guid: string, options: { allowSyncFailed?: boolean } = {}): Promise<SandboxPerson> {
  // One read (instance, session, person): it opens nearly every call, so it costs one round trip, not three.
  const account = await change.world.loginSessions.account(change.appId, guid);
  if (!account?.loginWxid) throw new ApiError('NOT_LOGGED_IN');
  if (!options.allowSyncFailed && account.syncFailed) throw new ApiError('SYNC_FAILED');
  if (!account.person) throw new ApiError('NOT_LOGGED_IN', `the account ${account.loginWxid} no longer exists in the sandbox world (it was reset); log in again`);
  return account.person;
}
