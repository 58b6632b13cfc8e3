// The /cdn/* endpoints of the vendor API, declared once (TODO one-line purpose).
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid, EmptyData } from '../define.ts';
import { wechatResponse, ChatMsg, ReferMsg, CdnBaseRequest, SKString, SKBuffer } from '../wechat.ts';

export const cdnEndpoints = defineModule('cdn', [
  endpoint({
    path: '/cdn/get_cdn_file',
    module: 'cdn',
    summaryZh: '获取私有化云存储文件',
    summaryEn: 'TODO',
    description: '会返回下载地址，自行下载部署',
    kind: 'wrapper',
    scope: 'app',
    origin: 'vendor',
    request: Type.Object({
    }),
    // catalog response: errcode | errmsg | data.url: download address of the private-CDN package (doc: '会返回下载地址，自行下载部署'; field name inferred)
    response: EmptyData,
  }),
  endpoint({
    path: '/cdn/get_cdn_info',
    module: 'cdn',
    summaryZh: '获取cdn信息',
    summaryEn: 'TODO',
    description: '每3小时更新一次',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    // catalog response: errcode: int | errmsg: string | data.cdn_info: string | data.username: string | data.device_type: string | data.client_version: int
    response: EmptyData,
  }),
] as const);
