// Unit tests of the relay's mirror and callback normalization: what is kept from callbacks and answers, and how the
// local-store endpoints read it back.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { SqliteStore } from '../../storage/sqlite/sqlite-store.ts';
import { loginWxidOf, messageKey, normalizeNotice, payloadKey } from './relay-inbound.ts';
import { answerFromMirror, entryKind, labelIds, mirrorAnswer, mirrorEvents, relayArchive } from './relay-mirror.ts';
import { MirrorWrites } from './relay-mirror-writes.ts';
import type { InstanceRecord } from '../../storage/ports.ts';

const store = new SqliteStore(':memory:');
after(() => store.close());
const mirror = store.relay.mirror;
const G = 'guid-1';

test('usernames sort into kinds; labelIdList is read as WeChat sends it (string or list)', () => {
  assert.deepEqual(['wxid_a', '123@chatroom', 'z@openim', 't@im.chatroom', 'gh_x'].map(entryKind), ['contact', 'room', 'openim', 'openim_room', 'contact']);
  assert.deepEqual(labelIds({ labelIdList: '3,1,,3' }), [3, 1]);
  assert.deepEqual(labelIds({ labelIdList: [2, '5'] }), [2, 5]);
  assert.deepEqual(labelIds({}), []);
});

test('callbacks: 1011 splits into 1010s; messages key by msg_id; logins name their wxid in any of the shapes seen', () => {
  const batch = normalizeNotice(1011, [{ msg_id: '1' }, { msg_id: '2' }]);
  assert.deepEqual(batch.map((e) => e.notifyType), [1010, 1010]);
  assert.equal(messageKey(batch[0]!), 'msg:1');
  assert.equal(messageKey({ notifyType: 1010, data: { msg_id: 0 } }), null);
  assert.equal(messageKey({ notifyType: 1006, data: { msg_id: '1' } }), null);
  assert.notEqual(payloadKey({ notifyType: 1006, data: { t: 1 } }), payloadKey({ notifyType: 1006, data: { t: 2 } }));
  assert.equal(loginWxidOf({ wxid: 'wxid_a' }), 'wxid_a');
  assert.equal(loginWxidOf({ userName: { string: 'wxid_b' } }), 'wxid_b');
  assert.equal(loginWxidOf({ nick_name: 'x' }), undefined);
});

test('callbacks feed the mirror: contacts in and out, messages in either direction', async () => {
  await mirrorEvents(mirror, G, 'wxid_me', [
    { notifyType: 1200, data: { userName: { string: 'wxid_friend' }, nickName: { string: 'Friend' }, labelIdList: '7' } },
    { notifyType: 1202, data: { tpUsername: 'w@openim', nickname: 'W' } },
    { notifyType: 1010, data: { msg_id: '11', from_username: 'wxid_friend', to_username: 'wxid_me', msg_type: 1, create_time: 5 } },
    { notifyType: 1010, data: { msg_id: '12', from_username: 'wxid_me', to_username: 'wxid_friend', msg_type: 1, create_time: 6 } },
  ], 1);
  assert.equal((await mirror.get(G, 'wxid_friend'))?.kind, 'contact');
  assert.deepEqual((await mirror.messages(G, { afterSeq: 0, limit: 10 })).map((m) => [m.msgId, m.direction]), [['11', 'in'], ['12', 'out']]);
  await mirrorEvents(mirror, G, 'wxid_me', [{ notifyType: 1201, data: { userName: { string: 'wxid_friend' }, deleteContactScene: 0 } }], 2);
  assert.equal(await mirror.get(G, 'wxid_friend'), undefined);
  assert.equal(await mirror.count(G, 'openim'), 1);
});

test('answers feed the mirror: sends, friends and rooms looked up (not strangers), member lists', async () => {
  await mirrorAnswer(mirror, G, '/msg/send_text', { to_username: 'filehelper', content: 'hi' }, {
    baseResponse: { ret: 0 }, list: [{ ret: 0, newMsgId: '99', toUserName: { string: 'filehelper' }, type: 1, createTime: 9 }],
  }, 3);
  assert.equal((await mirror.messages(G, { afterSeq: 0, limit: 10 })).at(-1)!.msgId, '99');
  await mirrorAnswer(mirror, G, '/contact/get_contact', { username_list: [] }, {
    contactList: [
      { userName: { string: 'wxid_pal' }, nickName: { string: 'Pal' }, bitVal: 1, labelIdList: '1' },
      { userName: { string: 'wxid_stranger' }, nickName: { string: 'S' }, bitVal: 0, encryptUserName: 'v3_x@stranger' },
      { userName: { string: '1@chatroom' }, nickName: { string: 'Room' } },
    ],
  }, 4);
  assert.ok(await mirror.get(G, 'wxid_pal'));
  assert.equal(await mirror.get(G, 'wxid_stranger'), undefined);
  assert.equal((await mirror.get(G, '1@chatroom'))?.kind, 'room');
  await mirrorAnswer(mirror, G, '/room/get_chatroom_member_detail', { room_username: '1@chatroom' }, {
    newChatroomData: { chatRoomMember: [{ userName: 'wxid_pal' }, { userName: 'wxid_me' }] },
  }, 5);
  assert.equal(await mirror.countRoomMembers(G, '1@chatroom'), 2);

  assert.deepEqual(await answerFromMirror(mirror, G, '/label/get_contacts', { label_id_list: [1] }), [
    { username: 'wxid_pal', nickname: 'Pal', remark: '', alias: '', small_head_img_url: '', label_id_list: [1] },
  ]);
  await mirrorAnswer(mirror, G, '/contact/del_friend', { username: 'wxid_pal' }, { baseResponse: { ret: 0 } }, 6);
  assert.deepEqual(await answerFromMirror(mirror, G, '/label/get_label_usage_amount', { label_id_list: [1] }), [{ label_id: 1, count: 0 }]);
});

test('the archive: sends shown in the 1010 shape until their own 1010 completes them, revokes marked, one talker at a time', async () => {
  const guid = 'guid-archive';
  const warnings: object[] = [];
  const writes = new MirrorWrites(store, (details) => warnings.push(details));
  const archive = relayArchive(() => mirror, writes);
  const instance = { guid, loginWxid: 'wxid_me' } as InstanceRecord;
  // Written after the answer: the archive read waits for it.
  writes.add((m) => mirrorAnswer(m, guid, '/msg/send_text', { to_username: '5@chatroom', content: 'hello room' }, {
    baseResponse: { ret: 0 }, list: [{ ret: 0, newMsgId: '501', toUserName: { string: '5@chatroom' }, type: 1, createTime: 10 }],
  }, 1));
  writes.add(async () => {
    throw new Error('one bad answer');
  });
  let [sent] = await archive.list(instance, { afterSeq: 0, limit: 10 });
  assert.deepEqual(
    { ...sent!.data, seq: undefined },
    { from_username: 'wxid_me', to_username: '5@chatroom', chatroom_sender: 'wxid_me', chatroom: '5@chatroom', is_chatroom_msg: 1, msg_id: '501',
      msg_type: 1, content: 'hello room', desc: '', source: '', create_time: 10, seq: undefined },
  );
  const own1010 = { msg_id: '501', from_username: 'wxid_me', to_username: '5@chatroom', chatroom_sender: 'wxid_me', chatroom: '5@chatroom',
    is_chatroom_msg: 1, msg_type: 1, content: 'hello room', desc: '', source: '<msgsource/>', create_time: 10 };
  await mirrorEvents(mirror, guid, 'wxid_me', [
    { notifyType: 1010, data: own1010 },
    { notifyType: 1010, data: { msg_id: '502', from_username: 'wxid_pal', to_username: 'wxid_me', msg_type: 1, content: 'oops', create_time: 11 } },
    { notifyType: 1010, data: { msg_id: '503', from_username: 'wxid_pal', to_username: 'wxid_me', msg_type: 10002, create_time: 12,
      content: '<sysmsg type="revokemsg"><revokemsg><session>wxid_pal</session><newmsgid>502</newmsgid></revokemsg></sysmsg>' } },
  ], 2);
  const all = await archive.list(instance, { afterSeq: 0, limit: 10 });
  assert.deepEqual(all.map((m) => [m.data.msg_id, m.direction, m.revoked]), [['501', 'out', false], ['502', 'in', true], ['503', 'in', false]]);
  [sent] = all;
  assert.deepEqual(sent!.data, own1010, 'the callback completed the send known from its answer');
  assert.deepEqual((await archive.list(instance, { talker: 'wxid_pal', afterSeq: 0, limit: 10 })).map((m) => m.data.msg_id), ['502', '503']);
  assert.deepEqual((await archive.list(instance, { afterSeq: all[1]!.seq, limit: 10 })).map((m) => m.data.msg_id), ['503']);
  assert.equal(warnings.length, 1, 'the failed write was reported and did not cost the other its row');
});
