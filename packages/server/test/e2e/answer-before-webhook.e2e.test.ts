// A call's answer leaves before the webhook POST of the events it caused (a lane woken by the commit starts a turn later).
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { Pool } from 'undici';
import { startHarness, type Harness } from '../harness.ts';
import { Receiver } from '../receiver.ts';
import { friendsAliceAndBob } from '../sandbox-helpers.ts';

let h: Harness;
let receiver: Receiver;
let pool: Pool;

before(async () => {
  h = await startHarness({}, undefined, { realTime: true });
  receiver = await new Receiver().start();
  await h.app.http.listen({ port: 0, host: '127.0.0.1' });
  pool = new Pool(`http://127.0.0.1:${(h.app.http.server.address() as AddressInfo).port}`, { connections: 1 });
});

after(async () => {
  await pool.close();
  await h.close();
  await receiver.close();
});

test('over keep-alive connections both ways, send_text is answered before the receiver\'s webhook POST arrives', async () => {
  const { a, b } = await friendsAliceAndBob(h, receiver.url);
  const order: string[] = [];
  receiver.answer = (req) => {
    if (req.json.guid === b.guid && req.json.notify_type === 1010) order.push(`post ${req.json.data.content}`);
    return { status: 200 };
  };
  const send = async (content: string) => {
    const res = await pool.request({
      method: 'POST', path: '/msg/send_text',
      headers: { 'content-type': 'application/json', 'x-app-key': h.appKey, 'x-app-secret': h.appSecret },
      body: JSON.stringify({ guid: a.guid, to_username: b.wxid, content }),
    });
    order.push(`answer ${content}`);
    assert.equal(res.statusCode, 200, await res.body.text());
    await res.body.dump();
    await receiver.until(() => order.includes(`post ${content}`));
  };
  // The first send opens the connection to the receiver (a new connection always lets the answer go first).
  await send('warm-up');
  order.length = 0;
  for (let i = 0; i < 10; i++) await send(`m${i}`);
  assert.deepEqual(order, Array.from({ length: 10 }, (_, i) => [`answer m${i}`, `post m${i}`]).flat());
});
