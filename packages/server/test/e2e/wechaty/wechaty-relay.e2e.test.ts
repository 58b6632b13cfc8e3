// An unchanged Wechaty bot on a wxgate whose instance is relayed to a second wxgate running the sandbox: the bridge
// works over the relay driver — login by the upstream's scan, a text each way.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eventually } from '../../eventually.ts';
import { startRelayPair, type RelayPair } from '../../relay-harness.ts';
import { ok } from '../../sandbox-helpers.ts';
import { SKIP, startBot, type Bot } from '../../wechaty-bot.ts';

let pair: RelayPair;
let bot: Bot | undefined;

before(async () => {
  if (SKIP) return;
  pair = await startRelayPair({ relay: { wechatyPort: 0 } });
});

after(async () => {
  await bot?.stop();
  await pair?.close();
});

test('a bot on a relayed instance logs in by the upstream\'s scan and talks both ways', { skip: SKIP, timeout: 120_000 }, async () => {
  const guid = await pair.relay.createInstance();
  const created = await ok(pair.relay.direct('/wechaty/create_token', { guid }));
  bot = await startBot(created.endpoint, created.token);
  // The QR comes from the upstream through the relay's callbacks; the upstream's sandbox phone scans it.
  await bot.scans.first('a scan with the QR', (s) => s.status === 2 && s.qrcode.length > 0);
  const me = (await pair.phone('/sandbox/people/create', { nickname: 'Relayed Bot' })).wxid as string;
  await pair.phone('/sandbox/login/scan', { guid, action: 'scan', wxid: me });
  await pair.phone('/sandbox/login/scan', { guid, action: 'confirm' });
  await bot.logins.first('the login', (id) => id === me);

  const alice = (await pair.phone('/sandbox/people/create', { nickname: 'Alice', needs_verification: false })).wxid as string;
  await pair.phone('/sandbox/friend/request', { from_wxid: me, to_wxid: alice });
  await pair.phone('/sandbox/messages/send', { from_wxid: alice, path: '/msg/send_text', body: { to_username: me, content: 'hello over the relay' } });
  const hello = await bot.messages.first('Alice\'s text', (m) => m.text() === 'hello over the relay');
  assert.equal(hello.talker().id, alice);
  assert.equal(hello.talker().name(), 'Alice');

  await hello.say('hello back');
  const seen = await eventually(
    async () => (await pair.phone('/sandbox/messages/list', { wxid: alice, talker: me })).messages as Array<{ content: string; from_username: string }>,
    (messages) => messages.some((m) => m.content === 'hello back' && m.from_username === me),
    10_000,
  );
  assert.ok(seen.some((m) => m.content === 'hello back'));
});
