// Moments (朋友圈) as WeChat runs them, and the /sns/* operations of one instance: posting with visibility (friends,
// chosen friends or labels, hidden from some), the timeline and a person's page (newest first, paged by max_id),
// likes and comments that only mutual friends of the commenter see, deleting — and the same acts for /sandbox/*.
import { createHash } from 'node:crypto';
import { invalidField, wechatRefusal } from '@wxgate/contract';
import type { SandboxMoment, SandboxMomentComment, SandboxPerson } from '../../../storage/sandbox-ports.ts';
import type { DriverOperations } from '../../driver.ts';
import { requireSettledDevice } from '../login/risk-control.ts';
import { completeTimelineObject, decodeObjectDesc, snsCommentInfo, snsObject, type SnsCommentInfo } from './sns-objects.ts';
import { OK_BASE_RESPONSE } from '../wechat-objects.ts';
import { requireAccount, type World, type WorldChange } from '../world.ts';

/** Posts per timeline or user-page answer. */
export const SNS_PAGE_SIZE = 10;
/** How many stored posts are read per round while filling a page with the visible ones. */
const SCAN_BATCH = 50;

const seconds = (ms: number) => Math.floor(ms / 1000);

/** Who can see what, decided once per change: friendship here means both have the other in their contacts. */
class Visibility {
  readonly #friends = new Map<string, boolean>();
  constructor(private readonly change: WorldChange) {}

  async friends(a: string, b: string): Promise<boolean> {
    if (a === b) return true;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    let known = this.#friends.get(key);
    if (known === undefined) {
      const { appId, world } = this.change;
      known = Boolean((await world.contacts.get(appId, a, b)) && (await world.contacts.get(appId, b, a)));
      this.#friends.set(key, known);
    }
    return known;
  }

  /** The author's friends the post is not limited away from or hidden from; the author always. */
  async canSee(moment: SandboxMoment, viewer: string): Promise<boolean> {
    if (moment.deleted) return false;
    if (viewer === moment.authorWxid) return true;
    if (moment.allowedWxids !== null && !moment.allowedWxids.includes(viewer)) return false;
    if (moment.blockedWxids.includes(viewer)) return false;
    return this.friends(moment.authorWxid, viewer);
  }

  /**
   * WeChat's rule: a like or comment shows to the post's author and to the writer's friends; a reply only to those who
   * are friends with both its writer and the one it answers (and to those two).
   */
  async canSeeComment(moment: SandboxMoment, comment: SandboxMomentComment, viewer: string): Promise<boolean> {
    if (viewer === moment.authorWxid || viewer === comment.replyWxid) return true;
    if (!(await this.friends(comment.authorWxid, viewer))) return false;
    return comment.replyWxid === '' || this.friends(comment.replyWxid, viewer);
  }
}

async function requirePerson(change: WorldChange, wxid: string): Promise<SandboxPerson> {
  const person = await change.person(wxid);
  if (!person) throw wechatRefusal('WECHAT_USER_NOT_FOUND', -4, `no WeChat user ${wxid} (ret -4)`);
  return person;
}

/** The post, if `viewer` may see it; else WeChat's "no such post" (-203), so hidden posts stay hidden. */
async function requireVisible(change: WorldChange, seen: Visibility, objectId: string, viewer: SandboxPerson): Promise<SandboxMoment> {
  const moment = /^\d{1,20}$/.test(objectId) ? await change.world.moments.get(change.appId, objectId) : undefined;
  if (!moment || !(await seen.canSee(moment, viewer.wxid))) {
    throw wechatRefusal('SNS_OBJECT_NOT_FOUND', -203, `no Moments post ${objectId} that ${viewer.wxid} can see (deleted, or not shared with it) (ret -203)`);
  }
  return moment;
}

/** The post as `viewer` sees it: the likes and comments they may see, whether they liked it. */
async function snsObjectFor(change: WorldChange, seen: Visibility, moment: SandboxMoment, viewer: SandboxPerson) {
  const people = new Map<string, SandboxPerson>();
  const personOf = async (wxid: string) => {
    let person = people.get(wxid);
    if (!person) people.set(wxid, (person = await requirePerson(change, wxid)));
    return person;
  };
  const likes: SnsCommentInfo[] = [];
  const comments: SnsCommentInfo[] = [];
  let viewerLiked = false;
  for (const c of await change.world.moments.comments(change.appId, moment.seq)) {
    if (c.kind === 'like' && c.authorWxid === viewer.wxid) viewerLiked = true;
    if (!(await seen.canSeeComment(moment, c, viewer.wxid))) continue;
    const info = snsCommentInfo(c, await personOf(c.authorWxid), c.replyWxid ? await personOf(c.replyWxid) : undefined);
    (c.kind === 'like' ? likes : comments).push(info);
  }
  const mentioned = [];
  for (const wxid of moment.withWxids) mentioned.push(await personOf(wxid));
  return snsObject({
    moment, author: await personOf(moment.authorWxid), likes, comments, mentioned, viewerLiked, viewerIsAuthor: viewer.wxid === moment.authorWxid,
  });
}

/** firstPageMd5: changes whenever the first page would (new posts, deletions, likes, comments). */
const pageMd5 = (objects: readonly unknown[]) => createHash('md5').update(JSON.stringify(objects)).digest('hex');

/** `authors`' posts that `viewer` may see, newest first, from just before `beforeSeq` on, read in batches. */
async function* visiblePosts(change: WorldChange, seen: Visibility, viewer: SandboxPerson, authors: readonly string[], beforeSeq: number) {
  for (let before = beforeSeq; ;) {
    const batch = await change.world.moments.page(change.appId, authors, before, SCAN_BATCH);
    for (const moment of batch) if (await seen.canSee(moment, viewer.wxid)) yield moment;
    if (batch.length < SCAN_BATCH) return;
    before = batch.at(-1)!.seq;
  }
}

/**
 * One page of `authors`' posts that `viewer` may see, newest first, after the post `maxId` ("" or "0": from the
 * top), with the paging fields. Paging follows the posting order, so every post comes once even while posts are added
 * in between. firstPageMd5 is the first page's; later pages echo the one the caller passed.
 */
async function pageOfPosts(change: WorldChange, seen: Visibility, viewer: SandboxPerson, authors: readonly string[], maxId: string, firstPageMd5: string) {
  const first = maxId === '' || maxId === '0';
  let before = Number.MAX_SAFE_INTEGER;
  if (!first) {
    const cursor = /^\d{1,20}$/.test(maxId) ? await change.world.moments.get(change.appId, maxId) : undefined;
    if (!cursor) throw invalidField('max_id', `max_id ${maxId} is no post id; pass the id of the last post of the previous page, or "" for the first`);
    before = cursor.seq;
  }
  const objectList = [];
  for await (const moment of visiblePosts(change, seen, viewer, authors, before)) {
    objectList.push(await snsObjectFor(change, seen, moment, viewer));
    if (objectList.length === SNS_PAGE_SIZE) break;
  }
  return { firstPageMd5: first ? pageMd5(objectList) : firstPageMd5, objectCount: objectList.length, objectList };
}

/** The account's friends (both sides have the other), whose posts make up the timeline. */
async function friendsOf(change: WorldChange, seen: Visibility, wxid: string): Promise<string[]> {
  const friends: string[] = [];
  for (const entry of await change.world.contacts.page(change.appId, wxid, 0, Number.MAX_SAFE_INTEGER)) {
    if (await seen.friends(wxid, entry.contactWxid)) friends.push(entry.contactWxid);
  }
  return friends;
}

/** Who a post is for, as sns_post lists it. */
export interface Audience {
  readonly groupUsers?: readonly string[];
  readonly blockUsers?: readonly string[];
  readonly withUsers?: readonly string[];
  readonly groupLabels?: readonly number[];
  readonly blackLabels?: readonly number[];
}

/** Named people must be the author's contacts (WeChat offers no one else to pick). */
async function requireContacts(change: WorldChange, author: SandboxPerson, wxids: readonly string[], field: string): Promise<string[]> {
  for (const wxid of wxids) {
    if (!(await change.world.contacts.get(change.appId, author.wxid, wxid))) {
      throw wechatRefusal('NOT_IN_CONTACTS', -4, `${field}: ${wxid} is not in ${author.wxid}'s contact list (ret -4)`);
    }
  }
  return [...new Set(wxids)];
}

/** The contacts carrying the labels, when the post is made (people labelled later do not see older posts). */
async function labelled(change: WorldChange, author: SandboxPerson, labelIds: readonly number[]): Promise<string[]> {
  for (const id of labelIds) {
    if (!(await change.world.labels.get(change.appId, author.wxid, id))) {
      throw wechatRefusal('LABEL_NOT_FOUND', -2, `${author.wxid} has no label ${id}; list labels with /label/get_contact_label_list (ret -2)`);
    }
  }
  return labelIds.length === 0 ? [] : change.world.labels.contactsWith(change.appId, author.wxid, labelIds);
}

/** `author` posts: the XML is checked and completed, the audience resolved (labels expanded) and the post stored. */
export async function postMoment(change: WorldChange, author: SandboxPerson, objectDesc: string, audience: Audience): Promise<SandboxMoment> {
  const xml = decodeObjectDesc(objectDesc);
  const groupUsers = await requireContacts(change, author, audience.groupUsers ?? [], 'group_user_list');
  const blockUsers = await requireContacts(change, author, audience.blockUsers ?? [], 'block_user_list');
  const withUsers = await requireContacts(change, author, audience.withUsers ?? [], 'with_user_list');
  const groupLabelled = await labelled(change, author, audience.groupLabels ?? []);
  const blackLabelled = await labelled(change, author, audience.blackLabels ?? []);
  const objectId = change.ids.msgId();
  const post = completeTimelineObject(xml, { id: objectId, author: author.wxid, createdAt: change.now });
  const limited = groupUsers.length > 0 || (audience.groupLabels ?? []).length > 0;
  return change.world.moments.insert({
    appId: change.appId,
    objectId,
    authorWxid: author.wxid,
    objectDesc: post.xml,
    withWxids: withUsers,
    // 私密 posts are the author's alone; limited ones reach the chosen friends and labels as they are now.
    allowedWxids: post.private ? [] : limited ? [...new Set([...groupUsers, ...groupLabelled])] : null,
    blockedWxids: [...new Set([...blockUsers, ...blackLabelled])],
    createdAt: change.now,
  });
}

/** `actor` comments on a post they can see, or replies to a comment they can see (reply_comment_id "0" = none). */
export async function commentOnMoment(change: WorldChange, actor: SandboxPerson, objectId: string, content: string, replyCommentId: string): Promise<SandboxMomentComment> {
  const seen = new Visibility(change);
  const moment = await requireVisible(change, seen, objectId, actor);
  if (content.trim() === '') throw invalidField('content', 'a comment needs text');
  let reply: SandboxMomentComment | undefined;
  if (replyCommentId !== '' && replyCommentId !== '0') {
    reply = await requireComment(change, seen, moment, replyCommentId, actor, 'reply_comment_id');
  }
  return change.world.moments.addComment({
    appId: change.appId, momentSeq: moment.seq, authorWxid: actor.wxid, kind: 'comment', content,
    replyCommentId: reply?.commentId ?? 0, replyWxid: reply?.authorWxid ?? '', createdAt: change.now,
  });
}

/** A comment (not a like) of the post that `viewer` can see. */
async function requireComment(change: WorldChange, seen: Visibility, moment: SandboxMoment, commentId: string, viewer: SandboxPerson, field: string) {
  const id = /^\d{1,9}$/.test(commentId) ? Number(commentId) : NaN;
  const comment = (await change.world.moments.comments(change.appId, moment.seq)).find((c) => c.commentId === id && c.kind === 'comment');
  if (!comment || !(await seen.canSeeComment(moment, comment, viewer.wxid))) {
    throw wechatRefusal('SNS_COMMENT_NOT_FOUND', -203, `${field}: no comment ${commentId} on post ${moment.objectId} that ${viewer.wxid} can see (ret -203)`);
  }
  return comment;
}

/** Likes (`like`) or unlikes a post `actor` can see; doing either twice changes nothing. Answers the like count. */
export async function likeMoment(change: WorldChange, actor: SandboxPerson, objectId: string, like: boolean): Promise<number> {
  const moment = await requireVisible(change, new Visibility(change), objectId, actor);
  const mine = (await change.world.moments.comments(change.appId, moment.seq)).find((c) => c.kind === 'like' && c.authorWxid === actor.wxid);
  if (like && !mine) {
    await change.world.moments.addComment({
      appId: change.appId, momentSeq: moment.seq, authorWxid: actor.wxid, kind: 'like', content: '', replyCommentId: 0, replyWxid: '', createdAt: change.now,
    });
  }
  if (!like && mine) await change.world.moments.removeComment(change.appId, moment.seq, mine.commentId);
  return (await change.world.moments.comments(change.appId, moment.seq)).filter((c) => c.kind === 'like').length;
}

export function snsOperations(world: World, appId: string, guid: string): DriverOperations {
  const asAccount = <T>(work: (change: WorldChange, me: SandboxPerson, seen: Visibility) => Promise<T>) =>
    world.change(appId, async (change) => work(change, await requireAccount(change, guid), new Visibility(change)));
  const answer = async (change: WorldChange, seen: Visibility, objectId: string, me: SandboxPerson) =>
    ({ baseResponse: OK_BASE_RESPONSE, snsObject: await snsObjectFor(change, seen, (await change.world.moments.get(appId, objectId))!, me) });

  return {
    '/sns/sns_post': (req) => asAccount(async (change, me, seen) => {
      await requireSettledDevice(change, guid, me, 'moments');
      const moment = await postMoment(change, me, req.object_desc, {
        groupUsers: req.group_user_list, blockUsers: req.block_user_list, withUsers: req.with_user_list,
        groupLabels: req.group_contact_tag_id_list, blackLabels: req.black_contact_tag_id_list,
      });
      return answer(change, seen, moment.objectId, me);
    }),
    '/sns/sns_timeline': (req) => asAccount(async (change, me, seen) => {
      const authors = [me.wxid, ...(await friendsOf(change, seen, me.wxid))];
      const page = await pageOfPosts(change, seen, me, authors, req.max_id ?? '', req.first_page_md5 ?? '');
      return { baseResponse: OK_BASE_RESPONSE, ...page, newRequestTime: seconds(change.now) };
    }),
    '/sns/sns_userpage': (req) => asAccount(async (change, me, seen) => {
      const owner = await requirePerson(change, req.username);
      const page = await pageOfPosts(change, seen, me, [owner.wxid], req.max_id ?? '', req.first_page_md5 ?? '');
      let objectTotalCount = 0;
      for await (const _ of visiblePosts(change, seen, me, [owner.wxid], Number.MAX_SAFE_INTEGER)) objectTotalCount++;
      return { baseResponse: OK_BASE_RESPONSE, ...page, objectTotalCount };
    }),
    '/sns/sns_object_detail': (req) => asAccount(async (change, me, seen) => {
      const moment = await requireVisible(change, seen, req.object_id, me);
      return { baseResponse: OK_BASE_RESPONSE, object: await snsObjectFor(change, seen, moment, me) };
    }),
    '/sns/sns_comment': (req) => asAccount(async (change, me, seen) => {
      await commentOnMoment(change, me, req.object_id, req.content, req.reply_comment_id ?? '0');
      return answer(change, seen, req.object_id, me);
    }),
    '/sns/sns_delete_comment': (req) => asAccount(async (change, me, seen) => {
      const moment = await requireVisible(change, seen, req.object_id, me);
      const comment = await requireComment(change, seen, moment, req.comment_id, me, 'comment_id');
      if (comment.authorWxid !== me.wxid && moment.authorWxid !== me.wxid) {
        throw wechatRefusal('SNS_NOT_AUTHOR', 205, `comment ${req.comment_id} is ${comment.authorWxid}'s on ${moment.authorWxid}'s post; only they can delete it (ret 205)`);
      }
      await change.world.moments.removeComment(appId, moment.seq, comment.commentId);
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/sns/sns_like': (req) => asAccount(async (change, me, seen) => {
      const status = req.status ?? 0;
      if (status !== 0 && status !== 1) throw invalidField('status', 'status must be 1 (like) or 0 (unlike)');
      await likeMoment(change, me, req.object_id, status === 1);
      return answer(change, seen, req.object_id, me);
    }),
    '/sns/sns_delete': (req) => asAccount(async (change, me, seen) => {
      const moment = await requireVisible(change, seen, req.object_id, me);
      if (moment.authorWxid !== me.wxid) {
        throw wechatRefusal('SNS_NOT_AUTHOR', 205, `post ${req.object_id} is ${moment.authorWxid}'s; only its author can delete it (ret 205)`);
      }
      await change.world.moments.markDeleted(appId, moment.objectId);
      return { baseResponse: OK_BASE_RESPONSE };
    }),
  };
}
