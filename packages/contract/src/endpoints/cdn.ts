// The /cdn/* endpoints: the private-CDN server package and the base_request its calls need, declared once.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid } from '../define.ts';
import { CdnBaseRequest } from '../wechat.ts';

export const cdnEndpoints = defineModule('cdn', [
  endpoint({
    path: '/cdn/get_cdn_file',
    module: 'cdn',
    summaryZh: '获取私有化云存储文件',
    summaryEn: 'Get the download address of the private-CDN package',
    description: 'Answers the download address of the private-CDN server package; download and deploy it yourself.',
    notesZh: '会返回下载地址，自行下载部署',
    kind: 'wrapper',
    scope: 'app',
    origin: 'vendor',
    request: Type.Object({
    }),
    response: Type.Object({
      url: Type.Optional(Type.String({ description: 'download address of the private-CDN server package', examples: ['https://download.example.com/private-cdn/cdn-server-linux-amd64.tar.gz'] })),
    }, { description: 'the package to deploy (field name inferred)' }),
  }),
  endpoint({
    path: '/cdn/get_cdn_info',
    module: 'cdn',
    summaryZh: '获取cdn信息',
    summaryEn: 'Get the CDN info that private-CDN calls take as base_request',
    description: 'The CDN info changes every 3 hours.',
    notesZh: '每3小时更新一次',
    kind: 'wrapper',
    scope: 'instance',
    origin: 'vendor',
    request: Type.Object({
      guid: Guid,
    }),
    // The payload is exactly the base_request of the private-CDN calls.
    response: CdnBaseRequest,
  }),
] as const);
