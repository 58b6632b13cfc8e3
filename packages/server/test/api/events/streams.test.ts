// WebSocket (/ws, the vendor's protocol plus resume) and SSE (/events/stream) over real sockets.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../../harness.ts';
import { WsClient as Client } from '../../ws-client.ts';

describe('streams', () => {
  let h: Harness;
  let base: string;
  let guid: string;
  before(async () => {
    h = await startHarness({}, undefined, { realTime: true });
    base = (await h.app.http.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws');
    guid = await h.createInstance();
  });
  after(() => h.close());

  const publish = async (n: number, from = 0) => {
    const instance = await h.app.services.instances.find(guid);
    await h.app.services.events.publish(instance!, Array.from({ length: n }, (_, i) => ({ notifyType: 1010, data: { msg_id: String(from + i), msg_type: 1 } })));
  };
  const auth = (extra: object = {}) => ({ type: 'auth', app_key: h.appKey, app_secret: h.appSecret, guid, ...extra });

  test('wrong credentials or an unknown guid: an error message, then the socket closes', async () => {
    for (const bad of [{ app_secret: 'wrong-secret-wrong-secret' }, { guid: '00000000-0000-4000-8000-000000000000' }]) {
      const c = new Client(`${base}/ws`);
      await c.open();
      c.send(auth(bad));
      assert.equal(await c.closed, 1008);
      assert.equal(c.messages[0]!.type, 'error');
    }
    const early = new Client(`${base}/ws`);
    await early.open();
    early.send({ type: 'ack', event_id: 'x' });
    assert.equal(await early.closed, 1008);
  });

  test('auth, callbacks in sn order, acks; reconnecting resends exactly the unacked ones', async () => {
    const first = new Client(`${base}/ws`);
    await first.open();
    first.send(auth({ consumer: 'bot-1' }));
    await first.until((m) => m.some((x) => x.type === 'auth_success'));
    await publish(10);
    await first.until((m) => m.filter((x) => x.type === 'callback').length === 10);
    const got = first.callbacks();
    assert.deepEqual(got.map((m) => m.sn), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(Object.keys(got[0]!.event!), ['guid', 'notify_type', 'data']);
    // Ack 1-6 and 8; leave 7, 9, 10 unacked.
    for (const m of got.filter((x) => [1, 2, 3, 4, 5, 6, 8].includes(x.sn!))) first.send({ type: 'ack', event_id: m.event_id, success: true });
    await new Promise((r) => setTimeout(r, 400));
    first.ws.close();
    await first.closed;

    const second = new Client(`${base}/ws`);
    await second.open();
    second.send(auth({ consumer: 'bot-1' }));
    await second.until((m) => m.filter((x) => x.type === 'callback').length === 4);
    assert.equal(second.messages[0]!.resume_from, 6, 'resumes after the contiguous acks');
    assert.deepEqual(second.callbacks().map((m) => m.sn), [7, 8, 9, 10], 'nothing missing; only unacked (and 8, behind 7) again');
    for (const m of second.callbacks()) second.send({ type: 'ack', event_id: m.event_id, success: true });
    await publish(2, 100);
    await second.until((m) => m.filter((x) => x.type === 'callback').length === 6);
    assert.deepEqual(second.callbacks().slice(4).map((m) => m.sn), [11, 12]);
    second.ws.close();
  });

  test('last_sn resumes from an explicit position; several consumers share an instance', async () => {
    const a = new Client(`${base}/ws`);
    const b = new Client(`${base}/ws`);
    await Promise.all([a.open(), b.open()]);
    a.send(auth({ last_sn: 10, consumer: 'a' }));
    b.send(auth({ last_sn: 11, consumer: 'b' }));
    await a.until((m) => m.filter((x) => x.type === 'callback').length === 2);
    await b.until((m) => m.filter((x) => x.type === 'callback').length === 1);
    assert.deepEqual(a.callbacks().map((m) => m.sn), [11, 12]);
    assert.deepEqual(b.callbacks().map((m) => m.sn), [12]);
    a.ws.close();
    b.ws.close();
  });

  test('SSE streams callbacks with ids and resumes from Last-Event-ID', async () => {
    const http = base.replace('ws', 'http');
    const headers = { 'x-app-key': h.appKey, 'x-app-secret': h.appSecret };
    const refused = await fetch(`${http}/events/stream?guid=${guid}`, { headers: { 'x-app-key': h.appKey, 'x-app-secret': 'nope-nope-nope-nope-nope' } });
    assert.equal(refused.status, 401);

    const read = async (extra: Record<string, string>, want: number) => {
      const controller = new AbortController();
      const res = await fetch(`${http}/events/stream?guid=${guid}`, { headers: { ...headers, ...extra }, signal: controller.signal });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /text\/event-stream/);
      const reader = res.body!.getReader();
      let text = '';
      const events: Array<{ id: number; data: any }> = [];
      while (events.length < want) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
        let cut: number;
        while ((cut = text.indexOf('\n\n')) >= 0) {
          const block = text.slice(0, cut);
          text = text.slice(cut + 2);
          const id = /^id: (\d+)$/m.exec(block);
          const data = /^data: (.*)$/m.exec(block);
          if (id && data) events.push({ id: Number(id[1]), data: JSON.parse(data[1]!) });
        }
      }
      controller.abort();
      return events;
    };
    const resumed = await read({ 'last-event-id': '9' }, 3);
    assert.deepEqual(resumed.map((e) => e.id), [10, 11, 12]);
    assert.equal(resumed[0]!.data.guid, guid);
    assert.equal(resumed[0]!.data.notify_type, 1010);
    assert.ok(resumed[0]!.data.event_id.startsWith('evt_'));

    const live = read({}, 2);
    await new Promise((r) => setTimeout(r, 200));
    await publish(2, 200);
    assert.deepEqual((await live).map((e) => e.id), [13, 14], 'without a position: new events only');
  });
});
