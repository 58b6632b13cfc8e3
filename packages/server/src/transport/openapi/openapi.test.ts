// The OpenAPI document: every endpoint's examples present, meaningful and valid; summaries, tags and auth as /docs shows them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Ajv } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import { endpointList, MODULE_INFO, type EndpointSpec, type ModuleName } from '@wxgate/contract';
import { endpointExamples } from './openapi-examples.ts';
import { buildOpenApi, failureExample, operationExamples, successSchema } from './openapi.ts';
import { validateRequest } from '../validation.ts';

const addFormats = ((ajvFormats as { default?: unknown }).default ?? ajvFormats) as (ajv: Ajv, formats: string[]) => Ajv;
const ajv = addFormats(new Ajv({ allErrors: true, strict: false }), ['uuid', 'uri', 'date-time']);

/** Where a test failure should send the reader. */
const FIX = 'add `examples` to the field in packages/contract (or `examples` on the endpoint where the composed one reads wrong)';

describe('every endpoint\'s examples', () => {
  test('are composed from the contract without gaps (no made-up empty strings)', () => {
    const gaps = endpointList.flatMap((spec) => {
      const { request: req, response: res } = endpointExamples(spec);
      return [...req.gaps.map((g) => `${spec.path} request ${g}`), ...res.gaps.map((g) => `${spec.path} response ${g}`)];
    });
    assert.deepEqual(gaps, [], FIX);
  });

  test('request examples pass the server\'s own validation', () => {
    for (const spec of endpointList) {
      const body = structuredClone(operationExamples(spec).request);
      assert.deepEqual(validateRequest(spec, body), [], `${spec.path}: ${JSON.stringify(body)}`);
    }
  });

  test('success examples are the default wire\'s success body and match the documented schema', () => {
    for (const spec of endpointList) {
      const { success } = operationExamples(spec);
      const validate = ajv.compile(successSchema(spec));
      assert.ok(validate(success), `${spec.path}: ${ajv.errorsText(validate.errors)}`);
      const body = success as Record<string, unknown>;
      assert.equal(body.errcode, 0, spec.path);
      if (spec.scope === 'admin') assert.equal(body.code, 0, spec.path);
      else if (spec.kind === 'raw') assert.deepEqual(body.baseResponse, { ret: 0, errMsg: {} }, spec.path);
      else assert.deepEqual([body.err_code, body.errmsg, 'data' in body], [0, '', true], spec.path);
    }
  });

  test('WeChat ids in the examples have WeChat\'s formats', () => {
    const text = JSON.stringify(endpointList.map((spec) => operationExamples(spec)));
    for (const wxid of text.match(/wxid_[a-z0-9]+/gi) ?? []) assert.match(wxid, /^wxid_[a-z0-9]{14}$/, wxid);
    for (const room of text.match(/\w+@chatroom/g) ?? []) assert.match(room, /^\d{11}@chatroom$/, room);
    for (const fileId of text.match(/"(?:file_id|thumb_file_id)":"[^"]*"/g) ?? []) assert.match(fileId, /:"3057020100044b3049[0-9a-f]{160}"$/, fileId);
    for (const key of text.match(/"aes_key":"[^"]*"/g) ?? []) assert.match(key, /:"[0-9a-f]{32}"$/, key);
  });
});

describe('the OpenAPI document', () => {
  const doc = buildOpenApi() as { paths: Record<string, { post: Record<string, any> }>; tags: { name: string; description: string }[]; components: Record<string, any> };
  const failure = ajv.compile(doc.components.schemas.Failure);

  test('every operation: Chinese and English summary, an English description, request and outcome examples', () => {
    for (const spec of endpointList as readonly EndpointSpec[]) {
      const op = doc.paths[spec.path]!.post;
      assert.equal(op.summary, `${spec.summaryZh} — ${spec.summaryEn}`);
      assert.match(op.description, /^[\x20-\x7e]/, `${spec.path}: the description starts in English`);
      assert.deepEqual(op.requestBody.content['application/json'].example, operationExamples(spec).request);
      const outcomes = op.responses['200'].content['application/json'].examples;
      assert.deepEqual(outcomes.success.value, operationExamples(spec).success, spec.path);
      if (spec.scope === 'admin') continue;
      assert.ok(failure(outcomes.failure.value), `${spec.path} failure example: ${ajv.errorsText(failure.errors)}`);
      assert.deepEqual(outcomes.failure.value, failureExample(spec).body);
    }
  });

  test('a bilingual description on every tag; the gateway\'s examples call real endpoints', () => {
    const tags = new Map(doc.tags.map((t) => [t.name, t.description]));
    for (const name of Object.keys(MODULE_INFO) as ModuleName[]) {
      assert.ok(tags.get(name)?.startsWith(`${MODULE_INFO[name].zh} / ${MODULE_INFO[name].en}: `), name);
    }
    assert.match(tags.get('gateway') ?? '', /^网关 \/ gateway: /);
    const gateway = doc.paths['/open/GuidRequest']!.post;
    for (const example of Object.values(gateway.requestBody.content['application/json'].examples) as { value: { path: string; data: unknown } }[]) {
      const spec = endpointList.find((e) => e.path === example.value.path)!;
      assert.deepEqual(validateRequest(spec, structuredClone(example.value.data)), [], example.value.path);
    }
  });

  test('the recommended scheme is marked and listed first', () => {
    const schemes = doc.components.securitySchemes as Record<string, { description: string }>;
    assert.match(schemes.appKey!.description, /^\*\*Recommended/);
    assert.doesNotMatch(schemes.appBearer!.description, /Recommended/);
    assert.deepEqual(Object.keys((doc as unknown as { security: object[] }).security[0]!), ['appKey', 'appSecret']);
    for (const spec of endpointList.filter((e) => e.scope !== 'admin')) {
      assert.deepEqual(Object.keys(doc.paths[spec.path]!.post.security[0]), ['appKey', 'appSecret'], spec.path);
    }
  });
});
