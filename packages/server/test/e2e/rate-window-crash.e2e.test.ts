// The rate window survives kill -9: every call that was answered was counted on disk first, so 60 calls, a SIGKILL and
// 40 more make 100, and the next one locks the instance.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { firstAppCaller, killServers, startServer } from './server-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'wxgate-rate-crash-'));
after(() => {
  killServers();
  rmSync(dataDir, { recursive: true, force: true });
});

// An hour-long window: the restart's duration cannot let calls age out, so the count alone decides.
const env = { DATA_DIR: dataDir, LOG_LEVEL: 'info', WXGATE_RATE_LIMIT_MAX_CALLS: '100', WXGATE_RATE_LIMIT_WINDOW_SECONDS: '3600' };

test('60 calls, kill -9, 40 calls after the restart: the 101st call in the window is refused with the lock', async () => {
  const first = await startServer(env);
  const call = firstAppCaller(dataDir);
  const guid = (await call(first.base, '/client/create_client', { auto_start: true })).body.data.guid as string;

  // Concurrent, so that they share commits, as under load.
  const before = await Promise.all(Array.from({ length: 60 }, (_, i) => call(first.base, '/client/set_bridge', { guid, bridge: `before ${i}` })));
  assert.deepEqual(before.map((r) => [r.status, r.body.errcode]), Array(60).fill([200, 0]));
  first.child.kill('SIGKILL');
  assert.equal(await first.exited, null);

  const second = await startServer(env);
  for (let i = 0; i < 40; i++) {
    const res = await call(second.base, '/client/set_bridge', { guid, bridge: `after ${i}` });
    assert.equal(res.status, 200, `call ${61 + i} of the window: ${JSON.stringify(res.body)}`);
  }
  const locking = await call(second.base, '/client/set_bridge', { guid, bridge: 'the 101st' });
  assert.equal(locking.status, 429);
  assert.equal(locking.headers.get('x-wxgate-code'), '42901');
  assert.equal(locking.headers.get('retry-after'), String(30 * 60));
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});
