// The vendor's per-instance rate limit: more than N calls in any window locks the instance's API, and the lock survives restarts.
import { ApiError } from '@wxgate/contract';
import type { Store } from '../storage/ports.ts';
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

/**
 * The times of one instance's calls still inside the window, oldest first: a growable ring queue, so counting is O(1)
 * and memory follows the calls actually made, not the configured maximum.
 */
class CallWindow {
  #times = new Float64Array(8);
  #head = 0;
  #size = 0;

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

export class InstanceQuota {
  readonly #windows = new Map<string, CallWindow>();
  /** guid → unix ms when the lock ends */
  readonly #locks = new Map<string, number>();

  constructor(private readonly store: Store, private readonly clock: Clock, readonly rules: QuotaRules) {}

  /** Loads the locks still in force; call once at start. */
  async load(): Promise<void> {
    for (const { guid, lockedUntil } of await this.store.quota.activeLocks(this.clock.now())) this.#locks.set(guid, lockedUntil);
  }

  /**
   * Counts one call for `guid` (successful or not). Throws RATE_LIMITED while locked, and on the call that exceeds
   * the limit, which starts a lock of `lockSeconds`. `passWhileLocked` lets a status query through a lock, uncounted,
   * so a caller can see when it ends.
   */
  async consume(guid: string, passWhileLocked = false): Promise<void> {
    const now = this.clock.now();
    const lockedUntil = this.#locks.get(guid);
    if (lockedUntil !== undefined) {
      if (lockedUntil > now) {
        if (passWhileLocked) return;
        throw this.#lockedError(lockedUntil, now);
      }
      this.#locks.delete(guid);
      await this.store.quota.clearLock(guid);
    }
    let window = this.#windows.get(guid);
    if (!window) this.#windows.set(guid, (window = new CallWindow()));
    window.evict(now - this.rules.windowSeconds * 1000);
    if (window.size >= this.rules.maxCalls) {
      const until = now + this.rules.lockSeconds * 1000;
      this.#locks.set(guid, until);
      this.#windows.delete(guid);
      await this.store.quota.setLock(guid, until);
      throw this.#lockedError(until, now);
    }
    window.push(now);
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

  status(guid: string): QuotaStatus {
    const now = this.clock.now();
    const until = this.#locks.get(guid);
    const locked = until !== undefined && until > now;
    const window = this.#windows.get(guid);
    window?.evict(now - this.rules.windowSeconds * 1000);
    return {
      limit: this.rules.maxCalls,
      window_seconds: this.rules.windowSeconds,
      used: window?.size ?? 0,
      locked,
      unlock_time: locked ? Math.ceil(until / 1000) : null,
    };
  }

  lockedCount(): number {
    const now = this.clock.now();
    let n = 0;
    for (const until of this.#locks.values()) if (until > now) n++;
    return n;
  }

  /** Drops an instance's counters and lock (instance removed). */
  forget(guid: string): void {
    this.#windows.delete(guid);
    this.#locks.delete(guid);
  }
}
