// Unit tests of the envelope translation: requests for both upstream modes, and every answer shape an upstream gives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildUpstreamRequest, scrubSecrets, translateUpstreamAnswer, type Translated, type UpstreamTarget } from './upstream-envelope.ts';

const gateway: UpstreamTarget = { baseUrl: 'https://up.example/api/', mode: 'gateway', appKey: 'upkey-0123456789', appSecret: 'upsecret-0123456789abcdef', timeoutMs: 1000 };
const direct: UpstreamTarget = { ...gateway, mode: 'direct' };

const answer = (status: number, body: unknown, kind: 'raw' | 'wrapper' = 'wrapper') => translateUpstreamAnswer({ status, body, kind, path: '/msg/send_text' });
const failure = (t: Translated) => {
  assert.equal(t.ok, false, JSON.stringify(t));
  return t as Extract<Translated, { ok: false }>;
};

describe('requests', () => {
  test('gateway: POST <prefix>/open/GuidRequest with the credentials and the path in the body', () => {
    const req = buildUpstreamRequest(gateway, '/msg/send_text', { guid: 'g', to_username: 'wxid_a', content: 'hi' });
    assert.equal(req.path, '/api/open/GuidRequest');
    assert.deepEqual(JSON.parse(req.body), { app_key: gateway.appKey, app_secret: gateway.appSecret, path: '/msg/send_text', data: { guid: 'g', to_username: 'wxid_a', content: 'hi' } });
    assert.equal(req.headers['x-app-secret'], undefined);
  });

  test('direct: POST <prefix>/<module>/<action> with the fields as the body and the credentials in headers (or none)', () => {
    const req = buildUpstreamRequest(direct, '/msg/send_text', { guid: 'g' });
    assert.equal(req.path, '/api/msg/send_text');
    assert.deepEqual(JSON.parse(req.body), { guid: 'g' });
    assert.equal(req.headers['x-app-key'], gateway.appKey);
    assert.equal(req.headers['x-app-secret'], gateway.appSecret);
    const anonymous = buildUpstreamRequest({ baseUrl: 'http://up:9', mode: 'direct', timeoutMs: 1000 }, '/user/get_profile', { guid: 'g' });
    assert.equal(anonymous.path, '/user/get_profile');
    assert.equal(anonymous.headers['x-app-key'], undefined);
  });

  test('secrets are scrubbed from any upstream text, raw or JSON-escaped', () => {
    const secret = 'se"cr\\et-0123456789';
    const echoed = JSON.stringify({ errmsg: `bad app_secret ${secret}`, key: 'k-1' });
    const clean = scrubSecrets(echoed, [secret, 'k-1', undefined]);
    assert.ok(!clean.includes('cr\\\\et') && !clean.includes('k-1'));
    assert.match(JSON.parse(clean).errmsg, /\[redacted\]/);
  });
});

describe('successful answers', () => {
  test('wxgate standard envelope: data', () => {
    assert.deepEqual(answer(200, { code: 0, message: 'success', errcode: 0, errmsg: 'success', data: { status: 2 } }), { ok: true, data: { status: 2 } });
  });

  test('vendor wrappers under every spelling: errcode / err_code / error_code', () => {
    for (const key of ['errcode', 'err_code', 'error_code']) {
      assert.deepEqual(answer(200, { [key]: 0, errmsg: 'ok', data: { guid: 'x' } }), { ok: true, data: { guid: 'x' } });
    }
    assert.deepEqual(answer(200, { err_code: '0', err_msg: 'success', data: { a: 1 }, hint: '1704' }), { ok: true, data: { a: 1 } });
  });

  test('a wrapper without data answers its other keys; a bare object is the payload itself', () => {
    assert.deepEqual(answer(200, { errcode: 0, errmsg: 'ok' }), { ok: true, data: {} });
    assert.deepEqual(answer(200, { status: 1 }), { ok: true, data: { status: 1 } });
    assert.deepEqual(answer(200, [{ label_id: 1 }]), { ok: true, data: [{ label_id: 1 }] });
  });

  test('raw WeChat objects, at the top level or under data, pass through untouched', () => {
    const wechat = { baseResponse: { ret: 0, errMsg: {} }, count: 1, list: [{ ret: 0, newMsgId: '123' }], code: 'wx-login-code' };
    assert.deepEqual(answer(200, wechat, 'raw'), { ok: true, data: wechat });
    assert.deepEqual(answer(200, { errcode: 0, errmsg: '', data: wechat }, 'raw'), { ok: true, data: wechat });
  });

  test('a JSON document inside a JSON string (some vendor endpoints) is read as the document', () => {
    assert.deepEqual(answer(200, JSON.stringify({ errcode: 0, data: { ok: 1 } })), { ok: true, data: { ok: 1 } });
  });
});

describe('refusals and failures', () => {
  test('WeChat refusals (baseResponse.ret ≠ 0): known rets get their catalog error, others UPSTREAM_REFUSED; ret kept in data', () => {
    const notFriend = failure(answer(200, { baseResponse: { ret: -44, errMsg: { string: 'need verify' } } }, 'raw'));
    assert.equal(notFriend.error, 'NOT_A_FRIEND');
    assert.equal((notFriend.data!.baseResponse as { ret: number }).ret, -44);
    const other = failure(answer(200, { errcode: 0, data: { baseResponse: { ret: -106, errMsg: { string: 'spam' } } } }, 'raw'));
    assert.equal(other.error, 'UPSTREAM_REFUSED');
    assert.equal(other.data!.upstream_errcode, -106);
    assert.match(other.message, /spam/);
  });

  test('a vendor wrapper with a non-zero code is UPSTREAM_REFUSED with its code and message', () => {
    const refused = failure(answer(200, { error_code: 1014, error_message: 'instance offline' }));
    assert.equal(refused.error, 'UPSTREAM_REFUSED');
    assert.deepEqual(refused.data, { upstream_errcode: 1014, upstream_errmsg: 'instance offline' });
  });

  test('an upstream wxgate\'s catalog errors carry over with their data (WeChat ret included)', () => {
    const pin = failure(answer(403, { code: 40310, message: 'wrong pin', errcode: 40310, errmsg: 'wrong pin', data: { baseResponse: { ret: -32 } } }));
    assert.equal(pin.error, 'LOGIN_PIN_WRONG');
    assert.deepEqual(pin.data, { baseResponse: { ret: -32 } });
    const raw = failure(answer(409, { errcode: 40902, errmsg: 'no account', data: null }));
    assert.equal(raw.error, 'NOT_LOGGED_IN');
    const locked = failure(translateUpstreamAnswer({ status: 429, body: { errcode: 42901, errmsg: 'locked', data: { unlock_time: 5 } }, kind: 'raw', path: '/x/y', retryAfter: '60' }));
    assert.equal(locked.error, 'RATE_LIMITED');
    assert.deepEqual(locked.headers, { 'retry-after': '60' });
  });

  test('an upstream wxgate\'s errors about our access to it are the operator\'s, not the tenant\'s', () => {
    const creds = failure(answer(401, { code: 40102, errcode: 40102, message: 'app_key or app_secret is wrong' }));
    assert.equal(creds.error, 'UPSTREAM_FAILED');
    assert.match(creds.message, /credentials/);
    const gone = failure(answer(404, { errcode: 40402, errmsg: 'no instance' }));
    assert.equal(gone.error, 'UPSTREAM_FAILED');
    assert.equal(gone.data!.upstream_errcode, 40402);
    const unsupported = failure(answer(501, { errcode: 50101, errmsg: 'not supported by this driver' }));
    assert.equal(unsupported.error, 'NOT_SUPPORTED');
    const internal = failure(answer(500, { errcode: 50001, errmsg: 'internal error' }));
    assert.equal(internal.error, 'UPSTREAM_FAILED');
  });

  test('validation errors from the upstream keep their field list (FastAPI detail or wxgate errors)', () => {
    const fastapi = failure(answer(422, { detail: [{ loc: ['body', 'content'], msg: 'field required', type: 'missing' }] }));
    assert.equal(fastapi.error, 'VALIDATION');
    assert.deepEqual(fastapi.data, { errors: [{ loc: ['body', 'content'], msg: 'field required', type: 'missing' }] });
  });

  test('plain HTTP errors: 404/405/501 not supported, 408/504 timeout, 401/403 credentials, 429 rate limited, others failed', () => {
    assert.equal(failure(answer(404, undefined)).error, 'NOT_SUPPORTED');
    assert.equal(failure(answer(501, 'nope')).error, 'NOT_SUPPORTED');
    assert.equal(failure(answer(504, undefined)).error, 'UPSTREAM_TIMEOUT');
    assert.equal(failure(answer(403, { error: 'forbidden' })).error, 'UPSTREAM_FAILED');
    assert.equal(failure(answer(429, undefined)).error, 'RATE_LIMITED');
    const broken = failure(answer(503, { errcode: 1, errmsg: 'maintenance' }));
    assert.equal(broken.error, 'UPSTREAM_FAILED');
    assert.match(broken.message, /HTTP 503: maintenance/);
    // A vendor code that collides with ours but arrives with another status is not read as our catalog.
    assert.equal(failure(answer(500, { errcode: 40902, errmsg: 'x' })).error, 'UPSTREAM_FAILED');
  });

  test('a 2xx answer that is not JSON is UPSTREAM_FAILED', () => {
    assert.equal(failure(answer(200, undefined)).error, 'UPSTREAM_FAILED');
    assert.equal(failure(answer(200, 'plain text')).error, 'UPSTREAM_FAILED');
  });
});
