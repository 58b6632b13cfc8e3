// WeChat's contact, room, member and 1010 shapes as wxgate answers them → the Wechaty payloads the bot reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as PUPPET from 'wechaty-puppet';
import { contactPayload, messagePayload, roomMemberPayload, roomPayload, type RawMessage } from './payloads.ts';

const T = PUPPET.types.Message;
const message = (fields: Partial<RawMessage>): RawMessage => ({
  msg_id: '7001', msg_type: 1, from_username: 'wxid_alice', to_username: 'wxid_me', content: 'hi', create_time: 1_700_000_000, ...fields,
});
const appmsg = (type: number, inner = '') => `<msg><appmsg appid="" sdkver="0"><title>T${type}</title><type>${type}</type>${inner}</appmsg></msg>`;

test('a contact: SKBuiltinStrings unwrapped, remark as alias, gender, friend flag, kind by id', () => {
  const alice = contactPayload({
    userName: { string: 'wxid_alice' }, nickName: { string: 'Alice' }, remark: { string: 'Al' }, alias: 'alice_2026', sex: 2,
    city: 'Shenzhen', signature: 'hi', bigHeadImgUrl: 'https://a/big', smallHeadImgUrl: 'https://a/small',
  }, true);
  assert.deepEqual(alice, {
    id: 'wxid_alice', name: 'Alice', alias: 'Al', avatar: 'https://a/big', gender: PUPPET.types.ContactGender.Female,
    type: PUPPET.types.Contact.Individual, weixin: 'alice_2026', city: 'Shenzhen', province: undefined, signature: 'hi', friend: true, phone: [],
  });
  assert.equal(contactPayload({ userName: { string: 'gh_news' }, remark: {} }, false).type, PUPPET.types.Contact.Official);
  assert.equal(contactPayload({ userName: 'bob@openim' }, false).type, PUPPET.types.Contact.Corporation);
  assert.equal(contactPayload({ userName: { string: 'wxid_x' }, remark: {} }, false).alias, undefined);
});

test('a room: topic, owner, members in order, admins by flag 2048; a member with room nickname and inviter', () => {
  const room = roomPayload({
    contact: { userName: { string: '123@chatroom' }, nickName: { string: 'Hiking' }, smallHeadImgUrl: 'https://r' },
    owner: 'wxid_alice',
    members: [{ userName: 'wxid_alice' }, { userName: 'wxid_bob', chatroomMemberFlag: 2048 }, { userName: 'wxid_me', chatroomMemberFlag: 1 }],
  });
  assert.deepEqual(room, { id: '123@chatroom', topic: 'Hiking', avatar: 'https://r', memberIdList: ['wxid_alice', 'wxid_bob', 'wxid_me'], ownerId: 'wxid_alice', adminIdList: ['wxid_bob'] });
  assert.deepEqual(roomMemberPayload({ userName: 'wxid_bob', nickName: 'Bob', displayName: 'Bobby', smallHeadImgUrl: 'https://b', inviterUserName: 'wxid_alice' }),
    { id: 'wxid_bob', name: 'Bob', roomAlias: 'Bobby', avatar: 'https://b', inviterId: 'wxid_alice' });
});

test('a one-to-one text: talker and listener, timestamp in ms', () => {
  assert.deepEqual(messagePayload(message({}), 'wxid_me'), {
    id: '7001', timestamp: 1_700_000_000_000, type: T.Text, text: 'hi', filename: undefined, talkerId: 'wxid_alice', listenerId: 'wxid_me',
  });
});

test('a room message: the room, its sender as talker, mentions from the msgsource', () => {
  const payload = messagePayload(message({
    from_username: '123@chatroom', chatroom: '123@chatroom', chatroom_sender: 'wxid_alice', is_chatroom_msg: 1,
    source: '<msgsource><atuserlist><![CDATA[wxid_me,wxid_bob]]></atuserlist></msgsource>',
  }), 'wxid_me') as PUPPET.payloads.Message & PUPPET.payloads.MessageRoom;
  assert.equal(payload.roomId, '123@chatroom');
  assert.equal(payload.talkerId, 'wxid_alice');
  assert.deepEqual(payload.mentionIdList, ['wxid_me', 'wxid_bob']);
  assert.equal((payload as PUPPET.payloads.Message).listenerId, undefined);
});

test('message kinds by msg_type and appmsg type', () => {
  const kinds: Array<[Partial<RawMessage>, PUPPET.types.Message]> = [
    [{ msg_type: 3 }, T.Image], [{ msg_type: 34 }, T.Audio], [{ msg_type: 42 }, T.Contact], [{ msg_type: 43 }, T.Video],
    [{ msg_type: 47 }, T.Emoticon], [{ msg_type: 48 }, T.Location], [{ msg_type: 10002 }, T.Recalled], [{ msg_type: 10000 }, T.Unknown],
    [{ msg_type: 49, content: appmsg(5) }, T.Url], [{ msg_type: 49, content: appmsg(6) }, T.Attachment],
    [{ msg_type: 49, content: appmsg(33) }, T.MiniProgram], [{ msg_type: 49, content: appmsg(19) }, T.ChatHistory],
    [{ msg_type: 49, content: appmsg(57) }, T.Text], [{ msg_type: 49, content: 'not xml' }, T.Unknown],
  ];
  for (const [fields, type] of kinds) assert.equal(messagePayload(message(fields), 'wxid_me').type, type, JSON.stringify(fields));
});

test('a file keeps its name; a quote reads as its reply text', () => {
  assert.equal(messagePayload(message({ msg_type: 49, content: appmsg(6) }), 'wxid_me').filename, 'T6');
  assert.equal(messagePayload(message({ msg_type: 49, content: appmsg(57, '<refermsg><content>before</content></refermsg>') }), 'wxid_me').text, 'T57');
});
