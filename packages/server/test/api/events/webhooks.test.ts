// Webhook delivery from the outbox: signed bodies, retries (5xx, timeout, Retry-After), exhaustion and replay, order, isolation.
import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { PublishedEvent } from '../../../src/core/events.ts';
import { createTenant, startHarness, type Harness } from '../../harness.ts';
import { Receiver } from '../../receiver.ts';

const FAST = { webhook: { timeoutMs: 300, retrySchedule: [0, 0.05, 0.1, 0.1], maxInFlight: 64 } };

async function publish(h: Harness, guid: string, events: PublishedEvent[]) {
  const instance = await h.app.services.instances.find(guid);
  return h.app.services.events.publish(instance!, events);
}

const msg = (i: number) => ({ notifyType: 1010, data: { msg_id: String(1000 + i), msg_type: 1, content: `hello ${i}`, from_username: 'wxid_sender00000001', to_username: 'wxid_me', chatroom_sender: '', chatroom: '', is_chatroom_msg: 0, desc: '', source: '', create_time: 1 } });

describe('webhooks', () => {
  let h: Harness;
  let receiver: Receiver;
  before(async () => {
    h = await startHarness(FAST, undefined, { realTime: true });
    receiver = await new Receiver().start();
  });
  after(async () => {
    await h.close();
    await receiver.close();
  });

  async function instanceWithHook(url = receiver.url) {
    const guid = await h.createInstance();
    const res = await h.direct('/client/set_notify_url', { guid, notify_url: url });
    assert.equal(res.status, 200, res.text);
    return guid;
  }

  test('delivers {guid, notify_type, data} exactly, signed per Standard Webhooks, with the event id and sn', async () => {
    const guid = await instanceWithHook();
    const [event] = await publish(h, guid, [msg(1)]);
    await receiver.until((r) => r.some((x) => x.json.guid === guid));
    const got = receiver.received.find((x) => x.json.guid === guid)!;
    assert.deepEqual(Object.keys(got.json), ['guid', 'notify_type', 'data']);
    assert.deepEqual(got.json, { guid, notify_type: 1010, data: msg(1).data });
    assert.equal(got.headers['webhook-id'], event!.id);
    assert.equal(got.headers['x-wxgate-sn'], '1');
    const secrets = (await h.direct('/events/get_signing_secrets', {})).body.data.secrets;
    assert.equal(secrets.length, 1);
    const verified = new Webhook(secrets[0].secret).verify(got.body, {
      'webhook-id': String(got.headers['webhook-id']),
      'webhook-timestamp': String(got.headers['webhook-timestamp']),
      'webhook-signature': String(got.headers['webhook-signature']),
    });
    assert.deepEqual(verified, got.json);
    const listed = (await h.direct('/events/list', { guid })).body.data;
    assert.equal(listed.last_sn, 1);
    await waitFor(async () => (await h.direct('/events/list', { guid })).body.data.events[0].webhook.state === 'delivered');
  });

  test('a 500 is retried, every attempt is stored', async () => {
    const guid = await instanceWithHook(receiver.url + '/flaky500');
    let calls = 0;
    receiver.answer = (r) => (r.json.guid === guid && calls++ === 0 ? { status: 500, body: 'boom' } : { status: 200 });
    const [event] = await publish(h, guid, [msg(2)]);
    await receiver.until((r) => r.filter((x) => x.json.guid === guid).length === 2);
    await waitFor(async () => (await h.direct('/events/attempts', { guid, event_id: event!.id })).body.data.attempts.length === 2);
    const { attempts, event: view } = (await h.direct('/events/attempts', { guid, event_id: event!.id })).body.data;
    assert.equal(attempts[0].status_code, 500);
    assert.equal(attempts[0].response_excerpt, 'boom');
    assert.equal(attempts[1].status_code, 200);
    assert.equal(view.webhook.state, 'delivered');
    receiver.answer = () => ({ status: 200 });
  });

  test('a timeout is retried', async () => {
    const guid = await instanceWithHook(receiver.url + '/slow');
    let calls = 0;
    receiver.answer = (r) => (r.json.guid === guid && calls++ === 0 ? { delayMs: 600 } : { status: 204 });
    const [event] = await publish(h, guid, [msg(3)]);
    await waitFor(async () => (await h.direct('/events/attempts', { guid, event_id: event!.id })).body.data.event.webhook.state === 'delivered');
    const { attempts } = (await h.direct('/events/attempts', { guid, event_id: event!.id })).body.data;
    assert.equal(attempts[0].status_code, null);
    assert.match(attempts[0].error, /timeout/);
    assert.equal(attempts[1].status_code, 204);
    receiver.answer = () => ({ status: 200 });
  });

  test('Retry-After is honoured', async () => {
    const guid = await instanceWithHook(receiver.url + '/busy');
    const times: number[] = [];
    receiver.answer = (r) => {
      if (r.json.guid !== guid) return { status: 200 };
      times.push(r.at);
      return times.length === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 200 };
    };
    await publish(h, guid, [msg(4)]);
    await receiver.until(() => times.length === 2, 5000);
    assert.ok(times[1]! - times[0]! >= 950, `retried after ${times[1]! - times[0]!} ms, Retry-After said 1 s`);
    receiver.answer = () => ({ status: 200 });
  });

  test('after the schedule is exhausted the event is failed, and /events/replay sends it again with the same id', async () => {
    const guid = await instanceWithHook(receiver.url + '/down');
    let down = true;
    receiver.answer = (r) => (r.json.guid === guid && down ? { status: 503 } : { status: 200 });
    const [event] = await publish(h, guid, [msg(5)]);
    await waitFor(async () => (await h.direct('/events/list', { guid })).body.data.events[0].webhook.state === 'failed');
    const failed = (await h.direct('/events/attempts', { guid, event_id: event!.id })).body.data;
    assert.equal(failed.attempts.length, 4, 'one attempt per schedule entry');
    down = false;
    const replay = await h.direct('/events/replay', { guid, from_sn: 1, to_sn: 1 });
    assert.deepEqual(replay.body.data, { requeued: 1 });
    await waitFor(async () => (await h.direct('/events/list', { guid })).body.data.events[0].webhook.state === 'delivered');
    const mine = receiver.received.filter((x) => x.json.guid === guid);
    assert.equal(new Set(mine.map((x) => x.headers['webhook-id'])).size, 1, 'the replay kept the event id');
    assert.equal(mine.at(-1)!.headers['webhook-id'], event!.id);
    receiver.answer = () => ({ status: 200 });
  });

  test('per instance, events arrive in sn order; a failing event holds back the later ones of its instance only', async () => {
    const ordered = await instanceWithHook(receiver.url + '/ordered');
    const dead = await instanceWithHook(receiver.url + '/dead');
    let holdFirst = true;
    receiver.answer = (r) => {
      if (r.json.guid === dead) return { delayMs: 250 };
      if (r.json.guid === ordered && r.json.data.msg_id === '1100' && holdFirst) {
        holdFirst = false;
        return { status: 500 };
      }
      return { status: 200 };
    };
    await publish(h, dead, Array.from({ length: 5 }, (_, i) => msg(i)));
    const started = Date.now();
    await publish(h, ordered, Array.from({ length: 40 }, (_, i) => msg(100 + i)));
    await receiver.until((r) => r.filter((x) => x.json.guid === ordered && x.headers['x-wxgate-sn'] !== undefined).length >= 41);
    const arrived = receiver.received.filter((x) => x.json.guid === ordered).map((x) => Number(x.headers['x-wxgate-sn']));
    assert.deepEqual(arrived, [1, 1, ...Array.from({ length: 39 }, (_, i) => i + 2)], 'sn order, the failed first one retried before the rest');
    assert.ok(Date.now() - started < 5000, 'the dead receiver of another instance did not hold this one back');
    receiver.answer = () => ({ status: 200 });
  });

  test('1010s within the batch window go out as one 1011 whose data is the array', async () => {
    const guid = await instanceWithHook(receiver.url + '/batch');
    const set = await h.direct('/events/set_filters', { guid, batch_window_ms: 300 });
    assert.equal(set.body.data.batch_window_ms, 300);
    await publish(h, guid, [msg(1), msg(2)]);
    await publish(h, guid, [msg(3), { notifyType: 1040, data: { userName: { string: 'wxid_x' } } }]);
    await receiver.until((r) => r.filter((x) => x.json.guid === guid).length === 2);
    const [batch, friend] = receiver.received.filter((x) => x.json.guid === guid);
    assert.equal(batch!.json.notify_type, 1011);
    assert.deepEqual(batch!.json.data.map((d: { msg_id: string }) => d.msg_id), ['1001', '1002', '1003']);
    assert.equal(batch!.headers['x-wxgate-sn'], '1-3');
    assert.equal(friend!.json.notify_type, 1040);
  });

  test('filters leave events out of delivery but not out of the log', async () => {
    const guid = await instanceWithHook(receiver.url + '/filtered');
    await h.direct('/events/set_filters', { guid, notify_types: [1010], msg_types: [1] });
    await publish(h, guid, [{ notifyType: 1040, data: {} }, { ...msg(7), data: { ...msg(7).data, msg_type: 3 } }, msg(8)]);
    await receiver.until((r) => r.some((x) => x.json.guid === guid));
    await new Promise((r) => setTimeout(r, 150));
    const mine = receiver.received.filter((x) => x.json.guid === guid);
    assert.deepEqual(mine.map((x) => x.json.data.msg_id), ['1008']);
    const events = (await h.direct('/events/list', { guid })).body.data.events;
    assert.deepEqual(events.map((e: { filtered: boolean }) => e.filtered), [true, true, false]);
    assert.deepEqual((await h.direct('/events/get_filters', { guid })).body.data, { notify_types: [1010], msg_types: [1], include_self: true, batch_window_ms: 0 });
  });

  test('during a signing-secret rotation both secrets sign', async () => {
    const guid = await instanceWithHook(receiver.url + '/rotation');
    const before = (await h.direct('/events/get_signing_secrets', {})).body.data.secrets[0].secret as string;
    const rotated = await h.direct('/events/rotate_signing_secret', { grace_seconds: 3600 });
    assert.equal(rotated.status, 200);
    await publish(h, guid, [msg(9)]);
    await receiver.until((r) => r.some((x) => x.json.guid === guid));
    const got = receiver.received.find((x) => x.json.guid === guid)!;
    const signatures = String(got.headers['webhook-signature']).split(' ');
    assert.equal(signatures.length, 2);
    for (const secret of [before, rotated.body.data.secret as string]) {
      assert.doesNotThrow(() => new Webhook(secret).verify(got.body, {
        'webhook-id': String(got.headers['webhook-id']),
        'webhook-timestamp': String(got.headers['webhook-timestamp']),
        'webhook-signature': String(got.headers['webhook-signature']),
      }));
    }
  });

  test('signing secrets are app-wide: a rotation given a guid is refused; one without rotates only the caller\'s app', async () => {
    const other = await createTenant(h, 'rotation-other');
    const guid = await h.createInstance();
    const secretsOf = async (creds?: { appKey: string; appSecret: string }) =>
      (await h.direct('/events/get_signing_secrets', {}, creds)).body.data.secrets.map((s: { secret: string }) => s.secret) as string[];
    const [mine, theirs] = [await secretsOf(), await secretsOf(other)];
    for (const res of [
      await h.direct('/events/rotate_signing_secret', { guid, grace_seconds: 60 }),
      await h.gateway('/events/rotate_signing_secret', { guid }),
    ]) {
      assert.equal(res.status, 422, res.text);
      assert.deepEqual(res.body.errors, [{ loc: ['body', 'guid'], msg: 'Extra inputs are not permitted', type: 'extra_forbidden' }]);
    }
    assert.deepEqual(await secretsOf(), mine, 'a refused rotation changes nothing');
    const rotated = await h.direct('/events/rotate_signing_secret', { grace_seconds: 60 }, other);
    assert.equal(rotated.status, 200, rotated.text);
    assert.deepEqual(await secretsOf(other), [rotated.body.data.secret, ...theirs]);
    assert.deepEqual(await secretsOf(), mine, 'another app\'s rotation leaves this one\'s secrets alone');
  });

  test('/events/test reports the receiver\'s answer; instances without a notify_url say so', async () => {
    const guid = await instanceWithHook(receiver.url + '/probe');
    receiver.answer = (r) => (r.json.guid === guid ? { status: 202, body: 'seen' } : { status: 200 });
    const res = await h.direct('/events/test', { guid });
    assert.equal(res.body.data.delivered, true);
    assert.equal(res.body.data.status_code, 202);
    assert.equal(res.body.data.response_excerpt, 'seen');
    assert.equal(receiver.received.find((x) => x.json.guid === guid)!.json.notify_type, 0);
    const bare = await h.createInstance();
    assert.equal((await h.direct('/events/test', { guid: bare })).body.code, 40904);
    receiver.answer = () => ({ status: 200 });
  });

  test('/events/* calls do not count against the instance rate limit', async () => {
    const guid = await h.createInstance();
    for (let i = 0; i < 5; i++) await h.direct('/events/list', { guid });
    assert.equal((await h.direct('/client/get_client_status', { guid })).body.data.rate_limit.used, 1);
  });
});

describe('notify_url safety', () => {
  test('a server listening on loopback only takes loopback notify URLs by default; one listening on all interfaces refuses them', async () => {
    const local = await startHarness({ host: '127.0.0.1', allowPrivateUrls: [] });
    const open = await startHarness({ host: '0.0.0.0', allowPrivateUrls: [] });
    try {
      const guid = await local.createInstance();
      for (const url of ['http://127.0.0.1:3000/wechat', 'http://localhost:3000/wechat', 'http://[::1]:3000/wechat']) {
        assert.equal((await local.direct('/client/set_notify_url', { guid, notify_url: url })).status, 200, url);
      }
      // Still only loopback: private networks need WXGATE_ALLOW_PRIVATE_URLS.
      assert.equal((await local.direct('/client/set_notify_url', { guid, notify_url: 'http://10.1.2.3/x' })).status, 422);
      const other = await open.createInstance();
      const refused = await open.direct('/client/set_notify_url', { guid: other, notify_url: 'http://127.0.0.1:3000/wechat' });
      assert.equal(refused.status, 422);
      assert.match(refused.body.errors[0].msg, /loopback/);
    } finally {
      await local.close();
      await open.close();
    }
  });

  test('loopback, private, link-local and metadata addresses are refused unless allowlisted', async () => {
    const h = await startHarness({ allowPrivateUrls: [], allowLoopbackUrls: false });
    try {
      const guid = await h.createInstance();
      for (const url of ['http://127.0.0.1:8080/x', 'http://10.1.2.3/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x', 'http://localhost:9/x', 'http://192.168.1.1/x', 'http://[::ffff:127.0.0.1]/x']) {
        const res = await h.direct('/client/set_notify_url', { guid, notify_url: url });
        assert.equal(res.status, 422, url);
        assert.match(res.body.errors[0].msg, /loopback|private|local|reserved/, url);
      }
      assert.equal((await h.direct('/client/get_client_status', { guid })).body.data.notify_url, '', 'nothing was stored');
    } finally {
      await h.close();
    }
  });

  test('IPv6 forms that embed an IPv4 address, site-local, numeric IPv4 forms and trailing-dot names are refused with 422', async () => {
    const h = await startHarness({ allowPrivateUrls: [], allowLoopbackUrls: false });
    try {
      const guid = await h.createInstance();
      const urls = ['http://[::7f00:1]/x', 'http://[::ffff:0:7f00:1]/x', 'http://[64:ff9b::a9fe:a9fe]/x', 'http://[64:ff9b:1::a00:1]/x',
        'http://[2002:7f00:1::]/x', 'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x', 'http://[fec0::1]/x', 'http://2130706433/x',
        'http://0x7f.1/x', 'http://017700000001/x', 'http://100.64.0.1/x', 'http://localhost./x', 'http://metadata.google.internal./x'];
      for (const url of urls) {
        const res = await h.direct('/client/set_notify_url', { guid, notify_url: url });
        assert.equal(res.status, 422, url);
        assert.equal(res.body.code, 422, url);
        assert.equal(res.headers['x-wxgate-code'], '422', url);
        assert.deepEqual(res.body.errors[0].loc, ['body', 'notify_url'], url);
        assert.match(res.body.errors[0].msg, /(is|,) an? [^,]*address|is a local name/, url);
      }
      assert.equal((await h.direct('/client/get_client_status', { guid })).body.data.notify_url, '', 'nothing was stored');
    } finally {
      await h.close();
    }
  });

  test('the address is checked again at send time: a URL allowed earlier is blocked once the allowlist is gone', async () => {
    let h = await startHarness({ ...FAST, allowPrivateUrls: ['127.0.0.1'] }, undefined, { realTime: true });
    const receiver = await new Receiver().start();
    try {
      const guid = await h.createInstance();
      await h.direct('/client/set_notify_url', { guid, notify_url: receiver.url });
      await h.app.close();
      h = await startHarness({ ...FAST, allowPrivateUrls: [], allowLoopbackUrls: false }, { dataDir: h.dataDir, clock: h.clock, appKey: h.appKey, appSecret: h.appSecret }, { realTime: true });
      const [event] = await publish(h, guid, [msg(1)]);
      await waitFor(async () => (await h.direct('/events/list', { guid })).body.data.events[0].webhook.state === 'failed');
      const attempts = (await h.direct('/events/attempts', { guid, event_id: event!.id })).body.data.attempts;
      assert.match(attempts[0].error, /blocked: 127\.0\.0\.1/);
      assert.equal(receiver.received.length, 0, 'nothing reached the private address');
    } finally {
      await h.close();
      await receiver.close();
    }
  });
});

test('a host name is checked at connect time, after DNS: one that resolves to loopback is blocked', async (t) => {
  const name = hostname();
  const addresses = await lookup(name, { all: true }).catch(() => []);
  if (!addresses.some((a) => a.address.startsWith('127.'))) return t.skip(`${name} does not resolve to loopback here`);
  let h = await startHarness({ ...FAST, allowPrivateUrls: [name] }, undefined, { realTime: true });
  const receiver = await new Receiver().start();
  try {
    const guid = await h.createInstance();
    const url = receiver.url.replace('127.0.0.1', name);
    assert.equal((await h.direct('/client/set_notify_url', { guid, notify_url: url })).status, 200);
    await h.app.close();
    h = await startHarness({ ...FAST, allowPrivateUrls: [], allowLoopbackUrls: false }, { dataDir: h.dataDir, clock: h.clock, appKey: h.appKey, appSecret: h.appSecret }, { realTime: true });
    const [event] = await publish(h, guid, [msg(1)]);
    await waitFor(async () => (await h.direct('/events/list', { guid })).body.data.events[0].webhook.state === 'failed');
    const attempts = (await h.direct('/events/attempts', { guid, event_id: event!.id })).body.data.attempts;
    assert.match(attempts[0].error, new RegExp(`blocked: ${name} resolves to 127`));
    assert.equal(receiver.received.length, 0);
  } finally {
    await h.close();
    await receiver.close();
  }
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
