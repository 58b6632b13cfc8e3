// The /sns/* endpoints: moments (朋友圈) timeline, posts, comments and likes, declared once.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid, XmlText } from '../define.ts';
import { EXAMPLE, Username, SnsObjectId } from '../ids.ts';

import { UInt32 } from '../integers.ts';
import { wechatResponse, BaseOnlyResponse, SnsObject, SnsObjectResponse } from '../wechat.ts';

/** The paging md5 of the example timeline, and a text post by the account (what sns_post takes as object_desc). */
const FIRST_PAGE_MD5 = '6f8a3c1e9b2d7f4a5c0e8b3d1f9a7c2e';
const TEXT_POST_XML = `<TimelineObject><id>0</id><username>${EXAMPLE.self}</username><createTime>0</createTime>`
  + '<contentDesc>新年快乐！愿大家 2026 万事顺遂</contentDesc><contentDescShowType>0</contentDescShowType><private>0</private>'
  + '<ContentObject><contentStyle>2</contentStyle><title></title><description></description><contentUrl></contentUrl></ContentObject>'
  + '</TimelineObject>';

/** TEXT_POST_XML as WeChat stores it once posted (its id and time filled in), base64. */
const OWN_POST_BASE64 = 'PFRpbWVsaW5lT2JqZWN0PjxpZD43MzUxMjA4ODM2NDUxOTAxNzM0PC9pZD48dXNlcm5hbWU+d3hpZF9rM205cTJ4N2MxdjhiNDwvdXNlcm5hbWU+'
  + 'PGNyZWF0ZVRpbWU+MTc2NzI1ODAwMDwvY3JlYXRlVGltZT48Y29udGVudERlc2M+5paw5bm05b+r5LmQ77yB5oS/5aSn5a62IDIwMjYg5LiH5LqL6aG66YGCPC9jb250'
  + 'ZW50RGVzYz48Q29udGVudE9iamVjdD48Y29udGVudFN0eWxlPjI8L2NvbnRlbnRTdHlsZT48L0NvbnRlbnRPYmplY3Q+PC9UaW1lbGluZU9iamVjdD4=';

export const snsEndpoints = defineModule('sns', [
  endpoint({
    path: '/sns/sns_timeline',
    module: 'sns',
    summaryZh: '获取朋友圈动态',
    summaryEn: 'Get the moments timeline',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      max_id: Type.Optional(Type.String({ default: '', description: 'paging cursor: id of the last object of the previous page; \'\' for first page' })),
      first_page_md5: Type.Optional(Type.String({ default: '', description: 'firstPageMd5 from the previous response (paging)' })),
      source_type: Type.Optional(UInt32({ default: 0, description: 'source type' })),
    }),
    response: wechatResponse({
      firstPageMd5: Type.String({ description: 'pass back as first_page_md5 when paging', examples: [FIRST_PAGE_MD5] }),
      objectCount: UInt32({ examples: [1] }),
      objectList: Type.Array(SnsObject),
      newRequestTime: Type.Optional(UInt32()),
    }, 'WeChat SnsTimeLineResponse'),
  }),
  endpoint({
    path: '/sns/sns_userpage',
    module: 'sns',
    summaryZh: '获取好友朋友圈动态',
    summaryEn: 'Get a friend\'s moments',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: Username(),
      max_id: Type.Optional(Type.String({ default: '', description: 'paging cursor: id of the last object of the previous page; \'\' for first page' })),
      first_page_md5: Type.Optional(Type.String({ default: '', description: 'firstPageMd5 from the previous response (paging)' })),
      source_type: Type.Optional(UInt32({ default: 0, description: 'source type' })),
    }),
    response: wechatResponse({
      firstPageMd5: Type.String({ description: 'pass back as first_page_md5 when paging', examples: [FIRST_PAGE_MD5] }),
      objectCount: UInt32({ examples: [1] }),
      objectList: Type.Array(SnsObject),
      objectTotalCount: Type.Optional(UInt32({ examples: [37] })),
    }, 'WeChat SnsUserPageResponse'),
  }),
  endpoint({
    path: '/sns/sns_post',
    module: 'sns',
    summaryZh: '发布朋友圈',
    summaryEn: 'Post to moments',
    description: 'object_desc is TimelineObject XML, base64 for posts other than text; its `<username>` must be this account\'s wxid. The vendor doc\'s examples of other posts (video, …) follow.',
    notesZh: '其他类型朋友圈例子，把 xml base64 后传入 object_desc *username* 需要改成当前号的 wxid ### 视频 ```xml <TimelineObject><id>0</id><username>wxid_5cg2ipa1um8r22</username><createTime>1734776146</createTime><contentDesc>圣诞快乐</contentDesc><contentDescShowType>0</contentDescShowType><contentDescScene>0</contentDescScene><private>0</private><sightFolded>0</sightFolded><showFlag>0</showFlag><appInfo><id></id><version></version>< …',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      object_desc: XmlText({
        description: 'TimelineObject XML (base64 for non-text posts, per doc); <username> must be this account\'s wxid',
        examples: [TEXT_POST_XML],
      }, 'base64'),
      with_user_list: Type.Optional(Type.Array(Type.String(), { default: [], description: 'wxids to @ (mention) in the post' })),
      block_user_list: Type.Optional(Type.Array(Type.String(), { default: [], description: 'wxids that may not see the post' })),
      group_user_list: Type.Optional(Type.Array(Type.String(), { default: [], description: 'wxids that may see the post' })),
      group_contact_tag_id_list: Type.Optional(Type.Array(UInt32(), { default: [], description: 'label ids that may see the post' })),
      black_contact_tag_id_list: Type.Optional(Type.Array(UInt32(), { default: [], description: 'label ids that may not see the post' })),
    }),
    response: SnsObjectResponse,
    // The new post is this account's own, with no likes or comments yet.
    examples: {
      response: {
        snsObject: {
          username: EXAMPLE.self,
          nickname: EXAMPLE.selfNickname,
          objectDesc: { iLen: 266, buffer: OWN_POST_BASE64 },
          likeCount: 0,
          likeUserList: [],
          commentCount: 0,
          commentUserList: [],
        },
      },
    },
  }),
  endpoint({
    path: '/sns/sns_object_detail',
    module: 'sns',
    summaryZh: '获取朋友圈动态详细信息',
    summaryEn: 'Get a moments post in detail',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      object_id: SnsObjectId(),
      source_type: Type.Optional(UInt32({ default: 0, description: 'source type' })),
    }),
    response: wechatResponse({ object: SnsObject }, 'WeChat SnsObjectDetailResponse'),
  }),
  endpoint({
    path: '/sns/sns_comment',
    module: 'sns',
    summaryZh: '评论',
    summaryEn: 'Comment on a moments post',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      object_id: SnsObjectId(),
      content: Type.String({ description: 'text content', examples: ['新年快乐！'] }),
      reply_comment_id: Type.Optional(Type.String({ default: '0', description: 'comment id being replied to; \'0\' = comment on the post' })),
    }),
    response: SnsObjectResponse,
  }),
  endpoint({
    path: '/sns/sns_delete_comment',
    module: 'sns',
    summaryZh: '删除评论',
    summaryEn: 'Delete a comment on a moments post',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      object_id: SnsObjectId(),
      comment_id: Type.String({ description: 'comment id', examples: ['2'] }),
    }),
    response: BaseOnlyResponse,
  }),
  endpoint({
    path: '/sns/sns_like',
    module: 'sns',
    summaryZh: '点赞/取消点赞',
    summaryEn: 'Like or unlike a moments post',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      object_id: SnsObjectId(),
      status: Type.Optional(UInt32({ default: 0, description: '0 = unlike, 1 = like (vendor CLI)', examples: [1] })),
    }),
    response: SnsObjectResponse,
  }),
  endpoint({
    path: '/sns/sns_delete',
    module: 'sns',
    summaryZh: '删除朋友圈',
    summaryEn: 'Delete a moments post',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      object_id: SnsObjectId(),
    }),
    response: BaseOnlyResponse,
  }),
] as const);
