// Field types of the contact callbacks as a webhook receives them: 1200/1039/1040/1041 (ModContact of a friend or room:
// domainList {}, chatRoomBusinessType and bitMask2 decimal strings), 1201, 1042–1048 and the OpenIM 1202–1204.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ok } from '../sandbox-helpers.ts';
import { startCapture, type Capture } from './capture.ts';
import { assertShape, list, shapeDiff } from './json-shape.ts';
import { DEL_CONTACT, OPENIM_CONTACT, OPENIM_ROOM, PERSON_CONTACT, ROOM_NOTICE, roomContact } from './wechat-shapes.ts';

describe('payload types: contact, room and OpenIM callbacks', () => {
  let cap: Capture;
  let alice: { guid: string; wxid: string };
  let bob: { guid: string; wxid: string };
  const newPerson = async (nickname: string) => (await ok(cap.h.direct('/sandbox/people/create', { nickname, friends: [alice.wxid] }))).wxid as string;
  const aboutUser = (wxid: string) => (d: any) => d.userName?.string === wxid;
  const inRoom = (roomId: string) => (d: any) => d.chatroom === roomId;

  before(async () => {
    cap = await startCapture();
    ({ alice, bob } = await cap.aliceAndBob());
  });
  after(() => cap.close());

  test('1200 and 1040 of a new friend, on both sides', async () => {
    for (const [me, other] of [[bob, alice], [alice, bob]] as const) {
      const modContact = await cap.callback(me.guid, 1200, aboutUser(other.wxid));
      assertShape(modContact, PERSON_CONTACT, '1200 ModContact of a friend');
      assert.deepEqual([modContact.domainList, modContact.chatRoomBusinessType, modContact.bitMask2], [{}, '0', '18446744073709551615']);
      assertShape(await cap.callback(me.guid, 1040, aboutUser(other.wxid)), PERSON_CONTACT, '1040 FriendAdd');
    }
  });

  test('the check fails on a changed type, naming the key path (the pre-fix 1200: domainList [], chatRoomBusinessType 0)', async () => {
    const modContact = await cap.callback(bob.guid, 1200, aboutUser(alice.wxid));
    const before = { ...modContact, domainList: [], chatRoomBusinessType: 0, snsUserInfo: { ...modContact.snsUserInfo, snsBgobjectId: 0 } };
    assert.deepEqual(shapeDiff(before, PERSON_CONTACT), [
      '$.domainList: expected object, got array',
      '$.snsUserInfo.snsBgobjectId: expected a 64-bit id as a decimal string, got integer',
      '$.chatRoomBusinessType: expected a 64-bit id as a decimal string, got integer',
    ]);
    const { labelIdList: _dropped, ...missing } = modContact;
    assert.deepEqual(shapeDiff({ ...missing, extra: null }, PERSON_CONTACT), ['$.labelIdList: missing', '$.extra: unexpected key (null)']);
  });

  test('1200 and 1039 after a remark and a label: remark an SKBuiltinString with its string, labelIdList a string', async () => {
    await ok(cap.h.direct('/contact/modify_remark', { guid: bob.guid, username: alice.wxid, remark: '阿丽' }));
    const remarked = await cap.callback(bob.guid, 1200, (d) => aboutUser(alice.wxid)(d) && d.remark.string === '阿丽');
    assertShape(remarked, PERSON_CONTACT, '1200 after modify_remark');
    assert.deepEqual([remarked.remarkPyinitial, remarked.remarkQuanPin], [{ string: 'AL' }, { string: 'ali' }]);
    assertShape(await cap.callback(bob.guid, 1039, aboutUser(alice.wxid)), PERSON_CONTACT, '1039 ContactInfoChange');
    const { labelPairList: [label] } = await ok(cap.h.direct('/label/add_contact_label', { guid: bob.guid, label_name: '同事' }));
    await ok(cap.h.direct('/label/modify_contact_label_list', { guid: bob.guid, username_list: [alice.wxid], label_id_list: [label.labelId] }));
    const labelled = await cap.callback(bob.guid, 1200, (d) => aboutUser(alice.wxid)(d) && d.labelIdList !== '');
    assertShape(labelled, PERSON_CONTACT, '1200 after a label');
    assert.equal(labelled.labelIdList, String(label.labelId));
  });

  test('1200 of a room and 1042, 1046, 1047, 1048, 1044; then 1043 and 1045', async () => {
    const [dave, erin] = [await newPerson('Dave'), await newPerson('Erin')];
    const created = await ok(cap.h.direct('/room/create_chatroom', { guid: alice.guid, username_list: [bob.wxid, dave] }));
    const roomId: string = created.chatRoomName.string;
    const room = await cap.callback(bob.guid, 1200, aboutUser(roomId));
    assertShape(room, roomContact(3), '1200 ModContact of a room');
    assert.deepEqual([room.isInChatRoom, room.domainList, room.chatRoomBusinessType], [1, {}, '0']);
    assertShape(await cap.callback(bob.guid, 1042, inRoom(roomId)), ROOM_NOTICE, '1042 RoomAdd');
    await ok(cap.h.direct('/room/add_chatroom_member', { guid: alice.guid, room_username: roomId, username_list: [erin] }));
    assertShape(await cap.callback(bob.guid, 1046, inRoom(roomId)), ROOM_NOTICE, '1046 RoomMemberAdd');
    await ok(cap.h.direct('/room/modify_chatroom_display_name', { guid: bob.guid, room_username: roomId, display_name: '小B' }));
    assertShape(await cap.callback(bob.guid, 1047, inRoom(roomId)), ROOM_NOTICE, '1047 RoomMemberUpdate');
    await ok(cap.h.direct('/room/del_chatroom_member', { guid: alice.guid, room_username: roomId, username_list: [dave] }));
    assertShape(await cap.callback(bob.guid, 1048, inRoom(roomId)), ROOM_NOTICE, '1048 RoomMemberDel');
    await ok(cap.h.direct('/room/del_chatroom_member', { guid: alice.guid, room_username: roomId, username_list: [bob.wxid] }));
    assertShape(await cap.callback(bob.guid, 1044, inRoom(roomId)), ROOM_NOTICE, '1044 RoomDelMe');
    const outside = await cap.callback(bob.guid, 1200, (d) => aboutUser(roomId)(d) && d.isInChatRoom === 0);
    assertShape(outside, roomContact(0), '1200 of a room the account is no longer in');
    assert.deepEqual(outside.newChatroomData.chatRoomMember, []);

    const second = (await ok(cap.h.direct('/room/create_chatroom', { guid: alice.guid, username_list: [bob.wxid, erin] }))).chatRoomName.string;
    await ok(cap.h.direct('/room/quit_chatroom', { guid: bob.guid, room_username: second }));
    assertShape(await cap.callback(bob.guid, 1043, inRoom(second)), ROOM_NOTICE, '1043 RoomQuit');
    const third = (await ok(cap.h.direct('/room/create_chatroom', { guid: alice.guid, username_list: [bob.wxid, erin] }))).chatRoomName.string;
    await ok(cap.h.direct('/sandbox/room/dissolve', { room_username: third, wxid: alice.wxid }));
    assertShape(await cap.callback(bob.guid, 1045, inRoom(third)), ROOM_NOTICE, '1045 RoomDisband');
  });

  test('1201 and 1041 of a deleted friend', async () => {
    const { wxid: gina } = await ok(cap.h.direct('/sandbox/people/create', { nickname: 'Gina', needs_verification: false }));
    await ok(cap.h.direct('/sandbox/friend/request', { from_wxid: bob.wxid, to_wxid: gina }));
    await cap.callback(bob.guid, 1040, aboutUser(gina));
    await ok(cap.h.direct('/contact/del_friend', { guid: bob.guid, username: gina }));
    assertShape(await cap.callback(bob.guid, 1201, aboutUser(gina)), DEL_CONTACT, '1201 DelContact');
    assertShape(await cap.callback(bob.guid, 1041, aboutUser(gina)), PERSON_CONTACT, '1041 FriendDel');
  });

  test('1202 and 1203 of a WeCom contact, 1204 of an OpenIM room', async () => {
    const corp = await ok(cap.h.direct('/sandbox/openim/create_corp', { name: '腾讯', full_name: '深圳市腾讯计算机系统有限公司' }));
    const zhang = await ok(cap.h.direct('/sandbox/openim/create_person', { corp_id: corp.corp_id, nickname: '张三', real_name: '张三', position: '产品经理' }));
    const found = await ok(cap.h.direct('/openim/search_openim_contact', { guid: bob.guid, url: zhang.qr_url }));
    await ok(cap.h.direct('/sandbox/openim/add_contact', { wxid: bob.wxid, username: zhang.username, ticket: found.ticket }));
    const byZhang = (d: any) => d.tpUsername === zhang.username;
    assertShape(await cap.callback(bob.guid, 1202, byZhang), OPENIM_CONTACT, '1202 OpenImContactAdd');
    await ok(cap.h.direct('/openim/modify_openim_top_flag', { guid: bob.guid, username: zhang.username, status: 1 }));
    const pinned = await cap.callback(bob.guid, 1202, (d) => byZhang(d) && d.flag !== '1');
    assertShape(pinned, OPENIM_CONTACT, '1202 after pinning');
    assert.equal(pinned.flag, '2049');
    const roomCreated = await ok(cap.h.direct('/sandbox/openim/room_create', { owner_username: zhang.username, member_usernames: [bob.wxid], name: '外部群' }));
    const change = await cap.callback(bob.guid, 1204, (d) => d.chatroomUsername === roomCreated.room_username);
    assertShape(change, { ...OPENIM_ROOM, changeType: 'string', changedUsernames: list('string', 1) }, '1204 OpenImRoomContactChange');
    await ok(cap.h.direct('/openim/del_openim_contact', { guid: bob.guid, username: zhang.username }));
    assertShape(await cap.callback(bob.guid, 1203, byZhang), OPENIM_CONTACT, '1203 OpenImContactDel');
  });
});
