// Delivery ownership: with two nodes over one outbox, each instance's webhooks are sent by one node at a time — every
// event once, in sn order — whichever node the events were made on, and only that node reports their lag (real
// PostgreSQL and Redis; skipped without them).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CLUSTER_SKIP, useTwoNodes } from '../../cluster.ts';
import type { Harness } from '../../harness.ts';
import { Receiver } from '../../receiver.ts';

const INSTANCES = 12;

/** The node's `wxgate_webhook_lag_seconds`. */
async function lagOf(node: Harness): Promise<number> {
  const text = (await node.app.http.inject({ method: 'GET', url: '/metrics' })).body;
  const found = /^wxgate_webhook_lag_seconds\{node="[0-9a-f-]{36}"\} (\S+)$/m.exec(text);
  assert.ok(found, 'the lag gauge');
  return Number(found[1]);
}

/** Calls `read` until `check` holds of its answer, failing with the last answer after 10 s. */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) assert.fail(`not within 10 s: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const EVENTS_PER_INSTANCE = 40;

describe('cluster: one node delivers each instance\'s webhooks', { skip: CLUSTER_SKIP }, () => {
  let a: Harness;
  let b: Harness;
  let receiver: Receiver;
  useTwoNodes((nodes) => ({ a, b } = nodes));
  before(async () => {
    receiver = await new Receiver().start();
  });
  after(async () => {
    await receiver?.close();
  });

  test(`${INSTANCES} instances × ${EVENTS_PER_INSTANCE} events made on both nodes at once: each delivered once, in order`, async () => {
    const guids: string[] = [];
    for (let i = 0; i < INSTANCES; i++) {
      const guid = await a.createInstance();
      assert.equal((await a.direct('/client/set_notify_url', { guid, notify_url: receiver.url })).status, 200);
      guids.push(guid);
    }
    // Both nodes publish into every instance's outbox concurrently, in small commits.
    const publish = async (node: Harness, guid: string, from: number, count: number) => {
      const instance = await node.app.services.instances.find(guid);
      for (let n = from; n < from + count; n += 5) {
        await node.app.services.events.publish(instance!, [0, 1, 2, 3, 4].map((k) => ({ notifyType: 1010, data: { msg_id: `${guid}:${n + k}`, msg_type: 1 } })));
      }
    };
    const half = EVENTS_PER_INSTANCE / 2;
    await Promise.all(guids.flatMap((guid) => [publish(a, guid, 0, half), publish(b, guid, half, half)]));

    const total = INSTANCES * EVENTS_PER_INSTANCE;
    await receiver.until((all) => all.length >= total, 20_000);
    // Let anything that would be sent twice arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ids = receiver.received.map((r) => String(r.headers['webhook-id']));
    assert.equal(new Set(ids).size, total, 'every event delivered');
    assert.equal(ids.length, total, `no event delivered twice (${ids.length - new Set(ids).size} duplicates)`);
    for (const guid of guids) {
      const sns = receiver.received.filter((r) => r.json.guid === guid).map((r) => Number(r.headers['x-wxgate-sn']));
      assert.deepEqual(sns, Array.from({ length: EVENTS_PER_INSTANCE }, (_, i) => i + 1 + (sns[0]! - 1)), `${guid}: in sn order, none skipped`);
    }
  });

  test('webhook lag is per node: the node delivering an instance whose receiver is down shows its wait, the other 0', async () => {
    const guid = await a.createInstance();
    assert.equal((await a.direct('/client/set_notify_url', { guid, notify_url: receiver.url })).status, 200);
    let down = true;
    receiver.answer = (r) => (r.json.guid === guid && down ? { status: 503 } : { status: 200 });
    const instance = await b.app.services.instances.find(guid);
    await b.app.services.events.publish(instance!, [{ notifyType: 1010, data: { msg_id: `${guid}:lag` } }]);
    // Waiting for its retry (seconds away): exactly one node counts it, whichever node made the event.
    await until(() => Promise.all([lagOf(a), lagOf(b)]), (both) => both.filter((s) => s > 0).length === 1 && both.includes(0));
    down = false;
    assert.equal((await a.direct('/events/replay', { guid, from_sn: 1, to_sn: 1 })).status, 200);
    await until(() => Promise.all([lagOf(a), lagOf(b)]), (both) => both.every((s) => s === 0));
    receiver.answer = () => ({ status: 200 });
  });
});
