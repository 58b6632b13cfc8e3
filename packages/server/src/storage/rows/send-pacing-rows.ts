// Paced-send queue records from SQL rows, for every SQL store.
import type { PacedSendRecord } from '../send-pacing-ports.ts';

type Row = Record<string, unknown>;

/** Every table holding an instance's pacing, emptied when it is removed. */
export const PACING_TABLES = ['send_pacing', 'send_pacing_devices', 'paced_sends', 'paced_send_log', 'paced_send_outcomes'] as const;

export const sendFromRow = (r: Row): PacedSendRecord => ({
  queueId: r.queue_id as string,
  appId: r.app_id as string,
  guid: r.guid as string,
  path: r.path as string,
  request: JSON.parse(r.request as string) as unknown,
  recipient: r.recipient as string,
  enqueuedAt: r.enqueued_at as number,
  state: r.state as PacedSendRecord['state'],
  answer: r.answer as PacedSendRecord['answer'],
  waiter: (r.waiter as string | null) ?? null,
});
