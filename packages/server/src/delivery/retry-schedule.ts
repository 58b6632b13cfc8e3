// When to try a failed webhook again: the configured schedule with ±20 % jitter, never sooner than Retry-After.

const JITTER = 0.2;
/** A receiver's Retry-After is honoured up to a day; beyond that it is treated as a day. */
const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/**
 * Delay before the next attempt after `attemptsMade` attempts (≥ 1), or null when the schedule is exhausted.
 * `scheduleSeconds[i]` is the delay before attempt i+1, so the first entry (normally 0) is the first try.
 */
export function nextDelayMs(scheduleSeconds: readonly number[], attemptsMade: number, retryAfterMs: number | null, random = Math.random): number | null {
  const base = scheduleSeconds[attemptsMade];
  if (base === undefined) return null;
  const jittered = base * 1000 * (1 + (random() * 2 - 1) * JITTER);
  return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, MAX_RETRY_AFTER_MS)));
}

/** Parses Retry-After (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
