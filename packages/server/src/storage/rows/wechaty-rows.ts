// The wechaty_tokens row as a record, shared by both engines.
import type { WechatyTokenRecord } from '../wechaty-ports.ts';

export const wechatyTokenFromRow = (r: Record<string, unknown>): WechatyTokenRecord => ({
  id: r.id as string, appId: r.app_id as string, guid: r.guid as string, tokenHash: r.token_hash as string, createdAt: Number(r.created_at),
});
