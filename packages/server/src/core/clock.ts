// Time and randomness as injectable services, so tests control both.
import { randomUUID } from 'node:crypto';

export interface Clock {
  /** unix milliseconds */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests. */
export class ManualClock implements Clock {
  constructor(private ms = Date.UTC(2026, 0, 1)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
  set(ms: number): void {
    this.ms = ms;
  }
}

export interface IdSource {
  uuid(): string;
}

export const randomIds: IdSource = { uuid: () => randomUUID() };
