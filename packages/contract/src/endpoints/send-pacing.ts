// The send pacing endpoints (/client/set_send_pacing, /client/get_send_pacing): wxgate's own per-instance send queue.
import { Type } from '@sinclair/typebox';
import { endpoint, Guid } from '../define.ts';
import { Int32, UInt32, UnixSeconds } from '../integers.ts';

const ClockTime = (description: string, example: string) =>
  Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description, examples: [example] });

/** The settings, as set and as answered (the answer has every field). */
const settingsFields = {
  enabled: Type.Boolean({ description: 'pace this instance\'s sends; false (the default) leaves every call as the vendor answers it', examples: [true] }),
  answer: Type.Union([Type.Literal('queued'), Type.Literal('blocking')], {
    default: 'queued',
    description: 'queued: a paced call answers at once with { queued: true, queue_id, send_at } and its real result follows as a 9001 callback; blocking: the call waits for its turn and answers exactly what the vendor answers. A call\'s header x-wxgate-pacing: queued|blocking overrides it for that call',
  }),
  min_delay_ms: UInt32({ maximum: 86_400_000, default: 3000, description: 'least time between two sends of this instance (ms); each gap is drawn at random between min and max' }),
  max_delay_ms: UInt32({ maximum: 86_400_000, default: 8000, description: 'most time between two sends (ms); not below min_delay_ms' }),
  per_minute: UInt32({ maximum: 10_000, default: 20, description: 'sends in any 60 seconds; 0 = no cap' }),
  per_day: UInt32({ maximum: 1_000_000, default: 500, description: 'sends in any 24 hours; 0 = no cap' }),
  quiet_start: ClockTime('local time the quiet hours begin (HH:MM); sends falling in them wait until quiet_end; equal to quiet_end = no quiet hours', '23:00'),
  quiet_end: ClockTime('local time the quiet hours end (HH:MM); may be before quiet_start (over midnight)', '08:00'),
  utc_offset_minutes: Int32({ minimum: -720, maximum: 840, default: 480, description: 'the local time of the quiet hours, as minutes east of UTC (480 = China Standard Time)' }),
  warmup_days: UInt32({ maximum: 30, default: 3, description: 'days after the account logs in on this instance (a new device) during which Moments posts, friend adds and mass sends are refused (PACING_WARMUP); 0 = no warm-up' }),
  mass_send_recipients: UInt32({ minimum: 1, maximum: 10_000, default: 5, description: 'during the warm-up, a send to a chat beyond this many different chats in the last hour counts as a mass send and is refused' }),
};

const Settings = Type.Object({
  guid: Guid,
  enabled: settingsFields.enabled,
  answer: Type.Optional(settingsFields.answer),
  min_delay_ms: Type.Optional(settingsFields.min_delay_ms),
  max_delay_ms: Type.Optional(settingsFields.max_delay_ms),
  per_minute: Type.Optional(settingsFields.per_minute),
  per_day: Type.Optional(settingsFields.per_day),
  quiet_start: Type.Optional(settingsFields.quiet_start),
  quiet_end: Type.Optional(settingsFields.quiet_end),
  utc_offset_minutes: Type.Optional(settingsFields.utc_offset_minutes),
  warmup_days: Type.Optional(settingsFields.warmup_days),
  mass_send_recipients: Type.Optional(settingsFields.mass_send_recipients),
});

const PacingState = Type.Object({
  ...settingsFields,
  queue_length: UInt32({ description: 'sends waiting (queued and blocking)', examples: [2] }),
  next_send_time: Type.Union([UnixSeconds('unix seconds of the next send, null when nothing waits'), Type.Null()], { examples: [1767258005] }),
  sent_last_minute: UInt32({ examples: [1] }),
  sent_last_day: UInt32({ examples: [40] }),
  warmup_until: Type.Union([UnixSeconds('unix seconds the new-device warm-up ends; null when none is running'), Type.Null()], { examples: [null] }),
}, { description: 'the instance\'s pacing settings (defaults filled in) and its queue' });

const PACED = 'Paced: every /msg/send_* call, /sns/sns_post, /sns/sns_comment, /sns/sns_like, /contact/add_friend and /room/add_chatroom_member_friend (docs/pacing.md).';

export const sendPacingEndpoints = [
  endpoint({
    path: '/client/set_send_pacing',
    module: 'client',
    summaryZh: '设置发送节奏',
    summaryEn: 'Set the send pacing of an instance',
    description: `wxgate extension, outside the vendor catalog: an optional per-instance send queue that protects the account (random gaps, caps, quiet hours, new-device warm-up). Fields left out take their defaults. ${PACED} Turning it off sends what is queued at once, in order.`,
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Settings,
    response: PacingState,
  }),
  endpoint({
    path: '/client/get_send_pacing',
    module: 'client',
    summaryZh: '获取发送节奏与队列',
    summaryEn: 'Get the send pacing and queue of an instance',
    description: `wxgate extension, outside the vendor catalog: the settings, queue length and next send time. ${PACED} Answered while the instance is rate-limit locked, uncounted.`,
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    passesRateLock: true,
    request: Type.Object({ guid: Guid }),
    response: PacingState,
  }),
] as const;
