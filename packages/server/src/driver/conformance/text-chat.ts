// The text-chat subset of the driver conformance suite: what a driver that only logs in by QR and chats in text (the
// ilink driver) must do exactly as every driver does — QR statuses and their callbacks, texts both ways with the
// observed 1010 fields, refusals that send nothing, the session ending on the network's side, logout, reopening.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DriverPath } from '../driver.ts';
import {
  call, decodeQrPng, expectError, logIn, newMsgs, notifyTypes, type ConformanceSubject, type Make, withSubject,
} from './subject.ts';

/** The operations this subset exercises; a driver must serve all of them to conform to it. */
export const TEXT_CHAT_PATHS: readonly DriverPath[] = ['/login/get_login_qrcode', '/login/check_login_qrcode', '/user/logout', '/msg/send_text'];

/** An account logged in on a fresh instance, and a friend of it on the network. */
export async function accountWithFriend(s: ConformanceSubject) {
  const a = await s.newInstance();
  const me = await logIn(s, a, (await s.phone.createPerson({ nickname: 'Agent' })).wxid);
  const friend = (await s.phone.createPerson({ nickname: 'Alice' })).wxid;
  await s.phone.sendFriendRequest(friend, me, 'hi', 3);
  await s.phone.acceptFriendRequest(friend, me);
  return { a, me, friend };
}

export function describeTextChatConformance(name: string, make: Make): void {
  describe(`driver conformance, text chat: ${name}`, () => {
    test('declares every text-chat path, and its sessions serve exactly what it declares', () => withSubject(make, async (s) => {
      const declared = [...s.driver.capabilities()].sort();
      for (const path of TEXT_CHAT_PATHS) assert.ok(declared.includes(path), `${path} is not among the capabilities`);
      const { session } = await s.newInstance();
      assert.deepEqual(Object.keys(session.operations).sort(), declared);
    }));

    test('QR login: a PNG of qrcode_content, 0 → 1 → 2 with a 1002 each and the login callback', () => withSubject(make, async (s) => {
      const a = await s.newInstance();
      await expectError(call(a.session, '/login/check_login_qrcode', {}), 'NO_LOGIN_IN_PROGRESS');
      const qr = await call(a.session, '/login/get_login_qrcode', {});
      assert.equal(decodeQrPng(qr.qrcode), qr.qrcode_content, 'the PNG decodes to qrcode_content');
      assert.ok((qr.expired_time ?? 0) > 0);
      assert.equal((await call(a.session, '/login/check_login_qrcode', {})).status, 0);
      const person = await s.phone.createPerson({ nickname: '扫码人' });
      await s.phone.scan(a.guid, person.wxid);
      assert.equal((await call(a.session, '/login/check_login_qrcode', {})).status, 1);
      assert.equal(s.loginOf(a.guid), null, 'scanned is not logged in');
      await s.phone.confirm(a.guid);
      const confirmed = await call(a.session, '/login/check_login_qrcode', {});
      assert.equal(confirmed.status, 2);
      assert.equal(confirmed.wxid, person.wxid);
      assert.equal(s.loginOf(a.guid), person.wxid);
      const events = s.events(a.guid);
      assert.deepEqual(events.filter((e) => e.notifyType === 1002).map((e) => (e.data as { status: number }).status), [0, 1, 2]);
      assert.equal((events.find((e) => e.notifyType === 1003)?.data as { wxid?: string } | undefined)?.wxid, person.wxid);
      await expectError(call(a.session, '/login/get_login_qrcode', {}), 'ALREADY_LOGGED_IN');
    }));

    test('QR login cancelled on the phone: status 4, nobody logged in', () => withSubject(make, async (s) => {
      const a = await s.newInstance();
      await call(a.session, '/login/get_login_qrcode', {});
      await s.phone.scan(a.guid, (await s.phone.createPerson({ nickname: 'Bob' })).wxid);
      await s.phone.cancel(a.guid);
      assert.equal((await call(a.session, '/login/check_login_qrcode', {})).status, 4);
      assert.equal(s.loginOf(a.guid), null);
      await expectError(call(a.session, '/msg/send_text', { to_username: 'wxid_nobody', content: 'x' }), 'NOT_LOGGED_IN');
    }));

    test('texts both ways: a friend\'s text is a 1010 with the observed fields; send_text answers WeChat\'s shape and reaches the friend', () => withSubject(make, async (s) => {
      const { a, me, friend } = await accountWithFriend(s);
      const mark = s.events(a.guid).length;
      await s.phone.sendMessage(friend, '/msg/send_text', { to_username: me, content: '你好 Agent' });
      const [got, ...more] = newMsgs(s.events(a.guid).slice(mark));
      assert.equal(more.length, 0, 'exactly one 1010');
      const m = got as unknown as Record<string, unknown>;
      assert.equal(m.msg_type, 1);
      assert.equal(m.from_username, friend);
      assert.equal(m.to_username, me);
      assert.equal(m.content, '你好 Agent');
      assert.equal(m.is_chatroom_msg, 0);
      assert.equal(m.chatroom, '');
      assert.equal(m.chatroom_sender, '');
      assert.match(String(m.msg_id), /^[1-9]\d*$/);
      assert.ok(Number.isInteger(m.create_time) && (m.create_time as number) > 1_000_000_000);

      const sent = await call(a.session, '/msg/send_text', { to_username: friend, content: '你好 Alice' });
      assert.equal(sent.baseResponse.ret, 0);
      assert.equal(sent.count, 1);
      assert.equal(sent.list[0]!.ret, 0);
      assert.match(sent.list[0]!.newMsgId, /^[1-9]\d*$/);
      const seen = await s.phone.messagesOf(friend, me);
      assert.ok(seen.some((p) => p.from === me && p.content === '你好 Alice' && p.msgType === 1), JSON.stringify(seen));
    }));

    test('group texts: a member\'s text is a 1010 from the room with the sender in chatroom_sender; send_text to the room reaches its members', () => withSubject(make, async (s) => {
      const { a, me, friend } = await accountWithFriend(s);
      const carol = (await s.phone.createPerson({ nickname: 'Carol', friends: [friend] })).wxid;
      const room = await s.phone.createRoom(friend, [me, carol], '测试群');
      const mark = s.events(a.guid).length;
      const { msgId } = await s.phone.sendMessage(friend, '/msg/send_text', { to_username: room, content: '大家好' });
      const got = newMsgs(s.events(a.guid).slice(mark)).filter((m) => m.msg_type === 1) as unknown as Array<Record<string, unknown>>;
      assert.equal(got.length, 1, JSON.stringify(got));
      const m = got[0]!;
      assert.deepEqual(
        [m.from_username, m.to_username, m.chatroom_sender, m.chatroom, m.is_chatroom_msg, m.msg_id, m.content],
        [room, me, friend, room, 1, msgId, '大家好'],
      );
      await call(a.session, '/msg/send_text', { to_username: room, content: '收到' });
      assert.ok((await s.phone.messagesOf(friend, room)).some((p) => p.content.endsWith('收到')));
    }));

    test('a send WeChat refuses (a stranger) fails and reaches nobody', () => withSubject(make, async (s) => {
      const { a } = await accountWithFriend(s);
      const stranger = (await s.phone.createPerson({ nickname: 'Stranger' })).wxid;
      await assert.rejects(call(a.session, '/msg/send_text', { to_username: stranger, content: 'hello?' }));
      assert.deepEqual(await s.phone.messagesOf(stranger), []);
    }));

    test('the session ends on the network\'s side: a 1004, logged out, sends refused', () => withSubject(make, async (s) => {
      const { a, friend } = await accountWithFriend(s);
      const mark = s.events(a.guid).length;
      await s.phone.injectFault(a.guid, 'session_timeout');
      assert.ok(notifyTypes(s.events(a.guid).slice(mark)).includes(1004));
      assert.equal(s.loginOf(a.guid), null);
      await expectError(call(a.session, '/msg/send_text', { to_username: friend, content: 'x' }), 'NOT_LOGGED_IN');
    }));

    test('logout: a 1004, logged out; a new QR login works again', () => withSubject(make, async (s) => {
      const { a, me } = await accountWithFriend(s);
      const mark = s.events(a.guid).length;
      await call(a.session, '/user/logout', {});
      assert.deepEqual(notifyTypes(s.events(a.guid).slice(mark)), [1004]);
      assert.equal(s.loginOf(a.guid), null);
      await logIn(s, a, me);
      assert.equal(s.loginOf(a.guid), me);
    }));

    test('a reopened session (restart, restore_client) is still logged in, and every text arrives exactly once', () => withSubject(make, async (s) => {
      const { a, me, friend } = await accountWithFriend(s);
      await s.phone.sendMessage(friend, '/msg/send_text', { to_username: me, content: 'before' });
      const reopened = await s.reopen(a.guid);
      assert.equal(s.loginOf(a.guid), me);
      await s.phone.sendMessage(friend, '/msg/send_text', { to_username: me, content: 'after' });
      const texts = newMsgs(s.events(a.guid)).filter((m) => m.from_username === friend && m.msg_type === 1).map((m) => m.content);
      assert.deepEqual(texts.filter((t) => t === 'before' || t === 'after'), ['before', 'after']);
      await call(reopened, '/msg/send_text', { to_username: friend, content: 'still here' });
      assert.ok((await s.phone.messagesOf(friend, me)).some((p) => p.content === 'still here'));
    }));
  });
}
