// Webhook lag in /metrics on a lone node: the age of the oldest event still to deliver, retries waiting included, and 0
// once everything is delivered (manual clock, so the ages are exact).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../../harness.ts';
import { Receiver } from '../../receiver.ts';

/** A first retry a minute (±20 %) after the first failure: the test moves the clock past it when it wants one. */
const SLOW_RETRY = { webhook: { timeoutMs: 1000, retrySchedule: [0, 60, 60], maxInFlight: 8 } };

const LAG = /^wxgate_webhook_lag_seconds\{node="([0-9a-f-]{36})"\} (\S+)$/m;

async function lag(h: Harness): Promise<{ node: string; seconds: number }> {
  const text = (await h.app.http.inject({ method: 'GET', url: '/metrics' })).body;
  const found = LAG.exec(text);
  assert.ok(found, `no lag gauge in:\n${text.split('\n').filter((l) => l.includes('lag')).join('\n')}`);
  return { node: found[1]!, seconds: Number(found[2]) };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) assert.fail(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('webhook lag metric (one node)', () => {
  let h: Harness;
  let receiver: Receiver;
  before(async () => {
    h = await startHarness(SLOW_RETRY);
    receiver = await new Receiver().start();
  });
  after(async () => {
    await h.close();
    await receiver.close();
  });

  test('the oldest undelivered event\'s age while the receiver is down, 0 once it is delivered', async () => {
    const guid = await h.createInstance();
    assert.equal((await h.direct('/client/set_notify_url', { guid, notify_url: receiver.url })).status, 200);
    const idle = await lag(h);
    assert.equal(idle.seconds, 0, 'nothing waits');

    let down = true;
    receiver.answer = () => (down ? { status: 503 } : { status: 200 });
    const instance = await h.app.services.instances.find(guid);
    await h.app.services.events.publish(instance!, [{ notifyType: 1010, data: { msg_id: '1' } }]);
    h.clock.advance(5_000);
    await h.app.services.events.publish(instance!, [{ notifyType: 1010, data: { msg_id: '2' } }]);
    // The first attempt failed and is written: the event now waits a minute for its retry.
    await waitFor(async () => (await h.direct('/events/list', { guid })).body.data.events[0].webhook.attempts === 1);
    h.clock.advance(25_000);
    const waiting = await lag(h);
    assert.equal(waiting.seconds, 30, 'the first event, made 30 s ago, is still to deliver');
    assert.equal(waiting.node, idle.node, 'labelled with this node\'s id');

    down = false;
    h.clock.advance(120_000); // past the retry: the dispatcher's poll finds it due
    await waitFor(async () => (await lag(h)).seconds === 0);
    const events = (await h.direct('/events/list', { guid })).body.data.events;
    assert.deepEqual(events.map((e: { webhook: { state: string } }) => e.webhook.state), ['delivered', 'delivered']);
  });
});
