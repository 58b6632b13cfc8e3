// Sandbox Moments posts and their likes and comments from SQL rows, for every SQL store (wxid lists are JSON text).
import type { SandboxMoment, SandboxMomentComment } from '../../sandbox-ports.ts';

type Row = Record<string, unknown>;

export const momentFromRow = (r: Row): SandboxMoment => ({
  appId: r.app_id as string,
  seq: r.seq as number,
  objectId: r.object_id as string,
  authorWxid: r.author_wxid as string,
  objectDesc: r.object_desc as string,
  withWxids: JSON.parse(r.with_wxids as string) as string[],
  allowedWxids: r.allowed_wxids === null ? null : (JSON.parse(r.allowed_wxids as string) as string[]),
  blockedWxids: JSON.parse(r.blocked_wxids as string) as string[],
  deleted: r.deleted === 1,
  createdAt: r.created_at as number,
});

export const commentFromRow = (r: Row): SandboxMomentComment => ({
  appId: r.app_id as string,
  momentSeq: r.moment_seq as number,
  commentId: r.comment_id as number,
  authorWxid: r.author_wxid as string,
  kind: r.kind as SandboxMomentComment['kind'],
  content: r.content as string,
  replyCommentId: r.reply_comment_id as number,
  replyWxid: r.reply_wxid as string,
  createdAt: r.created_at as number,
});
