// Handlers of /events/*: the event log, delivery attempts, replay, test callbacks, filters and signing secrets.
import { ApiError, invalidField, type Modules } from '@wxgate/contract';
import { newEventId } from '../core/events.ts';
import { sendTestCallback } from '../delivery/test-callback.ts';
import type { CallbackOptions, EventRecord, WebhookStatus } from '../storage/ports.ts';
import type { HandlersFor } from './handler.ts';

const seconds = (ms: number) => Math.floor(ms / 1000);

function eventView(e: EventRecord & { webhook: WebhookStatus }) {
  return {
    event_id: e.id,
    sn: e.sn,
    guid: e.guid,
    notify_type: e.notifyType,
    data: e.data,
    created_at: seconds(e.createdAt),
    filtered: e.filtered,
    webhook: { state: e.webhook.state, attempts: e.webhook.attempts, next_attempt_at: e.webhook.nextAttemptAt },
  };
}

const filtersView = (o: CallbackOptions) => ({
  notify_types: o.notifyTypes ? [...o.notifyTypes] : null,
  msg_types: o.msgTypes ? [...o.msgTypes] : null,
  include_self: o.includeSelf,
  batch_window_ms: o.batchWindowMs,
});

export const eventsHandlers: HandlersFor<Modules['events']> = {
  '/events/list': async (req, { instance, services }) => ({
    events: (await services.events.list({ guid: instance.guid, afterSn: req.after_sn ?? 0, limit: req.limit ?? 100, notifyType: req.notify_type }))
      .map(eventView),
    last_sn: await services.events.lastSn(instance.guid),
  }),
  '/events/messages': async (req, { instance, services }) => {
    const { archive } = services.driver;
    if (!archive) throw new ApiError('NOT_SUPPORTED', `the ${services.driver.name} driver keeps no message archive`);
    const afterSeq = req.after_seq ?? 0;
    const page = await archive.list(instance, { talker: req.talker, afterSeq, limit: req.limit ?? 100 });
    return {
      messages: page.map((m) => ({ ...m.data, seq: m.seq, direction: m.direction, revoked: m.revoked })) as never,
      next_seq: page.at(-1)?.seq ?? afterSeq,
    };
  },
  '/events/attempts': async (req, { instance, services }) => {
    const event = await services.events.get(req.event_id);
    // Another instance's event answers like a missing one.
    if (!event || event.guid !== instance.guid) throw invalidField('event_id', 'no such event on this instance', 'not_found');
    return {
      event: eventView(event),
      attempts: (await services.events.attempts(event.id)).map((a) => ({
        attempt: a.attempt,
        started_at: a.startedAt,
        duration_ms: a.durationMs,
        status_code: a.statusCode,
        error: a.error,
        response_excerpt: a.responseExcerpt,
      })),
    };
  },
  '/events/replay': async (req, { instance, services }) => {
    if (req.to_sn < req.from_sn) throw invalidField('to_sn', 'to_sn must not be below from_sn');
    if (!instance.notifyUrl) throw new ApiError('NO_NOTIFY_URL');
    return { requeued: await services.events.replay(instance.guid, req.from_sn, req.to_sn) };
  },
  '/events/test': async (_req, { instance, services }) => {
    if (!instance.notifyUrl) throw new ApiError('NO_NOTIFY_URL');
    const result = await sendTestCallback(instance, {
      keys: services.keys,
      guard: services.urlGuard,
      timeoutMs: services.config.webhook.timeoutMs,
      now: () => services.clock.now(),
      id: newEventId(),
    });
    return {
      delivered: result.ok,
      status_code: result.statusCode,
      duration_ms: result.durationMs,
      error: result.error,
      response_excerpt: result.responseExcerpt,
    };
  },
  '/events/set_filters': async (req, { instance, services }) => {
    const current = instance.callbackOptions;
    const next: CallbackOptions = {
      notifyTypes: req.notify_types === undefined ? current.notifyTypes : req.notify_types,
      msgTypes: req.msg_types === undefined ? current.msgTypes : req.msg_types,
      includeSelf: req.include_self ?? current.includeSelf,
      batchWindowMs: req.batch_window_ms ?? current.batchWindowMs,
    };
    await services.instances.setCallbackOptions(instance, next);
    return filtersView(next);
  },
  '/events/get_filters': async (_req, { instance }) => filtersView(instance.callbackOptions),
  '/events/get_signing_secrets': async (_req, { app, services }) => {
    await services.keys.active(app.id);
    return {
      secrets: (await services.keys.list(app.id)).map((s) => ({
        secret: s.secret,
        created_at: seconds(s.createdAt),
        expires_at: s.expiresAt === null ? null : seconds(s.expiresAt),
      })),
    };
  },
  '/events/rotate_signing_secret': async (req, { app, services }) => {
    const rotated = await services.keys.rotate(app.id, req.grace_seconds ?? services.config.signingSecretGraceSeconds);
    return { secret: rotated.secret, previous_valid_until: rotated.previousValidUntil === null ? null : seconds(rotated.previousValidUntil) };
  },
};
