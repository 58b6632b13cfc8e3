// Wechaty bots over real gRPC: events resume after the bot reconnects and after wxgate restarts, each once and in order;
// a revoked token cuts its bot off at once while a new token works; a logout or a stopped instance reaches the bot.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually } from '../../eventually.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { freePort } from '../../relay-harness.ts';
import { friendOf, ok, outbox } from '../../sandbox-helpers.ts';
import { loggedInBot, SKIP, startBot, textsFrom, type Bot } from '../../wechaty-bot.ts';

let h: Harness;
const bots: Bot[] = [];

before(async () => {
  if (SKIP) return;
  // A fixed port: the restarted wxgate listens where the bot dials.
  h = await startHarness({ wechatyPort: await freePort() }, undefined, { realTime: true });
});

after(async () => {
  for (const bot of bots) await bot.stop();
  await h?.close();
});

/** Waits until `bot` has heard `count` texts from `talker` (each message is readied before its handler runs). */
const heard = (bot: Bot, talker: string, count: number) =>
  eventually(async () => textsFrom(bot, talker), (texts) => texts.length >= count, 10_000);

/**
 * Waits until wxgate knows the bot received Alice's text `content` (the token's cursor passed it): a bot stopped before
 * that gets the text again on its next connection (docs/wechaty.md: at least once), which these tests do not want.
 */
async function acknowledged(guid: string, tokenId: string, content: string): Promise<void> {
  const events = await outbox(h, guid);
  const sn = events.find((e) => (e.data as { content?: string }).content === content)!.sn;
  await eventually(() => h.app.store.events.cursor(guid, `wechaty:${tokenId}`), (cursor) => (cursor ?? 0) >= sn, 10_000);
}

const say = (from: string, to: string, content: string) =>
  ok(h.direct('/sandbox/messages/send', { from_wxid: from, path: '/msg/send_text', body: { to_username: to, content } }));

// Skipped: an event published while a stopping bot's stream is still open on wxgate's side is written to that stream
// and counted sent, so it is lost to the next connection (seen: m2 missing, about one run in three on PostgreSQL); the
// puppet-service protocol has no acknowledgements. Issue 21's note says what would fix it.
test('events sent while the bot is away arrive once, in order, after it reconnects and after wxgate restarts', { skip: SKIP, timeout: 60_000 }, async () => {
  const guid = await h.createInstance({ auto_start: true });
  const first = await loggedInBot(h, guid, 'Resuming Bot');
  bots.push(first.bot);
  const alice = await friendOf(h, first.me, 'Alice');
  await say(alice, first.me, 'm1');
  await first.bot.messages.first('m1', (m) => m.text() === 'm1');
  await acknowledged(guid, first.tokenId, 'm1');

  // The bot goes away; Alice keeps talking, wxgate restarts in between.
  await first.bot.stop();
  await say(alice, first.me, 'm2');
  await say(alice, first.me, 'm3');
  h = await h.restart();
  await say(alice, first.me, 'm4');

  // Back with the same token: the account is still logged in, and the messages it missed follow.
  const again = await startBot(first.endpoint, first.token);
  bots.push(again);
  await again.logins.first('the login of the account already logged in', (id) => id === first.me);
  await say(alice, first.me, 'm5');
  await again.messages.first('m5', (m) => m.text() === 'm5');
  // Wechaty readies each message (a payload call) before bot.on('message'), so handlers may see them out of stream
  // order: wait for all four, then a repeat of m1 or a lost or doubled m2–m5 shows.
  await heard(again, alice, 4);
  assert.deepEqual(textsFrom(again, alice).sort(), ['m2', 'm3', 'm4', 'm5']);
  await acknowledged(guid, first.tokenId, 'm5');

  // A second reconnect without wxgate restarting: nothing is replayed, the next message is the next one heard.
  await again.stop();
  await say(alice, first.me, 'm6');
  const third = await startBot(first.endpoint, first.token);
  bots.push(third);
  await say(alice, first.me, 'm7');
  await third.messages.first('m7', (m) => m.text() === 'm7');
  await heard(third, alice, 2);
  assert.deepEqual(textsFrom(third, alice).sort(), ['m6', 'm7']);
  await third.stop();
});

test('a backlog of messages sent while the bot was stopped reaches it in full after its restart, each once', { skip: SKIP, timeout: 60_000 }, async () => {
  const guid = await h.createInstance({ auto_start: true });
  const first = await loggedInBot(h, guid, 'Backlog Bot');
  bots.push(first.bot);
  const alice = await friendOf(h, first.me, 'Alice');
  await first.bot.stop();
  // More than one write's worth: before the fix the outbox flowed as the stream opened, and the bot's client dropped
  // what followed its first heartbeat, or Wechaty dropped the messages that came before the login.
  const sent = Array.from({ length: 20 }, (_, i) => `b${i}`);
  for (const content of sent) await say(alice, first.me, content);
  const again = await startBot(first.endpoint, first.token);
  bots.push(again);
  // Alice's chat also holds the "you added Alice" line: only her b-texts are counted.
  const backlog = () => textsFrom(again, alice).filter((t) => /^b\d+$/.test(t));
  await eventually(async () => backlog(), (texts) => texts.length >= sent.length, 10_000).catch(() => {});
  assert.deepEqual(backlog().sort(), [...sent].sort());
  await again.stop();
});

test('a revoked token cuts its live bot off at once; a new token works', { skip: SKIP, timeout: 60_000 }, async () => {
  const guid = await h.createInstance({ auto_start: true });
  const first = await loggedInBot(h, guid, 'Revoked Bot');
  bots.push(first.bot);
  const alice = await friendOf(h, first.me, 'Alice');

  assert.deepEqual(await ok(h.direct('/wechaty/revoke_token', { guid, token_id: first.tokenId })), { revoked: true });
  // The open event stream ends with the refusal, and every call after it is refused with the catalog's text.
  await first.bot.errors.first('the stream cut off', (e) => /revoked/.test(e));
  await assert.rejects(first.bot.bot.puppet.contactList(), /40104/);
  await first.bot.stop();

  const created = await ok(h.direct('/wechaty/create_token', { guid }));
  const next = await startBot(created.endpoint, created.token);
  bots.push(next);
  await next.logins.first('the login on the new token', (id) => id === first.me);
  await say(alice, first.me, 'after the revoke');
  assert.equal((await next.messages.first('Alice\'s text', (m) => m.talker().id === alice)).text(), 'after the revoke');
  await next.stop();
});

// Skipped: its checks pass, but afterwards a gRPC connection stays open in the test process and it never exits (a
// bot's client reconnecting after the stopped instance's logout, not yet tracked down; issue 21's note).
test('a logout on the phone and a stopped instance reach bot.on(\'logout\')', { skip: SKIP, timeout: 60_000 }, async () => {
  const guid = await h.createInstance({ auto_start: true });
  const { bot, me } = await loggedInBot(h, guid, 'Leaving Bot');
  bots.push(bot);
  await ok(h.direct('/sandbox/faults/inject', { guid, fault: 'logout' }));
  assert.equal(await bot.logouts.first('the logout'), me);
  await bot.stop();

  // A stopped instance serves nothing: the bot is told it is logged out; restoring the instance logs it in again.
  const other = await h.createInstance({ auto_start: true });
  const second = await loggedInBot(h, other, 'Stopped Bot');
  bots.push(second.bot);
  await ok(h.direct('/client/stop_client', { guid: other }));
  assert.equal(await second.bot.logouts.first('the logout of the stopped instance'), second.me);
  await second.bot.storesClosed();
  await ok(h.direct('/client/restore_client', { guid: other }));
  await second.bot.logins.first('the login after the restore', (id) => id === second.me && second.bot.logins.items.length === 2);
  await second.bot.stop();
});
