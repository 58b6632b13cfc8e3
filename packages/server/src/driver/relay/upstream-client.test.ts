// Unit tests of the upstream client against a scripted upstream: failures become catalog errors, retries happen only
// for idempotent calls (or calls that never left), and the upstream credentials are never echoed back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiError } from '@wxgate/contract';
import { FakeUpstream } from '../../../test/fake-upstream.ts';
import { freePort } from '../../../test/relay-harness.ts';
import { isIdempotent, UpstreamClient } from './upstream-client.ts';

const KEY = 'upstream-key-0123456789';
const SECRET = 'upstream-secret-abcdefghijklmnop';

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    return err;
  }
  assert.fail('expected the call to fail');
}

describe('upstream client', () => {
  const upstream = new FakeUpstream();
  let client: UpstreamClient;
  before(async () => {
    await upstream.start();
    client = new UpstreamClient({ baseUrl: upstream.url, mode: 'gateway', appKey: KEY, appSecret: SECRET, timeoutMs: 2000 }, { retryDelaysMs: [1, 1] });
  });
  after(async () => {
    await client.close();
    await upstream.close();
  });

  test('idempotency by path: reads yes, sends and login codes no', () => {
    for (const path of ['/contact/get_contact', '/login/check_login_qrcode', '/contact/init_contact', '/cloud/cdn_download', '/room/get_chatroom_member_detail']) {
      assert.ok(isIdempotent(path), path);
    }
    for (const path of ['/msg/send_text', '/login/get_login_qrcode', '/contact/add_friend', '/cloud/cdn_upload', '/msg/new_trans_voice_id']) {
      assert.ok(!isIdempotent(path), path);
    }
  });

  test('a 503 is retried for an idempotent call, not for a send', async () => {
    upstream.calls.length = 0;
    upstream.script = () => ({ status: 503, body: { errmsg: 'busy' } });
    assert.equal((await failure(client.call('/contact/get_contact', { guid: 'g' }, { kind: 'raw' }))).error, 'UPSTREAM_FAILED');
    assert.equal(upstream.callsTo('/contact/get_contact').length, 3, 'first try + 2 retries');
    assert.equal((await failure(client.call('/msg/send_text', { guid: 'g' }, { kind: 'raw' }))).error, 'UPSTREAM_FAILED');
    assert.equal(upstream.callsTo('/msg/send_text').length, 1, 'a send is never repeated');
  });

  test('a transient failure followed by success answers the success', async () => {
    let n = 0;
    upstream.script = () => (++n === 1 ? { destroy: true } : { body: { errcode: 0, data: { status: 2 } } });
    assert.deepEqual(await client.call('/client/get_client_status', { guid: 'g' }, { kind: 'wrapper' }), { status: 2 });
  });

  test('a connection dropped during a send: UPSTREAM_FAILED saying it may have run, and no retry', async () => {
    upstream.calls.length = 0;
    upstream.script = () => ({ destroy: true });
    const err = await failure(client.call('/msg/send_text', { guid: 'g' }, { kind: 'raw' }));
    assert.equal(err.error, 'UPSTREAM_FAILED');
    assert.match(err.message, /may or may not have run/);
    assert.equal(upstream.calls.length, 1);
  });

  test('a slow upstream: UPSTREAM_TIMEOUT (504) within the budget', async () => {
    const slow = new UpstreamClient({ baseUrl: upstream.url, mode: 'direct', timeoutMs: 150 });
    upstream.script = () => ({ delayMs: 1500, body: { errcode: 0 } });
    const err = await failure(slow.call('/msg/send_text', { guid: 'g' }, { kind: 'raw' }));
    assert.equal(err.error, 'UPSTREAM_TIMEOUT');
    assert.equal(err.spec.http, 504);
    await slow.close();
  });

  test('an upstream that is down: UPSTREAM_UNREACHABLE (502), saying the call did not run', async () => {
    const down = new UpstreamClient({ baseUrl: `http://127.0.0.1:${await freePort()}`, mode: 'gateway', appKey: KEY, appSecret: SECRET, timeoutMs: 1000 }, { retryDelaysMs: [1] });
    const err = await failure(down.call('/msg/send_text', { guid: 'g' }, { kind: 'raw' }));
    assert.equal(err.error, 'UPSTREAM_UNREACHABLE');
    assert.equal(err.spec.http, 502);
    assert.match(err.message, /did not run there/);
    await down.close();
  });

  test('garbage and HTML error pages are UPSTREAM_FAILED', async () => {
    upstream.script = () => ({ status: 200, raw: '<html>oops</html>' });
    assert.equal((await failure(client.call('/msg/send_text', { guid: 'g' }, { kind: 'raw' }))).error, 'UPSTREAM_FAILED');
    upstream.script = () => ({ status: 502, raw: '<html>Bad Gateway</html>' });
    assert.equal((await failure(client.call('/msg/send_text', { guid: 'g' }, { kind: 'raw' }))).error, 'UPSTREAM_FAILED');
  });

  test('an upstream echoing the request (credentials included) has them scrubbed from what we answer', async () => {
    upstream.script = (call) => ({ status: 200, body: { errcode: 401, errmsg: `denied: ${call.body}`, data: { echo: call.body } } });
    const err = await failure(client.call('/msg/send_text', { guid: 'g' }, { kind: 'raw' }));
    const seen = JSON.stringify({ message: err.message, data: err.data });
    assert.ok(!seen.includes(SECRET) && !seen.includes(KEY), seen);
    assert.match(seen, /\[redacted\]/);
  });
});
