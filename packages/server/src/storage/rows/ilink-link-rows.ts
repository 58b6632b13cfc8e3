// The ilink_links row as a record, shared by both engines (the bot_token opened by the caller's secret columns).
import type { IlinkLinkRecord } from '../ilink-link-ports.ts';
import { secretContext, type SecretColumns } from '../secret-columns.ts';

export const ilinkLinkFromRow = (r: Record<string, unknown>, secrets: SecretColumns): IlinkLinkRecord => ({
  guid: r.guid as string,
  botToken: secrets.open(r.bot_token as string, secretContext.ilinkBotToken(r.guid as string)),
  ilinkBotId: r.ilink_bot_id as string,
  ilinkUserId: r.ilink_user_id as string,
  baseUrl: r.base_url as string,
  updatesBuf: r.updates_buf as string,
  createdAt: Number(r.created_at),
});
