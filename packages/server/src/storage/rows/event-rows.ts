// Events and delivery attempts from SQL rows, for every SQL store.
import type { DeliveryAttempt, EventRecord, WebhookState, WebhookStatus } from '../ports.ts';

type Row = Record<string, unknown>;

export const eventFromRow = (r: Row): EventRecord & { webhook: WebhookStatus } => ({
  id: r.id as string,
  appId: r.app_id as string,
  guid: r.guid as string,
  sn: r.sn as number,
  notifyType: r.notify_type as number,
  data: JSON.parse(r.data as string) as unknown,
  createdAt: r.created_at as number,
  filtered: r.filtered === 1,
  webhook: {
    state: r.webhook_state as WebhookState,
    attempts: r.attempts as number,
    nextAttemptAt: (r.next_attempt_at as number | null) ?? null,
  },
});

export const attemptFromRow = (r: Row): DeliveryAttempt => ({
  eventId: r.event_id as string,
  attempt: r.attempt as number,
  startedAt: r.started_at as number,
  durationMs: r.duration_ms as number,
  statusCode: (r.status_code as number | null) ?? null,
  error: (r.error as string | null) ?? null,
  responseExcerpt: r.response_excerpt as string,
});
