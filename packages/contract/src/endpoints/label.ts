// The /label/* endpoints: contact labels (标签), declared once.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid } from '../define.ts';
import { AvatarUrl, EXAMPLE, LabelId, UsernameList, Wxid } from '../ids.ts';

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
      label_name: Type.String({ description: 'label name', examples: ['重要客户'] }),
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
      label_id: LabelId(),
      label_name: Type.String({ description: 'label name', examples: ['VIP 客户'] }),
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
      label_id: LabelId(),
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
      username_list: UsernameList(),
      label_id_list: Type.Array(LabelId(), { description: 'list of label ids' }),
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
      label_id_list: Type.Array(LabelId(), { description: 'list of label ids' }),
    }),
    response: Type.Array(Type.Object({
      username: Wxid('the contact\'s wxid'),
      nickname: Type.String({ examples: [EXAMPLE.friendNickname] }),
      remark: Type.String({ examples: ['李娜-产品'] }),
      alias: Type.String({ examples: ['lina_0521'] }),
      small_head_img_url: AvatarUrl(undefined, true),
      label_id_list: Type.Array(UInt32(), { description: 'every label on the contact', examples: [[3, 5]] }),
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
      label_id_list: Type.Array(LabelId(), { description: 'list of label ids' }),
    }),
    response: Type.Array(Type.Object({
      label_id: Type.Optional(UInt32({ examples: [3] })),
      count: Type.Optional(UInt32({ description: 'contacts carrying the label', examples: [12] })),
    }), { description: 'one entry per label (shape inferred)' }),
  }),
] as const);
