// The OpenAPI 3.1 document, derived from the contract and the envelope rules; committed at openapi/openapi.json.
import {
  ApiError, ERRORS, MODULE_INFO, VENDOR_MODULES, endpointList, type EndpointSpec, type ErrorSpec, type ModuleName, type VendorModule,
} from '@wxgate/contract';
import type { TSchema } from '@sinclair/typebox';
import type { ResponseModeName } from '../../storage/ports.ts';
import { errorReply, successReply, validationReply } from '../envelope.ts';
import { endpointExamples } from './openapi-examples.ts';
import { AUTHENTICATION, gatewayOperation, SECURITY_SCHEMES, securityOf } from './openapi-auth.ts';
import { GATEWAY_PATH } from '../http.ts';

type Json = Record<string, unknown>;

/**
 * OpenAPI descriptions are CommonMark, where the contract's `<msgsource>` or a vendor note's XML would be swallowed as
 * HTML tags: outside code spans their `<` is written as the entity, which shows as itself.
 */
export function markdown(text: string): string {
  // A code span is one backtick on each side within a line; a vendor note's stray ``` stays literal text.
  return text.split(/((?<!`)`[^`\n]+`(?!`))/).map((part, i) => (i % 2 === 1 ? part : part.replaceAll('<', '&lt;'))).join('');
}

/** Every description inside a schema, as markdown (see `markdown`). */
function withMarkdown(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withMarkdown);
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [
    key,
    key === 'description' && typeof value === 'string' ? markdown(value) : key === 'examples' || key === 'default' ? value : withMarkdown(value),
  ]));
}

/** TypeBox schemas are JSON Schema plus symbol keys; a JSON round trip keeps exactly the JSON Schema. */
const plain = (schema: TSchema): Json => withMarkdown(JSON.parse(JSON.stringify(schema))) as Json;

const errorCodeTable = Object.entries(ERRORS)
  .map(([name, e]: [string, ErrorSpec]) => `| ${e.code} | ${e.httpLevel ? e.http : 200} | ${e.http} | \`${name}\` | ${e.message} |`)
  .join('\n');

/** The mode an endpoint answers in by default: the vendor's wire, except wxgate's admin API (docs/wire.md). */
const defaultMode = (spec: EndpointSpec): ResponseModeName => (spec.scope === 'admin' ? 'standard' : 'raw');

/** The success body in the endpoint's default mode (raw: the vendor's wire; admin: standard), docs/wire.md. */
export function successSchema(spec: EndpointSpec): Json {
  const codes = { errcode: { const: 0 }, err_code: { const: 0 } };
  const response = plain(spec.response);
  if (defaultMode(spec) === 'standard') {
    return {
      type: 'object',
      required: ['code', 'message', 'errcode', 'errmsg', 'data'],
      properties: { code: { const: 0 }, message: { type: 'string' }, errcode: { const: 0 }, errmsg: { type: 'string' }, data: response },
    };
  }
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

/** The request body and success body /docs shows, built by the server's own envelope code from the composed payload. */
export function operationExamples(spec: EndpointSpec): { request: unknown; success: unknown } {
  const { request, response } = endpointExamples(spec);
  return { request: request.value, success: successReply(defaultMode(spec), spec, response.value).body };
}

/**
 * A business failure as the default wire answers it (HTTP 200): for WeChat calls the one a newcomer meets first (no
 * account logged in yet), for the rest wrong credentials. Admin calls answer failures with their HTTP status instead.
 */
export function failureExample(spec: EndpointSpec): { name: string; body: unknown } {
  const error = new ApiError(spec.kind === 'raw' ? 'NOT_LOGGED_IN' : 'BAD_CREDENTIALS');
  return { name: error.error, body: errorReply('raw', error, spec.kind, 'zh-CN').body };
}

function operation(spec: EndpointSpec): Json {
  const [, module, action] = spec.path.split('/');
  const admin = spec.scope === 'admin';
  const notes = [
    spec.description,
    spec.notesZh ? `厂商文档 (vendor doc): ${spec.notesZh}` : undefined,
    admin
      ? 'wxgate\'s own admin API: answers `{code,message,errcode,errmsg,data}` with precise HTTP statuses.'
      : spec.kind === 'raw'
        ? 'Answers WeChat\'s protobuf-JSON object at the top level with `errcode: 0` (apps in `standard` mode: under `data` of `{code,message,errcode,errmsg,data}`).'
        : 'Answers `{"errcode":0,"errmsg":"","data":{…}}` (apps in `standard` mode: `{code,message,errcode,errmsg,data}`).',
    spec.scope === 'instance' && VENDOR_MODULES.includes(spec.module as VendorModule) ? 'Counts against the instance\'s rate limit.' : undefined,
    spec.scope === 'instance' && !VENDOR_MODULES.includes(spec.module as VendorModule) ? 'A wxgate extension: not counted against the instance\'s rate limit.' : undefined,
    spec.scope === 'cdn' ? 'Private-CDN call: the instance is named by `base_request` (from /cdn/get_cdn_info) or by `guid` alone, without app credentials (WXGATE_CDN_GUID_ACCESS).' : undefined,
  ].filter((note): note is string => Boolean(note));
  const examples = operationExamples(spec);
  const outcomes: Json = { success: { summary: '成功 / success', value: examples.success } };
  if (!admin) {
    const failure = failureExample(spec);
    outcomes.failure = { summary: `业务失败 / business failure (HTTP 200): ${failure.name}`, value: failure.body };
  }
  return {
    post: {
      operationId: `${module}_${action}`,
      tags: [module],
      summary: `${spec.summaryZh} — ${spec.summaryEn}`,
      description: notes.map(markdown).join('\n\n'),
      security: securityOf(spec),
      'x-wxgate-kind': spec.kind,
      'x-wxgate-scope': spec.scope,
      'x-wxgate-origin': spec.origin,
      requestBody: { required: true, content: { 'application/json': { schema: plain(spec.request), example: examples.request } } },
      responses: {
        200: {
          description: admin ? 'success' : 'success, or a business failure (non-zero `errcode`, docs/wire.md)',
          content: {
            'application/json': {
              schema: admin ? successSchema(spec) : { oneOf: [successSchema(spec), { $ref: '#/components/schemas/Failure' }] },
              examples: outcomes,
            },
          },
        },
        422: { $ref: '#/components/responses/ValidationError' },
        default: { $ref: '#/components/responses/Error' },
      },
    },
  };
}

/** One tag per module, bilingual, in the catalog's order; the gateway first. */
function tags(): Json[] {
  const modules = [...new Set(endpointList.map((e) => e.module))] as ModuleName[];
  return [
    { name: 'gateway', description: '网关 / gateway: the vendor\'s transport — `POST /open/GuidRequest` with the credentials, the endpoint path and its fields in one body. Every endpoint below can be called through it.' },
    ...modules.map((name) => ({ name, description: `${MODULE_INFO[name].zh} / ${MODULE_INFO[name].en}: ${MODULE_INFO[name].description}` })),
  ];
}

const VALIDATION_EXAMPLE = validationReply('raw', [{ loc: ['body', 'to_username'], msg: 'Field required', type: 'missing' }], 'zh-CN').body;

export function buildOpenApi(): Json {
  const paths: Json = { [GATEWAY_PATH]: gatewayOperation(operationExamples) };
  for (const spec of endpointList) paths[spec.path] = operation(spec);
  return {
    openapi: '3.1.0',
    info: {
      title: 'wxgate',
      version: '0.1.0',
      description: [
        '自托管的微信协议 API，与厂商 API 线路兼容（每个动作一个 POST + JSON 接口）。 Self-hosted WeChat protocol API, wire-compatible with the vendor API (POST + JSON, one endpoint per action).',
        'Call each endpoint directly (`POST /<module>/<action>`, credentials in `X-App-Key`/`X-App-Secret`) or through the gateway (`POST /open/GuidRequest`). Every operation shows a request and a success example; try one with **Authorize** and **Try it out**.',
        'Responses are the vendor\'s wire (response mode `raw`, the default): WeChat calls answer WeChat\'s object at the top level with `errcode: 0`, service calls `{"errcode":0,"errmsg":"","data":…}`; business failures answer HTTP 200 with a non-zero `errcode`/`err_code` and the text under `errmsg`/`err_msg`/`msg`; the precise status is in the `x-wxgate-status` header. Apps in `standard` mode get `{"code","message","errcode","errmsg","data"}` with that status. See docs/wire.md.',
        AUTHENTICATION,
        // Folded: the table is long, and the operations are what a reader comes for.
        '## Error codes / 错误码',
        `<details><summary>The ${Object.keys(ERRORS).length} codes, with their HTTP status in each mode (also docs/errors.md)</summary>\n\n`
          + '| code | HTTP (`raw`, default) | HTTP (`standard`) | name | meaning |\n|---|---|---|---|---|\n' + errorCodeTable + '\n\n</details>',
      ].join('\n\n'),
    },
    servers: [{ url: '/' }],
    security: [{ appKey: [], appSecret: [] }, { appBearer: [] }],
    tags: tags(),
    paths,
    components: {
      securitySchemes: SECURITY_SCHEMES,
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
                  errmsg: { type: 'string', examples: ['请求参数校验失败（Validation Error）', 'Validation Error'] },
                  errors: { type: 'array', items: { $ref: '#/components/schemas/ValidationIssue' } },
                  detail: { type: 'array', items: { $ref: '#/components/schemas/ValidationIssue' } },
                },
              },
              example: VALIDATION_EXAMPLE,
            },
          },
        },
      },
    },
  };
}
