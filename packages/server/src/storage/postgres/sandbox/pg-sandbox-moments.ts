// Sandbox Moments on PostgreSQL: posts in timeline order (seq), their audience resolved at posting, likes and comments.
import { commentFromRow, momentFromRow } from '../../rows/sandbox/sandbox-moments-rows.ts';
import type { SandboxMomentRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

export function pgSandboxMoments(sql: Sql): SandboxMomentRepository {
  return {
    insert: async (m) => momentFromRow((await sql.row(`INSERT INTO sandbox_moments (app_id, object_id, author_wxid, object_desc, with_wxids, allowed_wxids,
      blocked_wxids, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [m.appId, m.objectId, m.authorWxid, m.objectDesc, JSON.stringify(m.withWxids), m.allowedWxids === null ? null : JSON.stringify(m.allowedWxids),
      JSON.stringify(m.blockedWxids), m.createdAt]))!),
    get: async (appId, objectId) => {
      const row = await sql.row('SELECT * FROM sandbox_moments WHERE app_id = $1 AND object_id = $2', [appId, objectId]);
      return row && momentFromRow(row);
    },
    markDeleted: async (appId, objectId) => {
      await sql.run('UPDATE sandbox_moments SET deleted = 1 WHERE app_id = $1 AND object_id = $2', [appId, objectId]);
    },
    page: async (appId, authors, beforeSeq, limit) =>
      (await sql.rows(`SELECT * FROM sandbox_moments WHERE app_id = $1 AND deleted = 0 AND seq < $2 AND author_wxid = ANY($3::text[])
        ORDER BY seq DESC LIMIT $4`, [appId, beforeSeq, authors, limit])).map(momentFromRow),
    // The post keeps its own counter, so a removed like or comment never gives its id to a later one. Bumping it locks
    // the post, so racing comments take distinct ids; the savepoint puts it back when the insert is refused (a second
    // like by the same person), and keeps a caller's transaction usable after that refusal.
    addComment: (c) => sql.atomic(async (tx) => {
      const post = await tx.row('UPDATE sandbox_moments SET last_comment_id = last_comment_id + 1 WHERE app_id = $1 AND seq = $2 RETURNING last_comment_id',
        [c.appId, c.momentSeq]);
      if (!post) throw new Error(`no Moments post with seq ${c.momentSeq} in app ${c.appId}`);
      const commentId = post.last_comment_id as number;
      await tx.run(`INSERT INTO sandbox_moment_comments (app_id, moment_seq, comment_id, author_wxid, kind, content, reply_comment_id, reply_wxid, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [c.appId, c.momentSeq, commentId, c.authorWxid, c.kind, c.content, c.replyCommentId, c.replyWxid, c.createdAt]);
      return { ...c, commentId };
    }),
    comments: async (appId, momentSeq) =>
      (await sql.rows('SELECT * FROM sandbox_moment_comments WHERE app_id = $1 AND moment_seq = $2 ORDER BY comment_id', [appId, momentSeq])).map(commentFromRow),
    removeComment: async (appId, momentSeq, commentId) => {
      await sql.run('DELETE FROM sandbox_moment_comments WHERE app_id = $1 AND moment_seq = $2 AND comment_id = $3', [appId, momentSeq, commentId]);
    },
  };
}
