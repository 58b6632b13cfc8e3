// Send pacing over HTTP on the sandbox, on a manual clock: queued and blocking answers, gaps, caps, quiet hours, the
// warm-up's refusals, the 9001 result callback, persistence across restarts (and an interrupted send), bad settings,
// tenants, the status and metrics.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { NOTIFY_TYPES } from '@wxgate/contract';
import { createTenant, startHarness, type Harness } from '../../harness.ts';
import { loggedIn, ok, outbox, pacedPair } from '../../sandbox-helpers.ts';

const DAY = 86_400_000;
/** Pacing with no warm-up, quiet hours or caps unless a test sets them. */
const PLAIN = { enabled: true, warmup_days: 0, per_minute: 0, per_day: 0, min_delay_ms: 0, max_delay_ms: 0 };

let h: Harness;
afterEach(async () => {
  await h?.close();
  h = undefined as unknown as Harness;
});

const pair = (settings: Record<string, unknown>) => pacedPair(h, settings);

const texts = async (guid: string) => (await outbox(h, guid)).filter((e) => e.notifyType === NOTIFY_TYPES.NewMsg && (e.data as any).msg_type === 1).map((e) => (e.data as any).content);
const results = async (guid: string) => (await outbox(h, guid)).filter((e) => e.notifyType === NOTIFY_TYPES.PacedSendResult).map((e) => e.data as any);
const pacing = (guid: string) => ok(h.direct('/client/get_send_pacing', { guid }));
const sendText = (guid: string, to: string, content: string) => h.direct('/msg/send_text', { guid, to_username: to, content });

/** Lets the event loop turn until the queue holds `n` (a call in flight reaches it after auth and validation). */
async function queueHolds(guid: string, n: number): Promise<void> {
  for (let turn = 0; turn < 10_000; turn++) {
    if ((await pacing(guid)).queue_length === n) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`the queue never held ${n}`);
}

/** Advances the manual clock in steps, sending what is due after each, until nothing waits (or `limit` ms passed). */
async function runUntilEmpty(guid: string, stepMs: number, limitMs: number): Promise<void> {
  for (let passed = 0; passed <= limitMs; passed += stepMs) {
    await h.app.services.sendPacing.runDue();
    // Read off the service: status calls through HTTP would count against the rate limit at every step.
    if ((await h.app.services.sendPacing.state(guid)).queueLength === 0) return;
    h.clock.advance(stepMs);
  }
  assert.fail(`queue not empty after ${limitMs} ms`);
}

describe('send pacing', () => {
  test('off by default: a send answers WeChat\'s answer at once and nothing is queued', async () => {
    h = await startHarness();
    const { a, b } = await pair({ enabled: false });
    const state = await pacing(a.guid);
    assert.equal(state.enabled, false);
    assert.equal(state.queue_length, 0);
    const res = await sendText(a.guid, b.wxid, 'hi');
    assert.equal(res.status, 200);
    assert.equal(res.body.data.queued, undefined);
    assert.ok(res.body.data.list[0].newMsgId);
    assert.equal((await ok(h.direct('/client/get_client_status', { guid: a.guid }))).send_queue, undefined, 'the status answers as before');
  });

  test('queued: answers a queue id at once; sends go one by one with gaps drawn within the range; each result is a 9001', async () => {
    h = await startHarness();
    const { a, b } = await pair({ ...PLAIN, min_delay_ms: 2000, max_delay_ms: 5000 });
    const ids: string[] = [];
    for (const content of ['one', 'two', 'three', 'four']) {
      const res = await sendText(a.guid, b.wxid, content);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.data.queued, true);
      assert.match(res.body.data.queue_id, /^psq_[0-9a-f]{32}$/);
      assert.equal(res.headers['x-wxgate-queued'], res.body.data.queue_id);
      ids.push(res.body.data.queue_id);
    }
    // The head was due at once (nothing was sent before it) and may be on its way; once it has gone, the rest wait for their gaps.
    await h.app.services.sendPacing.runDue();
    assert.equal((await pacing(a.guid)).queue_length, 3);
    assert.deepEqual(await texts(b.guid), ['one']);
    await runUntilEmpty(a.guid, 100, 60_000);
    assert.deepEqual(await texts(b.guid), ['one', 'two', 'three', 'four']);
    const sent = await h.app.store.sendPacing.sentSince(a.guid, 0);
    assert.equal(sent.length, 4);
    for (let i = 1; i < sent.length; i++) {
      const gap = sent[i]!.at - sent[i - 1]!.at;
      // Due at last + gap (gap in [2000, 5000]); the clock moves in 100 ms steps, so it goes at most one step later.
      assert.ok(gap >= 2000 && gap < 5100, `gap ${gap}`);
    }
    const told = await results(a.guid);
    assert.deepEqual(told.map((r) => r.queue_id), ids);
    for (const r of told) {
      assert.equal(r.ok, true);
      assert.equal(r.path, '/msg/send_text');
      assert.ok(r.result.list[0].newMsgId, 'the real WeChat answer is in the callback');
    }
  });

  test('a failed send is told by its 9001 with the catalog error', async () => {
    h = await startHarness();
    const { a } = await pair(PLAIN);
    const res = await sendText(a.guid, 'wxid_nobodyatall0001', 'hello?');
    assert.equal(res.body.data.queued, true);
    await h.app.services.sendPacing.runDue();
    const [told] = await results(a.guid);
    assert.equal(told.ok, false);
    assert.equal(told.queue_id, res.body.data.queue_id);
    assert.equal(typeof told.error.code, 'number');
    assert.notEqual(told.error.code, 0);
  });

  test('per-minute and per-day caps hold sends back until the window lets them go', async () => {
    h = await startHarness();
    const { a, b } = await pair({ ...PLAIN, per_minute: 3, per_day: 5 });
    for (let i = 1; i <= 7; i++) await sendText(a.guid, b.wxid, `m${i}`);
    await h.app.services.sendPacing.runDue();
    assert.equal((await texts(b.guid)).length, 3);
    const state = await pacing(a.guid);
    assert.equal(state.sent_last_minute, 3);
    assert.equal(state.next_send_time, Math.ceil((h.clock.now() + 60_000) / 1000));
    h.clock.advance(59_999);
    await h.app.services.sendPacing.runDue();
    assert.equal((await texts(b.guid)).length, 3);
    h.clock.advance(1);
    await h.app.services.sendPacing.runDue();
    assert.equal((await texts(b.guid)).length, 5, 'the day cap stops the sixth');
    h.clock.advance(DAY - 60_001);
    await h.app.services.sendPacing.runDue();
    assert.equal((await texts(b.guid)).length, 5);
    h.clock.advance(1);
    await h.app.services.sendPacing.runDue();
    assert.deepEqual(await texts(b.guid), ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
  });

  test('quiet hours: a send falling in them waits for their end, in the configured local time', async () => {
    h = await startHarness();
    const { a, b } = await pair({ ...PLAIN, quiet_start: '23:00', quiet_end: '08:00', utc_offset_minutes: 480 });
    h.clock.set(Date.UTC(2026, 0, 5, 16, 0)); // 00:00 in UTC+8
    const res = await sendText(a.guid, b.wxid, 'good morning');
    assert.equal(res.body.data.send_at, Date.UTC(2026, 0, 6, 0, 0) / 1000);
    h.clock.set(Date.UTC(2026, 0, 5, 23, 59, 59));
    await h.app.services.sendPacing.runDue();
    assert.deepEqual(await texts(b.guid), []);
    h.clock.set(Date.UTC(2026, 0, 6, 0, 0));
    await h.app.services.sendPacing.runDue();
    assert.deepEqual(await texts(b.guid), ['good morning']);
  });

  test('warm-up: Moments posts and friend adds are refused, messages to a sixth chat in an hour too; later they pass', async () => {
    h = await startHarness();
    const a = await loggedIn(h, { nickname: 'New device' });
    const loginAt = h.clock.now();
    await ok(h.direct('/client/set_send_pacing', { guid: a.guid, ...PLAIN, warmup_days: 3 }));
    assert.equal((await pacing(a.guid)).warmup_until, (loginAt + 3 * DAY) / 1000);
    const post = await h.direct('/sns/sns_post', { guid: a.guid, object_desc: Buffer.from('<TimelineObject/>').toString('base64') });
    assert.equal(post.status, 403, post.text);
    assert.equal(post.body.code, 40370);
    assert.equal(post.body.data.allowed_after, (loginAt + 3 * DAY) / 1000);
    const add = await h.direct('/contact/add_friend', { guid: a.guid, username: 'v3_0123456789abcdef@stranger' });
    assert.equal(add.body.code, 40370);
    for (let i = 1; i <= 5; i++) assert.equal((await sendText(a.guid, `wxid_chat${i}00000000`, 'hi')).body.data.queued, true);
    const sixth = await sendText(a.guid, 'wxid_chat600000000', 'hi');
    assert.equal(sixth.body.code, 40370);
    assert.match(sixth.body.message, /mass send/);
    assert.equal((await sendText(a.guid, 'wxid_chat100000000', 'again')).body.data.queued, true, 'a chat already talked to goes on');
    await h.app.services.sendPacing.runDue();
    assert.equal((await pacing(a.guid)).queue_length + (await results(a.guid)).length, 6, 'refused calls were not queued');
    h.clock.advance(3 * DAY);
    const later = await h.direct('/contact/add_friend', { guid: a.guid, username: 'v3_0123456789abcdef@stranger' });
    assert.equal(later.body.data.queued, true, later.text);
  });

  test('blocking: the call waits for its turn and answers exactly the vendor\'s shape (raw wire too)', async () => {
    h = await startHarness({ responseMode: 'raw' });
    const { a, b } = await pair({ ...PLAIN, answer: 'blocking', min_delay_ms: 1000, max_delay_ms: 1000 });
    const first = await sendText(a.guid, b.wxid, 'first');
    const second = sendText(a.guid, b.wxid, 'second');
    let answered = false;
    void second.then(() => (answered = true));
    await queueHolds(a.guid, 1);
    await h.app.services.sendPacing.runDue();
    assert.equal(answered, false, 'the second waits for its gap');
    assert.equal((await pacing(a.guid)).queue_length, 1);
    h.clock.advance(1000);
    await h.app.services.sendPacing.runDue();
    const res = await second;
    await ok(h.direct('/client/set_send_pacing', { guid: a.guid, enabled: false }));
    const unpaced = await sendText(a.guid, b.wxid, 'third');
    for (const r of [first, res]) {
      assert.equal(r.status, 200);
      assert.equal(r.headers['x-wxgate-queued'], undefined);
      assert.deepEqual(Object.keys(r.body).sort(), Object.keys(unpaced.body).sort());
      assert.equal(r.body.errcode, 0);
    }
    assert.deepEqual(await texts(b.guid), ['first', 'second', 'third']);
    assert.deepEqual(await results(a.guid), [], 'blocking sends have no callback');
  });

  test('per call, the x-wxgate-pacing header picks the answer over the instance\'s setting; another value is a 422 naming it', async () => {
    h = await startHarness();
    const { a, b } = await pair({ ...PLAIN, answer: 'queued' });
    const blocking = await h.direct('/msg/send_text', { guid: a.guid, to_username: b.wxid, content: 'wait for me' }, undefined, { 'x-wxgate-pacing': 'blocking' });
    assert.equal(blocking.status, 200, blocking.text);
    assert.equal(blocking.body.data.queued, undefined);
    assert.ok(blocking.body.data.list[0].newMsgId, 'WeChat\'s answer itself');
    await ok(h.direct('/client/set_send_pacing', { guid: a.guid, ...PLAIN, answer: 'blocking' }));
    const queued = await h.direct('/msg/send_text', { guid: a.guid, to_username: b.wxid, content: 'tell me later' }, undefined, { 'x-wxgate-pacing': 'queued' });
    assert.equal(queued.body.data.queued, true, queued.text);
    const bad = await h.direct('/msg/send_text', { guid: a.guid, to_username: b.wxid, content: 'x' }, undefined, { 'x-wxgate-pacing': 'later' });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.errors[0].loc, ['header', 'x-wxgate-pacing']);
    await h.app.services.sendPacing.runDue();
    assert.deepEqual(await texts(b.guid), ['wait for me', 'tell me later']);
  });

  test('queued sends survive a restart and go in order; one interrupted mid-send is reported, never resent', async () => {
    h = await startHarness();
    const { a, b } = await pair({ ...PLAIN, min_delay_ms: 10_000, max_delay_ms: 10_000 });
    const ids: string[] = [];
    for (const content of ['one', 'two', 'three', 'four']) ids.push((await sendText(a.guid, b.wxid, content)).body.data.queue_id);
    await h.app.services.sendPacing.runDue();
    assert.deepEqual(await texts(b.guid), ['one']);
    // The state a crash leaves when it strikes after the send was handed to the driver: the record marked sending.
    await h.app.store.sendPacing.markSending(ids[1]!);
    h = await h.restart();
    assert.equal((await pacing(a.guid)).queue_length, 2);
    const interrupted = (await results(a.guid)).find((r) => r.queue_id === ids[1]);
    assert.equal(interrupted.ok, false);
    assert.equal(interrupted.error.code, 50020);
    await runUntilEmpty(a.guid, 1000, 60_000);
    assert.deepEqual(await texts(b.guid), ['one', 'three', 'four'], 'the interrupted one was not sent again');
    const sent = await h.app.store.sendPacing.sentSince(a.guid, 0);
    assert.ok(sent.at(-1)!.at - sent.at(-2)!.at >= 10_000, 'the gap is kept across the restart');
  });

  test('bad settings answer 422 naming the field and change nothing', async () => {
    h = await startHarness();
    const guid = await h.createInstance();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ enabled: true, min_delay_ms: 5000, max_delay_ms: 1000 }, 'max_delay_ms'],
      [{ enabled: true, quiet_start: '25:00', quiet_end: '08:00' }, 'quiet_start'],
      [{ enabled: true, quiet_start: '23:00' }, 'quiet_end'],
      [{ enabled: true, utc_offset_minutes: 900 }, 'utc_offset_minutes'],
      [{ enabled: true, answer: 'later' }, 'answer'],
      [{ enabled: true, per_minute: -1 }, 'per_minute'],
      [{ min_delay_ms: 10 }, 'enabled'],
    ];
    for (const [body, field] of cases) {
      const res = await h.direct('/client/set_send_pacing', { guid, ...body });
      assert.equal(res.status, 422, JSON.stringify(body));
      assert.ok(res.body.errors.some((e: { loc: string[] }) => e.loc.includes(field)), `${field}: ${res.text}`);
    }
    assert.equal((await pacing(guid)).enabled, false);
  });

  test('another app\'s instance answers like an unknown one, and its pacing is untouched', async () => {
    h = await startHarness();
    const guid = await h.createInstance();
    const other = await createTenant(h);
    for (const path of ['/client/get_send_pacing', '/client/set_send_pacing']) {
      const res = await h.direct(path, { guid, enabled: true }, other);
      assert.equal(res.status, 404);
      assert.equal(res.body.code, 40402);
    }
    assert.equal((await pacing(guid)).enabled, false);
  });

  test('the queue length and next send time are in /client/get_client_status and Prometheus gauges per instance', async () => {
    h = await startHarness();
    const { a, b } = await pair({ ...PLAIN, min_delay_ms: 60_000, max_delay_ms: 60_000 });
    for (const content of ['x', 'y', 'z']) await sendText(a.guid, b.wxid, content);
    await h.app.services.sendPacing.runDue();
    const metrics = (await h.app.http.inject({ method: 'GET', url: '/metrics' })).body;
    assert.match(metrics, new RegExp(`wxgate_send_queue_length\\{guid="${a.guid}"\\} 2`));
    const next = (await pacing(a.guid)).next_send_time;
    assert.deepEqual((await ok(h.direct('/client/get_client_status', { guid: a.guid }))).send_queue, { queue_length: 2, next_send_time: next });
    assert.match(metrics, new RegExp(`wxgate_send_queue_next_send_seconds\\{guid="${a.guid}"\\} ${next}`));
  });
});
