// Standard vs raw response bodies, for wrapper and raw endpoints, successes and errors.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Driver } from '../../src/driver/driver.ts';
import { startHarness, type Harness } from '../harness.ts';

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

  test('raw mode: WeChat objects at the top level, wrapper endpoints as {errcode,errmsg,data}', async () => {
    await setMode('raw');
    const raw = await h.gateway('/user/get_profile', { guid });
    assert.deepEqual(raw.body, {
      baseResponse: { ret: 0, errMsg: {} },
      userInfo: { userName: { string: 'wxid_abcdefghijklmn' }, nickName: { string: 'Alice' }, extraKey: 42 },
    });
    const wrapper = await h.gateway('/client/get_client_status', { guid });
    assert.deepEqual(Object.keys(wrapper.body), ['errcode', 'errmsg', 'data']);
    assert.equal(wrapper.body.errcode, 0);
    assert.equal(wrapper.body.data.status, 1);
  });

  test('raw mode errors still carry a non-zero errcode that every known client reads as failure', async () => {
    await setMode('raw');
    const invalid = await h.gateway('/client/set_notify_url', { guid });
    assert.equal(invalid.status, 422);
    assert.equal(invalid.body.errcode, 422);
    assert.deepEqual(invalid.body.detail[0].loc, ['body', 'notify_url']);
    const unsupported = await h.gateway('/msg/send_text', { guid, to_username: 'wxid_x', content: 'hi' });
    assert.equal(unsupported.status, 501);
    assert.equal(unsupported.body.errcode, 50101);
    assert.equal(unsupported.body.code, undefined);
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
