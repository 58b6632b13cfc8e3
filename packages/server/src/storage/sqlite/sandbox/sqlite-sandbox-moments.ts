// Sandbox Moments on SQLite: posts in timeline order (seq), their audience resolved at posting, likes and comments.
import type { SandboxMomentRepository } from '../../sandbox-ports.ts';
import { commentFromRow, momentFromRow } from '../../rows/sandbox/sandbox-moments-rows.ts';
import type { SandboxPrepared, SandboxRow, SandboxRun } from './sqlite-sandbox.ts';

export function sqliteSandboxMoments(prepared: SandboxPrepared, run: SandboxRun): SandboxMomentRepository {
  const get = (appId: string, objectId: string) => {
    const row = prepared('SELECT * FROM sandbox_moments WHERE app_id = ? AND object_id = ?').get(appId, objectId) as SandboxRow | undefined;
    return row && momentFromRow(row);
  };
  return {
    insert: (m) => run(() => {
      prepared(`INSERT INTO sandbox_moments (app_id, object_id, author_wxid, object_desc, with_wxids, allowed_wxids, blocked_wxids, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(m.appId, m.objectId, m.authorWxid, m.objectDesc, JSON.stringify(m.withWxids), m.allowedWxids === null ? null : JSON.stringify(m.allowedWxids),
          JSON.stringify(m.blockedWxids), m.createdAt);
      return get(m.appId, m.objectId)!;
    }),
    get: (appId, objectId) => run(() => get(appId, objectId)),
    markDeleted: (appId, objectId) => run(() => {
      prepared('UPDATE sandbox_moments SET deleted = 1 WHERE app_id = ? AND object_id = ?').run(appId, objectId);
    }),
    page: (appId, authors, beforeSeq, limit) => run(() =>
      (prepared(`SELECT * FROM sandbox_moments WHERE app_id = ? AND deleted = 0 AND seq < ?
          AND author_wxid IN (SELECT value FROM json_each(?)) ORDER BY seq DESC LIMIT ?`)
        .all(appId, beforeSeq, JSON.stringify(authors), limit) as SandboxRow[]).map(momentFromRow)),
    addComment: (c) => run(() => {
      // The post keeps its own counter, so a removed like or comment never gives its id to a later one.
      const post = prepared('SELECT last_comment_id AS id FROM sandbox_moments WHERE app_id = ? AND seq = ?').get(c.appId, c.momentSeq) as SandboxRow | undefined;
      if (!post) throw new Error(`no Moments post with seq ${c.momentSeq} in app ${c.appId}`);
      const commentId = (post.id as number) + 1;
      // Insert before moving the counter: a refused one (a second like by the same person) leaves the post as it was.
      prepared(`INSERT INTO sandbox_moment_comments (app_id, moment_seq, comment_id, author_wxid, kind, content, reply_comment_id, reply_wxid, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(c.appId, c.momentSeq, commentId, c.authorWxid, c.kind, c.content, c.replyCommentId, c.replyWxid, c.createdAt);
      prepared('UPDATE sandbox_moments SET last_comment_id = ? WHERE app_id = ? AND seq = ?').run(commentId, c.appId, c.momentSeq);
      return { ...c, commentId };
    }),
    comments: (appId, momentSeq) => run(() =>
      (prepared('SELECT * FROM sandbox_moment_comments WHERE app_id = ? AND moment_seq = ? ORDER BY comment_id').all(appId, momentSeq) as SandboxRow[]).map(commentFromRow)),
    removeComment: (appId, momentSeq, commentId) => run(() => {
      prepared('DELETE FROM sandbox_moment_comments WHERE app_id = ? AND moment_seq = ? AND comment_id = ?').run(appId, momentSeq, commentId);
    }),
  };
}
