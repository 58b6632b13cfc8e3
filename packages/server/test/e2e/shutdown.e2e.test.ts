// Graceful shutdown over a real socket: a request in flight when close() starts still gets its answer; new ones are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Driver } from '../../src/driver/driver.ts';
import { startHarness } from '../harness.ts';

test('close() lets an in-flight request finish, then the store closes', async () => {
  let entered!: () => void;
  const inFlight = new Promise<void>((r) => (entered = r));
  let finish!: () => void;
  const gate = new Promise<void>((r) => (finish = r));
  const slowDriver: Driver = {
    name: 'slow-double',
    capabilities: () => ['/user/get_profile'],
    open: async (instance) => ({
      guid: instance.guid,
      operations: {
        '/user/get_profile': async () => {
          entered();
          await gate;
          return { baseResponse: { ret: 0, errMsg: {} } } as never;
        },
      },
      close: async () => {},
    }),
    close: async () => {},
  };
  const h = await startHarness({}, undefined, { driver: slowDriver });
  const guid = await h.createInstance();
  const base = await h.app.http.listen({ host: '127.0.0.1', port: 0 });
  const headers = { 'content-type': 'application/json', 'x-app-key': h.appKey, 'x-app-secret': h.appSecret };

  const slow = fetch(`${base}/user/get_profile`, { method: 'POST', headers, body: JSON.stringify({ guid }) });
  await inFlight;
  const closing = h.app.close();
  await new Promise((r) => setTimeout(r, 50));
  await assert.rejects(
    fetch(`${base}/client/get_client_status`, { method: 'POST', headers, body: JSON.stringify({ guid }) }),
    'a new connection is refused while closing',
  );
  finish();
  const res = await slow;
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { data: { baseResponse: { ret: number } } }).data.baseResponse.ret, 0);
  await closing;
  await assert.rejects(h.app.store.ping(), 'the store is closed after shutdown');
  await h.close();
});
