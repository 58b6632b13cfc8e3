// /events/messages on the sandbox: an account's archive shows what it sent and received, private and in its rooms,
// each row in the 1010 shape the account got, paged by seq, one conversation at a time, revokes marked, tenants apart.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTenant, startHarness, type Harness } from '../../harness.ts';
import { loggedIn, ok, outbox } from '../../sandbox-helpers.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.close());

test('an account\'s archive: private and room messages both ways, paging, one talker, revokes marked', async () => {
  const me = await loggedIn(h, { nickname: 'Me' });
  const { wxid: pal } = await ok(h.direct('/sandbox/people/create', { nickname: 'Pal', friends: [me.wxid] }));
  const { wxid: other } = await ok(h.direct('/sandbox/people/create', { nickname: 'Other', friends: [me.wxid, pal] }));
  const { wxid: outsider } = await ok(h.direct('/sandbox/people/create', { nickname: 'Outsider', friends: [pal] }));
  const { room_username: room } = await ok(h.direct('/sandbox/room/create', { owner_wxid: pal, member_wxids: [me.wxid, other] }));

  const sendAs = (from: string, to: string, content: string) =>
    ok(h.direct('/sandbox/messages/send', { from_wxid: from, path: '/msg/send_text', body: { to_username: to, content } }));
  const first = await sendAs(pal, me.wxid, 'hi me');
  const mine = await ok(h.direct('/msg/send_text', { guid: me.guid, to_username: pal, content: 'hi pal' }));
  await sendAs(other, room, 'hello room');
  await sendAs(pal, outsider, 'not for me to see');
  const revoked = await sendAs(pal, me.wxid, 'oops');
  await ok(h.direct('/sandbox/messages/revoke', { wxid: pal, to_username: me.wxid, msg_id: revoked.msg_id }));

  const all = await ok(h.direct('/events/messages', { guid: me.guid }));
  const rows = all.messages as any[];
  assert.deepEqual(rows.map((m) => [m.msg_type, m.direction, m.revoked]), [[1, 'in', false], [1, 'out', false], [1, 'in', false], [1, 'in', true], [10002, 'in', false]]);
  assert.ok(!rows.some((m) => m.content === 'not for me to see'), 'a chat between two others is not in my archive');
  const [received, sent, inRoom] = rows;
  assert.deepEqual(
    [received.msg_id, received.from_username, received.to_username, received.content, received.is_chatroom_msg, received.chatroom_sender],
    [first.msg_id, pal, me.wxid, 'hi me', 0, ''],
  );
  assert.match(received.desc, /hi me/);
  assert.deepEqual([sent.msg_id, sent.from_username, sent.to_username, sent.desc], [mine.list[0].newMsgId, me.wxid, pal, '']);
  assert.deepEqual([inRoom.from_username, inRoom.chatroom, inRoom.chatroom_sender, inRoom.is_chatroom_msg], [room, room, other, 1]);
  assert.match(inRoom.source, /<msgsource>/);
  assert.equal(all.next_seq, rows.at(-1).seq);

  // The archive row of a received message is the 1010 the account's webhook would have got.
  const event = (await ok(h.direct('/events/list', { guid: me.guid, notify_type: 1010, limit: 1000 }))).events
    .find((e: any) => e.data.msg_id === first.msg_id);
  const { seq: _seq, direction: _direction, revoked: _revoked, ...fields } = received;
  assert.deepEqual(fields, event.data);

  const page1 = await ok(h.direct('/events/messages', { guid: me.guid, limit: 2 }));
  const page2 = await ok(h.direct('/events/messages', { guid: me.guid, after_seq: page1.next_seq, limit: 2 }));
  assert.deepEqual([...page1.messages, ...page2.messages].map((m: any) => m.msg_id), rows.slice(0, 4).map((m) => m.msg_id));
  const end = await ok(h.direct('/events/messages', { guid: me.guid, after_seq: all.next_seq }));
  assert.deepEqual([end.messages, end.next_seq], [[], all.next_seq]);

  const withPal = await ok(h.direct('/events/messages', { guid: me.guid, talker: pal }));
  assert.deepEqual(withPal.messages.map((m: any) => m.content).slice(0, 3), ['hi me', 'hi pal', 'oops']);
  const inRoomOnly = await ok(h.direct('/events/messages', { guid: me.guid, talker: room }));
  assert.deepEqual(inRoomOnly.messages.map((m: any) => m.content), ['hello room']);
});

test('the archive refuses what it cannot answer and shows nothing across tenants', async () => {
  const me = await loggedIn(h);
  const bad = await h.direct('/events/messages', { guid: me.guid, limit: 0 });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.body.errors[0].loc, ['body', 'limit']);
  const offline = await h.createInstance({ auto_start: true });
  assert.equal((await h.direct('/events/messages', { guid: offline })).body.code, 40902, 'no account logged in');
  const stranger = await createTenant(h);
  const foreign = await h.direct('/events/messages', { guid: me.guid }, stranger);
  assert.equal(foreign.status, 404, 'another app\'s instance answers like an unknown one');
});

test('messages sent while the account was logged out arrive when it logs in again, in order, once', async () => {
  const me = await loggedIn(h, { nickname: 'Sleeper' });
  const { wxid: pal } = await ok(h.direct('/sandbox/people/create', { nickname: 'Pal', friends: [me.wxid] }));
  const { wxid: other } = await ok(h.direct('/sandbox/people/create', { nickname: 'Other', friends: [me.wxid, pal] }));
  const { room_username: room } = await ok(h.direct('/sandbox/room/create', { owner_wxid: pal, member_wxids: [me.wxid, other] }));
  const sendAs = (from: string, to: string, content: string) =>
    ok(h.direct('/sandbox/messages/send', { from_wxid: from, path: '/msg/send_text', body: { to_username: to, content } }));
  const newMsgs = async () => (await outbox(h, me.guid)).filter((e) => e.notifyType === 1010 && (e.data as any).msg_type === 1).map((e) => (e.data as any).content);

  await sendAs(pal, me.wxid, 'while online');
  assert.deepEqual(await newMsgs(), ['while online'], 'a first login syncs nothing from before it');
  await ok(h.direct('/user/logout', { guid: me.guid }));
  await sendAs(pal, me.wxid, 'offline 1');
  await sendAs(other, room, 'offline in the room');
  await sendAs(pal, other, 'not mine');
  await sendAs(pal, me.wxid, 'offline 2');
  assert.deepEqual(await newMsgs(), ['while online'], 'nothing reaches a logged-out account');

  await ok(h.direct('/login/get_login_qrcode', { guid: me.guid }));
  await ok(h.direct('/sandbox/login/scan', { guid: me.guid, action: 'scan', wxid: me.wxid }));
  await ok(h.direct('/sandbox/login/scan', { guid: me.guid, action: 'confirm' }));
  assert.deepEqual(await newMsgs(), ['while online', 'offline 1', 'offline in the room', 'offline 2']);
  const events = await outbox(h, me.guid);
  const inRoom = events.find((e) => (e.data as any).content === 'offline in the room')!.data as any;
  assert.deepEqual([inRoom.from_username, inRoom.chatroom_sender, inRoom.to_username], [room, other, me.wxid]);
  const loginAt = events.findIndex((e) => e.notifyType === 1003 && e.sn > events.find((x) => (x.data as any).content === 'while online')!.sn);
  assert.ok(loginAt < events.findIndex((e) => (e.data as any).content === 'offline 1'), 'the sync follows the login');

  // Logged in, new messages arrive live, and a later login does not sync them again.
  await sendAs(pal, me.wxid, 'live again');
  await ok(h.direct('/user/logout', { guid: me.guid }));
  await ok(h.direct('/login/get_login_qrcode', { guid: me.guid }));
  await ok(h.direct('/sandbox/login/scan', { guid: me.guid, action: 'scan', wxid: me.wxid }));
  await ok(h.direct('/sandbox/login/scan', { guid: me.guid, action: 'confirm' }));
  assert.deepEqual(await newMsgs(), ['while online', 'offline 1', 'offline in the room', 'offline 2', 'live again']);
});
