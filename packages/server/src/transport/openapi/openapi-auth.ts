// How a caller authenticates, as the OpenAPI document tells it: the schemes (one marked recommended) and the gateway.
import { EXAMPLE_APP, endpointList, findEndpoint, type EndpointSpec } from '@wxgate/contract';

type Json = Record<string, unknown>;

/**
 * The header pair is the recommended scheme: it is what the SDK, the CLI and the README send, every HTTP client can set
 * it, and the credentials stay out of bodies (which get logged and replayed) and URLs.
 */
export const SECURITY_SCHEMES: Json = {
  appKey: {
    type: 'apiKey',
    in: 'header',
    name: 'X-App-Key',
    description: '**Recommended (推荐)**: the app_key in `X-App-Key`, with the app_secret in `X-App-Secret`. What the SDK and the CLI send; keeps the credentials out of request bodies and URLs.',
  },
  appSecret: {
    type: 'apiKey',
    in: 'header',
    name: 'X-App-Secret',
    description: '**Recommended (推荐)**, with `X-App-Key`: the app_secret.',
  },
  appBearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'The same credentials in one header, `Authorization: Bearer <app_key>:<app_secret>`, for clients that can only set a bearer token.',
  },
  adminToken: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <WXGATE_ADMIN_TOKEN>`, for `/admin/*` only.' },
};

export const AUTHENTICATION = [
  '## Authentication / 认证',
  'An app\'s `app_key` and `app_secret` (printed at the first start, also in `data/credentials.json`) authenticate every call but `/admin/*`. Three ways to send them:',
  '1. **Recommended (推荐):** headers `X-App-Key: <app_key>` and `X-App-Secret: <app_secret>` on the direct path `POST /<module>/<action>`.',
  '2. `Authorization: Bearer <app_key>:<app_secret>` on the direct path.',
  '3. In the body of the vendor gateway `POST /open/GuidRequest`: `{"app_key","app_secret","path","data"}` (what clients written for the hosted service send; see the `gateway` tag).',
  'The private-CDN calls (`/cloud/*` with `base_request`) also take the instance `guid` alone (WXGATE_CDN_GUID_ACCESS). `/admin/*` takes `Authorization: Bearer <WXGATE_ADMIN_TOKEN>`.',
].join('\n\n');

const APP_CREDENTIALS = [{ appKey: [], appSecret: [] }, { appBearer: [] }];

/** An operation's schemes, the recommended one first; `{}` where a call may carry none (a guid-only private-CDN call). */
export function securityOf(spec: EndpointSpec): Json[] {
  if (spec.scope === 'admin') return [{ adminToken: [] }];
  return spec.scope === 'cdn' ? [...APP_CREDENTIALS, {}] : APP_CREDENTIALS;
}

/** Calls the gateway's examples make: one WeChat call and one service call. */
const GATEWAY_EXAMPLES: readonly { name: string; summary: string; path: string }[] = [
  { name: 'send_text', summary: '发送文本消息 — /msg/send_text', path: '/msg/send_text' },
  { name: 'get_client_status', summary: '获取实例状态 — /client/get_client_status', path: '/client/get_client_status' },
];

type Examples = (spec: EndpointSpec) => { request: unknown; success: unknown };

/** The gateway operation; its examples wrap the named endpoints' own examples in the envelope. */
export function gatewayOperation(examplesOf: Examples): Json {
  const calls = GATEWAY_EXAMPLES.map(({ name, summary, path }) => ({ name, summary, path, examples: examplesOf(findEndpoint(path)!) }));
  return {
    post: {
      operationId: 'gateway',
      tags: ['gateway'],
      summary: '网关调用 — Call any endpoint through the vendor gateway',
      description: [
        'The hosted vendor\'s transport: the credentials, the endpoint path and its fields in one body. Same handlers, validation and answers as the direct path (`POST <path>` with the `data` fields as its body).',
        'The credentials travel in the body here, so the operation takes no header scheme.',
      ].join('\n\n'),
      security: [],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['app_key', 'app_secret', 'path', 'data'],
              properties: {
                app_key: { type: 'string', examples: [EXAMPLE_APP.key] },
                app_secret: { type: 'string', examples: [EXAMPLE_APP.secret] },
                path: { type: 'string', enum: endpointList.filter((e) => e.scope !== 'admin').map((e) => e.path) },
                data: { type: 'object', description: 'the endpoint\'s fields, including guid' },
              },
            },
            examples: Object.fromEntries(calls.map((c) => [c.name, {
              summary: c.summary,
              value: { app_key: EXAMPLE_APP.key, app_secret: EXAMPLE_APP.secret, path: c.path, data: c.examples.request },
            }])),
          },
        },
      },
      responses: {
        200: {
          description: 'the endpoint\'s success body, or a business failure (docs/wire.md)',
          content: {
            'application/json': {
              schema: { oneOf: [{ type: 'object', description: 'the called endpoint\'s success body (see its operation)' }, { $ref: '#/components/schemas/Failure' }] },
              examples: Object.fromEntries(calls.map((c) => [c.name, { summary: c.summary, value: c.examples.success }])),
            },
          },
        },
        422: { $ref: '#/components/responses/ValidationError' },
        default: { $ref: '#/components/responses/Error' },
      },
    },
  };
}
