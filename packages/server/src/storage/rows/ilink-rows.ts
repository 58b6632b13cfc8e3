// The ilink_bots row as a record, shared by both engines.
import type { IlinkBotRecord } from '../ilink-ports.ts';

export const ilinkBotFromRow = (r: Record<string, unknown>): IlinkBotRecord => ({
  id: r.id as string, appId: r.app_id as string, guid: r.guid as string, tokenHash: r.token_hash as string,
  userWxid: r.user_wxid as string, createdAt: Number(r.created_at),
});
