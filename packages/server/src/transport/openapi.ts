// The OpenAPI 3.1 document, derived from the contract and the envelope rules; committed at openapi/openapi.json.
import { ERRORS, VENDOR_MODULES, endpointList, type EndpointSpec, type VendorModule } from '@wxgate/contract';
import type { TSchema } from '@sinclair/typebox';
import { GATEWAY_PATH } from './http.ts';

type Json = Record<string, unknown>;

/** TypeBox schemas are JSON Schema plus symbol keys; a JSON round trip keeps exactly the JSON Schema. */
const plain = (schema: TSchema): Json => JSON.parse(JSON.stringify(schema)) as Json;

const errorCodeTable = Object.entries(ERRORS)
  .map(([name, e]) => `| ${e.code} | ${e.http} | \`${name}\` | ${e.message} |`)
  .join('\n');

function successSchema(spec: EndpointSpec): Json {
  return {
    type: 'object',
    required: ['code', 'message', 'errcode', 'errmsg', 'data'],
    properties: {
      code: { const: 0 },
      message: { type: 'string', examples: ['success'] },
      errcode: { const: 0 },
      errmsg: { type: 'string', examples: ['success'] },
      data: plain(spec.response),
    },
  };
}

function operation(spec: EndpointSpec): Json {
  const [, module, action] = spec.path.split('/');
  const security = spec.scope === 'admin' ? [{ adminToken: [] }] : [{ appKey: [], appSecret: [] }, { appBearer: [] }];
  const notes = [
    spec.description,
    spec.kind === 'raw'
      ? '`data` is WeChat\'s protobuf-JSON response (in `raw` mode it is the whole body).'
      : 'In `raw` mode the body is `{"errcode","errmsg","data"}`.',
    spec.scope === 'instance' && VENDOR_MODULES.includes(spec.module as VendorModule) ? 'Counts against the instance\'s rate limit.' : undefined,
    spec.scope === 'instance' && !VENDOR_MODULES.includes(spec.module as VendorModule) ? 'A wxgate extension: not counted against the instance\'s rate limit.' : undefined,
    spec.scope === 'cdn' ? 'Private-CDN call: the instance is named by `base_request` (from /cdn/get_cdn_info).' : undefined,
  ].filter(Boolean);
  return {
    post: {
      operationId: `${module}_${action}`,
      tags: [module],
      summary: `${spec.summaryEn} (${spec.summaryZh})`,
      description: notes.join('\n\n'),
      security,
      'x-wxgate-kind': spec.kind,
      'x-wxgate-scope': spec.scope,
      'x-wxgate-origin': spec.origin,
      requestBody: { required: true, content: { 'application/json': { schema: plain(spec.request) } } },
      responses: {
        200: { description: 'success (standard mode)', content: { 'application/json': { schema: successSchema(spec) } } },
        422: { $ref: '#/components/responses/ValidationError' },
        default: { $ref: '#/components/responses/Error' },
      },
    },
  };
}

export function buildOpenApi(): Json {
  const paths: Json = {
    [GATEWAY_PATH]: {
      post: {
        operationId: 'gateway',
        tags: ['gateway'],
        summary: 'Call any endpoint through the vendor gateway (网关调用)',
        description: 'The hosted vendor\'s transport: credentials, the endpoint path and its fields in one body. Same handlers, validation and answers as the direct path.',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['app_key', 'app_secret', 'path', 'data'],
                properties: {
                  app_key: { type: 'string' },
                  app_secret: { type: 'string' },
                  path: { type: 'string', enum: endpointList.filter((e) => e.scope !== 'admin').map((e) => e.path) },
                  data: { type: 'object', description: 'the endpoint\'s fields, including guid' },
                },
              },
            },
          },
        },
        responses: {
          200: { description: 'the endpoint\'s success body' },
          422: { $ref: '#/components/responses/ValidationError' },
          default: { $ref: '#/components/responses/Error' },
        },
      },
    },
  };
  for (const spec of endpointList) paths[spec.path] = operation(spec);
  return {
    openapi: '3.1.0',
    info: {
      title: 'wxgate',
      version: '0.1.0',
      description: [
        'Self-hosted WeChat protocol API, wire-compatible with the vendor API (POST + JSON, one endpoint per action).',
        'Call each endpoint directly (`POST /<module>/<action>`, credentials in `X-App-Key`/`X-App-Secret`) or through the gateway (`POST /open/GuidRequest`).',
        'Responses: `{"code":0,"message":"success","errcode":0,"errmsg":"success","data":…}` in standard mode; apps in `raw` mode get bodies exactly as the hosted service returns them.',
        '## Error codes\n| code | HTTP | name | meaning |\n|---|---|---|---|\n' + errorCodeTable,
      ].join('\n\n'),
    },
    servers: [{ url: '/' }],
    tags: [...new Set(endpointList.map((e) => e.module))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        appKey: { type: 'apiKey', in: 'header', name: 'X-App-Key' },
        appSecret: { type: 'apiKey', in: 'header', name: 'X-App-Secret' },
        appBearer: { type: 'http', scheme: 'bearer', description: '<app_key>:<app_secret>' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'WXGATE_ADMIN_TOKEN' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['code', 'message', 'errcode', 'errmsg', 'data'],
          properties: {
            code: { type: 'integer', enum: Object.values(ERRORS).map((e) => e.code) },
            message: { type: 'string' },
            errcode: { type: 'integer', description: 'same as code' },
            errmsg: { type: 'string', description: 'same as message' },
            data: { type: ['object', 'null'], description: 'details (e.g. unlock_time of a rate-limit lock), or WeChat\'s baseResponse for WeChat-side refusals' },
          },
        },
        ValidationIssue: {
          type: 'object',
          required: ['loc', 'msg', 'type'],
          properties: {
            loc: { type: 'array', items: { type: ['string', 'integer'] }, examples: [['body', 'to_username']] },
            msg: { type: 'string' },
            type: { type: 'string', examples: ['missing', 'string_type'] },
          },
        },
      },
      responses: {
        Error: { description: 'an error from the catalog (see the table above)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
        ValidationError: {
          description: 'the request failed validation; `errors` and `detail` list the same issues',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  code: { const: 422 },
                  message: { const: 'Validation Error' },
                  errcode: { const: 422 },
                  errmsg: { const: 'Validation Error' },
                  errors: { type: 'array', items: { $ref: '#/components/schemas/ValidationIssue' } },
                  detail: { type: 'array', items: { $ref: '#/components/schemas/ValidationIssue' } },
                },
              },
            },
          },
        },
      },
    },
  };
}
