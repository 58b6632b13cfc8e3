// The arithmetic of send pacing, pure: which calls are paced, when the next send may go, and the warm-up's refusals.
import type { PacedSendLogEntry, SendPacingSettings } from '../../storage/send-pacing-ports.ts';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const DEFAULT_SEND_PACING: SendPacingSettings = {
  enabled: false,
  answer: 'queued',
  minDelayMs: 3000,
  maxDelayMs: 8000,
  perMinute: 20,
  perDay: 500,
  quietStart: '00:00',
  quietEnd: '00:00',
  utcOffsetMinutes: 480,
  warmupDays: 3,
  massSendRecipients: 5,
};

/** Sends that friend-add: held back whole during the warm-up, like Moments posts. */
const FRIEND_ADDS: ReadonlySet<string> = new Set(['/contact/add_friend', '/room/add_chatroom_member_friend']);
/** Moments actions that post something (reads, deletes and un-likes are not sends). */
const MOMENTS_POSTS: ReadonlySet<string> = new Set(['/sns/sns_post', '/sns/sns_comment', '/sns/sns_like']);

/** Whether the instance's pacing applies to a call: every message send, Moments post and friend add. */
export function isPacedPath(path: string): boolean {
  return path.startsWith('/msg/send_') || MOMENTS_POSTS.has(path) || FRIEND_ADDS.has(path);
}

export type WarmupAction = 'moments' | 'friend_add' | 'mass_send';

/** What the warm-up judges a paced call as: a Moments post (only sns_post), a friend add, or a message (maybe a mass send). */
export function warmupActionOf(path: string): WarmupAction | null {
  if (path === '/sns/sns_post') return 'moments';
  if (FRIEND_ADDS.has(path)) return 'friend_add';
  if (path.startsWith('/msg/send_')) return 'mass_send';
  return null;
}

/** The gap after a send: uniform in [min, max] ms, whole milliseconds. */
export function drawGap(settings: Pick<SendPacingSettings, 'minDelayMs' | 'maxDelayMs'>, random: () => number): number {
  return settings.minDelayMs + Math.floor(random() * (settings.maxDelayMs - settings.minDelayMs + 1));
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** `at` itself, or the end of the quiet hours it falls in (local time at the configured UTC offset). */
export function afterQuietHours(at: number, settings: Pick<SendPacingSettings, 'quietStart' | 'quietEnd' | 'utcOffsetMinutes'>): number {
  const start = minutesOf(settings.quietStart) * MINUTE_MS;
  const end = minutesOf(settings.quietEnd) * MINUTE_MS;
  if (start === end) return at;
  const offset = settings.utcOffsetMinutes * MINUTE_MS;
  const local = at + offset;
  const ofDay = ((local % DAY_MS) + DAY_MS) % DAY_MS;
  const quiet = start < end ? ofDay >= start && ofDay < end : ofDay >= start || ofDay < end;
  if (!quiet) return at;
  let endLocal = local - ofDay + end;
  if (endLocal <= local) endLocal += DAY_MS;
  return endLocal - offset;
}

export interface PacingHistory {
  /** unix ms of the last paced send, null before the first. */
  readonly lastSentAt: number | null;
  /** The gap drawn after that send. */
  readonly gapMs: number;
  /** Sends of the last 24 hours, oldest first. */
  readonly sent: readonly PacedSendLogEntry[];
}

/**
 * The earliest time at or after `now` the next paced send may go: the drawn gap after the last send, then the
 * per-minute and per-day caps (sliding windows: the cap-th most recent send must have left the window), then the quiet
 * hours. Leaving the quiet hours only moves later, so the caps still hold after it.
 */
export function nextSendTime(settings: SendPacingSettings, history: PacingHistory, now: number): number {
  if (!settings.enabled) return now;
  let at = now;
  if (history.lastSentAt !== null) at = Math.max(at, history.lastSentAt + history.gapMs);
  const { sent } = history;
  if (settings.perMinute > 0 && sent.length >= settings.perMinute) at = Math.max(at, sent[sent.length - settings.perMinute]!.at + MINUTE_MS);
  if (settings.perDay > 0 && sent.length >= settings.perDay) at = Math.max(at, sent[sent.length - settings.perDay]!.at + DAY_MS);
  return afterQuietHours(at, settings);
}

/** How many sends of `sent` fall in the `windowMs` before `now`. */
export function sentWithin(sent: readonly PacedSendLogEntry[], now: number, windowMs: number): number {
  let count = 0;
  for (let i = sent.length - 1; i >= 0 && sent[i]!.at > now - windowMs; i--) count++;
  return count;
}

/** When the warm-up of a device ends, or null when there is none running at `now`. */
export function warmupEnd(settings: SendPacingSettings, firstLoginAt: number | undefined, now: number): number | null {
  if (!settings.enabled || settings.warmupDays === 0 || firstLoginAt === undefined) return null;
  const end = firstLoginAt + settings.warmupDays * DAY_MS;
  return now < end ? end : null;
}

/**
 * Whether the warm-up refuses a call. A mass send is a message to a chat when the account already has messages to
 * `massSendRecipients` other chats in the last hour (sent or queued): one conversation goes on, a broadcast does not.
 */
export function warmupRefuses(action: WarmupAction, recipient: string, recentRecipients: ReadonlySet<string>, settings: SendPacingSettings): boolean {
  if (action !== 'mass_send') return true;
  return !recentRecipients.has(recipient) && recentRecipients.size >= settings.massSendRecipients;
}

/**
 * The earliest time the send at `position` in the queue (0 = head) may go: the ones before it sent as early as they
 * may, each followed by the least gap (the real gaps are drawn, so this is a lower bound, exact for the head).
 */
export function earliestSendTime(settings: SendPacingSettings, history: PacingHistory, now: number, position: number): number {
  let at = nextSendTime(settings, history, now);
  let past: PacingHistory = history;
  for (let i = 0; i < position; i++) {
    past = { lastSentAt: at, gapMs: settings.minDelayMs, sent: [...past.sent, { at, recipient: '' }] };
    at = nextSendTime(settings, past, at);
  }
  return at;
}
