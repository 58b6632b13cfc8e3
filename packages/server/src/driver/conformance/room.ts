// Conformance: rooms — creating with friends, WeChat's 40-member line for direct adds and the invitation path, roles
// (owner, admins, transfer), leaving and coming back, member-list versions, the account's own room settings, the
// announcement, the room QR code, member friend requests, pinned messages, dissolving; refusals change nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DriverEvent } from '../driver.ts';
import { assertObservedShape, messagesSince, parse } from './msg.ts';
import {
  call, decodeQrPng, eventsSince, expectError, logIn, notifyTypes, wechatRet, type ConformanceInstance, type ConformanceSubject, type Make,
  withSubject,
} from './subject.ts';

interface Member { userName: string; nickName: string; displayName: string; inviterUserName: string; chatroomMemberFlag: number }

/** An account on its own instance, and `friends` simulated friends of it (made quietly). */
async function accountWithFriends(s: ConformanceSubject, nickname: string, friends: number) {
  const instance = await s.newInstance();
  const wxid = await logIn(s, instance, (await s.phone.createPerson({ nickname })).wxid);
  const people: string[] = [];
  for (let i = 0; i < friends; i++) people.push((await s.phone.createPerson({ nickname: `${nickname}的朋友${i}`, friends: [wxid] })).wxid);
  return { instance, wxid, friends: people };
}

/** A second account, logged in and already friends with `of`. */
async function friendAccount(s: ConformanceSubject, nickname: string, of: readonly string[]) {
  const instance = await s.newInstance();
  const wxid = await logIn(s, instance, (await s.phone.createPerson({ nickname, friends: of })).wxid);
  return { instance, wxid };
}

const detail = (i: ConformanceInstance, room: string, version = 0) => call(i.session, '/room/get_chatroom_member_detail', { room_username: room, version });
const membersOf = async (i: ConformanceInstance, room: string) => ((await detail(i, room)).newChatroomData.chatRoomMember as Member[]).map((m) => m.userName);
const texts = (s: ConformanceSubject, guid: string, mark: number) => messagesSince(s, guid, mark).map((m) => m.content);
const dataOf = (events: readonly DriverEvent[], notifyType: number) => events.find((e) => e.notifyType === notifyType)?.data as Record<string, any>;

/** What a refusal must leave as it was: the member list and its version, and every callback stream. */
async function snapshot(s: ConformanceSubject, i: ConformanceInstance, room: string, guids: readonly string[]) {
  const d = await detail(i, room);
  return { version: d.serverVersion, owner: d.chatRoomOwner, members: d.newChatroomData.chatRoomMember, events: guids.map((g) => s.events(g).length) };
}

export function roomConformance(make: Make): void {
  test('create_chatroom: two or more friends, a <digits>@chatroom id, and 1200 + 1042 + the 10000 line for each member', () => withSubject(make, async (s) => {
    const alice = await accountWithFriends(s, 'Alice', 1);
    const bob = await friendAccount(s, 'Bob', [alice.wxid]);
    const carol = alice.friends[0]!;
    const stranger = (await s.phone.createPerson({ nickname: 'Stranger' })).wxid;
    const marks = [s.events(alice.instance.guid).length, s.events(bob.instance.guid).length];

    await expectError(call(alice.instance.session, '/room/create_chatroom', { username_list: [bob.wxid] }), 'VALIDATION');
    assert.equal(wechatRet(await expectError(call(alice.instance.session, '/room/create_chatroom', { username_list: [bob.wxid, stranger] }), 'NOT_IN_CONTACTS')), -4);
    await expectError(call(alice.instance.session, '/room/create_chatroom', { username_list: [bob.wxid, 'wxid_nobody00000000'] }), 'WECHAT_USER_NOT_FOUND');
    assert.deepEqual([s.events(alice.instance.guid).length, s.events(bob.instance.guid).length], marks, 'refusals raise nothing');

    const created = await call(alice.instance.session, '/room/create_chatroom', { username_list: [bob.wxid, carol] });
    const room = created.chatRoomName.string!;
    assert.match(room, /^[1-9]\d{10}@chatroom$/);
    assert.equal(created.memberCount, 3);
    assert.deepEqual(created.memberList.map((m) => m.memberName.string), [alice.wxid, bob.wxid, carol]);

    const aliceEvents = eventsSince(s, alice.instance.guid, marks[0]!);
    assert.deepEqual(notifyTypes(aliceEvents), [1200, 1042, 1010]);
    const roomContact = dataOf(aliceEvents, 1200);
    assert.equal(roomContact.userName.string, room);
    assert.equal(roomContact.chatRoomOwner, alice.wxid);
    assert.equal(roomContact.chatroomMaxCount, 500);
    assert.equal(roomContact.newChatroomData.memberCount, 3);
    assert.deepEqual(dataOf(aliceEvents, 1042).member_list, [bob.wxid, carol]);
    const [line] = messagesSince(s, alice.instance.guid, marks[0]!);
    assertObservedShape(line!);
    assert.deepEqual([line!.from_username, line!.to_username, line!.chatroom, line!.chatroom_sender, line!.is_chatroom_msg, line!.msg_type],
      [room, alice.wxid, room, '', 1, 10000]);
    assert.equal(line!.content, '你邀请"Bob、Alice的朋友0"加入了群聊');
    assert.equal(parse(line!.source).msgsource.membercount, '3');

    assert.deepEqual(notifyTypes(eventsSince(s, bob.instance.guid, marks[1]!)), [1200, 1042, 1010]);
    assert.deepEqual(texts(s, bob.instance.guid, marks[1]!), ['"Alice"邀请你和"Alice的朋友0"加入了群聊']);

    const seen = (await call(bob.instance.session, '/contact/get_contact', { username_list: [room] })).contactList[0] as Record<string, any>;
    assert.deepEqual([seen.userName.string, seen.isInChatRoom, seen.chatroomVersion], [room, 1, roomContact.chatroomVersion]);
  }));

  test('direct adds stop at 40 members; bigger rooms take an invitation card the invitee accepts', () => withSubject(make, async (s) => {
    const alice = await accountWithFriends(s, 'Alice', 41);
    const dave = await friendAccount(s, 'Dave', [alice.wxid]);
    const [first, second, ...rest] = alice.friends;
    const room = (await call(alice.instance.session, '/room/create_chatroom', { username_list: [first!, second!] })).chatRoomName.string!;
    const added = await call(alice.instance.session, '/room/add_chatroom_member', { room_username: room, username_list: rest.slice(0, 35) });
    assert.equal(added.memberCount, 35);
    assert.equal((await membersOf(alice.instance, room)).length, 38);

    // A batch that would cross 40 is refused whole; up to 40 is fine; at 40 only invitations remain.
    const before = await snapshot(s, alice.instance, room, [alice.instance.guid, dave.instance.guid]);
    const crossing = await expectError(call(alice.instance.session, '/room/add_chatroom_member', { room_username: room, username_list: rest.slice(35, 38) }), 'ROOM_INVITE_REQUIRED');
    assert.equal(wechatRet(crossing), -23);
    assert.deepEqual(await snapshot(s, alice.instance, room, [alice.instance.guid, dave.instance.guid]), before);
    await call(alice.instance.session, '/room/add_chatroom_member', { room_username: room, username_list: rest.slice(35, 37) });
    assert.equal((await membersOf(alice.instance, room)).length, 40);
    const atForty = await snapshot(s, alice.instance, room, [alice.instance.guid, dave.instance.guid]);
    await expectError(call(alice.instance.session, '/room/add_chatroom_member', { room_username: room, username_list: [dave.wxid] }), 'ROOM_INVITE_REQUIRED');
    assert.deepEqual(await snapshot(s, alice.instance, room, [alice.instance.guid, dave.instance.guid]), atForty);

    const markDave = s.events(dave.instance.guid).length;
    await call(alice.instance.session, '/room/invite_chatroom_member', { room_username: room, username_list: [dave.wxid] });
    const markAlice = s.events(alice.instance.guid).length;
    const [card] = messagesSince(s, dave.instance.guid, markDave);
    assert.deepEqual([card!.msg_type, card!.from_username, card!.is_chatroom_msg], [49, alice.wxid, 0]);
    const appmsg = parse(card!.content).msg.appmsg;
    assert.deepEqual([appmsg.type, appmsg.title], ['5', '邀请你加入群聊']);
    assert.match(appmsg.url, /addchatroombyinvite\?ticket=/);
    assert.equal((await membersOf(alice.instance, room)).length, 40, 'an invitation is not a membership');

    await s.phone.joinRoom(room, dave.wxid);
    const members = await membersOf(alice.instance, room);
    assert.equal(members.length, 41);
    assert.equal(members.at(-1), dave.wxid);
    const daveEvents = eventsSince(s, dave.instance.guid, markDave).slice(1);
    assert.deepEqual(notifyTypes(daveEvents), [1200, 1042, 1010]);
    assert.match(texts(s, dave.instance.guid, markDave).at(-1)!, /^"Alice"邀请你加入了群聊，群聊参与人还有：/);
    assert.deepEqual(notifyTypes(eventsSince(s, alice.instance.guid, markAlice)), [1200, 1046, 1010]);
    assert.deepEqual(texts(s, alice.instance.guid, markAlice).at(-1), '你邀请"Dave"加入了群聊');
    const daveInfo = ((await detail(dave.instance, room)).newChatroomData.chatRoomMember as Member[]).find((m) => m.userName === dave.wxid)!;
    assert.equal(daveInfo.inviterUserName, alice.wxid);
    await expectError(s.phone.joinRoom(room, dave.wxid), 'SANDBOX_ROOM_INVITE_NOT_FOUND');
  }));

  test('roles: only the owner or an admin removes; after a transfer the old owner cannot; the removed get 1044', () => withSubject(make, async (s) => {
    const alice = await accountWithFriends(s, 'Alice', 2);
    const bob = await friendAccount(s, 'Bob', [alice.wxid]);
    const [carol, erin] = alice.friends as [string, string];
    const room = (await call(alice.instance.session, '/room/create_chatroom', { username_list: [bob.wxid, carol, erin] })).chatRoomName.string!;
    const guids = [alice.instance.guid, bob.instance.guid];

    let before = await snapshot(s, alice.instance, room, guids);
    assert.equal(wechatRet(await expectError(call(bob.instance.session, '/room/del_chatroom_member', { room_username: room, username_list: [carol] }), 'NOT_ROOM_ADMIN')), -66);
    await expectError(call(bob.instance.session, '/room/tranfer_chatroom_owner', { room_username: room, username: bob.wxid }), 'NOT_ROOM_OWNER');
    await expectError(call(alice.instance.session, '/room/tranfer_chatroom_owner', { room_username: room, username: 'wxid_nobody00000000' }), 'ROOM_MEMBER_NOT_FOUND');
    assert.deepEqual(await snapshot(s, alice.instance, room, guids), before);

    const marks = guids.map((g) => s.events(g).length);
    await call(alice.instance.session, '/room/tranfer_chatroom_owner', { room_username: room, username: bob.wxid });
    assert.equal((await detail(alice.instance, room)).chatRoomOwner, bob.wxid);
    assert.deepEqual(notifyTypes(eventsSince(s, alice.instance.guid, marks[0]!)), [1200, 1047, 1010]);
    assert.deepEqual(texts(s, alice.instance.guid, marks[0]!), ['"Bob"已成为新群主']);
    assert.deepEqual(texts(s, bob.instance.guid, marks[1]!), ['你已成为新群主']);

    before = await snapshot(s, alice.instance, room, guids);
    await expectError(call(alice.instance.session, '/room/del_chatroom_member', { room_username: room, username_list: [carol] }), 'NOT_ROOM_ADMIN');
    await expectError(call(alice.instance.session, '/room/set_chatroom_announcement', { room_username: room, announcement: 'x' }), 'NOT_ROOM_ADMIN');
    assert.deepEqual(await snapshot(s, alice.instance, room, guids), before, 'the old owner changes nothing any more');

    // The new owner makes Alice an admin: she may remove members now, but not the owner.
    await s.phone.setRoomAdmin(room, bob.wxid, alice.wxid, true);
    assert.equal(((await detail(bob.instance, room)).newChatroomData.chatRoomMember as Member[]).find((m) => m.userName === alice.wxid)!.chatroomMemberFlag, 2048);
    await expectError(call(alice.instance.session, '/room/del_chatroom_member', { room_username: room, username_list: [bob.wxid] }), 'NOT_ROOM_OWNER');
    const again = guids.map((g) => s.events(g).length);
    const removed = await call(alice.instance.session, '/room/del_chatroom_member', { room_username: room, username_list: [carol] });
    assert.deepEqual(removed.memberList.map((m) => m.memberName.string), [carol]);
    assert.deepEqual(await membersOf(bob.instance, room), [alice.wxid, bob.wxid, erin]);
    assert.deepEqual(notifyTypes(eventsSince(s, alice.instance.guid, again[0]!)), [1200, 1048, 1010]);
    assert.deepEqual(texts(s, alice.instance.guid, again[0]!), ['你将"Alice的朋友0"移出了群聊']);
    assert.deepEqual(notifyTypes(eventsSince(s, bob.instance.guid, again[1]!)), [1200, 1048], 'WeChat tells only the remover');

    // Bob removes Alice: her instance hears 1044 and the room as an outsider sees it.
    const markAlice = s.events(alice.instance.guid).length;
    await call(bob.instance.session, '/room/del_chatroom_member', { room_username: room, username_list: [alice.wxid] });
    const aliceEvents = eventsSince(s, alice.instance.guid, markAlice);
    assert.deepEqual(notifyTypes(aliceEvents), [1200, 1044, 1010]);
    assert.equal(dataOf(aliceEvents, 1200).isInChatRoom, 0);
    assert.equal(dataOf(aliceEvents, 1044).operator, bob.wxid);
    assert.deepEqual(texts(s, alice.instance.guid, markAlice), ['你被"Bob"移出群聊']);
    assert.equal(wechatRet(await expectError(detail(alice.instance, room), 'NOT_ROOM_MEMBER')), -21);
  }));

  test('quit and come back: 1043 for the leaver, 1048 for the rest, an owner hands over on leaving', () => withSubject(make, async (s) => {
    const alice = await accountWithFriends(s, 'Alice', 2);
    const bob = await friendAccount(s, 'Bob', [alice.wxid]);
    const room = (await call(alice.instance.session, '/room/create_chatroom', { username_list: alice.friends })).chatRoomName.string!;
    await call(alice.instance.session, '/room/add_chatroom_member', { room_username: room, username_list: [bob.wxid] });

    const marks = [s.events(alice.instance.guid).length, s.events(bob.instance.guid).length];
    await call(bob.instance.session, '/room/quit_chatroom', { room_username: room });
    const bobEvents = eventsSince(s, bob.instance.guid, marks[1]!);
    assert.deepEqual(notifyTypes(bobEvents), [1200, 1043]);
    assert.equal(dataOf(bobEvents, 1200).isInChatRoom, 0);
    assert.deepEqual(notifyTypes(eventsSince(s, alice.instance.guid, marks[0]!)), [1200, 1048]);
    assert.deepEqual(dataOf(eventsSince(s, alice.instance.guid, marks[0]!), 1048).member_list, [bob.wxid]);
    await expectError(call(bob.instance.session, '/room/quit_chatroom', { room_username: room }), 'NOT_ROOM_MEMBER');
    await expectError(call(bob.instance.session, '/room/get_chatroom_detail', { room_username: room }), 'NOT_ROOM_MEMBER');

    // Re-invited (a small room takes a card too), Bob is back.
    await call(alice.instance.session, '/room/invite_chatroom_member', { room_username: room, username_list: [bob.wxid] });
    await s.phone.joinRoom(room, bob.wxid);
    assert.deepEqual(await membersOf(bob.instance, room), [alice.wxid, ...alice.friends, bob.wxid]);

    // The owner leaves: the earliest member after her owns the room and is told so.
    await call(alice.instance.session, '/room/quit_chatroom', { room_username: room });
    assert.equal((await detail(bob.instance, room)).chatRoomOwner, alice.friends[0]);
    assert.deepEqual(await membersOf(bob.instance, room), [...alice.friends, bob.wxid]);
  }));

  test('member detail follows versions: an up-to-date version gets no list; display names bump it and raise 1047', () => withSubject(make, async (s) => {
    const alice = await accountWithFriends(s, 'Alice', 1);
    const bob = await friendAccount(s, 'Bob', [alice.wxid]);
    const room = (await call(alice.instance.session, '/room/create_chatroom', { username_list: [bob.wxid, alice.friends[0]!] })).chatRoomName.string!;
    const full = await detail(bob.instance, room);
    assert.equal(full.newChatroomData.memberCount, 3);
    assert.equal(full.chatRoomOwner, alice.wxid);
    const current = await detail(bob.instance, room, full.serverVersion);
    assert.deepEqual([current.serverVersion, current.newChatroomData.memberCount, current.newChatroomData.chatRoomMember], [full.serverVersion, 0, []]);

    const mark = s.events(bob.instance.guid).length;
    await call(alice.instance.session, '/room/modify_chatroom_display_name', { room_username: room, display_name: '群主小A' });
    assert.deepEqual(notifyTypes(eventsSince(s, bob.instance.guid, mark)), [1200, 1047]);
    const changed = await detail(bob.instance, room, full.serverVersion);
    assert.ok(changed.serverVersion > full.serverVersion);
    const me = (changed.newChatroomData.chatRoomMember as Member[]).find((m) => m.userName === alice.wxid)!;
    assert.deepEqual([me.displayName, me.nickName], ['群主小A', 'Alice']);
    assert.equal((await call(bob.instance.session, '/contact/get_contact', { username_list: [room] })).contactList[0]!.chatroomVersion, changed.serverVersion);
  }));

  test('the account\'s own room settings: saved rooms come with init_contact, pinned, muted, folded and nicknames shown', () => withSubject(make, async (s) => {
    const alice = await accountWithFriends(s, 'Alice', 2);
    const room = (await call(alice.instance.session, '/room/create_chatroom', { username_list: alice.friends })).chatRoomName.string!;
    const roomSeen = async () => (await call(alice.instance.session, '/contact/get_contact', { username_list: [room] })).contactList[0] as Record<string, any>;
    const listed = async () => (await call(alice.instance.session, '/contact/init_contact', { contact_seq: 0, room_seq: 0 })).contactUsernameList;
    assert.ok(!(await listed()).includes(room), 'a room is not in the contacts until saved');
    assert.equal((await roomSeen()).bitVal & 1, 0);

    const mark = s.events(alice.instance.guid).length;
    await call(alice.instance.session, '/room/modify_chatroom_contact_flag', { room_username: room, status: 1 });
    assert.deepEqual(notifyTypes(eventsSince(s, alice.instance.guid, mark)), [1200]);
    const page = await call(alice.instance.session, '/contact/init_contact', { contact_seq: 0, room_seq: 0 });
    assert.deepEqual(page.contactUsernameList, [...alice.friends, room]);
    assert.ok(page.currentChatRoomContactSeq > 0);
    const next = await call(alice.instance.session, '/contact/init_contact', { contact_seq: page.currentWxcontactSeq, room_seq: page.currentChatRoomContactSeq });
    assert.deepEqual(next.contactUsernameList, [], 'each saved room comes once');

    await call(alice.instance.session, '/room/modify_chatroom_top_flag', { room_username: room, status: 1 });
    await call(alice.instance.session, '/room/modify_chatroom_disturb_flag', { room_username: room, status: 1 });
    await call(alice.instance.session, '/room/modify_chatroom_fold_flag', { room_username: room, status: 1 });
    await call(alice.instance.session, '/room/modify_chatroom_show_name_flag', { room_username: room, status: 1 });
    const flagged = await roomSeen();
    assert.deepEqual([flagged.bitVal & 1, flagged.bitVal & 2048, flagged.chatRoomNotify, flagged.chatroomStatus], [1, 2048, 0, 3]);
    await expectError(call(alice.instance.session, '/room/modify_chatroom_top_flag', { room_username: room, status: 2 }), 'VALIDATION');

    await call(alice.instance.session, '/room/modify_chatroom_contact_flag', { room_username: room, status: 0 });
    await call(alice.instance.session, '/room/modify_chatroom_disturb_flag', { room_username: room, status: 0 });
    assert.ok(!(await listed()).includes(room));
    assert.deepEqual([(await roomSeen()).bitVal & 1, (await roomSeen()).chatRoomNotify], [0, 1]);
  }));

  test('name, announcement, detail and the member friend request (scene 14)', () => withSubject(make, async (s) => {
    const alice = await accountWithFriends(s, 'Alice', 1);
    const bob = await friendAccount(s, 'Bob', [alice.wxid]);
    const carol = alice.friends[0]!;
    const room = (await call(alice.instance.session, '/room/create_chatroom', { username_list: [bob.wxid, carol] })).chatRoomName.string!;

    let mark = s.events(bob.instance.guid).length;
    await call(bob.instance.session, '/room/modify_chatroom_name', { room_username: room, name: '周末爬山' });
    assert.deepEqual(texts(s, bob.instance.guid, mark), ['你修改群名为"周末爬山"']);
    mark = s.events(bob.instance.guid).length;
    await call(alice.instance.session, '/room/set_chatroom_announcement', { room_username: room, announcement: '周六早上8点集合' });
    assert.deepEqual(notifyTypes(eventsSince(s, bob.instance.guid, mark)), [1200, 1010]);
    const got = messagesSince(s, bob.instance.guid, mark);
    assert.deepEqual([got[0]!.msg_type, got[0]!.chatroom_sender, got[0]!.content], [1, alice.wxid, '@所有人\n周六早上8点集合']);
    assert.match(got[0]!.source, /notify@all/);
    const info = await call(bob.instance.session, '/room/get_chatroom_detail', { room_username: room });
    assert.deepEqual([info.announcement, info.announcementEditor], ['周六早上8点集合', alice.wxid]);
    assert.ok(info.chatRoomInfoVersion >= 3, 'the name and the announcement each bumped the info version');
    assert.equal((await call(alice.instance.session, '/contact/get_contact', { username_list: [room] })).contactList[0]!.nickName.string, '周末爬山');

    // Bob does not know Carol: the room lets him ask her (scene 14); Carol's side is the simulated phone.
    const markBob = s.events(bob.instance.guid).length;
    const asked = await call(bob.instance.session, '/room/add_chatroom_member_friend', { room_username: room, username: carol, verify_content: '我是Bob' });
    assert.equal(asked.userName, carol);
    assert.deepEqual(eventsSince(s, bob.instance.guid, markBob), [], 'a request raises nothing on the sender\'s side');
    await expectError(call(bob.instance.session, '/room/add_chatroom_member_friend', { room_username: room, username: 'wxid_nobody00000000' }), 'ROOM_MEMBER_NOT_FOUND');
    await s.phone.acceptFriendRequest(bob.wxid, carol);
    assert.deepEqual(notifyTypes(eventsSince(s, bob.instance.guid, markBob)).slice(0, 2), [1200, 1040]);
    assert.equal(((eventsSince(s, bob.instance.guid, markBob)[0]!.data) as Record<string, any>).addContactScene, 14);
  }));

  test('the room QR code: a PNG good for 7 days, the same until then; none above 200 members; 500 members at most', () => withSubject(make, async (s) => {
    const alice = await accountWithFriends(s, 'Alice', 2);
    const room = (await call(alice.instance.session, '/room/create_chatroom', { username_list: alice.friends })).chatRoomName.string!;
    const first = await call(alice.instance.session, '/room/get_chatroom_qrcode', { room_username: room });
    const url = decodeQrPng(first.qrcode.buffer!);
    assert.match(url!, /^https:\/\/weixin\.qq\.com\/g\/[\w-]+$/);
    assert.match(first.revokeQrcodeWording!, /^该二维码7天内\(\d+月\d+日前\)有效，重新进入将更新$/);
    s.advance(6 * 24 * 3600_000);
    assert.equal(decodeQrPng((await call(alice.instance.session, '/room/get_chatroom_qrcode', { room_username: room })).qrcode.buffer!), url);
    s.advance(2 * 24 * 3600_000);
    assert.notEqual(decodeQrPng((await call(alice.instance.session, '/room/get_chatroom_qrcode', { room_username: room })).qrcode.buffer!), url, 'a new code after 7 days');

    // A full room (owner, Alice and 498 more): no QR code, and no room for one more.
    const big: string[] = [];
    for (let i = 0; i < 498; i++) big.push((await s.phone.createPerson({ nickname: `成员${i}`, friends: [alice.friends[0]!] })).wxid);
    const crowd = await s.phone.createRoom(alice.friends[0]!, [...big, alice.wxid], '大群');
    assert.equal((await detail(alice.instance, crowd)).newChatroomData.memberCount, 500);
    assert.equal(wechatRet(await expectError(call(alice.instance.session, '/room/get_chatroom_qrcode', { room_username: crowd }), 'ROOM_QRCODE_UNAVAILABLE')), -23);
    const full = await expectError(call(alice.instance.session, '/room/invite_chatroom_member', { room_username: crowd, username_list: [alice.friends[1]!] }), 'ROOM_FULL');
    assert.equal(wechatRet(full), -23);
    assert.equal((await detail(alice.instance, crowd)).newChatroomData.memberCount, 500);
  }));

  test('pinned messages: owner or admin pins a message of the room; the list and removal', () => withSubject(make, async (s) => {
    const alice = await accountWithFriends(s, 'Alice', 1);
    const bob = await friendAccount(s, 'Bob', [alice.wxid]);
    const room = (await call(alice.instance.session, '/room/create_chatroom', { username_list: [bob.wxid, alice.friends[0]!] })).chatRoomName.string!;
    const mark = s.events(alice.instance.guid).length;
    const { msgId } = await s.phone.sendMessage(bob.wxid, '/msg/send_text', { to_username: room, content: '明天的安排' });
    const msgInfo = messagesSince(s, alice.instance.guid, mark).find((m) => m.msg_id === msgId)!;
    await expectError(call(bob.instance.session, '/room/set_top_msg', { room_username: room, summary: '安排', msg_info: msgInfo }), 'NOT_ROOM_ADMIN');
    await expectError(call(alice.instance.session, '/room/set_top_msg', { room_username: room, summary: '安排', msg_info: { ...msgInfo, msg_id: '12345' } }), 'MESSAGE_NOT_FOUND');
    await call(alice.instance.session, '/room/set_top_msg', { room_username: room, summary: '安排', msg_info: msgInfo });
    const pinned = await call(bob.instance.session, '/room/get_top_msg_list', { room_username: room });
    assert.equal(pinned.count, 1);
    assert.deepEqual([pinned.topMsgList[0]!.msgId, pinned.topMsgList[0]!.summary, pinned.topMsgList[0]!.operator, pinned.topMsgList[0]!.msgInfo.content],
      [msgId, '安排', alice.wxid, '明天的安排']);
    await call(alice.instance.session, '/room/remove_top_msg', { room_username: room, msg_id: msgId });
    assert.equal((await call(bob.instance.session, '/room/get_top_msg_list', { room_username: room })).count, 0);
    await expectError(call(alice.instance.session, '/room/remove_top_msg', { room_username: room, msg_id: msgId }), 'ROOM_TOP_MSG_NOT_FOUND');
  }));

  test('the owner dissolves the room: 1045 for every member, and the room is gone', () => withSubject(make, async (s) => {
    const alice = await accountWithFriends(s, 'Alice', 1);
    const bob = await friendAccount(s, 'Bob', [alice.wxid]);
    const room = (await call(alice.instance.session, '/room/create_chatroom', { username_list: [bob.wxid, alice.friends[0]!] })).chatRoomName.string!;
    await expectError(s.phone.dissolveRoom(room, bob.wxid), 'NOT_ROOM_OWNER');
    const marks = [s.events(alice.instance.guid).length, s.events(bob.instance.guid).length];
    await s.phone.dissolveRoom(room, alice.wxid);
    assert.deepEqual(notifyTypes(eventsSince(s, alice.instance.guid, marks[0]!)), [1045]);
    assert.deepEqual(notifyTypes(eventsSince(s, bob.instance.guid, marks[1]!)), [1045]);
    assert.equal(dataOf(eventsSince(s, bob.instance.guid, marks[1]!), 1045).chatroom, room);
    assert.equal(wechatRet(await expectError(detail(bob.instance, room), 'ROOM_NOT_FOUND')), -21);
  }));
}
