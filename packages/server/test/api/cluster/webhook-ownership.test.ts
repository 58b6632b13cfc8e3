// Delivery ownership: with two nodes over one outbox, each instance's webhooks are sent by one node at a time — every
// event once, in sn order — whichever node the events were made on (real PostgreSQL and Redis; skipped without them).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CLUSTER_SKIP, useTwoNodes } from '../../cluster.ts';
import type { Harness } from '../../harness.ts';
import { Receiver } from '../../receiver.ts';

const INSTANCES = 12;
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
});
