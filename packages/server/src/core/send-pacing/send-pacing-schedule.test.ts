// The arithmetic of send pacing: gaps within range, sliding caps, quiet hours over midnight and offsets, warm-up rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  afterQuietHours, DAY_MS, DEFAULT_SEND_PACING, drawGap, earliestSendTime, isPacedPath, MINUTE_MS, nextSendTime, warmupActionOf, warmupEnd, warmupRefuses,
} from './send-pacing-schedule.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const on = { ...DEFAULT_SEND_PACING, enabled: true };
const sends = (...ats: number[]) => ats.map((at) => ({ at, recipient: '' }));

test('gaps are drawn within [min, max], both ends reachable', () => {
  const range = { minDelayMs: 2000, maxDelayMs: 5000 };
  assert.equal(drawGap(range, () => 0), 2000);
  assert.equal(drawGap(range, () => 0.999999999), 5000);
  for (let i = 0; i < 1000; i++) {
    const gap = drawGap(range, Math.random);
    assert.ok(gap >= 2000 && gap <= 5000 && Number.isInteger(gap), String(gap));
  }
  assert.equal(drawGap({ minDelayMs: 0, maxDelayMs: 0 }, Math.random), 0);
});

test('the next send waits for the gap after the last one; off, everything goes now', () => {
  const history = { lastSentAt: T0, gapMs: 4000, sent: sends(T0) };
  assert.equal(nextSendTime(on, history, T0 + 1000), T0 + 4000);
  assert.equal(nextSendTime(on, history, T0 + 9000), T0 + 9000);
  assert.equal(nextSendTime({ ...on, enabled: false }, history, T0 + 1000), T0 + 1000);
  assert.equal(nextSendTime(on, { lastSentAt: null, gapMs: 0, sent: [] }, T0), T0);
});

test('per-minute and per-day caps are sliding windows: the cap-th most recent send must have left', () => {
  const capped = { ...on, perMinute: 3, perDay: 4 };
  const minute = { lastSentAt: T0 + 2000, gapMs: 0, sent: sends(T0, T0 + 1000, T0 + 2000) };
  assert.equal(nextSendTime(capped, minute, T0 + 3000), T0 + MINUTE_MS);
  const day = { lastSentAt: T0 + 3 * MINUTE_MS, gapMs: 0, sent: sends(T0, T0 + MINUTE_MS, T0 + 2 * MINUTE_MS, T0 + 3 * MINUTE_MS) };
  assert.equal(nextSendTime(capped, day, T0 + 4 * MINUTE_MS), T0 + DAY_MS);
  assert.equal(nextSendTime({ ...capped, perMinute: 0, perDay: 0 }, day, T0 + 4 * MINUTE_MS), T0 + 4 * MINUTE_MS);
});

test('quiet hours push a send to their end, in local time, over midnight too', () => {
  const quiet = { quietStart: '23:00', quietEnd: '08:00', utcOffsetMinutes: 480 };
  // 16:00 UTC is 00:00 in UTC+8: quiet until 08:00 local = 00:00 UTC the next day.
  assert.equal(afterQuietHours(Date.UTC(2026, 0, 1, 16, 0), quiet), Date.UTC(2026, 0, 2, 0, 0));
  // 15:30 UTC is 23:30 local.
  assert.equal(afterQuietHours(Date.UTC(2026, 0, 1, 15, 30), quiet), Date.UTC(2026, 0, 2, 0, 0));
  // 14:59 UTC is 22:59 local: not quiet.
  assert.equal(afterQuietHours(Date.UTC(2026, 0, 1, 14, 59), quiet), Date.UTC(2026, 0, 1, 14, 59));
  // 00:00 UTC is 08:00 local: the end itself is not quiet.
  assert.equal(afterQuietHours(Date.UTC(2026, 0, 2, 0, 0), quiet), Date.UTC(2026, 0, 2, 0, 0));
  const lunch = { quietStart: '12:00', quietEnd: '13:30', utcOffsetMinutes: -300 };
  assert.equal(afterQuietHours(Date.UTC(2026, 0, 1, 17, 10), lunch), Date.UTC(2026, 0, 1, 18, 30));
  assert.equal(afterQuietHours(Date.UTC(2026, 0, 1, 17, 10), { ...lunch, quietEnd: '12:00' }), Date.UTC(2026, 0, 1, 17, 10));
});

test('the estimate for a queue position adds the least gap per send before it', () => {
  const settings = { ...on, minDelayMs: 1000, maxDelayMs: 9000, perMinute: 0, perDay: 0 };
  const history = { lastSentAt: T0, gapMs: 3000, sent: sends(T0) };
  assert.equal(earliestSendTime(settings, history, T0, 0), T0 + 3000);
  assert.equal(earliestSendTime(settings, history, T0, 2), T0 + 5000);
});

test('paced paths: message sends, Moments posts, friend adds; not reads or revokes', () => {
  for (const path of ['/msg/send_text', '/msg/send_image', '/sns/sns_post', '/sns/sns_comment', '/contact/add_friend', '/room/add_chatroom_member_friend']) assert.ok(isPacedPath(path), path);
  for (const path of ['/msg/revoke_msg', '/sns/sns_timeline', '/contact/get_contact', '/contact/verify_friend']) assert.ok(!isPacedPath(path), path);
  assert.equal(warmupActionOf('/sns/sns_post'), 'moments');
  assert.equal(warmupActionOf('/sns/sns_like'), null);
  assert.equal(warmupActionOf('/contact/add_friend'), 'friend_add');
  assert.equal(warmupActionOf('/msg/send_text'), 'mass_send');
});

test('the warm-up runs warmupDays after the first login, and refuses a mass send only beyond the recipients allowed', () => {
  assert.equal(warmupEnd(on, T0, T0 + 1000), T0 + 3 * DAY_MS);
  assert.equal(warmupEnd(on, T0, T0 + 3 * DAY_MS), null);
  assert.equal(warmupEnd({ ...on, warmupDays: 0 }, T0, T0), null);
  assert.equal(warmupEnd(on, undefined, T0), null);
  const five = new Set(['a', 'b', 'c', 'd', 'e']);
  assert.equal(warmupRefuses('mass_send', 'f', five, on), true);
  assert.equal(warmupRefuses('mass_send', 'a', five, on), false);
  assert.equal(warmupRefuses('mass_send', 'f', new Set(['a']), on), false);
  assert.equal(warmupRefuses('moments', '', new Set(), on), true);
  assert.equal(warmupRefuses('friend_add', '', new Set(), on), true);
});
