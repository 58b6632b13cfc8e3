// Derived artifacts stay in step with the contract: routes and handlers for every path, OpenAPI, the error docs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { ERRORS, endpointList } from '@wxgate/contract';
import { handlers } from '../../../src/handlers/index.ts';
import { artifacts } from '../../../../../scripts/generate.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { TEST_DATABASE_URL } from '../../postgres.ts';

const repo = new URL('../../../../../', import.meta.url);

describe('derived artifacts', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('every contract path has a handler and a POST route', async () => {
    assert.deepEqual(Object.keys(handlers).sort(), endpointList.map((e) => e.path).sort());
    for (const spec of endpointList) {
      const res = await h.direct(spec.path, {});
      assert.notEqual(res.status, 404, `${spec.path} has no route`);
      assert.notEqual(res.body?.code, 40401, spec.path);
    }
  });

  test('the committed OpenAPI document and error docs match the contract (run npm run generate)', () => {
    for (const [file, content] of Object.entries(artifacts())) {
      assert.equal(readFileSync(new URL(file, repo), 'utf8'), content, `${file} drifted`);
    }
  });

  test('/openapi.json serves the committed document, covering every endpoint', async () => {
    const res = await h.app.http.inject({ method: 'GET', url: '/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.deepEqual(doc, JSON.parse(readFileSync(new URL('openapi/openapi.json', repo), 'utf8')));
    assert.equal(doc.openapi, '3.1.0');
    for (const spec of endpointList) {
      const op = doc.paths[spec.path]?.post;
      assert.ok(op, `${spec.path} missing from OpenAPI`);
      assert.ok(op.requestBody.content['application/json'].schema, spec.path);
      // The default wire: WeChat's object at the top level for raw endpoints, {errcode,errmsg,data} otherwise; admin
      // calls answer the standard envelope, and only success on 200 (their failures keep their HTTP status).
      const schema = op.responses['200'].content['application/json'].schema;
      const success = spec.scope === 'admin' ? schema : schema.oneOf[0];

      assert.equal(success.properties.errcode.const, 0, spec.path);
      if (spec.kind === 'wrapper') assert.ok(success.properties.data, spec.path);
      // A raw endpoint has `data` only when WeChat's own answer does (js_operate_wxdata): no envelope key added.
      else assert.equal('data' in success.properties, 'data' in ((spec.response as { properties?: object }).properties ?? {}), spec.path);
    }
    assert.ok(doc.paths['/open/GuidRequest'].post);
  });

  test('/docs works offline: the page and its assets come from this server', async () => {
    const page = await h.app.http.inject({ method: 'GET', url: '/docs' });
    assert.equal(page.statusCode, 200);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(assets.length >= 2);
    for (const asset of assets) {
      assert.ok(asset.startsWith('/'), `${asset} is not local`);
      const res = await h.app.http.inject({ method: 'GET', url: asset });
      assert.equal(res.statusCode, 200, asset);
      assert.ok(res.body.length > 100, asset);
    }
    assert.equal((await h.app.http.inject({ method: 'GET', url: '/docs/../../package.json' })).statusCode, 404);
  });

  test('docs/errors.md lists every error code with its HTTP status in each mode', () => {
    const doc = readFileSync(new URL('docs/errors.md', repo), 'utf8');
    const codes = Object.values(ERRORS).map((e) => e.code);
    assert.equal(new Set(codes).size, codes.length, 'codes are unique');
    for (const [name, e] of Object.entries(ERRORS)) {
      const wire = 'httpLevel' in e && e.httpLevel ? e.http : 200;
      assert.ok(doc.includes(`| ${e.code} | ${wire} | ${e.http} | \`${name}\` |`), `${name} missing from docs/errors.md`);
    }
  });

  test('health, readiness and metrics', async () => {
    assert.equal((await h.app.http.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    const ready = await h.app.http.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().store, TEST_DATABASE_URL ? 'postgres' : 'sqlite', 'the store the suite runs on');
    const guid = await h.createInstance();
    await h.gateway('/client/get_client_status', { guid });
    await h.direct('/no/such_path', {});
    const metrics = (await h.app.http.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, /wxgate_http_requests_total\{endpoint="\/client\/get_client_status",code="200"\} 1/);
    assert.match(metrics, /wxgate_http_requests_total\{endpoint="unmatched",code="404"\}/);
    assert.match(metrics, /wxgate_http_request_duration_seconds_bucket\{le="[\d.]+",endpoint="\/client\/get_client_status"\}/);
    assert.match(metrics, /wxgate_locked_instances 0/);
  });
});
