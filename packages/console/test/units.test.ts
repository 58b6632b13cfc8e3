// The console's pure modules: the notify-type names (kept equal to the contract's), people's display names, and how
// the console decides the server does not answer. (SSE parsing is the SDK's stream client, tested there.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MSG_TYPES, NOTIFY_TYPES } from '@wxgate/contract';
import { MSG_NAMES, NOTIFY_NAMES } from '../src/notify.ts';
import { Reachability } from '../src/reachability.ts';
import { namesOf, type Person } from '../src/use-people.ts';

test('notify and msg type names match the contract', () => {
  assert.deepEqual(NOTIFY_NAMES, Object.fromEntries(Object.entries(NOTIFY_TYPES).map(([name, type]) => [type, name])));
  assert.deepEqual(MSG_NAMES, Object.fromEntries(Object.entries(MSG_TYPES).map(([name, type]) => [type, name])));
});

test('people are named by nickname, told apart by the wxid\'s end when two share one; unknown wxids stay wxids', () => {
  const person = (wxid: string, nickname: string) => ({ wxid, nickname } as Person);
  const names = namesOf([person('wxid_aaaa1111', '张伟'), person('wxid_bbbb2222', '张伟'), person('wxid_cccc3333', 'Alice'), person('wxid_dddd4444', '')]);
  assert.equal(names.label('wxid_cccc3333'), 'Alice');
  assert.equal(names.label('wxid_aaaa1111'), '张伟 (…1111)');
  assert.equal(names.label('wxid_bbbb2222'), '张伟 (…2222)');
  assert.equal(names.label('wxid_dddd4444'), 'wxid_dddd4444', 'no nickname: the wxid');
  assert.equal(names.label('wxid_unknown'), 'wxid_unknown');
});

test('reachability: a request without an answer is checked against /healthz, which is asked until it answers', async () => {
  let up = true;
  const asked: string[] = [];
  const fakeFetch = (async (input: RequestInfo | URL) => {
    asked.push(String(input));
    if (!up) throw new TypeError('Failed to fetch');
    return new Response('{}', { status: 200 });
  }) as typeof fetch;
  const reachability = new Reachability('http://wxgate.test', { fetch: fakeFetch, probeMs: 5 });
  const seen: boolean[] = [];
  reachability.subscribe((reachable) => seen.push(reachable));

  await reachability.fetch('http://wxgate.test/client/all_clients');
  assert.equal(reachability.reachable, true);
  up = false;
  await assert.rejects(reachability.fetch('http://wxgate.test/client/all_clients'));
  await waitUntil(() => !reachability.reachable);
  assert.ok(asked.includes('http://wxgate.test/healthz'), 'the failure was checked, not believed');
  up = true;
  await waitUntil(() => reachability.reachable);
  assert.deepEqual(seen, [false, true]);

  // Our own abort (leaving a page) says nothing about the server.
  asked.length = 0;
  const aborting = (async () => { throw new DOMException('aborted', 'AbortError'); }) as typeof fetch;
  const quiet = new Reachability('http://wxgate.test', { fetch: aborting, probeMs: 5 });
  await assert.rejects(quiet.fetch('http://wxgate.test/events/stream'));
  assert.equal(quiet.reachable, true);
});

async function waitUntil(check: () => boolean, timeoutMs = 2000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check(); await new Promise((r) => setTimeout(r, 5))) {
    assert.ok(Date.now() < deadline, 'condition not met in time');
  }
}
