// Wechaty bots over real gRPC hear what other people do: a room renamed (with who renamed it), someone leaving, a friend
// request they accept (friends in the world afterwards), and heartbeats.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHarness, type Harness } from '../../harness.ts';
import { loggedIn, ok } from '../../sandbox-helpers.ts';
import { loggedInBot, SKIP, type Bot } from '../../wechaty-bot.ts';

let h: Harness;
const bots: Bot[] = [];

before(async () => {
  if (SKIP) return;
  h = await startHarness({ wechatyPort: 0 }, undefined, { realTime: true });
});

after(async () => {
  for (const bot of bots) await bot.stop();
  await h?.close();
});

test('room-topic names who renamed the room, room-leave who left, and heartbeats flow', { skip: SKIP, timeout: 60_000 }, async () => {
  const guid = await h.createInstance({ auto_start: true });
  const { bot, me } = await loggedInBot(h, guid, 'Room Bot');
  bots.push(bot);
  // Alice and Bob act through instances of their own, as people do.
  const alice = await loggedIn(h, { nickname: 'Alice', needs_verification: false });
  const bob = await loggedIn(h, { nickname: 'Bob', needs_verification: false });
  await ok(h.direct('/sandbox/friend/request', { from_wxid: me, to_wxid: alice.wxid }));
  await ok(h.direct('/sandbox/friend/request', { from_wxid: alice.wxid, to_wxid: bob.wxid }));
  const { room_username: room } = await ok(h.direct('/sandbox/room/create', { owner_wxid: alice.wxid, member_wxids: [me, bob.wxid], name: 'Hiking' }));
  await bot.joins.first('the room join', (j) => j.room === room);
  const botRoom = await bot.bot.Room.find({ id: room });
  assert.equal(await botRoom!.topic(), 'Hiking');

  await ok(h.direct('/room/modify_chatroom_name', { guid: alice.guid, room_username: room, name: 'Climbing' }));
  assert.deepEqual(await bot.topics.first('Alice\'s rename'), { room, topic: 'Climbing', old: 'Hiking', changer: alice.wxid });

  // The bot renames it itself: the changer is the bot's own account.
  await botRoom!.topic('Bouldering');
  assert.deepEqual(await bot.topics.first('the bot\'s rename', (t) => t.topic === 'Bouldering'),
    { room, topic: 'Bouldering', old: 'Climbing', changer: me });

  await ok(h.direct('/room/quit_chatroom', { guid: bob.guid, room_username: room }));
  const leave = await bot.leaves.first('Bob leaving');
  assert.deepEqual(leave.removees, [bob.wxid]);
  assert.equal(leave.room, room);
  await botRoom!.sync();
  assert.deepEqual((await botRoom!.memberAll()).map((c) => c.id).sort(), [alice.wxid, me].sort());

  // Callbacks Wechaty has no event for (the login's 1001/1005/1009 among them) still show the connection alive.
  await bot.heartbeats.first('a heartbeat');
});

test('a friend request reaches bot.on(\'friendship\'); accepting it makes them friends in the world', { skip: SKIP, timeout: 60_000 }, async () => {
  const guid = await h.createInstance({ auto_start: true });
  const { bot, me } = await loggedInBot(h, guid, 'Friendly Bot');
  bots.push(bot);
  const { wxid: carol } = await ok(h.direct('/sandbox/people/create', { nickname: 'Carol' }));
  const request = await ok(h.direct('/sandbox/friend/request', { from_wxid: carol, to_wxid: me, verify_content: 'hi, Carol here' }));
  assert.equal(request.status, 'pending');

  const friendship = await bot.friendships.first('Carol\'s request');
  assert.equal(friendship.type(), bot.bot.Friendship.Type.Receive);
  assert.equal(friendship.contact().id, carol);
  assert.equal(friendship.hello(), 'hi, Carol here');
  await friendship.accept();

  // In the world they are friends now: Carol's text to the bot is delivered (a stranger's would be refused, 40910).
  await ok(h.direct('/sandbox/messages/send', { from_wxid: carol, path: '/msg/send_text', body: { to_username: me, content: 'thanks!' } }));
  const thanks = await bot.messages.first('Carol\'s text', (m) => m.text() === 'thanks!');
  assert.equal(thanks.talker().id, carol);
  assert.equal(thanks.talker().friend(), true);
});
