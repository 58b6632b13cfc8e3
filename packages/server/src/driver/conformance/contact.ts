// Conformance: contacts — search, friend requests between accounts and simulated people, accepting, one-sided deletion,
// remarks and pinning, init_contact paging, isolation between apps, and refusals that change nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DriverSession } from '../driver.ts';
import {
  call, eventsSince, expectError, logIn, newMsgs, notifyTypes, wechatRet, xmlAttribute, type ConformanceSubject, type Make, withSubject,
} from './subject.ts';


/** Every username of the account's contact list, following init_contact's cursors to the end. */
async function allContacts(session: DriverSession): Promise<{ usernames: string[]; pages: number }> {
  const usernames: string[] = [];
  let contactSeq = 0;
  let roomSeq = 0;
  for (let pages = 1; pages < 1000; pages++) {
    const page = await call(session, '/contact/init_contact', { contact_seq: contactSeq, room_seq: roomSeq });
    usernames.push(...page.contactUsernameList);
    contactSeq = page.currentWxcontactSeq;
    roomSeq = page.currentChatRoomContactSeq;
    if (page.countinueFlag !== 1) return { usernames, pages };
  }
  assert.fail('init_contact never finished');
}

const contactOf = async (session: DriverSession, username: string) =>
  (await call(session, '/contact/get_contact', { username_list: [username] })).contactList[0]!;

export function contactConformance(make: Make): void {
  test('two accounts become friends: search → add_friend → verify_friend (opcode 3), with the callbacks on both sides', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const b = await s.newInstance();
    const aliceId = await s.phone.createPerson({ nickname: 'Alice', alias: 'alice_2026' });
    const bobId = await s.phone.createPerson({ nickname: '小明', phone: '13800138000', qq: '123456789' });
    const alice = await logIn(s, a, aliceId.wxid);
    const bob = await logIn(s, b, bobId.wxid);

    // Bob is found by phone, WeChat id and QQ; to a stranger he is a v3 name with a v4 ticket.
    const byPhone = await call(a.session, '/contact/search_contact', { username: '13800138000', search_scene: 1 });
    assert.match(byPhone.userName.string!, /^v3_.+@stranger$/);
    assert.match(byPhone.antispamTicket, /^v4_.+@stranger$/);
    assert.equal(byPhone.nickName.string, '小明');
    assert.equal((await call(a.session, '/contact/search_contact', { username: bob, search_scene: 2 })).userName.string, byPhone.userName.string);
    assert.equal((await call(a.session, '/contact/search_contact', { username: '123456789', search_scene: 3 })).nickName.string, '小明');
    assert.equal((await call(b.session, '/contact/search_contact', { username: 'alice_2026', search_scene: 2 })).nickName.string, 'Alice');

    const markA = s.events(a.guid).length;
    const markB = s.events(b.guid).length;
    await call(a.session, '/contact/add_friend', { username: byPhone.userName.string!, ticket: byPhone.antispamTicket, verify_content: '我是Alice', scene: 15 });
    const [request] = newMsgs(eventsSince(s, b.guid, markB));
    assert.ok(request, 'Bob\'s instance got the request');
    assert.equal(request.msg_type, 37);
    assert.equal(request.from_username, 'fmessage');
    assert.equal(request.to_username, bob);
    assert.equal(xmlAttribute(request.content, 'fromusername'), alice);
    assert.equal(xmlAttribute(request.content, 'fromnickname'), 'Alice');
    assert.equal(xmlAttribute(request.content, 'content'), '我是Alice');
    assert.equal(xmlAttribute(request.content, 'scene'), '15');
    const encryptusername = xmlAttribute(request.content, 'encryptusername')!;
    const ticket = xmlAttribute(request.content, 'ticket')!;
    assert.match(encryptusername, /^v3_.+@stranger$/);
    assert.match(ticket, /^v4_.+@stranger$/);
    assert.equal(eventsSince(s, a.guid, markA).length, 0, 'nothing happens on Alice\'s side yet');

    const accepted = await call(b.session, '/contact/verify_friend', { username: encryptusername, ticket, scene: 15, opcode: 3 });
    assert.equal(accepted.baseResponse.ret, 0);

    // Both see each other as friends, with full contact objects.
    const bobSeenByAlice = await contactOf(a.session, bob);
    assert.equal(bobSeenByAlice.nickName.string, '小明');
    assert.equal(bobSeenByAlice.encryptUserName, '');
    assert.equal((bobSeenByAlice.bitVal ?? 0) & 1, 1, 'a contact');
    assert.equal((await contactOf(b.session, alice)).alias, 'alice_2026');
    assert.ok((await allContacts(a.session)).usernames.includes(bob));
    assert.ok((await allContacts(b.session)).usernames.includes(alice));

    // Bob (the accepter): contact sync, friend added, "你已添加了Alice…".
    const bobEvents = eventsSince(s, b.guid, markB).slice(1);
    assert.deepEqual(notifyTypes(bobEvents), [1200, 1040, 1010]);
    assert.equal((bobEvents[0]!.data as { userName: { string: string } }).userName.string, alice);
    const system = newMsgs(bobEvents)[0]!;
    assert.equal(system.msg_type, 10000);
    assert.match(system.content, /^你已添加了Alice，现在可以开始聊天了。$/);
    // Alice (the requester): contact sync, friend added, and Bob's hello.
    const aliceEvents = eventsSince(s, a.guid, markA);
    assert.deepEqual(notifyTypes(aliceEvents), [1200, 1040, 1010]);
    assert.equal(newMsgs(aliceEvents)[0]!.from_username, bob);

    // Now friends: search answers the wxid, and the old ticket is spent.
    assert.equal((await call(a.session, '/contact/search_contact', { username: bob, search_scene: 2 })).userName.string, bob);
    await expectError(call(b.session, '/contact/verify_friend', { username: encryptusername, ticket, scene: 15, opcode: 3 }), 'FRIEND_TICKET_INVALID');
  }));

  test('deleting a friend is one-sided; the deleted side is then refused with "not a friend" (ret -44)', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const b = await s.newInstance();
    const alice = await logIn(s, a);
    const bob = await logIn(s, b);
    await s.phone.sendFriendRequest(alice, bob, 'hi', 3);
    await s.phone.acceptFriendRequest(alice, bob);

    const markA = s.events(a.guid).length;
    const markB = s.events(b.guid).length;
    await call(a.session, '/contact/del_friend', { username: bob });
    assert.deepEqual(notifyTypes(eventsSince(s, a.guid, markA)), [1201, 1041]);
    assert.deepEqual(eventsSince(s, a.guid, markA)[0]!.data, { userName: { string: bob }, deleteContactScene: 0 });
    assert.equal(eventsSince(s, b.guid, markB).length, 0, 'WeChat does not tell the deleted side');
    assert.ok(!(await allContacts(a.session)).usernames.includes(bob));
    assert.ok((await allContacts(b.session)).usernames.includes(alice), 'Bob still has Alice');
    assert.notEqual((await contactOf(a.session, bob)).encryptUserName, '', 'Bob is a stranger to Alice again');

    const refused = await expectError(call(b.session, '/contact/verify_friend', { username: alice, opcode: 1 }), 'NOT_A_FRIEND');
    assert.equal(wechatRet(refused), -44);
    await expectError(call(a.session, '/contact/del_friend', { username: bob }), 'NOT_IN_CONTACTS');

    // Bob still has Alice, so Alice takes him back without a request (opcode 1 = add without verification).
    await call(a.session, '/contact/verify_friend', { username: bob, opcode: 1 });
    assert.ok((await allContacts(a.session)).usernames.includes(bob));
  }));

  test('remark and pinning change the account\'s own entry (1200 + 1039)', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const alice = await logIn(s, a);
    const friend = await s.phone.createPerson({ nickname: '老王', friends: [alice] });
    const mark = s.events(a.guid).length;
    await call(a.session, '/contact/modify_remark', { username: friend.wxid, remark: '王总' });
    const contact = await contactOf(a.session, friend.wxid);
    assert.equal(contact.remark.string, '王总');
    assert.equal(contact.remarkQuanPin?.string, 'wangzong');
    await call(a.session, '/contact/modify_contact_top_flag', { username: friend.wxid, status: 1 });
    assert.equal(((await contactOf(a.session, friend.wxid)).bitVal ?? 0) & 2048, 2048);
    await call(a.session, '/contact/modify_contact_top_flag', { username: friend.wxid, status: 0 });
    assert.equal(((await contactOf(a.session, friend.wxid)).bitVal ?? 0) & 2048, 0);
    assert.deepEqual(notifyTypes(eventsSince(s, a.guid, mark)), [1200, 1039, 1200, 1039, 1200, 1039]);
    const brief = await call(a.session, '/contact/batch_get_contact_brief_info', { username_list: [friend.wxid] });
    assert.equal(brief.contactList[0]!.contact.userName.string, friend.wxid);
    assert.equal(brief.contactList[0]!.displayName, '王总');
  }));

  test('a simulated person\'s request reaches the account, and the account\'s request is accepted on their phone', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const alice = await logIn(s, a);
    const carol = await s.phone.createPerson({ nickname: 'Carol' });
    let mark = s.events(a.guid).length;
    await s.phone.sendFriendRequest(carol.wxid, alice, '你好', 30);
    const request = newMsgs(eventsSince(s, a.guid, mark))[0]!;
    assert.equal(xmlAttribute(request.content, 'scene'), '30');
    await call(a.session, '/contact/verify_friend', {
      username: xmlAttribute(request.content, 'encryptusername')!, ticket: xmlAttribute(request.content, 'ticket')!, scene: 30, opcode: 3,
    });
    assert.ok((await allContacts(a.session)).usernames.includes(carol.wxid));

    const dave = await s.phone.createPerson({ nickname: 'Dave' });
    await call(a.session, '/contact/add_friend', { username: dave.wxid, verify_content: 'hello', scene: 3 });
    assert.ok(!(await allContacts(a.session)).usernames.includes(dave.wxid), 'pending until Dave accepts');
    mark = s.events(a.guid).length;
    await s.phone.acceptFriendRequest(alice, dave.wxid);
    assert.deepEqual(notifyTypes(eventsSince(s, a.guid, mark)), [1200, 1040, 1010]);
    assert.ok((await allContacts(a.session)).usernames.includes(dave.wxid));

    const open = await s.phone.createPerson({ nickname: 'Open', needsVerification: false });
    await call(a.session, '/contact/add_friend', { username: open.wxid, scene: 3 });
    assert.ok((await allContacts(a.session)).usernames.includes(open.wxid), 'no verification needed: friends at once');
  }));

  test('init_contact pages 500 contacts by seq cursors and returns each exactly once', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const alice = await logIn(s, a);
    const expected: string[] = [];
    for (let i = 0; i < 500; i++) expected.push((await s.phone.createPerson({ nickname: `联系人${i}`, friends: [alice] })).wxid);
    const first = await call(a.session, '/contact/init_contact', { contact_seq: 0, room_seq: 0 });
    assert.equal(first.countinueFlag, 1);
    assert.ok(first.contactUsernameList.length > 0 && first.contactUsernameList.length < 500, 'paged');
    // Changing an entry between pages must not make it appear twice.
    await call(a.session, '/contact/modify_remark', { username: first.contactUsernameList[0]!, remark: 'changed' });
    const { usernames, pages } = await allContacts(a.session);
    assert.ok(pages > 1);
    assert.equal(usernames.length, 500);
    assert.equal(new Set(usernames).size, 500);
    assert.deepEqual([...usernames].sort(), [...expected].sort());
    const restarted = await call(a.session, '/contact/init_contact', { contact_seq: 0, room_seq: 0 });
    assert.deepEqual(restarted.contactUsernameList, first.contactUsernameList, 'cursor 0 starts over');
  }));

  test('another app\'s world is invisible', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const other = await s.newInstanceOfAnotherApp();
    await s.phone.createPerson({ nickname: 'Alice', alias: 'alice_only_here', phone: '13900139000' });
    const alice = await logIn(s, a);
    await logIn(s, other);
    await expectError(call(other.session, '/contact/search_contact', { username: 'alice_only_here', search_scene: 2 }), 'WECHAT_USER_NOT_FOUND');
    await expectError(call(other.session, '/contact/search_contact', { username: '13900139000', search_scene: 1 }), 'WECHAT_USER_NOT_FOUND');
    await expectError(call(other.session, '/contact/add_friend', { username: alice, scene: 3 }), 'WECHAT_USER_NOT_FOUND');
    const unknown = await call(other.session, '/contact/get_contact', { username_list: [alice] });
    assert.equal(unknown.contactList[0]!.userName.string, alice);
    assert.deepEqual(unknown.contactList[0]!.nickName, {}, 'an unknown name comes back empty, as WeChat answers it');
  }));

  test('bad input is refused clearly and changes nothing: unknown wxid, wrong opcode, stale tickets', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    await logIn(s, a);
    const bob = await s.phone.createPerson({ nickname: 'Bob', alias: 'bob_target' });
    const mark = s.events(a.guid).length;
    const before = await allContacts(a.session);

    const unknown = await expectError(call(a.session, '/contact/add_friend', { username: 'wxid_nobody00000000', scene: 3 }), 'WECHAT_USER_NOT_FOUND');
    assert.equal(wechatRet(unknown), -4);
    await expectError(call(a.session, '/contact/search_contact', { username: 'no_such_alias', search_scene: 2 }), 'WECHAT_USER_NOT_FOUND');
    await expectError(call(a.session, '/contact/search_contact', { username: 'bob_target', search_scene: 9 }), 'VALIDATION');
    await expectError(call(a.session, '/contact/verify_friend', { username: bob.wxid, opcode: 7 }), 'VALIDATION');
    await expectError(call(a.session, '/contact/modify_remark', { username: bob.wxid, remark: 'x' }), 'NOT_IN_CONTACTS');
    await expectError(call(a.session, '/contact/modify_contact_top_flag', { username: bob.wxid, status: 5 }), 'VALIDATION');

    const found = await call(a.session, '/contact/search_contact', { username: 'bob_target', search_scene: 2 });
    await expectError(call(a.session, '/contact/add_friend', { username: found.userName.string!, ticket: 'v4_forged@stranger', scene: 3 }), 'FRIEND_TICKET_INVALID');
    s.advance(2 * 24 * 3600_000);
    const expired = await expectError(call(a.session, '/contact/add_friend', { username: found.userName.string!, ticket: found.antispamTicket, scene: 3 }), 'FRIEND_TICKET_INVALID');
    assert.notEqual(wechatRet(expired), 0);
    await expectError(call(a.session, '/contact/verify_friend', { username: found.userName.string!, ticket: found.antispamTicket, opcode: 3 }), 'FRIEND_TICKET_INVALID');

    assert.deepEqual(eventsSince(s, a.guid, mark), [], 'no callbacks');
    assert.deepEqual(await allContacts(a.session), before, 'no contact changed');
    // A fresh search issues a fresh ticket that works.
    const again = await call(a.session, '/contact/search_contact', { username: 'bob_target', search_scene: 2 });
    await call(a.session, '/contact/add_friend', { username: again.userName.string!, ticket: again.antispamTicket, scene: 3 });
  }));

  test('an unanswered friend request lapses: accepting it later is refused', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const alice = await logIn(s, a);
    const erin = await s.phone.createPerson({ nickname: 'Erin' });
    const mark = s.events(a.guid).length;
    await s.phone.sendFriendRequest(erin.wxid, alice, 'hey', 3);
    const request = newMsgs(eventsSince(s, a.guid, mark))[0]!;
    s.advance(8 * 24 * 3600_000);
    await expectError(call(a.session, '/contact/verify_friend', {
      username: xmlAttribute(request.content, 'encryptusername')!, ticket: xmlAttribute(request.content, 'ticket')!, opcode: 3,
    }), 'FRIEND_TICKET_INVALID');
    assert.ok(!(await allContacts(a.session)).usernames.includes(erin.wxid));
  }));
}
