// Send pacing across kill -9, on a real server process: queued sends are on disk when they are answered, so after the
// crash they are still queued, and turning pacing off sends them once each, in order.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { firstAppCaller, killServers, startServer } from './server-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'wxgate-pacing-crash-'));
after(() => {
  killServers();
  rmSync(dataDir, { recursive: true, force: true });
});

const env = { DATA_DIR: dataDir, LOG_LEVEL: 'info' };

test('three queued sends, the first gone, kill -9: the other two are still queued after the restart and go once each, in order', { timeout: 120_000 }, async () => {
  const first = await startServer(env);
  const post = firstAppCaller(dataDir);
  const call = async (base: string, path: string, body: unknown) => {
    const { status, body: json } = await post(base, path, body);
    assert.equal(status, 200, `${path}: ${JSON.stringify(json)}`);
    assert.equal(json.errcode, 0, `${path}: ${JSON.stringify(json)}`);
    return json;
  };
  const account = async (base: string, nickname: string) => {
    const guid = (await call(base, '/client/create_client', { auto_start: true })).data.guid as string;
    const { wxid } = (await call(base, '/sandbox/people/create', { nickname })).data;
    await call(base, '/login/get_login_qrcode', { guid });
    await call(base, '/sandbox/login/scan', { guid, action: 'scan', wxid });
    await call(base, '/sandbox/login/scan', { guid, action: 'confirm' });
    return { guid, wxid: wxid as string };
  };
  /** The texts an instance received so far, oldest first. */
  const received = async (base: string, guid: string) => {
    const events = (await call(base, '/events/list', { guid, after_sn: 0, limit: 1000 })).data.events as Array<{ notify_type: number; data: any }>;
    return events.filter((e) => e.notify_type === 1010 && e.data.msg_type === 1).map((e) => e.data.content as string);
  };
  /** Polls until `done` holds: sends go on the server's own timers. */
  const until = async (check: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 600; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail(`never: ${what}`);
  };

  const alice = await account(first.base, 'Alice');
  const bob = await account(first.base, 'Bob');
  await call(first.base, '/sandbox/friend/request', { from_wxid: alice.wxid, to_wxid: bob.wxid });
  await call(first.base, '/sandbox/friend/accept', { from_wxid: alice.wxid, to_wxid: bob.wxid });
  // An hour between sends: nothing after the first can go before the kill.
  await call(first.base, '/client/set_send_pacing', { guid: alice.guid, enabled: true, warmup_days: 0, min_delay_ms: 3_600_000, max_delay_ms: 3_600_000 });
  for (const content of ['one', 'two', 'three']) {
    const answer = await call(first.base, '/msg/send_text', { guid: alice.guid, to_username: bob.wxid, content });
    assert.equal(answer.queued, true);
  }
  /** The paced sends' results (9001) an instance's callbacks reported so far. */
  const results = async (base: string) => ((await call(base, '/events/list', { guid: alice.guid, after_sn: 0, limit: 1000 })).data.events as Array<{ notify_type: number; data: any }>)
    .filter((e) => e.notify_type === 9001).map((e) => e.data);
  await until(async () => (await received(first.base, bob.guid)).length === 1, 'the first send went');
  // Its result is written after the send itself: a kill in between would leave it in doubt (50020, at-most-once).
  await until(async () => (await results(first.base)).length === 1, 'the first send\'s result is recorded');
  assert.equal((await call(first.base, '/client/get_send_pacing', { guid: alice.guid })).data.queue_length, 2);
  first.child.kill('SIGKILL');
  assert.equal(await first.exited, null);

  const second = await startServer(env);
  const state = (await call(second.base, '/client/get_send_pacing', { guid: alice.guid })).data;
  assert.equal(state.queue_length, 2, 'the queue survived the crash');
  assert.equal(state.sent_last_day, 1, 'and so did the send log the caps count');
  await call(second.base, '/client/set_send_pacing', { guid: alice.guid, enabled: false });
  await until(async () => (await received(second.base, bob.guid)).length >= 3, 'the queued sends went');
  assert.deepEqual(await received(second.base, bob.guid), ['one', 'two', 'three']);
  const after = await results(second.base);
  assert.equal(after.length, 3);
  assert.ok(after.every((r) => r.ok === true), JSON.stringify(after));
  second.child.kill('SIGTERM');
  await second.exited;
});
