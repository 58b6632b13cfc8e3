// WeChat's Moments (朋友圈) shapes: a post with its likes and comments, and the answer of every call that changes one.
// Re-exported from wechat.ts.
import { Type } from '@sinclair/typebox';
import { EXAMPLE } from './ids.ts';
import { UInt32, UnixSeconds } from './integers.ts';
import { SKBufferOf, SKString, wechatResponse } from './wechat-base.ts';

/** The example post's TimelineObject XML, base64 as objectDesc.buffer carries it (a text post by the friend). */
const EXAMPLE_TIMELINE_BASE64 = 'PFRpbWVsaW5lT2JqZWN0PjxpZD43MzUxMjA4ODM2NDUxOTAxNzM0PC9pZD48dXNlcm5hbWU+d3hpZF9wNXQ4cjJ3Nnk5ejNhNzwvdXNlcm5hbWU+'
  + 'PGNyZWF0ZVRpbWU+MTc2NzI1ODAwMDwvY3JlYXRlVGltZT48Y29udGVudERlc2M+5paw5bm05b+r5LmQ77yBPC9jb250ZW50RGVzYz48Q29udGVudE9iamVjdD48'
  + 'Y29udGVudFN0eWxlPjI8L2NvbnRlbnRTdHlsZT48L0NvbnRlbnRPYmplY3Q+PC9UaW1lbGluZU9iamVjdD4=';

/** SnsCommentInfo: one like, comment or @ on a moments post. */
export const SnsCommentInfo = Type.Object({
  username: Type.String({ description: 'wxid of the liker / commenter', examples: [EXAMPLE.friend2] }),
  nickname: Type.Optional(Type.String({ examples: ['王芳'] })),
  type: Type.Optional(UInt32({ description: '1 like, 2 comment' })),
  content: Type.Optional(Type.String()),
  createTime: Type.Optional(UnixSeconds()),
  commentId: Type.Optional(UInt32()),
  replyCommentId: Type.Optional(UInt32()),
  replyUsername: Type.Optional(Type.String()),
  replyNickname: Type.Optional(Type.String()),
}, { title: 'SnsCommentInfo', description: 'a like or comment on a moments post' });

/** SnsObject: one moments post. */
export const SnsObject = Type.Object({
  id: Type.String({ description: '64-bit post id as a decimal string', examples: [EXAMPLE.snsId] }),
  username: Type.String({ description: 'author wxid', examples: [EXAMPLE.friend] }),
  nickname: Type.String({ examples: [EXAMPLE.friendNickname] }),
  createTime: UnixSeconds(),
  objectDesc: SKBufferOf(EXAMPLE_TIMELINE_BASE64),
  likeFlag: UInt32({ description: '1 if this account liked it' }),
  likeCount: UInt32({ examples: [1] }),
  likeUserList: Type.Array(SnsCommentInfo),
  commentCount: UInt32({ examples: [1] }),
  commentUserList: Type.Array(SnsCommentInfo),
  withUserCount: UInt32(),
  withUserList: Type.Optional(Type.Array(SnsCommentInfo)),
  deleteFlag: Type.Optional(UInt32()),
  groupUserCount: Type.Optional(UInt32({ description: 'the author\'s view: how many the post was limited to' })),
  groupUser: Type.Optional(Type.Array(SKString, { description: 'the author\'s view: whom the post was limited to' })),
  blackListCount: Type.Optional(UInt32({ description: 'the author\'s view: how many it is hidden from' })),
  blackList: Type.Optional(Type.Array(SKString, { description: 'the author\'s view: whom it is hidden from' })),
}, { title: 'SnsObject', description: 'a moments post; objectDesc.buffer is its TimelineObject XML, base64' });

/** sns_post, sns_comment, sns_like: the post as it is after the change. */
export const SnsObjectResponse = wechatResponse({ snsObject: SnsObject }, 'the post after the change', 'SnsObjectResponse');
