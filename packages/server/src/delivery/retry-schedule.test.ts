// Unit tests of the retry schedule: jitter bounds, exhaustion, Retry-After.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextDelayMs, parseRetryAfter } from './retry-schedule.ts';

const schedule = [0, 5, 300, 1800];

test('delays follow the schedule within ±20 % and end when it does', () => {
  assert.equal(nextDelayMs(schedule, 1, null, () => 0.5), 5000);
  assert.equal(nextDelayMs(schedule, 1, null, () => 0), 4000);
  assert.equal(nextDelayMs(schedule, 1, null, () => 1), 6000);
  assert.equal(nextDelayMs(schedule, 3, null, () => 0.5), 1_800_000);
  assert.equal(nextDelayMs(schedule, 4, null), null, 'four attempts made: exhausted');
});

test('Retry-After pushes the next attempt later, never sooner, capped at a day', () => {
  assert.equal(nextDelayMs(schedule, 1, 60_000, () => 0.5), 60_000);
  assert.equal(nextDelayMs(schedule, 2, 1000, () => 0.5), 300_000);
  assert.equal(nextDelayMs(schedule, 1, 10 * 86_400_000, () => 0.5), 86_400_000);
  assert.equal(parseRetryAfter('120', 0), 120_000);
  assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:01:00 GMT', 0), 60_000);
  assert.equal(parseRetryAfter('soon', 0), null);
  assert.equal(parseRetryAfter(undefined, 0), null);
});
