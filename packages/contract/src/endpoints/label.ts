// The /label/* endpoints of the vendor API, declared once (TODO one-line purpose).
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid, EmptyData } from '../define.ts';
import { wechatResponse, ChatMsg, ReferMsg, CdnBaseRequest, SKString, SKBuffer } from '../wechat.ts';

export const labelEndpoints = defineModule('label', [
  endpoint({
    path: '/label/get_contact_label_list',
    module: 'label',
    summaryZh: '获取所有标签',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    // catalog response: baseResponse | labelCount: int | labelPairList: [{labelName: string, labelId: int}]
    response: wechatResponse(),
  }),
  endpoint({
    path: '/label/add_contact_label',
    module: 'label',
    summaryZh: '新建标签',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      label_name: Type.String({ description: 'label name' }),
    }),
    // catalog response: baseResponse | labelCount | labelPairList: [{labelName, labelId}] (the new label id)
    response: wechatResponse(),
  }),
  endpoint({
    path: '/label/update_contact_label',
    module: 'label',
    summaryZh: '修改标签',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      label_id: Type.Integer({ description: 'label id (integer)' }),
      label_name: Type.String({ description: 'label name' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/label/del_contact_label',
    module: 'label',
    summaryZh: '删除标签',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      label_id: Type.Integer({ description: 'label id (integer)' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/label/modify_contact_label_list',
    module: 'label',
    summaryZh: '给联系人打标签',
    summaryEn: 'TODO',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username_list: Type.Array(Type.String(), { description: 'list of wxids / chatroom ids' }),
      label_id_list: Type.Array(Type.Integer(), { description: 'list of label ids' }),
    }),
    // catalog response: baseResponse: {ret: int, errMsg: {string?}}
    response: wechatResponse(),
  }),
  endpoint({
    path: '/label/get_contacts',
    module: 'label',
    summaryZh: '根据标签获取联系人 (本地存储)',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      label_id_list: Type.Array(Type.Integer(), { description: 'list of label ids' }),
    }),
    // catalog response: errcode | errmsg | data: [contact rows from the vendor's local store] (inferred)
    response: EmptyData,
  }),
  endpoint({
    path: '/label/get_label_usage_amount',
    module: 'label',
    summaryZh: '根据标签下关联联系人的数量 (本地存储)',
    summaryEn: 'TODO',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      label_id_list: Type.Array(Type.Integer(), { description: 'list of label ids' }),
    }),
    // catalog response: errcode | errmsg | data: [{label_id, count}] (inferred)
    response: EmptyData,
  }),
] as const);
