// The sandbox message archive on SQLite: messages stored once in seq order, read marks, the emoji store and
// risk-control send restrictions (migration 5).
import { emojiFromRow, messageFromRow } from '../../rows/sandbox/sandbox-messages-rows.ts';
import type { NewSandboxMessage, SandboxMessageRepository } from '../../sandbox-ports.ts';
import type { SandboxPrepared, SandboxRow, SandboxRun } from './sqlite-sandbox.ts';


export function sqliteSandboxMessages(prepared: SandboxPrepared, run: SandboxRun): SandboxMessageRepository {
  const get = (appId: string, msgId: string) => {
    const row = prepared('SELECT * FROM sandbox_messages WHERE app_id = ? AND msg_id = ?').get(appId, msgId) as SandboxRow | undefined;
    return row && messageFromRow(row);
  };
  const getEmoji = (appId: string, md5: string) => {
    const row = prepared('SELECT * FROM sandbox_emojis WHERE app_id = ? AND md5 = ?').get(appId, md5) as SandboxRow | undefined;
    return row && emojiFromRow(row);
  };
  const insert = (m: NewSandboxMessage): number => Number(prepared(`INSERT INTO sandbox_messages (app_id, msg_id, local_id, client_msg_id, session,
      from_wxid, to_username, chatroom, msg_type, app_type, content, source, push_desc, refers_to, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(m.appId, m.msgId, m.localId, m.clientMsgId, m.session, m.fromWxid, m.toUsername, m.chatroom, m.msgType, m.appType, m.content,
      m.source, m.pushDesc, m.refersTo, m.createdAt).lastInsertRowid);
  return {
    insert: (m) => run(() => ({ ...m, seq: insert(m), revokedAt: null })),
    // One transaction at a time on SQLite: nothing to gain by waiting for the commit.
    insertWithCommit: (m) => run(() => {
      insert(m);
    }),
    get: (appId, msgId) => run(() => get(appId, msgId)),
    markRevoked: (appId, msgId, at) => run(() => {
      prepared('UPDATE sandbox_messages SET revoked_at = ? WHERE app_id = ? AND msg_id = ?').run(at, appId, msgId);
    }),
    listSession: (appId, session, afterSeq, limit) => run(() =>
      (prepared('SELECT * FROM sandbox_messages WHERE app_id = ? AND session = ? AND seq > ? ORDER BY seq LIMIT ?').all(appId, session, afterSeq, limit) as SandboxRow[])
        .map(messageFromRow)),
    listPrivateOf: (appId, wxid, afterSeq, limit) => run(() =>
      (prepared(`SELECT * FROM sandbox_messages WHERE app_id = ? AND chatroom = '' AND seq > ? AND (from_wxid = ? OR to_username = ?)
        ORDER BY seq LIMIT ?`).all(appId, afterSeq, wxid, wxid, limit) as SandboxRow[]).map(messageFromRow)),
    listVisibleTo: (appId, wxid, afterSeq, limit) => run(() =>
      (prepared(`SELECT * FROM sandbox_messages WHERE app_id = ? AND seq > ? AND (
          (chatroom = '' AND (from_wxid = ? OR to_username = ?))
          OR chatroom IN (SELECT room_id FROM sandbox_room_members WHERE app_id = ? AND wxid = ?)
          OR chatroom IN (SELECT room_username FROM sandbox_openim_room_members WHERE app_id = ? AND username = ?))
        ORDER BY seq LIMIT ?`).all(appId, afterSeq, wxid, wxid, appId, wxid, appId, wxid, limit) as SandboxRow[]).map(messageFromRow)),
    maxSeq: (appId) => run(() =>
      ((prepared('SELECT max(seq) AS seq FROM sandbox_messages WHERE app_id = ?').get(appId) as SandboxRow).seq as number | null) ?? 0),
    setOfflineMark: (appId, wxid, seq) => run(() => {
      prepared(`INSERT INTO sandbox_offline_marks (app_id, wxid, synced_seq) VALUES (?, ?, ?)
        ON CONFLICT (app_id, wxid) DO UPDATE SET synced_seq = excluded.synced_seq`).run(appId, wxid, seq);
    }),
    takeOfflineMark: (appId, wxid) => run(() => {
      const row = prepared('DELETE FROM sandbox_offline_marks WHERE app_id = ? AND wxid = ? RETURNING synced_seq').get(appId, wxid) as SandboxRow | undefined;
      return row?.synced_seq as number | undefined;
    }),
    lastSeq: (appId, session) => run(() =>
      ((prepared('SELECT max(seq) AS seq FROM sandbox_messages WHERE app_id = ? AND session = ?').get(appId, session) as SandboxRow).seq as number | null) ?? 0),
    setReadMark: (appId, owner, session, seq) => run(() => {
      // A mark only moves forward: marking an older point read does not make newer messages unread.
      prepared(`INSERT INTO sandbox_read_marks (app_id, owner_wxid, session, read_seq) VALUES (?, ?, ?, ?)
        ON CONFLICT (app_id, owner_wxid, session) DO UPDATE SET read_seq = max(read_seq, excluded.read_seq)`).run(appId, owner, session, seq);
    }),
    readMark: (appId, owner, session) => run(() =>
      ((prepared('SELECT read_seq FROM sandbox_read_marks WHERE app_id = ? AND owner_wxid = ? AND session = ?').get(appId, owner, session) as SandboxRow | undefined)
        ?.read_seq as number | undefined) ?? 0),
    putEmoji: (e) => run(() => {
      prepared(`INSERT INTO sandbox_emojis (app_id, md5, size, cdn_url, aes_key, extern_url, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (app_id, md5) DO UPDATE SET
          size = CASE WHEN size = 0 THEN excluded.size ELSE size END,
          cdn_url = CASE WHEN cdn_url = '' THEN excluded.cdn_url ELSE cdn_url END,
          aes_key = CASE WHEN aes_key = '' THEN excluded.aes_key ELSE aes_key END,
          extern_url = CASE WHEN extern_url = '' THEN excluded.extern_url ELSE extern_url END`)
        .run(e.appId, e.md5, e.size, e.cdnUrl, e.aesKey, e.externUrl, e.createdAt);
      return getEmoji(e.appId, e.md5)!;
    }),
    getEmoji: (appId, md5) => run(() => getEmoji(appId, md5)),
    setSendRestriction: (appId, wxid, until) => run(() => {
      if (until <= 0) prepared('DELETE FROM sandbox_send_restrictions WHERE app_id = ? AND wxid = ?').run(appId, wxid);
      else {
        prepared(`INSERT INTO sandbox_send_restrictions (app_id, wxid, until) VALUES (?, ?, ?)
          ON CONFLICT (app_id, wxid) DO UPDATE SET until = excluded.until`).run(appId, wxid, until);
      }
    }),
    sendRestriction: (appId, wxid) => run(() =>
      ((prepared('SELECT until FROM sandbox_send_restrictions WHERE app_id = ? AND wxid = ?').get(appId, wxid) as SandboxRow | undefined)
        ?.until as number | undefined) ?? 0),
  };
}
