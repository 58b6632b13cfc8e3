// The /sns/* endpoints of the vendor API, declared once (TODO one-line purpose).
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid, EmptyData } from '../define.ts';
import { wechatResponse, ChatMsg, ReferMsg, CdnBaseRequest, SKString, SKBuffer } from '../wechat.ts';

export const snsEndpoints = defineModule('sns', [
  endpoint({
    path: '/sns/sns_timeline',
    module: 'sns',
    summaryZh: '获取朋友圈动态',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      max_id: Type.Optional(Type.String({ default: '', description: 'paging cursor: id of the last object of the previous page; \'\' for first page' })),
      first_page_md5: Type.Optional(Type.String({ default: '', description: 'firstPageMd5 from the previous response (paging)' })),
      source_type: Type.Optional(Type.Integer({ default: 0, description: 'source type' })),
    }),
    // catalog response: baseResponse | firstPageMd5: string | objectCount: int | objectList: [SnsObject {id (string/uint64), username, nickname, createTime, objectDesc: {iLen, buffer: TimelineObject XML}, likeFlag, likeCount, likeUserList[], commentCount, commentUserList[], withUserCount, ...}] | newRequestTime (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/sns/sns_userpage',
    module: 'sns',
    summaryZh: '获取好友朋友圈动态',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username: Type.String({ description: 'wxid / username of the target contact' }),
      max_id: Type.Optional(Type.String({ default: '', description: 'paging cursor: id of the last object of the previous page; \'\' for first page' })),
      first_page_md5: Type.Optional(Type.String({ default: '', description: 'firstPageMd5 from the previous response (paging)' })),
      source_type: Type.Optional(Type.Integer({ default: 0, description: 'source type' })),
    }),
    // catalog response: baseResponse | firstPageMd5 | objectCount | objectList: [SnsObject] | objectTotalCount (inferred)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/sns/sns_post',
    module: 'sns',
    summaryZh: '发布朋友圈',
    summaryEn: 'TODO',
    description: '其他类型朋友圈例子，把 xml base64 后传入 object_desc *username* 需要改成当前号的 wxid ### 视频 ```xml <TimelineObject><id>0</id><username>wxid_5cg2ipa1um8r22</username><createTime>1734776146</createTime><contentDesc>圣诞快乐</contentDesc><contentDescShowType>0</contentDescShowType><contentDescScene>0</contentDescScene><private>0</private><sightFolded>0</sightFolded><showFlag>0</showFlag><appInfo><id></id><version></version>< …',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      object_desc: Type.String({ description: 'TimelineObject XML (base64 for non-text posts, per doc); <username> must be this account\'s wxid' }),
      with_user_list: Type.Optional(Type.Array(Type.String(), { default: [], description: 'wxids to @ (mention) in the post' })),
      block_user_list: Type.Optional(Type.Array(Type.String(), { default: [], description: 'wxids that may not see the post' })),
      group_user_list: Type.Optional(Type.Array(Type.String(), { default: [], description: 'wxids that may see the post' })),
      group_contact_tag_id_list: Type.Optional(Type.Array(Type.Integer(), { default: [], description: 'label ids that may see the post' })),
      black_contact_tag_id_list: Type.Optional(Type.Array(Type.Integer(), { default: [], description: 'label ids that may not see the post' })),
    }),
    // catalog response: baseResponse | snsObject: SnsObject {id (string/uint64), username, nickname, createTime, objectDesc: {iLen, buffer: TimelineObject XML}, likeFlag, likeCount, likeUserList[], commentCount, commentUserList[], withUserCount, ...}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/sns/sns_object_detail',
    module: 'sns',
    summaryZh: '获取朋友圈动态详细信息',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      object_id: Type.String({ description: 'finder/sns object id' }),
      source_type: Type.Optional(Type.Integer({ default: 0, description: 'source type' })),
    }),
    // catalog response: baseResponse | object: SnsObject
    response: wechatResponse(),
  }),
  endpoint({
    path: '/sns/sns_comment',
    module: 'sns',
    summaryZh: '评论',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      object_id: Type.String({ description: 'finder/sns object id' }),
      content: Type.String({ description: 'text content' }),
      reply_comment_id: Type.Optional(Type.String({ default: '0', description: 'comment id being replied to; \'0\' = comment on the post' })),
    }),
    // catalog response: baseResponse | snsObject: SnsObject
    response: wechatResponse(),
  }),
  endpoint({
    path: '/sns/sns_delete_comment',
    module: 'sns',
    summaryZh: '删除评论',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      object_id: Type.String({ description: 'finder/sns object id' }),
      comment_id: Type.String({ description: 'comment id' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/sns/sns_like',
    module: 'sns',
    summaryZh: '点赞/取消点赞',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      object_id: Type.String({ description: 'finder/sns object id' }),
      status: Type.Optional(Type.Integer({ default: 0, description: '0 = unlike, 1 = like (vendor CLI)' })),
    }),
    // catalog response: baseResponse | snsObject
    response: wechatResponse(),
  }),
  endpoint({
    path: '/sns/sns_delete',
    module: 'sns',
    summaryZh: '删除朋友圈',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      object_id: Type.String({ description: 'finder/sns object id' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
] as const);
