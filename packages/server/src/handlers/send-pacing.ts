// Handlers of /client/set_send_pacing and /client/get_send_pacing: the instance's send pacing and queue, served by core.
import { invalidField, type Contract, type ResponseOf } from '@wxgate/contract';
import type { SendPacingState } from '../core/send-pacing/send-pacing.ts';
import { DEFAULT_SEND_PACING } from '../core/send-pacing/send-pacing-schedule.ts';
import type { SendPacingSettings } from '../storage/ports.ts';
import type { Handler } from './handler.ts';

type Answer = ResponseOf<Contract['/client/get_send_pacing']>;

const seconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

function answerOf(state: SendPacingState): Answer {
  const s = state.settings;
  return {
    enabled: s.enabled,
    answer: s.answer,
    min_delay_ms: s.minDelayMs,
    max_delay_ms: s.maxDelayMs,
    per_minute: s.perMinute,
    per_day: s.perDay,
    quiet_start: s.quietStart,
    quiet_end: s.quietEnd,
    utc_offset_minutes: s.utcOffsetMinutes,
    warmup_days: s.warmupDays,
    mass_send_recipients: s.massSendRecipients,
    queue_length: state.queueLength,
    // Rounded up: a send never goes before the second answered.
    next_send_time: state.nextSendAt === null ? null : Math.ceil(state.nextSendAt / 1000),
    sent_last_minute: state.sentLastMinute,
    sent_last_day: state.sentLastDay,
    warmup_until: seconds(state.warmupUntil),
  };
}

const setSendPacing: Handler<Contract['/client/set_send_pacing']> = async (req, { instance, services }) => {
  const d = DEFAULT_SEND_PACING;
  const settings: SendPacingSettings = {
    enabled: req.enabled,
    answer: req.answer ?? d.answer,
    minDelayMs: req.min_delay_ms ?? d.minDelayMs,
    maxDelayMs: req.max_delay_ms ?? Math.max(d.maxDelayMs, req.min_delay_ms ?? 0),
    perMinute: req.per_minute ?? d.perMinute,
    perDay: req.per_day ?? d.perDay,
    quietStart: req.quiet_start ?? d.quietStart,
    quietEnd: req.quiet_end ?? d.quietEnd,
    utcOffsetMinutes: req.utc_offset_minutes ?? d.utcOffsetMinutes,
    warmupDays: req.warmup_days ?? d.warmupDays,
    massSendRecipients: req.mass_send_recipients ?? d.massSendRecipients,
  };
  if (settings.maxDelayMs < settings.minDelayMs) {
    throw invalidField('max_delay_ms', `max_delay_ms (${settings.maxDelayMs}) must not be below min_delay_ms (${settings.minDelayMs})`);
  }
  if ((req.quiet_start === undefined) !== (req.quiet_end === undefined)) {
    throw invalidField(req.quiet_start === undefined ? 'quiet_start' : 'quiet_end', 'give quiet_start and quiet_end together');
  }
  await services.sendPacing.configure(instance.guid, settings);
  return answerOf(await services.sendPacing.state(instance.guid));
};

export const sendPacingHandlers = {
  '/client/set_send_pacing': setSendPacing,
  '/client/get_send_pacing': (async (_req, { instance, services }) => answerOf(await services.sendPacing.state(instance.guid))) as Handler<Contract['/client/get_send_pacing']>,
};
