// An unchanged Wechaty bot (WechatyBuilder + wechaty-puppet-service, configured by its usual environment variables)
// drives a sandbox instance over real gRPC: scan and login, messages both ways, room joins, a file's bytes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { startHarness, type Harness } from '../../harness.ts';
import { ok } from '../../sandbox-helpers.ts';
import { SKIP, startBot, type Bot } from '../../wechaty-bot.ts';

let h: Harness;
let heard: Bot | undefined;

before(async () => {
  if (SKIP) return;
  h = await startHarness({ wechatyPort: 0 }, undefined, { realTime: true });
});

after(async () => {
  await heard?.stop();
  await h?.close();
});

test('an unchanged Wechaty bot logs in by the sandbox scan, talks, sees a room join and downloads a file', { skip: SKIP, timeout: 180_000 }, async () => {
  const guid = await h.createInstance({ auto_start: true });
  const created = await ok(h.direct('/wechaty/create_token', { guid }));
  assert.match(created.token, /^insecure_/);
  assert.match(created.endpoint, /^127\.0\.0\.1:\d+$/);
  const status = await ok(h.direct('/wechaty/status', { guid }));
  assert.deepEqual(status.tokens.map((t: { token_id: string }) => t.token_id), [created.token_id]);

  // The bot as its README says to run it: nothing but the puppet-service environment variables.
  heard = await startBot(created.endpoint, created.token);
  const { bot, scans, logins, messages, joins } = heard;

  // Scan: the QR the instance issued reaches the bot; the sandbox phone scans and confirms it.
  const scan = await scans.first('a scan with the QR', (s) => s.status === 2 && s.qrcode.length > 0);
  assert.match(scan.qrcode, /^http/);
  const { wxid: me } = await ok(h.direct('/sandbox/people/create', { nickname: 'Wechaty Bot' }));
  await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan', wxid: me }));
  await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm' }));
  assert.equal(await logins.first('the login', (id) => id === me), me);

  // A friend's text reaches bot.on('message'); message.say() reaches the friend.
  const { wxid: alice } = await ok(h.direct('/sandbox/people/create', { nickname: 'Alice', needs_verification: false }));
  await ok(h.direct('/sandbox/friend/request', { from_wxid: me, to_wxid: alice }));
  await ok(h.direct('/sandbox/messages/send', { from_wxid: alice, path: '/msg/send_text', body: { to_username: me, content: 'hello bot' } }));
  const hello = await messages.first('Alice\'s text', (m) => m.text() === 'hello bot');
  assert.equal(hello.talker().id, alice);
  assert.equal(hello.talker().name(), 'Alice');
  await hello.say('hello Alice');
  const aliceSees = await ok(h.direct('/sandbox/messages/list', { wxid: alice, talker: me }));
  assert.ok(aliceSees.messages.some((m: { content: string; from_username: string }) => m.content === 'hello Alice' && m.from_username === me),
    JSON.stringify(aliceSees.messages));

  // Alice makes a room with the bot and Bob: the bot hears the join with both of them, Alice inviting.
  const { wxid: bob } = await ok(h.direct('/sandbox/people/create', { nickname: 'Bob', friends: [alice] }));
  const room = await ok(h.direct('/sandbox/room/create', { owner_wxid: alice, member_wxids: [me, bob], name: 'Wechaty room' }));
  const join = await joins.first('the room join', (j) => j.room === room.room_username);
  assert.deepEqual(join, { room: room.room_username, invitees: [me, bob].sort(), inviter: alice });
  const botRoom = await bot.Room.find({ id: room.room_username });
  assert.equal(await botRoom?.topic(), 'Wechaty room');
  assert.deepEqual((await botRoom!.memberAll()).map((c) => c.id).sort(), [alice, bob, me].sort());

  // A file Alice sends downloads as a FileBox with the same bytes (larger than what puppet-service passes inline).
  const bytes = randomBytes(48 * 1024);
  await ok(h.direct('/sandbox/messages/send_media', {
    from_wxid: alice, to_username: me, kind: 'file', file_name: 'report.bin', url: `data:application/octet-stream;base64,${bytes.toString('base64')}`,
  }));
  const file = await messages.first('Alice\'s file', (m) => m.type() === bot.Message.Type.Attachment);
  const box = await file.toFileBox();
  assert.equal(box.name, 'report.bin');
  assert.ok((await box.toBuffer()).equals(bytes), 'the downloaded bytes are the bytes sent');
});
