// The Moments side of the sandbox control (/sandbox/sns/*): a person posts, comments and likes from their phone, with
// the same rules as the bot's /sns/* calls, so a bot can see its friends' posts and the reactions to its own.
import type { Modules, RequestOf, ResponseOf } from '@wxgate/contract';
import { invalidField } from '@wxgate/contract';
import { commentOnMoment, likeMoment, postMoment } from './sns.ts';
import { textTimelineObject } from './sns-objects.ts';
import type { WorldChange } from '../world.ts';

type Sandbox = Modules['sandbox'];
type Req<P extends keyof Sandbox> = RequestOf<Sandbox[P]>;
type Res<P extends keyof Sandbox> = ResponseOf<Sandbox[P]>;

export async function postAsPerson(change: WorldChange, req: Req<'/sandbox/sns/post'>): Promise<Res<'/sandbox/sns/post'>> {
  const author = await change.requirePerson(req.wxid);
  if ((req.content === undefined) === (req.object_desc === undefined)) {
    throw invalidField(req.content === undefined ? 'content' : 'object_desc', 'give either content (a text post) or object_desc (TimelineObject XML), not both');
  }
  const objectDesc = req.object_desc ?? textTimelineObject(req.content!);
  const moment = await postMoment(change, author, objectDesc, {
    groupUsers: req.group_user_list, blockUsers: req.block_user_list, withUsers: req.with_user_list,
  });
  return { object_id: moment.objectId, create_time: Math.floor(moment.createdAt / 1000) };
}

export async function commentAsPerson(change: WorldChange, req: Req<'/sandbox/sns/comment'>): Promise<Res<'/sandbox/sns/comment'>> {
  const actor = await change.requirePerson(req.wxid);
  const comment = await commentOnMoment(change, actor, req.object_id, req.content, req.reply_comment_id ?? '0');
  return { comment_id: comment.commentId };
}

export async function likeAsPerson(change: WorldChange, req: Req<'/sandbox/sns/like'>): Promise<Res<'/sandbox/sns/like'>> {
  const actor = await change.requirePerson(req.wxid);
  return { like_count: await likeMoment(change, actor, req.object_id, (req.status ?? 1) === 1) };
}
