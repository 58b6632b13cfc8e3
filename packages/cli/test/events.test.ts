// `wxgate events tail` (the built binary) against a live server's SSE stream: live lines, --json, resume with --from.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loggedIn, ok } from '../../server/test/sandbox-helpers.ts';
import { buildCli, cliEnv, run, start, startLive, type Live } from './helpers.ts';

let live: Live;
let env: NodeJS.ProcessEnv;

before(async () => {
  buildCli();
  live = await startLive();
  env = cliEnv({ WXGATE_URL: live.url, DATA_DIR: live.dataDir });
});
after(() => live?.close());

/** A simulated friend of the account logged in on `guid`, who can message it. */
async function friendOf(wxid: string): Promise<string> {
  const { wxid: friend } = await ok(live.h.direct('/sandbox/people/create', { needs_verification: false }));
  await ok(live.h.direct('/sandbox/friend/request', { from_wxid: wxid, to_wxid: friend }));
  return friend;
}

test('events tail prints one line per new event and resumes from an sn', async () => {
  const { guid, wxid } = await loggedIn(live.h);
  const friend = await friendOf(wxid);
  const tail = start(['events', 'tail', guid], env);
  await tail.waitFor(/following/, 'stderr');
  await ok(live.h.direct('/sandbox/messages/send', { from_wxid: friend, path: '/msg/send_text', body: { to_username: wxid, content: 'hello from the phone' } }));
  await tail.waitFor(new RegExp(`^#\\d+ NewMsg\\(1010\\) ${friend} → ${wxid} \\[1\\]: hello from the phone$`, 'm'));
  tail.child.kill('SIGINT');
  assert.equal((await tail.exited).code, 0);

  // --from 0 replays everything retained (the login's callbacks first), then keeps following.
  const replay = start(['events', 'tail', guid, '--from', '0', '--json'], env);
  await replay.waitFor(/hello from the phone/);
  const events = replay.stdout().trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(events[0].sn, 1);
  assert.deepEqual(events.map((e) => e.sn), events.map((_, i) => i + 1), 'every event once, in order');
  assert.ok(events.some((e) => e.notify_type === 1003), 'the login (1003) is among them');
  const lastSn = events.at(-1).sn;
  replay.child.kill('SIGTERM');
  await replay.exited;

  const resumed = start(['events', 'tail', guid, '--from', String(lastSn - 1), '--json'], env);
  await resumed.waitFor(/hello from the phone/);
  assert.deepEqual(resumed.stdout().trim().split('\n').map((l) => JSON.parse(l).sn), [lastSn]);
  resumed.child.kill('SIGINT');
  await resumed.exited;
});

test('events tail reconnects after the server restarts and resumes with Last-Event-ID (nothing lost, nothing twice)', async () => {
  const { guid, wxid } = await loggedIn(live.h);
  const friend = await friendOf(wxid);
  const say = (content: string) =>
    ok(live.h.direct('/sandbox/messages/send', { from_wxid: friend, path: '/msg/send_text', body: { to_username: wxid, content } }));
  const tail = start(['events', 'tail', guid], env);
  await tail.waitFor(/following/, 'stderr');
  await say('before the restart');
  await tail.waitFor(/before the restart/);
  // Same data dir and port: the stream ends with the old server; the event below is committed while the CLI is away.
  live.h = await live.h.restart();
  await live.h.app.http.listen({ host: '127.0.0.1', port: Number(new URL(live.url).port) });
  await say('while reconnecting');
  await tail.waitFor(/reconnected/, 'stderr', 20_000);
  await tail.waitFor(/while reconnecting/);
  assert.equal(tail.stdout().split('\n').filter((l) => l.includes('while reconnecting')).length, 1);
  tail.child.kill('SIGINT');
  assert.equal((await tail.exited).code, 0);
});

test('events tail: an unknown instance is an API error (1), a bad --from a usage error (2), no server exit 3', async () => {
  const unknown = await run(['events', 'tail', '00000000-0000-4000-8000-000000000000'], env);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /error 404\d\d/);
  const badFrom = await run(['events', 'tail', '00000000-0000-4000-8000-000000000000', '--from', 'yesterday'], env);
  assert.equal(badFrom.code, 2);
  const down = await run(['events', 'tail', '00000000-0000-4000-8000-000000000000', '--url', 'http://127.0.0.1:1'], env);
  assert.equal(down.code, 3);
});
