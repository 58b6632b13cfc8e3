// Paced-send queue records from SQL rows, for every SQL store.
import type { PacedSendRecord } from '../send-pacing-ports.ts';

type Row = Record<string, unknown>;

export const sendFromRow = (r: Row): PacedSendRecord => ({
  queueId: r.queue_id as string,
  appId: r.app_id as string,
  guid: r.guid as string,
  path: r.path as string,
  request: JSON.parse(r.request as string) as unknown,
  recipient: r.recipient as string,
  enqueuedAt: r.enqueued_at as number,
  state: r.state as PacedSendRecord['state'],
});
