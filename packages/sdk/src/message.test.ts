// Message helpers over real 1010 shapes: talker, room, self, chat, mentions, text — no server needed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WxgateClient } from './client.ts';
import { FriendRequest, Message } from './message.ts';

const context = { client: new WxgateClient({ baseUrl: 'http://wxgate.test' }), guid: 'g', selfWxid: () => 'wxid_me' };
const BLANK = { from_username: '', to_username: '', chatroom_sender: '', chatroom: '', is_chatroom_msg: 0, create_time: 0, desc: '', msg_id: '1', msg_type: 1, source: '', content: '' };
const msg = (fields: Partial<typeof BLANK>) => new Message({ ...BLANK, ...fields }, context);

test('a private message: talker is the sender, no room, the chat is the sender', () => {
  const m = msg({ from_username: 'wxid_alice', to_username: 'wxid_me', content: 'hi', desc: 'Alice : hi', is_chatroom_msg: 0, chatroom: '', chatroom_sender: '' });
  assert.deepEqual([m.talker(), m.room(), m.self(), m.chat(), m.text(), m.talkerName()], ['wxid_alice', null, false, 'wxid_alice', 'hi', 'Alice']);
});

test('a room message mentioning the account (and @all), and the account\'s own message in a room', () => {
  const source = '<msgsource><atuserlist><![CDATA[wxid_x,wxid_me]]></atuserlist><membercount>3</membercount></msgsource>';
  const m = msg({ from_username: 'r@chatroom', to_username: 'wxid_me', chatroom: 'r@chatroom', chatroom_sender: 'wxid_bob', is_chatroom_msg: 1, content: '@Me hi', source, desc: 'Bob在群聊中@了你' });
  assert.deepEqual([m.talker(), m.room(), m.self(), m.chat(), m.mentions(), m.mentionsMe(), m.talkerName()], ['wxid_bob', 'r@chatroom', false, 'r@chatroom', ['wxid_x', 'wxid_me'], true, '']);
  assert.equal(msg({ from_username: 'r@chatroom', chatroom_sender: 'wxid_bob', source: '<msgsource><atuserlist>notify@all</atuserlist></msgsource>' }).mentionsMe(), true);
  assert.equal(msg({ from_username: 'r@chatroom', chatroom_sender: 'wxid_bob', source: '<msgsource></msgsource>' }).mentionsMe(), false);
  const own = msg({ from_username: 'wxid_me', to_username: 'r@chatroom', chatroom: 'r@chatroom', chatroom_sender: 'wxid_me', is_chatroom_msg: 1 });
  assert.deepEqual([own.talker(), own.room(), own.self(), own.chat()], ['wxid_me', 'r@chatroom', true, 'r@chatroom']);
  const ownPrivate = msg({ from_username: 'wxid_me', to_username: 'wxid_alice' });
  assert.deepEqual([ownPrivate.self(), ownPrivate.chat()], [true, 'wxid_alice']);
});

test('content kinds: a quote\'s text, an image has no text, download refuses what has no media, friend requests expose their fields', async () => {
  const image = msg({ msg_type: 3, content: '<msg><img aeskey="k" cdnmidimgurl="f" length="5" md5="m"/></msg>' });
  assert.equal(image.content.kind, 'image');
  assert.equal(image.text(), '');
  await assert.rejects(msg({ content: 'plain' }).download(), /text message has no media/);
  const request = new FriendRequest(msg({
    msg_type: 37, from_username: 'fmessage',
    content: '<msg fromusername="wxid_new" encryptusername="v3_x@stranger" fromnickname="New" content="hello" ticket="v4_t@stranger" scene="3"/>',
  }));
  assert.deepEqual([request.from, request.greeting, request.content.ticket, request.content.scene], ['wxid_new', 'hello', 'v4_t@stranger', 3]);
});
