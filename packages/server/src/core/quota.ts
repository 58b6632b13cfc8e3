// The vendor's per-instance rate limit: more than N calls in any window locks the instance's API; calls and lock survive restarts.
import { ApiError } from '@wxgate/contract';
import type { CallTally, QuotaRepository, Store } from '../storage/ports.ts';
import type { Clock } from './clock.ts';

export interface QuotaRules {
  readonly maxCalls: number;
  readonly windowSeconds: number;
  readonly lockSeconds: number;
}

export interface QuotaStatus {
  readonly limit: number;
  readonly window_seconds: number;
  /** Calls counted in the current window. */
  readonly used: number;
  readonly locked: boolean;
  /** unix seconds when the lock ends, or null. */
  readonly unlock_time: number | null;
}

/** How often an instance's calls that left the window are deleted from the store (a reload skips them anyway). */
const FORGET_EVERY_MS = 1000;

/**
 * The times of one instance's calls still inside the window, oldest first: a growable ring queue, so counting is O(1)
 * and memory follows the calls actually made, not the configured maximum.
 */
class CallWindow {
  #times = new Float64Array(8);
  #head = 0;
  #size = 0;
  /** When the store last forgot this instance's calls that left the window (unix ms). */
  forgottenAt = -Infinity;

  get size(): number {
    return this.#size;
  }

  /** Drops the calls at or before `cutoff` (they left the window). */
  evict(cutoff: number): void {
    while (this.#size > 0 && this.#times[this.#head]! <= cutoff) {
      this.#head = (this.#head + 1) % this.#times.length;
      this.#size--;
    }
  }

  push(t: number): void {
    if (this.#size === this.#times.length) {
      const grown = new Float64Array(this.#times.length * 2);
      for (let i = 0; i < this.#size; i++) grown[i] = this.#times[(this.#head + i) % this.#times.length]!;
      this.#times = grown;
      this.#head = 0;
    }
    this.#times[(this.#head + this.#size) % this.#times.length] = t;
    this.#size++;
  }
}

/**
 * Where calls are counted: in this process and its store (LocalCallCounter, the default), or in a store the nodes of a
 * cluster share (cluster/redis-quota.ts), so the limit holds for an instance whichever node its calls reach. Times are
 * passed in (unix ms, wxgate's clock) so that every implementation follows the same clock, tests' manual one included.
 */
export interface CallCounter {
  readonly rules: QuotaRules;
  /** Restores what survives a restart; called once at start. */
  load(now: number): Promise<void>;
  /**
   * Counts one call unless the instance is locked. Resolves to null when the call may proceed, else to when the lock
   * ends (unix ms): the lock in force, or the one this call started by exceeding the limit. `passWhileLocked` lets a
   * call through a lock in force, uncounted (null).
   */
  count(guid: string, now: number, passWhileLocked: boolean): Promise<number | null>;
  /** Calls inside the window at `now`, and when the lock ends if one is in force. */
  status(guid: string, now: number): Promise<{ used: number; lockedUntil: number | null }>;
  /** Instances locked at `now`. */
  lockedCount(now: number): Promise<number>;
  /** Drops an instance's calls and lock (the instance was removed). */
  forget(guid: string): Promise<void>;
}

/** The part of the store that keeps locks, which a shared counter also writes so that they outlive the counter's data. */
export type LockTable = Pick<QuotaRepository, 'setLock' | 'activeLocks'>;

/** The rate limit as the API applies it: the call that is refused, and what the status query shows. */
export class InstanceQuota {
  constructor(private readonly clock: Clock, private readonly counter: CallCounter) {}

  get rules(): QuotaRules {
    return this.counter.rules;
  }

  /** Call once at start. */
  load(): Promise<void> {
    return this.counter.load(this.clock.now());
  }

  /**
   * Counts one call for `guid` (successful or not). Throws RATE_LIMITED while locked, and on the call that exceeds
   * the limit, which starts a lock of `lockSeconds`. `passWhileLocked` lets a status query through a lock, uncounted,
   * so a caller can see when it ends.
   */
  async consume(guid: string, passWhileLocked = false): Promise<void> {
    const now = this.clock.now();
    const lockedUntil = await this.counter.count(guid, now, passWhileLocked);
    if (lockedUntil !== null) throw this.#lockedError(lockedUntil, now);
  }

  #lockedError(until: number, now: number): ApiError {
    const unlockTime = Math.ceil(until / 1000);
    return new ApiError(
      'RATE_LIMITED',
      `more than ${this.rules.maxCalls} calls in ${this.rules.windowSeconds}s: this instance's API is locked until ${new Date(until).toISOString()}`,
      { unlock_time: unlockTime, retry_after: Math.ceil((until - now) / 1000) },
      { 'retry-after': String(Math.max(1, Math.ceil((until - now) / 1000))) },
    );
  }

  async status(guid: string): Promise<QuotaStatus> {
    const { used, lockedUntil } = await this.counter.status(guid, this.clock.now());
    return {
      limit: this.rules.maxCalls,
      window_seconds: this.rules.windowSeconds,
      used,
      locked: lockedUntil !== null,
      unlock_time: lockedUntil === null ? null : Math.ceil(lockedUntil / 1000),
    };
  }

  lockedCount(): Promise<number> {
    return this.counter.lockedCount(this.clock.now());
  }

  /** Drops an instance's counters and lock (instance removed; the store deleted its rows). */
  forget(guid: string): Promise<void> {
    return this.counter.forget(guid);
  }
}

/**
 * One node alone: the windows in memory, every counted call written to the store before it proceeds, so the count and
 * the lock survive a restart.
 */
export class LocalCallCounter implements CallCounter {
  readonly #windows = new Map<string, CallWindow>();
  /** guid → unix ms when the lock ends */
  readonly #locks = new Map<string, number>();
  /** Calls counted in this event-loop turn, waiting for their write, and the instances whose old calls go with it. */
  #unwritten: Array<{ guid: string; at: number; calls: number }> = [];
  readonly #toForget = new Set<string>();
  #written: Promise<void> | null = null;

  constructor(private readonly store: Store, private readonly clock: Clock, readonly rules: QuotaRules) {}

  get #windowMs(): number {
    return this.rules.windowSeconds * 1000;
  }

  /** Loads the locks still in force and the calls still inside the window. */
  async load(now: number): Promise<void> {
    for (const { guid, lockedUntil } of await this.store.quota.activeLocks(now)) this.#locks.set(guid, lockedUntil);
    await this.store.quota.forgetCallsBefore(now - this.#windowMs);
    for (const { guid, at, calls } of await this.store.quota.recentCalls(now - this.#windowMs)) {
      const window = this.#window(guid);
      for (let i = 0; i < calls; i++) window.push(at);
    }
  }

  #window(guid: string): CallWindow {
    let window = this.#windows.get(guid);
    if (!window) this.#windows.set(guid, (window = new CallWindow()));
    return window;
  }

  async count(guid: string, now: number, passWhileLocked: boolean): Promise<number | null> {
    const lockedUntil = this.#locks.get(guid);
    if (lockedUntil !== undefined) {
      if (lockedUntil > now) return passWhileLocked ? null : lockedUntil;
      this.#locks.delete(guid);
      await this.store.quota.clearLock(guid);
    }
    const window = this.#window(guid);
    window.evict(now - this.#windowMs);
    if (window.size >= this.rules.maxCalls) {
      const until = now + this.rules.lockSeconds * 1000;
      this.#locks.set(guid, until);
      this.#windows.delete(guid);
      // The lock forgets the stored calls; a write of them still pending must land first, or they would outlive it.
      await this.#written?.catch(() => {}); // a failed write already failed the calls it carried
      await this.store.quota.setLock(guid, until);
      return until;
    }
    window.push(now);
    if (now - window.forgottenAt >= FORGET_EVERY_MS) {
      window.forgottenAt = now;
      this.#toForget.add(guid);
    }
    await this.#record(guid, now);
    return null;
  }

  /**
   * Writes the call before it proceeds, so a crash (kill -9 included) cannot forget a call that was served. The calls
   * counted in one event-loop turn share one commit (group commit): a commit per call costs a write-ahead-log frame
   * each and, every thousand frames, a checkpoint with fsync on the event loop.
   */
  #record(guid: string, at: number): Promise<void> {
    const last = this.#unwritten.at(-1);
    if (last && last.guid === guid && last.at === at) last.calls++;
    else this.#unwritten.push({ guid, at, calls: 1 });
    this.#written ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const tallies: CallTally[] = this.#unwritten;
      const forget = [...this.#toForget];
      this.#unwritten = [];
      this.#toForget.clear();
      this.#written = null;
      return this.store.quota.recordCalls(tallies, forget, this.clock.now() - this.#windowMs);
    });
    return this.#written;
  }

  async status(guid: string, now: number): Promise<{ used: number; lockedUntil: number | null }> {
    const until = this.#locks.get(guid);
    const window = this.#windows.get(guid);
    window?.evict(now - this.#windowMs);
    return { used: window?.size ?? 0, lockedUntil: until !== undefined && until > now ? until : null };
  }

  async lockedCount(now: number): Promise<number> {
    let n = 0;
    for (const until of this.#locks.values()) if (until > now) n++;
    return n;
  }

  async forget(guid: string): Promise<void> {
    this.#windows.delete(guid);
    this.#locks.delete(guid);
    this.#unwritten = this.#unwritten.filter((t) => t.guid !== guid);
    this.#toForget.delete(guid);
  }
}
