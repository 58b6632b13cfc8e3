// Conformance: group messages — every other member's instance gets the 1010 with the room as from_username and the real
// sender in chatroom_sender; @ and @all (owner or admin only) in <atuserlist> and the push text; pats, quotes and
// revokes in rooms; simulated members; non-members refused; the message archive holds exactly what each account got.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, expectError, logIn, wechatRet, type ConformanceSubject, type Make, withSubject } from './subject.ts';
import { assertObservedShape, messagesSince, onlyMessage, parse } from './msg.ts';

/** Alice (owner), Bob and Carol logged in, Dave simulated; all in one room Alice created. */
async function roomOfFour(s: ConformanceSubject) {
  const [a, b, c] = [await s.newInstance(), await s.newInstance(), await s.newInstance()];
  const alice = await logIn(s, a, (await s.phone.createPerson({ nickname: 'Alice' })).wxid);
  const bob = await logIn(s, b, (await s.phone.createPerson({ nickname: 'Bob', friends: [alice] })).wxid);
  const carol = await logIn(s, c, (await s.phone.createPerson({ nickname: 'Carol', friends: [alice] })).wxid);
  const dave = (await s.phone.createPerson({ nickname: 'Dave', friends: [alice] })).wxid;
  const room = await s.phone.createRoom(alice, [bob, carol, dave], '测试群');
  return { a, b, c, alice, bob, carol, dave, room };
}

/** Each instance's event count now, in the order asked. */
const marks = <const T extends readonly string[]>(s: ConformanceSubject, ...guids: T) =>
  guids.map((g) => s.events(g).length) as { -readonly [K in keyof T]: number };

export function msgRoomConformance(make: Make): void {
  test('a group text reaches every other member as from_username = room, chatroom_sender = sender; the sender sees it as self-sent', () => withSubject(make, async (s) => {
    const { a, b, c, alice, bob, carol, dave, room } = await roomOfFour(s);
    const [ma, mb, mc] = marks(s, a.guid, b.guid, c.guid);
    const sent = await call(a.session, '/msg/send_text', { to_username: room, content: '大家好' });
    const msgId = sent.list[0]!.newMsgId;
    assert.equal(sent.list[0]!.toUserName?.string, room);
    for (const [guid, from, me] of [[b.guid, mb, bob], [c.guid, mc, carol]] as const) {
      const got = onlyMessage(s, guid, from);
      assertObservedShape(got);
      assert.deepEqual(
        [got.from_username, got.to_username, got.chatroom_sender, got.chatroom, got.is_chatroom_msg, got.msg_id, got.content, got.desc],
        [room, me, alice, room, 1, msgId, '大家好', 'Alice : 大家好'],
      );
      assert.equal(parse(got.source).msgsource.membercount, '4');
    }
    const own = onlyMessage(s, a.guid, ma);
    assert.deepEqual([own.from_username, own.to_username, own.chatroom_sender, own.chatroom, own.is_chatroom_msg], [alice, room, alice, room, 1]);
    // The simulated member has it on their phone.
    assert.equal((await s.phone.messagesOf(dave, room)).at(-1)!.msgId, msgId);

    // A simulated member's message reaches the logged-in members.
    const [ma2, mb2] = marks(s, a.guid, b.guid);
    const { msgId: fromDave } = await s.phone.sendMessage(dave, '/msg/send_text', { to_username: room, content: 'Dave here' });
    for (const [guid, from] of [[a.guid, ma2], [b.guid, mb2]] as const) {
      const got = onlyMessage(s, guid, from);
      assert.deepEqual([got.from_username, got.chatroom_sender, got.msg_id], [room, dave, fromDave]);
    }
  }));

  test('send_room_at: <atuserlist>, "…在群聊中@了你" for the mentioned; @all only for the owner or an admin', () => withSubject(make, async (s) => {
    const { a, b, c, alice, bob, carol, room } = await roomOfFour(s);
    let [mb, mc] = marks(s, b.guid, c.guid);
    await call(a.session, '/msg/send_room_at', { to_username: room, content: '@Bob 看一下', at_list: [bob] });
    const toBob = onlyMessage(s, b.guid, mb);
    assert.equal(parse(toBob.source).msgsource.atuserlist, bob);
    assert.equal(toBob.desc, 'Alice在群聊中@了你');
    assert.equal(toBob.content, '@Bob 看一下');
    assert.equal(onlyMessage(s, c.guid, mc).desc, 'Alice : @Bob 看一下', 'Carol was not mentioned');

    [mb, mc] = marks(s, b.guid, c.guid);
    await call(a.session, '/msg/send_room_at', { to_username: room, content: '@所有人 开会', at_list: ['notify@all'] });
    for (const [guid, from] of [[b.guid, mb], [c.guid, mc]] as const) {
      const got = onlyMessage(s, guid, from);
      assert.equal(parse(got.source).msgsource.atuserlist, 'notify@all');
      assert.equal(got.desc, 'Alice在群聊中@了你');
    }

    const refused = await expectError(call(b.session, '/msg/send_room_at', { to_username: room, content: '@所有人', at_list: ['notify@all'] }), 'AT_ALL_NOT_ALLOWED');
    assert.equal(wechatRet(refused), -66);
    await s.phone.setRoomAdmin(room, alice, bob, true);
    await call(b.session, '/msg/send_room_at', { to_username: room, content: '@所有人 admin now', at_list: ['notify@all'] });

    await expectError(call(a.session, '/msg/send_room_at', { to_username: room, content: '@x', at_list: ['wxid_notamember0000'] }), 'VALIDATION');
    await expectError(call(a.session, '/msg/send_room_at', { to_username: carol, content: '@x', at_list: [] }), 'VALIDATION');
  }));

  test('pats, quotes and revokes in a room', () => withSubject(make, async (s) => {
    const { a, b, c, alice, bob, carol, room } = await roomOfFour(s);
    let [mb, mc] = marks(s, b.guid, c.guid);
    await call(a.session, '/msg/send_pat', { to_username: room, patted_username: carol });
    for (const [guid, from] of [[b.guid, mb], [c.guid, mc]] as const) {
      const pat = parse(onlyMessage(s, guid, from).content).sysmsg.pat;
      assert.deepEqual([pat.fromusername, pat.chatusername, pat.pattedusername], [alice, room, carol]);
    }
    await expectError(call(a.session, '/msg/send_pat', { to_username: room, patted_username: 'wxid_notamember0000' }), 'VALIDATION');

    const question = await call(b.session, '/msg/send_text', { to_username: room, content: '谁有空？' });
    [mc] = marks(s, c.guid);
    await call(a.session, '/msg/send_refer_msg', {
      to_username: room, content: '我有空', refer_msg: { msg_type: 1, msg_id: question.list[0]!.newMsgId, from_username: room, from_nickname: '', source: '', content: '' },
    });
    const refer = parse(onlyMessage(s, c.guid, mc).content).msg.appmsg.refermsg;
    assert.deepEqual([refer.fromusr, refer.chatusr, refer.displayname, refer.content], [room, bob, 'Bob', '谁有空？']);

    [mb, mc] = marks(s, b.guid, c.guid);
    const [ma] = marks(s, a.guid);
    await call(b.session, '/msg/revoke_msg', { to_username: room, msg_id: question.list[0]!.newMsgId });
    for (const [guid, from] of [[a.guid, ma], [c.guid, mc]] as const) {
      const got = onlyMessage(s, guid, from);
      assert.deepEqual([got.msg_type, got.from_username, got.chatroom_sender], [10002, room, bob]);
      const revoke = parse(got.content).sysmsg.revokemsg;
      assert.deepEqual([revoke.session, revoke.newmsgid, revoke.replacemsg], [room, question.list[0]!.newMsgId, '"Bob" 撤回了一条消息']);
    }
    assert.equal(parse(onlyMessage(s, b.guid, mb).content).sysmsg.revokemsg.replacemsg, '你撤回了一条消息');
  }));

  test('non-members and unknown rooms are refused, and nothing is delivered', () => withSubject(make, async (s) => {
    const { a, b, room } = await roomOfFour(s);
    const e = await s.newInstance();
    await logIn(s, e);
    const [ma, mb] = marks(s, a.guid, b.guid);
    const outsider = await expectError(call(e.session, '/msg/send_text', { to_username: room, content: 'let me in' }), 'NOT_ROOM_MEMBER');
    assert.equal(wechatRet(outsider), -21);
    await expectError(call(e.session, '/msg/send_text', { to_username: '99999999999@chatroom', content: 'anyone?' }), 'ROOM_NOT_FOUND');
    assert.deepEqual([messagesSince(s, a.guid, ma).length, messagesSince(s, b.guid, mb).length], [0, 0]);
  }));

  test('the archive holds what an account sent and received, oldest first, each row the 1010 it got', () => withSubject(make, async (s) => {
    const { a, b, alice, dave, room } = await roomOfFour(s);
    const { archive } = s.driver;
    assert.ok(archive, 'the driver keeps a message archive');
    const [mb] = marks(s, b.guid);
    await call(a.session, '/msg/send_text', { to_username: room, content: 'room text' });
    await s.phone.sendMessage(dave, '/msg/send_text', { to_username: room, content: 'from Dave' });
    await call(b.session, '/msg/send_text', { to_username: alice, content: 'private to Alice' });
    const got = messagesSince(s, b.guid, mb);
    assert.deepEqual(got.map((m) => m.content), ['room text', 'from Dave', 'private to Alice']);

    const rows = await archive.list(await s.record(b.guid), { afterSeq: 0, limit: 100 });
    const mine = rows.filter((r) => got.some((m) => m.msg_id === r.data.msg_id));
    assert.deepEqual(mine.map((r) => r.data), got, 'each archived row is the 1010 the instance got');
    assert.deepEqual(mine.map((r) => r.direction), ['in', 'in', 'out']);
    assert.ok(mine.every((r, i) => i === 0 || r.seq > mine[i - 1]!.seq), 'in order');
    const withAlice = await archive.list(await s.record(b.guid), { talker: alice, afterSeq: 0, limit: 100 });
    assert.deepEqual(withAlice.map((r) => r.data.content), ['private to Alice']);
    const after = await archive.list(await s.record(b.guid), { afterSeq: mine[1]!.seq, limit: 100 });
    assert.deepEqual(after.map((r) => r.data.content), ['private to Alice']);
  }));
}
