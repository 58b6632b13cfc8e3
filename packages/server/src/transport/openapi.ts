// The OpenAPI 3.1 document, derived from the contract and the envelope rules; committed at openapi/openapi.json.
import { ERRORS, VENDOR_MODULES, endpointList, type EndpointSpec, type ErrorSpec, type VendorModule } from '@wxgate/contract';
import type { TSchema } from '@sinclair/typebox';
import { GATEWAY_PATH } from './http.ts';

type Json = Record<string, unknown>;

/** TypeBox schemas are JSON Schema plus symbol keys; a JSON round trip keeps exactly the JSON Schema. */
const plain = (schema: TSchema): Json => JSON.parse(JSON.stringify(schema)) as Json;

const errorCodeTable = Object.entries(ERRORS)
  .map(([name, e]: [string, ErrorSpec]) => `| ${e.code} | ${e.httpLevel ? e.http : 200} | ${e.http} | \`${name}\` | ${e.message} |`)
  .join('\n');

/** The success body on the vendor's wire (the default `raw` mode): docs/wire.md. */
function successSchema(spec: EndpointSpec): Json {
  const codes = { errcode: { const: 0 }, err_code: { const: 0 } };
  const response = plain(spec.response);
  if (spec.kind === 'raw' && response.type === 'object') {
    return {
      ...response,
      required: [...((response.required as string[] | undefined) ?? []), 'errcode'],
      properties: { ...(response.properties as Json), ...codes },
    };
  }
  return {
    type: 'object',
    required: ['errcode', 'errmsg', 'data'],
    properties: { ...codes, errmsg: { type: 'string', examples: [''] }, data: response },
  };
}

function operation(spec: EndpointSpec): Json {
  const [, module, action] = spec.path.split('/');
  const security = spec.scope === 'admin' ? [{ adminToken: [] }] : [{ appKey: [], appSecret: [] }, { appBearer: [] }];
  const notes = [
    spec.description,
    spec.kind === 'raw'
      ? 'Answers WeChat\'s protobuf-JSON object at the top level with `errcode: 0` (apps in `standard` mode: under `data` of `{code,message,errcode,errmsg,data}`).'
      : 'Answers `{"errcode":0,"errmsg":"","data":{…}}` (apps in `standard` mode: `{code,message,errcode,errmsg,data}`).',
    spec.scope === 'instance' && VENDOR_MODULES.includes(spec.module as VendorModule) ? 'Counts against the instance\'s rate limit.' : undefined,
    spec.scope === 'instance' && !VENDOR_MODULES.includes(spec.module as VendorModule) ? 'A wxgate extension: not counted against the instance\'s rate limit.' : undefined,
    spec.scope === 'cdn' ? 'Private-CDN call: the instance is named by `base_request` (from /cdn/get_cdn_info) or by `guid` alone, without app credentials (WXGATE_CDN_GUID_ACCESS).' : undefined,
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
        200: {
          description: 'success, or a business failure (non-zero `errcode`, docs/wire.md)',
          content: { 'application/json': { schema: { oneOf: [successSchema(spec), { $ref: '#/components/schemas/Failure' }] } } },
        },
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
        'Responses are the vendor\'s wire (response mode `raw`, the default): WeChat calls answer WeChat\'s object at the top level with `errcode: 0`, service calls `{"errcode":0,"errmsg":"","data":…}`; business failures answer HTTP 200 with a non-zero `errcode`/`err_code` and the text under `errmsg`/`err_msg`/`msg`; the precise status is in the `x-wxgate-status` header. Apps in `standard` mode get `{"code","message","errcode","errmsg","data"}` with that status. See docs/wire.md.',
        '## Error codes\n| code | HTTP (`raw`, default) | HTTP (`standard`) | name | meaning |\n|---|---|---|---|---|\n' + errorCodeTable,
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
        Failure: {
          type: 'object',
          description: 'a business failure on the vendor\'s wire (HTTP 200); `baseResponse` on WeChat calls only',
          required: ['errcode', 'err_code', 'errmsg', 'err_msg', 'msg', 'data'],
          properties: {
            errcode: { type: 'integer', enum: Object.values(ERRORS).map((e) => e.code) },
            err_code: { type: 'integer', description: 'same as errcode' },
            error_code: { type: 'integer', description: 'same as errcode' },
            errmsg: { type: 'string' },
            err_msg: { type: 'string', description: 'same as errmsg' },
            error_message: { type: 'string', description: 'same as errmsg' },
            msg: { type: 'string', description: 'same as errmsg' },
            baseResponse: {
              type: 'object',
              properties: { ret: { type: 'integer' }, errMsg: { type: 'object', properties: { string: { type: 'string' } } } },
            },
            data: { type: ['object', 'null'], description: 'details (e.g. unlock_time of a rate-limit lock), or WeChat\'s baseResponse for WeChat-side refusals' },
          },
        },
        Error: {
          type: 'object',
          description: 'an HTTP-level failure (404, 405, 413, 415, 429, 5xx) on the vendor\'s wire, or any failure of an app in `standard` mode',
          properties: {
            code: { type: 'integer', description: '`standard` mode', enum: Object.values(ERRORS).map((e) => e.code) },
            message: { type: 'string', description: '`standard` mode' },
            errcode: { type: 'integer' },
            errmsg: { type: 'string' },
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
                  errcode: { const: 422 },
                  err_code: { const: 422 },
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
