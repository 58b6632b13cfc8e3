// Vendor clients on a fresh default server, on the failure paths: business failures reach every client as HTTP 200
// with its code and text keys (unknown or stopped instance, not logged in, WeChat refusal, wrong or missing
// credentials, not supported); HTTP-level failures keep their status (422, 404 path, 405, 415, 429 rate lock).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERRORS, ERRORS_ZH } from '@wxgate/contract';
import { vendorSession, type Account, type VendorServer } from './vendor-server.ts';
import { vendorClients, type Clients, type Outcome, type VendorClient } from './vendor-clients.ts';

const UNKNOWN_GUID = '00000000-0000-4000-8000-000000000000';

/** Matches exactly `text` (a catalog text, with its parentheses and slashes taken literally). */
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);

/** Every client sees a failure it can read: HTTP 200, its code non-zero, its text non-empty. */
function assertBusinessFailure(outcome: Outcome, code: number, client: VendorClient, text: RegExp): void {
  const where = `${client.name}: HTTP ${outcome.status} ${JSON.stringify(outcome.body)}`;
  assert.equal(outcome.status, 200, where);
  assert.equal(outcome.raised, undefined, where);
  assert.equal(outcome.ok, false, where);
  assert.equal(outcome.code, code, where);
  assert.match(outcome.message, text, where);
  for (const key of ['errcode', 'err_code', 'error_code']) assert.equal(outcome.body[key], code, `${key} ${where}`);
  for (const key of ['errmsg', 'err_msg', 'error_message', 'msg']) assert.match(outcome.body[key], text, `${key} ${where}`);
}

describe('vendor clients: failures', () => {
  let server: VendorServer;
  let c: Clients;
  let alice: Account;

  before(async () => {
    ({ server, c, alice } = await vendorSession({ nickname: 'Alice' }));
  });
  after(() => server.close());

  const everyClient = async (path: string, data: Record<string, unknown>, code: number, text: RegExp) => {
    for (const client of Object.values(c)) assertBusinessFailure(await client.call(path, data), code, client, text);
  };

  test('an unknown guid: HTTP 200, 40402 under every code key, the text under every text key; the precise status in a header', async () => {
    // In Chinese by default (WXGATE_LANGUAGE): vendor clients show errmsg to the people running them.
    await everyClient('/client/get_client_status', { guid: UNKNOWN_GUID }, 40402, exactly(ERRORS_ZH.UNKNOWN_INSTANCE));
    const res = await fetch(`${server.baseUrl}/client/get_client_status`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-app-key': server.appKey, 'x-app-secret': server.appSecret },
      body: JSON.stringify({ guid: UNKNOWN_GUID }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-wxgate-status'), '404');
    assert.equal(res.headers.get('x-wxgate-code'), '40402');
    // A caller that asks for English gets it.
    const english = await fetch(`${server.baseUrl}/client/get_client_status`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'en-US,en;q=0.9', 'x-app-key': server.appKey, 'x-app-secret': server.appSecret },
      body: JSON.stringify({ guid: UNKNOWN_GUID }),
    });
    assert.equal(((await english.json()) as { errmsg: string }).errmsg, ERRORS.UNKNOWN_INSTANCE.message);
  });

  test('a stopped instance and an instance without a logged-in account; a WeChat call also carries a failed baseResponse', async () => {
    const { guid } = await server.control('/client/create_client', { auto_start: true });
    await everyClient('/msg/send_text', { guid, to_username: 'filehelper', content: 'hi' }, 40902, /没有已登录的微信账号/);
    const notLoggedIn = await c.strict.call('/user/get_profile', { guid });
    assert.notEqual(notLoggedIn.body.baseResponse.ret, 0);
    assert.equal(notLoggedIn.body.baseResponse.errMsg.string, ERRORS_ZH.NOT_LOGGED_IN);
    await server.control('/client/stop_client', { guid });
    await everyClient('/user/get_profile', { guid }, 40901, exactly(ERRORS_ZH.INSTANCE_STOPPED));
  });

  test('a WeChat refusal keeps WeChat\'s own ret in baseResponse: a message to someone who is not a contact', async () => {
    const stranger = (await server.control('/sandbox/people/create', { nickname: 'Stranger' })).wxid;
    const outcome = await c.strict.call('/msg/send_text', { guid: alice.guid, to_username: stranger, content: 'hello?' });
    assert.equal(outcome.status, 200);
    assert.equal(outcome.ok, false);
    assert.ok(outcome.body.errcode > 0 && outcome.body.errcode === outcome.body.err_code, JSON.stringify(outcome.body));
    assert.ok(outcome.body.baseResponse.ret < 0, 'WeChat\'s ret is negative');
    assert.deepEqual(outcome.body.data.baseResponse, outcome.body.baseResponse, 'data holds the refusal as in standard mode');
    // The TS adapter reads errcode first, so it reports the catalog code rather than WeChat's ret: both are non-zero.
    assert.equal((await c.ts.call('/msg/send_text', { guid: alice.guid, to_username: stranger, content: 'hello?' })).code, outcome.body.errcode);
  });

  test('wrong and missing credentials are business failures too: 40102 and 40101 at HTTP 200', async () => {
    const wrong = vendorClients(server.baseUrl, server.appKey, 'not-the-secret');
    for (const client of Object.values(wrong)) {
      assertBusinessFailure(await client.call('/client/get_client_status', { guid: alice.guid }), 40102, client, /app_key 或 app_secret 错误/);
    }
    const missing = await fetch(`${server.baseUrl}/client/get_client_status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ guid: alice.guid }) });
    assert.equal(missing.status, 200);
    const body = await missing.json() as Record<string, unknown>;
    assert.equal(body.errcode, 40101);
    assert.equal(body.err_code, 40101);
    assert.equal(missing.headers.get('x-wxgate-status'), '401');
  });

  test('HTTP-level failures keep their status: 422 with FastAPI detail, 404 unknown path, 405 GET, 415 not JSON', async () => {
    const invalid = await c.go.call('/msg/send_text', { guid: alice.guid, content: 'no receiver' });
    assert.equal(invalid.status, 422);
    assert.deepEqual(invalid.body.detail, [{ loc: ['body', 'to_username'], msg: 'Field required', type: 'missing' }]);
    assert.equal(invalid.body.errcode, 422);
    const unknownPath = await c.first.call('/msg/send_txt', { guid: alice.guid });
    assert.equal(unknownPath.status, 404);
    assert.equal(unknownPath.body.errcode, 40401);
    const get = await fetch(`${server.baseUrl}/msg/send_text`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    const form = await fetch(`${server.baseUrl}/open/GuidRequest`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    assert.equal(form.status, 415);
  });

  test('the rate lock is HTTP 429 with Retry-After and the failure keys (docs/wire.md says why); the status query still answers', async () => {
    const bob = await server.account({ nickname: 'Bob' });
    let locked: Outcome | undefined;
    for (let i = 0; i < 101 && !locked; i++) {
      const outcome = await c.first.call('/user/get_profile', { guid: bob.guid });
      if (!outcome.ok) locked = outcome;
    }
    assert.ok(locked, '101 calls within a minute lock the instance');
    assert.equal(locked.status, 429);
    assert.equal(locked.code, 42901);
    assert.equal(locked.body.err_code, 42901);
    assert.match(locked.body.errmsg, /locked/);
    assert.ok(locked.body.data.unlock_time > Date.now() / 1000);
    const res = await fetch(`${server.baseUrl}/user/get_profile`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-app-key': server.appKey, 'x-app-secret': server.appSecret },
      body: JSON.stringify({ guid: bob.guid }),
    });
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get('retry-after')) > 1700);
    const status = await c.ts.call('/client/get_client_status', { guid: bob.guid });
    assert.ok(status.ok);
    assert.equal(status.payload.rate_limit.locked, true);
  });
});
