// Both transports reach the same handler with the same result; HTTP-level errors (405, 404, 400, 413, 415) and request ids.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../../harness.ts';

describe('transports', () => {
  let h: Harness;
  let guid: string;
  before(async () => {
    h = await startHarness({ bodyLimitBytes: 4096 });
    guid = await h.createInstance();
  });
  after(() => h.close());

  test('gateway and direct answer get_client_status identically', async () => {
    const viaDirect = await h.direct('/client/get_client_status', { guid });
    const viaGateway = await h.gateway('/client/get_client_status', { guid });
    assert.equal(viaDirect.status, 200);
    assert.equal(viaGateway.status, 200);
    // The call counter differs by one between the two calls; everything else is the same.
    assert.equal(viaGateway.body.data.rate_limit.used, viaDirect.body.data.rate_limit.used + 1);
    delete viaDirect.body.data.rate_limit;
    delete viaGateway.body.data.rate_limit;
    assert.deepEqual(viaGateway.body, viaDirect.body);
    assert.equal(viaDirect.body.data.status, 1);
  });

  test('gateway and direct give the same validation error and the same driver error', async () => {
    const a = await h.direct('/msg/send_text', { guid, content: 'hi' });
    const b = await h.gateway('/msg/send_text', { guid, content: 'hi' });
    assert.equal(a.status, 422);
    assert.deepEqual(a.body, b.body);
    assert.deepEqual(a.body.errors, [{ loc: ['body', 'to_username'], msg: 'Field required', type: 'missing' }]);
    // The sandbox serves every WeChat path now; on an instance without a logged-in account they refuse alike.
    const block = { voice_id: 'v', block_data: '', seq: 0, offset: 0, end_flag: 1 };
    const c = await h.direct('/other/voice_trans_block', { guid, ...block });
    const d = await h.gateway('/other/voice_trans_block', { guid, ...block });
    assert.equal(c.status, 409);
    assert.equal(c.body.code, 40902);
    assert.deepEqual(c.body, d.body);
  });

  test('Authorization: Bearer key:secret works like the X-App-* headers', async () => {
    const res = await h.direct('/client/get_client_status', { guid }, null, { authorization: `Bearer ${h.appKey}:${h.appSecret}` });
    assert.equal(res.status, 200);
    assert.equal(res.body.data.guid, guid);
  });

  test('GET on an endpoint answers 405 with a POST hint', async () => {
    for (const url of ['/msg/send_text', '/open/GuidRequest']) {
      const res = await h.app.http.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 405, url);
      assert.equal(res.headers.allow, 'POST');
      assert.equal(res.json().code, 40501);
      assert.match(res.json().message, /POST/);
    }
  });

  test('an unknown path answers 404 and names it, on both transports', async () => {
    const direct = await h.direct('/msg/send_txt', { guid });
    assert.equal(direct.status, 404);
    assert.equal(direct.body.code, 40401);
    assert.match(direct.body.message, /\/msg\/send_txt/);
    const gateway = await h.gateway('/msg/send_txt', { guid });
    assert.equal(gateway.status, 404);
    assert.match(gateway.body.message, /\/msg\/send_txt/);
  });

  test('malformed JSON answers 400', async () => {
    const res = await h.app.http.inject({ method: 'POST', url: '/client/get_client_status', payload: '{"guid":', headers: { 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().code, 40001);
  });

  test('a body above the limit answers 413', async () => {
    const res = await h.direct('/client/set_bridge', { guid, bridge: 'x'.repeat(5000) });
    assert.equal(res.status, 413);
    assert.equal(res.body.code, 41301);
  });

  test('a non-JSON content type answers 415', async () => {
    const res = await h.app.http.inject({ method: 'POST', url: '/client/get_client_status', payload: 'guid=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 415);
    assert.equal(res.json().code, 40002);
  });

  test('the gateway envelope itself is validated', async () => {
    const noPath = await h.app.http.inject({ method: 'POST', url: '/open/GuidRequest', payload: { app_key: h.appKey, app_secret: h.appSecret, data: { guid } } });
    assert.equal(noPath.statusCode, 422);
    assert.deepEqual(noPath.json().errors[0].loc, ['body', 'path']);
    const arrayBody = await h.app.http.inject({ method: 'POST', url: '/open/GuidRequest', payload: [1, 2] });
    assert.equal(arrayBody.statusCode, 422);
  });

  test('every response carries x-request-id, echoing a sane incoming one', async () => {
    const res = await h.direct('/client/get_client_status', { guid }, undefined, { 'x-request-id': 'trace-123' });
    assert.equal(res.headers['x-request-id'], 'trace-123');
    const generated = await h.direct('/nope', {});
    assert.match(String(generated.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const hostile = await h.direct('/client/get_client_status', { guid }, undefined, { 'x-request-id': 'a b\tc' });
    assert.notEqual(hostile.headers['x-request-id'], 'a b\tc');
  });
});
