// The ilink driver's links, context tokens and voices on PostgreSQL (tables ilink_links, ilink_link_contexts, ilink_voices).
import type { IlinkLinkRepository } from '../ilink-link-ports.ts';
import { ilinkLinkFromRow } from '../rows/ilink-link-rows.ts';
import { secretContext, type SecretColumns } from '../secret-columns.ts';
import type { Sql } from './pg-sql.ts';

export function pgIlinkLinks(sql: Sql, secrets: SecretColumns): IlinkLinkRepository {
  return {
    save: async (l) => {
      // A new login replaces the link; the old bot's context tokens mean nothing to the new one (dropped first: a
      // failure in between leaves the old link without them, which costs only a reply's context).
      await sql.run('DELETE FROM ilink_link_contexts WHERE guid = $1', [l.guid]);
      await sql.run(`INSERT INTO ilink_links (guid, bot_token, ilink_bot_id, ilink_user_id, base_url, updates_buf, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (guid) DO UPDATE SET bot_token = excluded.bot_token, ilink_bot_id = excluded.ilink_bot_id, ilink_user_id = excluded.ilink_user_id,
          base_url = excluded.base_url, updates_buf = excluded.updates_buf, created_at = excluded.created_at`,
        [l.guid, secrets.seal(l.botToken, secretContext.ilinkBotToken(l.guid)), l.ilinkBotId, l.ilinkUserId, l.baseUrl, l.updatesBuf, l.createdAt]);
    },
    get: async (guid) => {
      const row = await sql.row('SELECT * FROM ilink_links WHERE guid = $1', [guid]);
      return row && ilinkLinkFromRow(row, secrets);
    },
    setUpdatesBuf: async (guid, buf) => {
      await sql.run('UPDATE ilink_links SET updates_buf = $1 WHERE guid = $2', [buf, guid]);
    },
    remove: async (guid) => (await sql.rows('DELETE FROM ilink_links WHERE guid = $1 RETURNING guid', [guid])).length > 0,
    setContextToken: async (guid, peer, token, at) => {
      await sql.run(`INSERT INTO ilink_link_contexts (guid, peer, context_token, updated_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (guid, peer) DO UPDATE SET context_token = excluded.context_token, updated_at = excluded.updated_at`, [guid, peer, token, at]);
    },
    contextToken: async (guid, peer) =>
      (await sql.row('SELECT context_token FROM ilink_link_contexts WHERE guid = $1 AND peer = $2', [guid, peer]))?.context_token as string | undefined,
    setVoice: async (guid, msgId, voice, at) => {
      await sql.run(`INSERT INTO ilink_voices (guid, msg_id, file_id, aes_key, created_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (guid, msg_id) DO UPDATE SET file_id = excluded.file_id, aes_key = excluded.aes_key`, [guid, msgId, voice.fileId, voice.aesKey, at]);
    },
    voice: async (guid, msgId) => {
      const row = await sql.row('SELECT file_id, aes_key FROM ilink_voices WHERE guid = $1 AND msg_id = $2', [guid, msgId]);
      return row && { fileId: row.file_id as string, aesKey: row.aes_key as string };
    },
  };
}
