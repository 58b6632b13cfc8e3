// Streams on every node: an SSE subscriber on node B receives, live and in order, the events committed through node A;
// a WebSocket consumer's acknowledgements made on one node are where it resumes on the other (real PostgreSQL and
// Redis; skipped without them).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { CLUSTER_SKIP, useTwoNodes } from '../../cluster.ts';
import { eventually } from '../../eventually.ts';
import type { Harness } from '../../harness.ts';
import { WsClient } from '../../ws-client.ts';

describe('cluster: streams see every node\'s events', { skip: CLUSTER_SKIP }, () => {
  let a: Harness;
  let b: Harness;
  useTwoNodes((nodes) => ({ a, b } = nodes));

  test('SSE on node B gets the events published on node A, live, each once, in sn order', async () => {
    const guid = await a.createInstance();
    const base = await b.app.http.listen({ host: '127.0.0.1', port: 0 });
    const controller = new AbortController();
    const res = await fetch(`${base}/events/stream?guid=${guid}`, {
      headers: { 'x-app-key': b.appKey, 'x-app-secret': b.appSecret }, signal: controller.signal,
    });
    assert.equal(res.status, 200);
    const events = res.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();

    // Five commits on node A, ten events each; the subscriber on B is woken through Redis, reading from PostgreSQL.
    const instance = await a.app.services.instances.find(guid);
    const sent: string[] = [];
    for (let batch = 0; batch < 5; batch++) {
      const ids = Array.from({ length: 10 }, (_, i) => `m${batch * 10 + i}`);
      sent.push(...ids);
      await a.app.services.events.publish(instance!, ids.map((msgId) => ({ notifyType: 1010, data: { msg_id: msgId, msg_type: 1 } })));
    }
    const received: Array<{ sn: number; msgId: string }> = [];
    const deadline = setTimeout(() => controller.abort(), 5000);
    try {
      while (received.length < sent.length) {
        const { value, done } = await events.read();
        if (done) break;
        const event = JSON.parse(value.data) as { notify_type: number; data: { msg_id?: string } };
        if (event.notify_type === 1010) received.push({ sn: Number(value.id), msgId: event.data.msg_id! });
      }
    } catch (err) {
      assert.fail(`node B's stream got ${received.length} of ${sent.length} events (${(err as Error).message})`);
    } finally {
      clearTimeout(deadline);
      controller.abort();
    }
    assert.deepEqual(received.map((e) => e.msgId), sent, 'every event, once, in the order committed');
    assert.ok(received.every((e, i) => i === 0 || e.sn > received[i - 1]!.sn), 'sn strictly increasing');
  });

  test('a WebSocket consumer acknowledges on node A and resumes on node B after the last acknowledged event, live there too', async () => {
    const guid = await a.createInstance();
    const instance = await a.app.services.instances.find(guid);
    const publish = (node: Harness, from: number, n: number) => node.app.services.events.publish(instance!,
      Array.from({ length: n }, (_, i) => ({ notifyType: 1010, data: { msg_id: `w${from + i}`, msg_type: 1 } })));
    const connect = async (node: Harness) => {
      const address = node.app.http.server.address();
      const port = address && typeof address === 'object' ? address.port : new URL(await node.app.http.listen({ host: '127.0.0.1', port: 0 })).port;
      const client = new WsClient(`ws://127.0.0.1:${port}/ws`);
      await client.open();
      client.send({ type: 'auth', app_key: node.appKey, app_secret: node.appSecret, guid, consumer: 'crm' });
      await client.until((m) => m.some((x) => x.type === 'auth_success'));
      return client;
    };
    const onA = await connect(a);
    await publish(a, 0, 6);
    await onA.until((m) => m.filter((x) => x.type === 'callback').length === 6);
    for (const m of onA.callbacks().slice(0, 4)) onA.send({ type: 'ack', event_id: m.event_id, success: true });
    onA.ws.close();
    await onA.closed;
    // The consumer's cursor is in PostgreSQL, whichever node saved it.
    await eventually(() => b.app.store.events.cursor(guid, 'crm'), (acked) => acked === 4, 5000);

    const onB = await connect(b);
    assert.equal(onB.messages[0]!.resume_from, 4);
    await onB.until((m) => m.filter((x) => x.type === 'callback').length === 2);
    await publish(a, 6, 3); // committed on node A, delivered live by node B
    await onB.until((m) => m.filter((x) => x.type === 'callback').length === 5);
    assert.deepEqual(onB.callbacks().map((m) => m.sn), [5, 6, 7, 8, 9], 'the unacknowledged ones, then the new, each once, in order');
    assert.deepEqual(onB.callbacks().map((m) => m.event!.data.msg_id), ['w4', 'w5', 'w6', 'w7', 'w8']);
    onB.ws.close();
  });
});
