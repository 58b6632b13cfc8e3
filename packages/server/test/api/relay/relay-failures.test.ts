// The relay when the upstream misbehaves: down, slow, erroring, refusing, answering in vendor shapes — each becomes a
// clear catalog error with no partial state; our rate limit stops calls before the upstream; credentials never leak.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FakeUpstream } from '../../fake-upstream.ts';
import { startHarness, type Harness, type Response } from '../../harness.ts';
import { freePort } from '../../relay-harness.ts';

const UP_KEY = 'vendor-app-key-0123456789';
const UP_SECRET = 'vendor-app-secret-abcdefghijklmnop';

describe('relay against a misbehaving upstream', () => {
  const upstream = new FakeUpstream();
  let relay: Harness;
  /** Every answer the relay gave in this file: none may carry the upstream credentials. */
  const answers: Response[] = [];
  const call = async (path: string, body: Record<string, unknown>) => {
    const res = await relay.direct(path, body);
    answers.push(res);
    return res;
  };

  before(async () => {
    await upstream.start();
    relay = await startHarness({
      driver: 'relay',
      publicUrl: 'http://127.0.0.1:9',
      relay: { baseUrl: upstream.url, mode: 'gateway', appKey: UP_KEY, appSecret: UP_SECRET, timeoutMs: 300, tenants: {} },
      rateLimit: { maxCalls: 5, windowSeconds: 60, lockSeconds: 60 },
    }, undefined, { realTime: true });
  });
  after(async () => {
    // Checked once everything ran: not in one answer, not in one log line.
    for (const res of answers) {
      assert.ok(!res.text.includes(UP_SECRET) && !res.text.includes(UP_KEY), `an answer carries an upstream credential: ${res.text}`);
    }
    const logs = relay.logs.join('');
    assert.ok(logs.length > 0);
    assert.ok(!logs.includes(UP_SECRET) && !logs.includes(UP_KEY), 'a log line carries an upstream credential');
    await relay.close();
    await upstream.close();
  });

  const instance = async () => {
    upstream.script = (c) => (c.path === '/client/create_client'
      ? { body: { err_code: 0, err_msg: 'success', data: { guid: crypto.randomUUID() } } }
      : { body: { errcode: 0, errmsg: 'ok', data: {} } });
    const res = await call('/client/create_client', { auto_start: true });
    assert.equal(res.status, 200, res.text);
    return res.body.data.guid as string;
  };

  test('create_client when the upstream is down: 502 UPSTREAM_UNREACHABLE and no instance here', async () => {
    const down = await startHarness({
      driver: 'relay', publicUrl: 'http://127.0.0.1:9',
      relay: { baseUrl: `http://127.0.0.1:${await freePort()}`, mode: 'direct', timeoutMs: 500, tenants: {} },
    });
    try {
      const res = await down.direct('/client/create_client', { auto_start: true });
      answers.push(res);
      assert.equal(res.status, 502);
      assert.equal(res.body.errcode, 50210);
      assert.deepEqual((await down.direct('/client/all_clients', {})).body.data, []);
    } finally {
      await down.close();
    }
  });

  test('create_client whose notify_url registration fails: the new upstream instance is removed again, nothing stays here', async () => {
    const created = crypto.randomUUID();
    upstream.calls.length = 0;
    upstream.script = (c) => {
      if (c.path === '/client/create_client') return { body: { err_code: 0, data: { guid: created } } };
      if (c.path === '/client/set_notify_url') return { status: 500, raw: 'Internal Server Error' };
      return { body: { errcode: 0 } };
    };
    const res = await call('/client/create_client', { auto_start: true });
    assert.equal(res.status, 502);
    assert.equal(res.body.errcode, 50201);
    assert.deepEqual(upstream.callsTo('/client/remove_client').map((c) => c.data.guid), [created]);
    assert.deepEqual((await call('/client/all_clients', {})).body.data, []);
  });

  test('vendor-shaped answers: gateway envelope out, raw WeChat objects and {err_code, data} wrappers back', async () => {
    const guid = await instance();
    const wechat = { baseResponse: { ret: 0, errMsg: {} }, count: 1, list: [{ ret: 0, toUserName: { string: 'wxid_b' }, msgId: 1, clientMsgId: 2, createTime: 3, serverTime: 3, type: 1, newMsgId: '7001' }] };
    upstream.calls.length = 0;
    upstream.script = (c) => (c.path === '/msg/send_text' ? { body: wechat } : { body: { err_code: 0, err_msg: 'success', data: { status: 1 } } });
    const sent = await call('/msg/send_text', { guid, to_username: 'wxid_b', content: 'hi' });
    assert.deepEqual(sent.body.data, wechat);
    const [forwarded] = upstream.callsTo('/msg/send_text');
    assert.equal(forwarded!.transport, 'gateway');
    assert.notEqual(forwarded!.data.guid, guid, 'the upstream guid goes out');
    assert.deepEqual({ ...forwarded!.data, guid: undefined }, { guid: undefined, to_username: 'wxid_b', content: 'hi' });
    assert.equal(JSON.parse(forwarded!.body).app_key, UP_KEY);
    const version = await call('/client/get_client_version', { guid });
    assert.ok(version.body.data.capabilities.includes('/sns/sns_post'), 'the relay declares every driver path');
  });

  test('a slow upstream: 504 UPSTREAM_TIMEOUT', async () => {
    const guid = await instance();
    upstream.script = () => ({ delayMs: 1000, body: { errcode: 0 } });
    const res = await call('/msg/send_text', { guid, to_username: 'wxid_b', content: 'hi' });
    assert.equal(res.status, 504);
    assert.equal(res.body.errcode, 50401);
    assert.match(res.body.errmsg, /did not answer \/msg\/send_text within 300 ms/);
  });

  test('upstream errors and refusals: 5xx → 502, {err_code ≠ 0} → 409 UPSTREAM_REFUSED, WeChat ret -44 → 409 NOT_A_FRIEND, 404 → 501', async () => {
    const guid = await instance();
    upstream.script = () => ({ status: 500, body: { detail: 'boom' } });
    const failed = await call('/contact/get_contact', { guid, username_list: ['wxid_b'] });
    assert.deepEqual([failed.status, failed.body.errcode], [502, 50201]);
    assert.match(failed.body.errmsg, /HTTP 500: boom/);

    upstream.script = () => ({ body: { err_code: 1014, err_msg: 'instance offline' } });
    const refused = await call('/msg/send_text', { guid, to_username: 'wxid_b', content: 'hi' });
    assert.deepEqual([refused.status, refused.body.errcode], [409, 40960]);
    assert.deepEqual(refused.body.data, { upstream_errcode: 1014, upstream_errmsg: 'instance offline' });

    upstream.script = () => ({ body: { baseResponse: { ret: -44, errMsg: { string: 'MM_ERR_NEED_VERIFY_USER' } } } });
    const wechat = await call('/msg/send_text', { guid, to_username: 'wxid_b', content: 'hi' });
    assert.deepEqual([wechat.status, wechat.body.errcode, wechat.body.data.baseResponse.ret], [409, 40910, -44]);

    upstream.script = () => ({ status: 404, raw: 'Not Found' });
    const missing = await call('/sns/sns_timeline', { guid });
    assert.deepEqual([missing.status, missing.body.errcode], [501, 50101]);
    assert.match(missing.body.errmsg, /not supported by the upstream provider/);
  });

  test('our rate limit applies before the upstream is called', async () => {
    const guid = await instance();
    upstream.calls.length = 0;
    upstream.script = () => ({ body: { baseResponse: { ret: 0 }, userInfo: {}, userInfoExt: {} } });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call('/user/get_profile', { guid })).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429]);
    assert.equal(upstream.callsTo('/user/get_profile').length, 5, 'locked calls never reach the upstream');
  });

  test('remove_client while the upstream is unreachable fails and keeps the instance; once it is back, removal goes through', async () => {
    const guid = await instance();
    upstream.script = () => ({ destroy: true });
    const failed = await call('/client/remove_client', { guid });
    assert.equal(failed.status, 502);
    assert.ok((await call('/client/all_clients', {})).body.data.includes(guid));
    // An upstream that no longer knows the instance (a wxgate says 40402) lets it go.
    upstream.script = () => ({ status: 404, body: { code: 40402, errcode: 40402, message: 'no instance', errmsg: 'no instance', data: null } });
    assert.equal((await call('/client/remove_client', { guid })).status, 200);
    assert.ok(!(await call('/client/all_clients', {})).body.data.includes(guid));
  });

  test('an upstream that echoes our request (credentials included) in success and error bodies is scrubbed', async () => {
    const guid = await instance();
    upstream.script = (c) => ({ body: { errcode: 0, data: { echo: c.body, headers: c.headers } } });
    const ok = await call('/app/get_a8key', { guid, req_url: 'https://example.com', client_version: 1, device_type: 'ipad' });
    assert.equal(ok.status, 200);
    assert.match(ok.text, /\[redacted\]/);
    upstream.script = (c) => ({ status: 400, body: { errmsg: `bad request ${c.body}` } });
    const bad = await call('/msg/send_text', { guid, to_username: 'wxid_b', content: 'hi' });
    assert.equal(bad.status, 502);
    assert.match(bad.text, /\[redacted\]/);
  });
});
