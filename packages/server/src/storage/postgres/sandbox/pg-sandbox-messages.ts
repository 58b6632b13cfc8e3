// The sandbox message archive on PostgreSQL: messages stored once in per-app commit order, read marks, the emoji store,
// send restrictions and offline-sync marks.
import { emojiFromRow, messageFromRow } from '../../rows/sandbox/sandbox-messages-rows.ts';
import type { NewSandboxMessage, SandboxMessageRepository } from '../../sandbox-message-ports.ts';
import type { Sql } from '../pg-sql.ts';

const INSERT_MESSAGE = `INSERT INTO sandbox_messages (app_id, msg_id, local_id, client_msg_id, session, from_wxid, to_username,
  chatroom, msg_type, app_type, content, source, push_desc, refers_to, created_at)
  SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15
  FROM (SELECT pg_advisory_xact_lock(hashtext('archive:' || $1::text))) AS archive_lock`;

const messageParams = (m: NewSandboxMessage) => [m.appId, m.msgId, m.localId, m.clientMsgId, m.session, m.fromWxid, m.toUsername, m.chatroom,
  m.msgType, m.appType, m.content, m.source, m.pushDesc, m.refersTo, m.createdAt];

export function pgSandboxMessages(sql: Sql): SandboxMessageRepository {
  return {
    // seq comes from an identity, handed out when the row is inserted but seen only at commit: two inserters of one app
    // could commit out of order, and a reader past the later seq would skip the earlier one for good. The app's archive
    // lock, held to the commit, makes allocation order the commit order. It is taken by the insert's own FROM clause,
    // before the identity is drawn: one statement, all or nothing, one round trip.
    insert: async (m) => ({ ...m, seq: (await sql.row(`${INSERT_MESSAGE} RETURNING seq`, messageParams(m)))!.seq as number, revokedAt: null }),
    // With the commit (Sql.holdBack): the archive lock is then held only while the server commits, not across the
    // round trips of a busy event loop; sends committing together share one commit (pg-group-commit.ts).
    insertWithCommit: (message) => sql.holdBack({ kind: 'archive', message }),
    get: async (appId, msgId) => {
      const row = await sql.row('SELECT * FROM sandbox_messages WHERE app_id = $1 AND msg_id = $2', [appId, msgId]);
      return row && messageFromRow(row);
    },
    markRevoked: async (appId, msgId, at) => {
      await sql.run('UPDATE sandbox_messages SET revoked_at = $1 WHERE app_id = $2 AND msg_id = $3', [at, appId, msgId]);
    },
    listSession: async (appId, session, afterSeq, limit) =>
      (await sql.rows('SELECT * FROM sandbox_messages WHERE app_id = $1 AND session = $2 AND seq > $3 ORDER BY seq LIMIT $4', [appId, session, afterSeq, limit]))
        .map(messageFromRow),
    listPrivateOf: async (appId, wxid, afterSeq, limit) =>
      (await sql.rows(`SELECT * FROM sandbox_messages WHERE app_id = $1 AND chatroom = '' AND seq > $2 AND (from_wxid = $3 OR to_username = $3)
        ORDER BY seq LIMIT $4`, [appId, afterSeq, wxid, limit])).map(messageFromRow),
    listVisibleTo: async (appId, wxid, afterSeq, limit) =>
      (await sql.rows(`SELECT * FROM sandbox_messages WHERE app_id = $1 AND seq > $2 AND (
          (chatroom = '' AND (from_wxid = $3 OR to_username = $3))
          OR chatroom IN (SELECT room_id FROM sandbox_room_members WHERE app_id = $1 AND wxid = $3)
          OR chatroom IN (SELECT room_username FROM sandbox_openim_room_members WHERE app_id = $1 AND username = $3))
        ORDER BY seq LIMIT $4`, [appId, afterSeq, wxid, limit])).map(messageFromRow),
    maxSeq: async (appId) =>
      ((await sql.row('SELECT max(seq) AS seq FROM sandbox_messages WHERE app_id = $1', [appId]))!.seq as number | null) ?? 0,
    setOfflineMark: async (appId, wxid, seq) => {
      await sql.run(`INSERT INTO sandbox_offline_marks (app_id, wxid, synced_seq) VALUES ($1, $2, $3)
        ON CONFLICT (app_id, wxid) DO UPDATE SET synced_seq = excluded.synced_seq`, [appId, wxid, seq]);
    },
    // One statement, so two logins racing for the mark never both get it.
    takeOfflineMark: async (appId, wxid) =>
      (await sql.row('DELETE FROM sandbox_offline_marks WHERE app_id = $1 AND wxid = $2 RETURNING synced_seq', [appId, wxid]))?.synced_seq as number | undefined,
    lastSeq: async (appId, session) =>
      ((await sql.row('SELECT max(seq) AS seq FROM sandbox_messages WHERE app_id = $1 AND session = $2', [appId, session]))!.seq as number | null) ?? 0,
    setReadMark: async (appId, owner, session, seq) => {
      // A mark only moves forward: marking an older point read does not make newer messages unread.
      await sql.run(`INSERT INTO sandbox_read_marks (app_id, owner_wxid, session, read_seq) VALUES ($1, $2, $3, $4)
        ON CONFLICT (app_id, owner_wxid, session) DO UPDATE SET read_seq = GREATEST(sandbox_read_marks.read_seq, excluded.read_seq)`,
      [appId, owner, session, seq]);
    },
    readMark: async (appId, owner, session) =>
      ((await sql.row('SELECT read_seq FROM sandbox_read_marks WHERE app_id = $1 AND owner_wxid = $2 AND session = $3', [appId, owner, session]))
        ?.read_seq as number | undefined) ?? 0,
    // Merged and answered in one statement, so racing registrations each see a row both of them contributed to.
    putEmoji: async (e) => emojiFromRow((await sql.row(`INSERT INTO sandbox_emojis (app_id, md5, size, cdn_url, aes_key, extern_url, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (app_id, md5) DO UPDATE SET
          size = CASE WHEN sandbox_emojis.size = 0 THEN excluded.size ELSE sandbox_emojis.size END,
          cdn_url = CASE WHEN sandbox_emojis.cdn_url = '' THEN excluded.cdn_url ELSE sandbox_emojis.cdn_url END,
          aes_key = CASE WHEN sandbox_emojis.aes_key = '' THEN excluded.aes_key ELSE sandbox_emojis.aes_key END,
          extern_url = CASE WHEN sandbox_emojis.extern_url = '' THEN excluded.extern_url ELSE sandbox_emojis.extern_url END
        RETURNING *`, [e.appId, e.md5, e.size, e.cdnUrl, e.aesKey, e.externUrl, e.createdAt]))!),
    getEmoji: async (appId, md5) => {
      const row = await sql.row('SELECT * FROM sandbox_emojis WHERE app_id = $1 AND md5 = $2', [appId, md5]);
      return row && emojiFromRow(row);
    },
    setSendRestriction: async (appId, wxid, until) => {
      if (until <= 0) await sql.run('DELETE FROM sandbox_send_restrictions WHERE app_id = $1 AND wxid = $2', [appId, wxid]);
      else {
        await sql.run(`INSERT INTO sandbox_send_restrictions (app_id, wxid, until) VALUES ($1, $2, $3)
          ON CONFLICT (app_id, wxid) DO UPDATE SET until = excluded.until`, [appId, wxid, until]);
      }
    },
    sendRestriction: async (appId, wxid) =>
      ((await sql.row('SELECT until FROM sandbox_send_restrictions WHERE app_id = $1 AND wxid = $2', [appId, wxid]))?.until as number | undefined) ?? 0,
  };
}
