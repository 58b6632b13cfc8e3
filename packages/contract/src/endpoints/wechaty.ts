// wxgate's /wechaty/* extension: tokens that let a Wechaty bot (wechaty-puppet-service) drive one instance over gRPC.
import { Type } from '@sinclair/typebox';
import { defineModule, endpoint, Guid } from '../define.ts';
import { UInt32, UnixSeconds } from '../integers.ts';

const TOKEN_ID = 'wct_9f3c2a1b7e6d4c5b';

const TokenView = Type.Object({
  token_id: Type.String({ description: 'names the token in /wechaty/status and /wechaty/revoke_token; not a credential', examples: [TOKEN_ID] }),
  created_at: UnixSeconds(),
}, { title: 'WechatyTokenView' });

const Endpoint = Type.Union([Type.String({ description: 'host:port of wxgate\'s puppet-service gRPC port: WECHATY_PUPPET_SERVICE_ENDPOINT', examples: ['127.0.0.1:8788'] }), Type.Null()], {
  description: 'null while the bridge does not listen (WXGATE_WECHATY_PORT unset)',
});

const BRIDGE = 'wxgate extension: Wechaty bots connect with WECHATY_PUPPET=wechaty-puppet-service, WECHATY_PUPPET_SERVICE_ENDPOINT = endpoint and WECHATY_PUPPET_SERVICE_TOKEN = the token (docs/wechaty.md).';

export const wechatyEndpoints = defineModule('wechaty', [
  endpoint({
    path: '/wechaty/create_token',
    module: 'wechaty',
    summaryZh: '创建 Wechaty 令牌',
    summaryEn: 'Create a Wechaty puppet-service token for an instance',
    description: `${BRIDGE} The token is shown once and stored only as a hash; it opens this instance alone. A bot on a new token gets the events that come after its creation; each token keeps its own place in the event log, so a bot that reconnects resumes where it stopped.`,
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({ guid: Guid }),
    response: Type.Object({
      ...TokenView.properties,
      token: Type.String({ description: 'shown only in this answer: WECHATY_PUPPET_SERVICE_TOKEN (the insecure_ prefix tells wechaty-puppet-service the port has no TLS)', examples: ['insecure_7kQmZp3xV9rT2wLc8nY4bF6hJ1sD5gA0eU_oRiXyNvM'] }),
      endpoint: Endpoint,
    }),
  }),
  endpoint({
    path: '/wechaty/revoke_token',
    module: 'wechaty',
    summaryZh: '吊销 Wechaty 令牌',
    summaryEn: 'Revoke a Wechaty token of an instance',
    description: `${BRIDGE} A bot using it is disconnected at once and refused from then on.`,
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({ guid: Guid, token_id: Type.String({ minLength: 1, maxLength: 64, examples: [TOKEN_ID] }) }),
    response: Type.Object({ revoked: Type.Boolean({ description: 'false when the instance had no such token (already revoked)' }) }),
  }),
  endpoint({
    path: '/wechaty/status',
    module: 'wechaty',
    summaryZh: '查询 Wechaty 桥接状态',
    summaryEn: 'Show the Wechaty bridge of an instance',
    description: BRIDGE,
    kind: 'wrapper',
    scope: 'instance',
    origin: 'wxgate',
    request: Type.Object({ guid: Guid }),
    response: Type.Object({
      endpoint: Endpoint,
      tokens: Type.Array(TokenView, { description: 'the instance\'s tokens, oldest first' }),
      token_count: UInt32({ examples: [1] }),
    }),
  }),
]);
