// The /label/* endpoints: contact labels (标签), declared once.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid } from '../define.ts';
import { UInt32 } from '../integers.ts';
import { BaseOnlyResponse, LabelListResponse } from '../wechat.ts';

export const labelEndpoints = defineModule('label', [
  endpoint({
    path: '/label/get_contact_label_list',
    module: 'label',
    summaryZh: '获取所有标签',
    summaryEn: 'List all contact labels',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    response: LabelListResponse,
  }),
  endpoint({
    path: '/label/add_contact_label',
    module: 'label',
    summaryZh: '新建标签',
    summaryEn: 'Create a contact label',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      label_name: Type.String({ description: 'label name' }),
    }),
    response: LabelListResponse,
  }),
  endpoint({
    path: '/label/update_contact_label',
    module: 'label',
    summaryZh: '修改标签',
    summaryEn: 'Rename a contact label',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      label_id: UInt32({ description: 'label id (integer)' }),
      label_name: Type.String({ description: 'label name' }),
    }),
    response: BaseOnlyResponse,
  }),
  endpoint({
    path: '/label/del_contact_label',
    module: 'label',
    summaryZh: '删除标签',
    summaryEn: 'Delete a contact label',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      label_id: UInt32({ description: 'label id (integer)' }),
    }),
    response: BaseOnlyResponse,
  }),
  endpoint({
    path: '/label/modify_contact_label_list',
    module: 'label',
    summaryZh: '给联系人打标签',
    summaryEn: 'Set the labels of contacts',
    kind: 'raw',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      username_list: Type.Array(Type.String(), { description: 'list of wxids / chatroom ids' }),
      label_id_list: Type.Array(UInt32(), { description: 'list of label ids' }),
    }),
    response: BaseOnlyResponse,
  }),
  endpoint({
    path: '/label/get_contacts',
    module: 'label',
    summaryZh: '根据标签获取联系人 (本地存储)',
    summaryEn: 'List the contacts that carry given labels (local store)',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      label_id_list: Type.Array(UInt32(), { description: 'list of label ids' }),
    }),
    response: Type.Array(Type.Object({
      username: Type.String({ description: 'the contact\'s wxid' }),
      nickname: Type.String(),
      remark: Type.String(),
      alias: Type.String(),
      small_head_img_url: Type.String(),
      label_id_list: Type.Array(UInt32(), { description: 'every label on the contact' }),
    }, { description: 'a contact row (the vendor\'s columns are unknown; these are wxgate\'s)' }), {
      description: 'contacts carrying any of the labels, in contact-list order',
    }),
  }),
  endpoint({
    path: '/label/get_label_usage_amount',
    module: 'label',
    summaryZh: '根据标签下关联联系人的数量 (本地存储)',
    summaryEn: 'Count the contacts of each label (local store)',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
      label_id_list: Type.Array(UInt32(), { description: 'list of label ids' }),
    }),
    response: Type.Array(Type.Object({
      label_id: Type.Optional(UInt32()),
      count: Type.Optional(UInt32({ description: 'contacts carrying the label' })),
    }), { description: 'one entry per label (shape inferred)' }),
  }),
] as const);
