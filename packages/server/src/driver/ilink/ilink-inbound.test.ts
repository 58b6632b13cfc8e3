// WeixinMessage → 1010: person and group messages, what is left out (the bot's own, media-only, junk fields), and
// context tokens only when usable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IlinkWeixinMessage } from './ilink-client.ts';
import { contextTokenOf, conversationOf, mediaOf, toNewMsg } from './ilink-inbound.ts';

const ME = 'o9cq80_me@im.wechat';
const NOW = 1_767_258_000_000;
const text = (t: string) => ({ type: 1, text_item: { text: t } });

test('a person\'s text: the observed 1010 fields, the conversation is the sender', () => {
  const m: IlinkWeixinMessage = { seq: 7, message_id: '7362845120938475621', from_user_id: 'alice@im.wechat', to_user_id: 'bot@im.bot', create_time_ms: 1_767_258_001_234, message_type: 1, item_list: [text('你好'), text('在吗')], context_token: 'ctx-a' };
  assert.deepEqual(toNewMsg(m, ME, NOW), {
    from_username: 'alice@im.wechat', to_username: ME, chatroom_sender: '', chatroom: '', is_chatroom_msg: 0, msg_id: '7362845120938475621',
    msg_type: 1, content: '你好\n在吗', desc: '', source: '<msgsource />', create_time: 1_767_258_001,
  });
  assert.equal(conversationOf(m), 'alice@im.wechat');
  assert.equal(contextTokenOf(m), 'ctx-a');
});

test('a group text: from the room, the sender in chatroom_sender; the conversation is the room', () => {
  const m: IlinkWeixinMessage = { message_id: 42, from_user_id: 'bob@im.wechat', group_id: '123@chatroom', item_list: [text('大家好')] };
  const got = toNewMsg(m, ME, NOW)!;
  assert.deepEqual([got.from_username, got.chatroom_sender, got.chatroom, got.is_chatroom_msg, got.msg_id, got.create_time], ['123@chatroom', 'bob@im.wechat', '123@chatroom', 1, '42', NOW / 1000]);
  assert.equal(conversationOf(m), '123@chatroom');
});

test('left out: the bot\'s own messages, the account\'s own, media-only messages, messages without a sender', () => {
  assert.equal(toNewMsg({ from_user_id: 'alice@im.wechat', message_type: 2, item_list: [text('echo')] }, ME, NOW), null);
  assert.equal(toNewMsg({ from_user_id: ME, item_list: [text('mine')] }, ME, NOW), null);
  assert.equal(toNewMsg({ from_user_id: 'alice@im.wechat', item_list: [{ type: 2, image_item: {} }] }, ME, NOW), null);
  assert.equal(toNewMsg({ item_list: [text('who?')] }, ME, NOW), null);
});

test('junk from the server is absent, never a crash: odd field types, no item list, unusable context tokens', () => {
  const junk = { from_user_id: 'alice@im.wechat', group_id: { evil: true }, message_id: { id: 1 }, seq: 9, create_time_ms: 'soon', item_list: [null, text('ok')], context_token: 5 } as unknown as IlinkWeixinMessage;
  const got = toNewMsg(junk, ME, NOW)!;
  assert.deepEqual([got.from_username, got.is_chatroom_msg, got.msg_id, got.create_time, got.content], ['alice@im.wechat', 0, '9', NOW / 1000, 'ok']);
  assert.equal(contextTokenOf(junk), undefined);
  assert.equal(contextTokenOf({ context_token: 'x'.repeat(5000) }), undefined);
  assert.equal(toNewMsg({ from_user_id: 'alice@im.wechat', item_list: 'nope' } as unknown as IlinkWeixinMessage, ME, NOW), null);
});

test('a text with ref_msg is the quote 1010 (49, appmsg type 57); a media message is what was stored for it, or left out', () => {
  const quote = toNewMsg({ message_id: '9', from_user_id: 'alice@im.wechat', item_list: [{ type: 1, text_item: { text: 'yes' }, ref_msg: { svr_id: '8', title: '[图片]', message_item: { type: 2 } } }] }, ME, NOW)!;
  assert.equal(quote.msg_type, 49);
  assert.match(quote.content, /<type>57<\/type>/);
  assert.match(quote.content, /<refermsg>\s*<type>3<\/type>\s*<svrid>8<\/svrid>\s*<fromusr>alice@im.wechat<\/fromusr>/);
  assert.match(quote.content, /<title>yes<\/title>/);
  const image = { from_user_id: 'alice@im.wechat', item_list: [{ type: 2, image_item: {} }] };
  assert.deepEqual(mediaOf(image, ME), { type: 2, image_item: {} });
  assert.equal(mediaOf({ ...image, message_type: 2 }, ME), undefined, 'the bot\'s own media is not fetched');
  assert.equal(mediaOf({ from_user_id: 'alice@im.wechat', item_list: [text('caption'), { type: 2, image_item: {} }] }, ME), undefined, 'a text goes first');
  assert.deepEqual([toNewMsg(image, ME, NOW, { msgType: 3, content: '<msg><img /></msg>' })?.msg_type, toNewMsg(image, ME, NOW, { msgType: 3, content: '<msg><img /></msg>' })?.content], [3, '<msg><img /></msg>']);
});
