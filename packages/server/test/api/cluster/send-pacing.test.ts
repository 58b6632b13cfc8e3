// Send pacing on two nodes over one PostgreSQL schema and one Redis: an instance's queue is run by one node at a time
// from the store — sends taken by either node go once each, in order, with the gaps kept; a blocking caller on either
// node gets the vendor's answer (or error); when the node running the queue stops, the other takes it over (real
// PostgreSQL and Redis; skipped without them).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NOTIFY_TYPES } from '@wxgate/contract';
import { CLUSTER_SKIP, startTwoNodes, useTwoNodes } from '../../cluster.ts';
import { eventually } from '../../eventually.ts';
import type { Harness } from '../../harness.ts';
import { ok, outbox, pacedPair as pair } from '../../sandbox-helpers.ts';

const skip = CLUSTER_SKIP;
const PLAIN = { enabled: true, warmup_days: 0, per_minute: 0, per_day: 0 };
const GAP_MS = 300;

const texts = async (h: Harness, guid: string) =>
  (await outbox(h, guid)).filter((e) => e.notifyType === NOTIFY_TYPES.NewMsg && (e.data as any).msg_type === 1).map((e) => (e.data as any).content as string);
const results = async (h: Harness, guid: string) =>
  (await outbox(h, guid)).filter((e) => e.notifyType === NOTIFY_TYPES.PacedSendResult).map((e) => e.data as any);

/** Sends go at real-time gaps: a run of them takes seconds. */
const LIMIT_MS = 15_000;

/** Each gap between consecutive recorded sends, in ms. */
async function gaps(h: Harness, guid: string): Promise<number[]> {
  const sent = await h.app.store.sendPacing.sentSince(guid, 0);
  return sent.slice(1).map((entry, i) => entry.at - sent[i]!.at);
}

describe('cluster: send pacing runs each instance\'s queue on one node', { skip }, () => {
  let a: Harness;
  let b: Harness;
  useTwoNodes((nodes) => ({ a, b } = nodes));

  test('settings made through one node are the other\'s; sends queued through both go once each, in order, the gap kept', async () => {
    const { a: alice, b: bob } = await pair(a, { ...PLAIN, min_delay_ms: GAP_MS, max_delay_ms: GAP_MS });
    await eventually(() => ok(b.direct('/client/get_send_pacing', { guid: alice.guid })), (state) => state.enabled === true && state.min_delay_ms === GAP_MS, LIMIT_MS);
    const sent: string[] = [];
    const queueIds: string[] = [];
    for (let i = 1; i <= 6; i++) {
      const node = i % 2 ? a : b;
      const res = await node.direct('/msg/send_text', { guid: alice.guid, to_username: bob.wxid, content: `m${i}` });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.data.queued, true, res.text);
      sent.push(`m${i}`);
      queueIds.push(res.body.data.queue_id);
    }
    const told = await eventually(() => results(b, alice.guid), (list) => list.length >= 6, LIMIT_MS);
    assert.deepEqual(told.map((r) => r.queue_id), queueIds, 'one 9001 each, in the order queued');
    assert.ok(told.every((r) => r.ok === true), JSON.stringify(told));
    assert.deepEqual(await texts(a, bob.guid), sent, 'Bob got each once, in order');
    for (const gap of await gaps(a, alice.guid)) assert.ok(gap >= GAP_MS, `a gap of ${gap} ms < ${GAP_MS}: two nodes sent at once`);
    for (const node of [a, b]) assert.equal((await ok(node.direct('/client/get_send_pacing', { guid: alice.guid }))).queue_length, 0);
  });

  test('a blocking send through either node answers the vendor\'s answer, or its error, to the caller', async () => {
    const { a: alice, b: bob } = await pair(b, { ...PLAIN, answer: 'blocking', min_delay_ms: GAP_MS, max_delay_ms: GAP_MS });
    await eventually(() => ok(a.direct('/client/get_send_pacing', { guid: alice.guid })), (state) => state.answer === 'blocking', LIMIT_MS);
    // One of the two nodes runs the instance's queue: the other's caller is answered through the store.
    const answers = await Promise.all([a, b, a, b].map((node, i) =>
      node.direct('/msg/send_text', { guid: alice.guid, to_username: bob.wxid, content: `wait ${i}` })));
    for (const res of answers) {
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.data.queued, undefined);
      assert.ok(res.body.data.list[0].newMsgId, res.text);
    }
    assert.deepEqual((await texts(a, bob.guid)).sort(), ['wait 0', 'wait 1', 'wait 2', 'wait 3']);
    const refused = await Promise.all([a, b].map((node) => node.direct('/msg/send_text', { guid: alice.guid, to_username: 'wxid_nobodyatall0001', content: 'hello?' })));
    const unpaced = await (async () => {
      await ok(a.direct('/client/set_send_pacing', { guid: alice.guid, enabled: false }));
      return a.direct('/msg/send_text', { guid: alice.guid, to_username: 'wxid_nobodyatall0001', content: 'hello?' });
    })();
    assert.notEqual(unpaced.status, 200);
    for (const res of refused) {
      assert.equal(res.status, unpaced.status, res.text);
      assert.equal(res.body.code, unpaced.body.code, 'the same catalog error as an unpaced send');
    }
    assert.deepEqual(await results(a, alice.guid), [], 'blocking sends have no callback');
    assert.deepEqual(await a.app.store.sendPacing.pending(alice.guid), [], 'nothing left stored');
  });
});

describe('cluster: the queue of a node that stops is taken over by another', { skip }, () => {
  test('the node running the queue stops with sends queued; the other sends them, once each, in order', async () => {
    const nodes = await startTwoNodes();
    try {
      const { a: alice, b: bob } = await pair(nodes.a, { ...PLAIN, min_delay_ms: 1500, max_delay_ms: 1500 });
      const queueIds: string[] = [];
      for (let i = 1; i <= 3; i++) {
        const res = await nodes.b.direct('/msg/send_text', { guid: alice.guid, to_username: bob.wxid, content: `t${i}` });
        queueIds.push(res.body.data.queue_id);
      }
      // The node that runs the queue holds it in memory between turns.
      const runs = (h: Harness) => h.app.services.sendPacing.queues().some((q) => q.guid === alice.guid);
      const runner = await eventually(async () => [nodes.a, nodes.b].find(runs), (node) => node !== undefined, LIMIT_MS);
      const other = runner === nodes.a ? nodes.b : nodes.a;
      assert.equal(runs(other), false, 'one node runs it');
      // Stopped as SIGTERM stops it (its harness drops the schema only at the end: node A created it).
      await runner!.app.close();
      const told = await eventually(() => results(other, alice.guid), (list) => list.length >= 3, LIMIT_MS);
      assert.deepEqual(told.map((r) => r.queue_id), queueIds);
      assert.deepEqual(await texts(other, bob.guid), ['t1', 't2', 't3']);
      for (const gap of await gaps(other, alice.guid)) assert.ok(gap >= 1500, `a gap of ${gap} ms`);
    } finally {
      await nodes.b.close();
      await nodes.a.close();
    }
  });
});
