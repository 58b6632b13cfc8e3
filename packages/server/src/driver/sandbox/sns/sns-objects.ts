// Moments as WeChat shapes them, as pure functions: reading and completing a post's TimelineObject XML (through
// wechat/caller-xml.ts, never by regex), and the SnsObject / SnsCommentInfo the timeline, user page and detail answer.
import { invalidField } from '@wxgate/contract';
import { XMLBuilder } from 'fast-xml-parser';
import type { SandboxMoment, SandboxMomentComment, SandboxPerson } from '../../../storage/sandbox-ports.ts';
import { ORDERED_XML_OPTIONS, readXmlInOrder, type XmlNode } from '../../../wechat/caller-xml.ts';
import { xmlText } from '../msg/msg-xml.ts';

/** ContentObject <contentStyle> values of the posts WeChat's clients make. */
export const CONTENT_STYLE = { images: 1, text: 2, link: 3, video: 15 } as const;
/** A picture post carries at most 9 pictures. */
export const MAX_POST_IMAGES = 9;

const seconds = (ms: number) => Math.floor(ms / 1000);

// Document order kept (elements, attributes, CDATA and comments in place), so a post comes back as the caller wrote it.
const builder = new XMLBuilder({ ...ORDERED_XML_OPTIONS, suppressEmptyNode: false });

const nameOf = (node: XmlNode) => Object.keys(node).find((k) => k !== ':@')!;
const childrenOf = (node: XmlNode | undefined) => (node ? (node[nameOf(node)] as XmlNode[]) : []);
const childNamed = (nodes: readonly XmlNode[], name: string) => nodes.find((n) => nameOf(n) === name);

/** The text inside an element (text and CDATA joined), "" when none. */
function textOf(node: XmlNode | undefined): string {
  return childrenOf(node).map((c) => {
    if ('#text' in c) return String(c['#text']);
    if ('__cdata' in c) return textOf(c);
    return '';
  }).join('');
}

const textElement = (name: string, text: string | number): XmlNode => ({ [name]: [{ '#text': String(text) }] });

/**
 * `object_desc` as sns_post takes it: TimelineObject XML, or (for media posts, as the vendor's doc says) its base64.
 * Answers the XML text, or a 422 saying what was wrong.
 */
export function decodeObjectDesc(objectDesc: string): string {
  const trimmed = objectDesc.trim();
  if (trimmed.startsWith('<')) return trimmed;
  if (/^[A-Za-z0-9+/=\s]+$/.test(trimmed)) {
    const decoded = Buffer.from(trimmed, 'base64').toString('utf8').replace(/^\uFEFF/, '').trim();
    if (decoded.startsWith('<')) return decoded;
  }
  throw invalidField('object_desc', 'object_desc must be TimelineObject XML (<TimelineObject>…</TimelineObject>) or its base64');
}

/** What the world needs to know of a post besides its XML. */
export interface TimelinePost {
  /** The XML as stored: the caller's, with id, username and createTime set. */
  readonly xml: string;
  /** <private>1</private>: only the author sees it (私密). */
  readonly private: boolean;
}

/**
 * Checks a TimelineObject and completes it as WeChat stores it: the post's id, the author's username and the
 * creation time, whatever the caller put there (a <username> of someone else is refused, as the doc demands the
 * account's wxid). Picture posts need 1–9 pictures, videos one, links a <contentUrl>, text posts some text.
 */
export function completeTimelineObject(xml: string, post: { id: string; author: string; createdAt: number }): TimelinePost {
  const tree = readXmlInOrder(xml, 'object_desc').filter((n) => !('#comment' in n) && !('?xml' in n));
  const root = tree.length === 1 ? tree[0]! : undefined;
  if (!root || nameOf(root) !== 'TimelineObject') throw invalidField('object_desc', 'the XML must be one <TimelineObject> element');
  const children = childrenOf(root);
  const username = textOf(childNamed(children, 'username'));
  if (username !== '' && username !== post.author) {
    throw invalidField('object_desc', `<username> is ${username}, but the post is ${post.author}'s: put this account's wxid there`);
  }
  const content = childrenOf(childNamed(children, 'ContentObject'));
  const styleText = textOf(childNamed(content, 'contentStyle'));
  const contentStyle = styleText === '' ? CONTENT_STYLE.text : Number(styleText);
  if (!Number.isInteger(contentStyle)) throw invalidField('object_desc', `<contentStyle> must be an integer, got ${styleText}`);
  const media = childrenOf(childNamed(content, 'mediaList')).filter((n) => nameOf(n) === 'media');
  if (contentStyle === CONTENT_STYLE.images && (media.length < 1 || media.length > MAX_POST_IMAGES)) {
    throw invalidField('object_desc', `a picture post (contentStyle 1) carries 1 to ${MAX_POST_IMAGES} <media> items, got ${media.length}`);
  }
  if (contentStyle === CONTENT_STYLE.video && media.length !== 1) throw invalidField('object_desc', `a video post (contentStyle 15) carries one <media>, got ${media.length}`);
  if (contentStyle === CONTENT_STYLE.link && textOf(childNamed(content, 'contentUrl')) === '') throw invalidField('object_desc', 'a link post (contentStyle 3) needs a <contentUrl>');
  if (contentStyle === CONTENT_STYLE.text && textOf(childNamed(children, 'contentDesc')).trim() === '') {
    throw invalidField('object_desc', 'a text post needs its text in <contentDesc>');
  }
  const fixed = [textElement('id', post.id), textElement('username', post.author), textElement('createTime', seconds(post.createdAt))];
  const rest = children.filter((n) => !['id', 'username', 'createTime'].includes(nameOf(n)));
  const completed = { ...root, TimelineObject: [...fixed, ...rest] };
  return { xml: builder.build([completed]) as string, private: textOf(childNamed(children, 'private')) === '1' };
}

/** The TimelineObject of a plain text post (what a phone posts for text only). */
export function textTimelineObject(text: string): string {
  return `<TimelineObject><contentDesc>${xmlText(text)}</contentDesc><contentDescShowType>0</contentDescShowType><contentDescScene>3</contentDescScene>` +
    `<private>0</private><sightFolded>0</sightFolded><showFlag>0</showFlag><ContentObject><contentStyle>${CONTENT_STYLE.text}</contentStyle>` +
    '<title></title><description></description><mediaList></mediaList><contentUrl></contentUrl></ContentObject></TimelineObject>';
}

/** SnsCommentInfo: a like (type 1) or comment (type 2), with whom a reply answers. */
export function snsCommentInfo(c: SandboxMomentComment, author: SandboxPerson, replyTo: SandboxPerson | undefined) {
  return {
    username: author.wxid,
    nickname: author.nickname,
    source: 0,
    type: c.kind === 'like' ? 1 : 2,
    content: c.content,
    createTime: seconds(c.createdAt),
    commentId: c.commentId,
    replyCommentId: c.replyCommentId,
    replyUsername: replyTo?.wxid ?? '',
    replyNickname: replyTo?.nickname ?? '',
    isNotRichText: 1,
    deleteFlag: 0,
  };
}

export type SnsCommentInfo = ReturnType<typeof snsCommentInfo>;

/** A person @-mentioned in a post: withUserList holds SnsCommentInfo too, so the same keys, empty (type 0). */
function mentionInfo(person: SandboxPerson): SnsCommentInfo {
  return {
    username: person.wxid, nickname: person.nickname, source: 0, type: 0, content: '', createTime: 0, commentId: 0, replyCommentId: 0,
    replyUsername: '', replyNickname: '', isNotRichText: 1, deleteFlag: 0,
  };
}

export interface SnsObjectView {
  readonly moment: SandboxMoment;
  readonly author: SandboxPerson;
  /** The likes and comments this viewer may see, oldest first. */
  readonly likes: readonly SnsCommentInfo[];
  readonly comments: readonly SnsCommentInfo[];
  readonly mentioned: readonly SandboxPerson[];
  readonly viewerLiked: boolean;
  /** The author sees whom the post was limited to or hidden from. */
  readonly viewerIsAuthor: boolean;
}

/** SnsObject: the post with its XML (objectDesc, base64) and what of its likes and comments the viewer may see. */
export function snsObject(v: SnsObjectView) {
  const desc = Buffer.from(v.moment.objectDesc, 'utf8');
  const limitedTo = v.viewerIsAuthor ? v.moment.allowedWxids ?? [] : [];
  const hiddenFrom = v.viewerIsAuthor ? v.moment.blockedWxids : [];
  return {
    id: v.moment.objectId,
    username: v.author.wxid,
    nickname: v.author.nickname,
    createTime: seconds(v.moment.createdAt),
    objectDesc: { iLen: desc.length, buffer: desc.toString('base64') },
    likeFlag: v.viewerLiked ? 1 : 0,
    likeCount: v.likes.length,
    likeUserListCount: v.likes.length,
    likeUserList: [...v.likes],
    commentCount: v.comments.length,
    commentUserListCount: v.comments.length,
    commentUserList: [...v.comments],
    withUserCount: v.mentioned.length,
    withUserListCount: v.mentioned.length,
    withUserList: v.mentioned.map(mentionInfo),
    extFlag: 1,
    noChange: 0,
    groupCount: 0,
    groupList: [],
    isNotRichText: 1,
    referUsername: '',
    referId: '0',
    blackListCount: hiddenFrom.length,
    blackList: hiddenFrom.map((wxid) => ({ string: wxid })),
    groupUserCount: limitedTo.length,
    groupUser: limitedTo.map((wxid) => ({ string: wxid })),
    deleteFlag: 0,
  };
}
