// The ilink driver's links, context tokens and voices on SQLite (tables ilink_links, ilink_link_contexts, ilink_voices).
import type Database from 'better-sqlite3';
import type { IlinkLinkRepository } from '../ilink-link-ports.ts';
import { ilinkLinkFromRow } from '../rows/ilink-link-rows.ts';
import { secretContext, type SecretColumns } from '../secret-columns.ts';

type Row = Record<string, unknown>;
type Prepared = (sql: string) => Database.Statement;
type Run = <T>(fn: () => T) => Promise<T>;

export function sqliteIlinkLinks(prepared: Prepared, run: Run, secrets: SecretColumns): IlinkLinkRepository {
  return {
    save: (l) => run(() => {
      // A new login replaces the link; the old bot's context tokens mean nothing to the new one (dropped first: a
      // failure in between leaves the old link without them, which costs only a reply's context).
      prepared('DELETE FROM ilink_link_contexts WHERE guid = ?').run(l.guid);
      prepared(`INSERT INTO ilink_links (guid, bot_token, ilink_bot_id, ilink_user_id, base_url, updates_buf, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (guid) DO UPDATE SET bot_token = excluded.bot_token, ilink_bot_id = excluded.ilink_bot_id, ilink_user_id = excluded.ilink_user_id,
          base_url = excluded.base_url, updates_buf = excluded.updates_buf, created_at = excluded.created_at`)
        .run(l.guid, secrets.seal(l.botToken, secretContext.ilinkBotToken(l.guid)), l.ilinkBotId, l.ilinkUserId, l.baseUrl, l.updatesBuf, l.createdAt);
    }),
    get: (guid) => run(() => {
      const row = prepared('SELECT * FROM ilink_links WHERE guid = ?').get(guid) as Row | undefined;
      return row && ilinkLinkFromRow(row, secrets);
    }),
    setUpdatesBuf: (guid, buf) => run(() => {
      prepared('UPDATE ilink_links SET updates_buf = ? WHERE guid = ?').run(buf, guid);
    }),
    remove: (guid) => run(() => prepared('DELETE FROM ilink_links WHERE guid = ?').run(guid).changes > 0),
    setContextToken: (guid, peer, token, at) => run(() => {
      prepared(`INSERT INTO ilink_link_contexts (guid, peer, context_token, updated_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (guid, peer) DO UPDATE SET context_token = excluded.context_token, updated_at = excluded.updated_at`).run(guid, peer, token, at);
    }),
    contextToken: (guid, peer) => run(() =>
      (prepared('SELECT context_token FROM ilink_link_contexts WHERE guid = ? AND peer = ?').get(guid, peer) as Row | undefined)?.context_token as string | undefined),
    setVoice: (guid, msgId, voice, at) => run(() => {
      prepared(`INSERT INTO ilink_voices (guid, msg_id, file_id, aes_key, created_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (guid, msg_id) DO UPDATE SET file_id = excluded.file_id, aes_key = excluded.aes_key`).run(guid, msgId, voice.fileId, voice.aesKey, at);
    }),
    voice: (guid, msgId) => run(() => {
      const row = prepared('SELECT file_id, aes_key FROM ilink_voices WHERE guid = ? AND msg_id = ?').get(guid, msgId) as Row | undefined;
      return row && { fileId: row.file_id as string, aesKey: row.aes_key as string };
    }),
  };
}
