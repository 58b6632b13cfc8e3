// Standard vs raw response bodies, for wrapper and raw endpoints, successes and errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Driver } from '../../../src/driver/driver.ts';
import { startHarness, type Harness } from '../../harness.ts';

/** A driver double that serves one raw endpoint, so the envelope of WeChat objects can be observed. */
const profileDriver: Driver = {
  name: 'test-double',
  capabilities: () => ['/user/get_profile'],
  open: async (instance) => ({
    guid: instance.guid,
    operations: {
      '/user/get_profile': async () => ({
        baseResponse: { ret: 0, errMsg: {} },
        userInfo: { userName: { string: 'wxid_abcdefghijklmn' }, nickName: { string: 'Alice' }, extraKey: 42 },
      }) as never, // a partial profile on purpose: the envelope must pass whatever WeChat sends
    },
    close: async () => {},
  }),
  close: async () => {},
};

describe('response envelope', () => {
  let h: Harness;
  let guid: string;
  before(async () => {
    h = await startHarness({}, undefined, { driver: profileDriver });
    guid = await h.createInstance();
  });
  after(() => h.close());

  const setMode = async (mode: 'standard' | 'raw') => {
    const res = await h.admin('/admin/set_app_mode', { app_key: h.appKey, mode });
    assert.equal(res.status, 200, res.text);
  };

  test('standard mode wraps both kinds in {code,message,errcode,errmsg,data}', async () => {
    await setMode('standard');
    const wrapper = await h.direct('/client/get_client_status', { guid });
    assert.deepEqual(Object.keys(wrapper.body), ['code', 'message', 'errcode', 'errmsg', 'data']);
    assert.equal(wrapper.body.code, 0);
    assert.equal(wrapper.body.errcode, 0);
    assert.equal(wrapper.body.data.status, 1);
    const raw = await h.direct('/user/get_profile', { guid });
    assert.equal(raw.body.code, 0);
    assert.equal(raw.body.data.baseResponse.ret, 0);
    assert.equal(raw.body.data.userInfo.nickName.string, 'Alice');
    assert.equal(raw.body.data.userInfo.extraKey, 42, 'unknown WeChat keys pass through');
  });

  test('raw mode: WeChat objects at the top level with errcode 0, wrapper endpoints as {errcode,errmsg,data}', async () => {
    await setMode('raw');
    const raw = await h.gateway('/user/get_profile', { guid });
    assert.deepEqual(raw.body, {
      baseResponse: { ret: 0, errMsg: {} },
      userInfo: { userName: { string: 'wxid_abcdefghijklmn' }, nickName: { string: 'Alice' }, extraKey: 42 },
      errcode: 0,
      err_code: 0,
    });
    // Both kinds of reader find the profile: `resp.userInfo`, and `resp.data ?? resp`.
    const body = raw.body as { data?: typeof raw.body; userInfo: { nickName: { string: string } } };
    assert.equal(body.userInfo.nickName.string, 'Alice');
    assert.equal((body.data ?? body).userInfo.nickName.string, 'Alice');
    const wrapper = await h.gateway('/client/get_client_status', { guid });
    assert.deepEqual(Object.keys(wrapper.body), ['errcode', 'err_code', 'errmsg', 'data']);
    assert.equal(wrapper.body.errcode, 0);
    assert.equal(wrapper.body.data.status, 1);
    await setMode('standard');
  });

  test('raw mode: business failures are HTTP 200 with every code and text key; HTTP-level failures keep their status', async () => {
    await setMode('raw');
    const invalid = await h.gateway('/client/set_notify_url', { guid });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.body.errcode, 422);
    assert.deepEqual(invalid.body.detail[0].loc, ['body', 'notify_url']);
    const unsupported = await h.gateway('/msg/send_text', { guid, to_username: 'wxid_x', content: 'hi' });
    assert.equal(unsupported.status, 200);
    for (const key of ['errcode', 'err_code', 'error_code']) assert.equal(unsupported.body[key], 50101, key);
    for (const key of ['errmsg', 'err_msg', 'error_message', 'msg']) assert.match(unsupported.body[key], /not supported/, key);
    // A raw endpoint's failure also carries WeChat's baseResponse, for clients that only read that.
    assert.notEqual(unsupported.body.baseResponse.ret, 0);
    assert.match(unsupported.body.baseResponse.errMsg.string, /not supported/);
    assert.equal(unsupported.body.code, undefined);
    // The precise status and code stay readable in headers.
    assert.equal(unsupported.headers['x-wxgate-status'], '501');
    assert.equal(unsupported.headers['x-wxgate-code'], '50101');
    const unknown = await h.direct('/client/get_client_status', { guid: '00000000-0000-4000-8000-000000000000' });
    assert.equal(unknown.status, 200);
    assert.equal(unknown.body.errcode, 40402);
    assert.equal(unknown.body.baseResponse, undefined, 'a wrapper endpoint has no WeChat baseResponse');
    assert.equal(unknown.headers['x-wxgate-status'], '404');
    await setMode('standard');
  });

  test('422 carries the same issues under errors and detail', async () => {
    const res = await h.direct('/client/update_client', { guid, new_client_type: 'high' });
    assert.equal(res.status, 422);
    assert.equal(res.body.code, 422);
    assert.equal(res.body.message, 'Validation Error');
    assert.deepEqual(res.body.errors, res.body.detail);
    assert.deepEqual(res.body.errors, [{ loc: ['body', 'new_client_type'], msg: 'Input should be a valid integer', type: 'int_type' }]);
  });

  test('a missing or malformed guid is a validation error', async () => {
    const missing = await h.direct('/client/get_client_status', {});
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.body.errors, [{ loc: ['body', 'guid'], msg: 'Field required', type: 'missing' }]);
    const malformed = await h.direct('/client/get_client_status', { guid: 'not-a-uuid' });
    assert.equal(malformed.status, 422);
    assert.equal(malformed.body.errors[0].type, 'uuid_parsing');
  });

  test('errors have data null unless they carry details', async () => {
    const res = await h.direct('/client/get_client_status', { guid: '00000000-0000-4000-8000-000000000000' });
    assert.equal(res.status, 404);
    assert.equal(res.body.code, 40402);
    assert.equal(res.body.data, null);
    assert.equal(res.body.errmsg, res.body.message);
  });
});
