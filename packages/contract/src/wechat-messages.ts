// WeChat's message shapes: the 1010 callback message (also taken by pinning), the quoted message of a reply, and what
// WeChat answers to every kind of send. Re-exported from wechat.ts.
import { Type } from '@sinclair/typebox';
import { XmlText } from './define.ts';
import { EXAMPLE_FILE } from './cdn-fields.ts';
import { EXAMPLE } from './ids.ts';
import { EXAMPLE_UNIX_SECONDS, Int32, UInt32, UnixSeconds } from './integers.ts';
import { SKStringOf, wechatResponse } from './wechat-base.ts';

/** The NewMsg (1010) callback payload, also accepted as `ChatMsgModel` by pinning endpoints. The example is a room message. */
export const ChatMsg = Type.Object({
  from_username: Type.String({ description: 'sender wxid; the room id for group messages', examples: [EXAMPLE.room] }),
  to_username: Type.String({ examples: [EXAMPLE.self] }),
  chatroom_sender: Type.String({ default: '', description: 'real sender in groups, else ""', examples: [EXAMPLE.friend] }),
  create_time: UnixSeconds(),
  desc: Type.String({ default: '', examples: [`${EXAMPLE.friendNickname} : 周五下午三点开会，别迟到`] }),
  msg_id: Type.String({ description: '64-bit server id as a decimal string', examples: [EXAMPLE.msgId] }),
  msg_type: UInt32({ examples: [1] }),
  chatroom: Type.String({ default: '', examples: [EXAMPLE.room] }),
  source: XmlText({ default: '', description: '<msgsource> XML', examples: ['<msgsource><silence>0</silence><membercount>12</membercount></msgsource>'] }),
  content: Type.String({ examples: ['周五下午三点开会，别迟到'] }),
}, { title: 'ChatMsgModel', description: 'a message as delivered in a 1010 callback' });

/** `refer_msg` of send_refer_msg: becomes `<refermsg>` (msg_id ↔ svrid). */
export const ReferMsg = Type.Object({
  msg_type: UInt32({ examples: [1] }),
  msg_id: Type.String({ description: 'newMsgId of the quoted message (svrid)', examples: [EXAMPLE.msgId] }),
  from_username: Type.String({ examples: [EXAMPLE.friend] }),
  from_nickname: Type.String({ default: '', examples: [EXAMPLE.friendNickname] }),
  source: XmlText({ default: '', description: '<msgsource> XML of the quoted message' }),
  content: Type.String({ default: '', examples: ['周五下午三点开会，别迟到'] }),
}, { title: 'ReferMsgModel', description: 'the quoted message' });

const newMsgId = Type.String({ description: '64-bit server message id as a decimal string; the id to revoke, quote or pin', examples: [EXAMPLE.msgId] });

/** One entry of NewSendMsgResponse.list. */
export const NewSendMsgResult = Type.Object({
  ret: Int32({ description: 'per-message ret; 0 = sent' }),
  // In wxgate's answers (README example); absent from the captured vendor answer, hence optional.
  toUserName: Type.Optional(SKStringOf(EXAMPLE.friend)),
  msgId: UInt32({ description: 'placeholder (0 in real answers); use newMsgId' }),
  clientMsgId: UInt32({ description: 'client message counter', examples: [1767258000] }),
  createTime: UnixSeconds(),
  serverTime: UnixSeconds(),
  type: UInt32({ description: 'message type: 1 text, 42 card, 48 location', examples: [1] }),
  newMsgId,
}, { title: 'NewSendMsgResult', description: 'result for one sent message' });

/** send_text, send_room_at, send_share_card(_raw), send_location. */
export const NewSendMsgResponse = wechatResponse({
  count: UInt32({ description: 'number of entries in list (1)', examples: [1] }),
  list: Type.Array(NewSendMsgResult),
}, 'WeChat NewSendMsgResponse', 'NewSendMsgResponse');

/** send_file, send_app_msg, send_link_card_cdn, send_mini_app, send_finder_video, send_refer_msg. */
export const SendAppMsgResponse = wechatResponse({
  appId: Type.String({ description: 'app id of the appmsg; "" for links and files', examples: [''] }),
  fromUserName: Type.String({ description: 'this account\'s wxid', examples: [EXAMPLE.self] }),
  toUserName: Type.String({ examples: [EXAMPLE.friend] }),
  msgId: UInt32({ description: 'local id', examples: [3] }),
  clientMsgId: Type.String({ description: 'client id (a string in SendAppMsg, unlike newsendmsg)', examples: [`${EXAMPLE.friend}_${EXAMPLE_UNIX_SECONDS}_275`] }),
  createTime: UnixSeconds(),
  type: UInt32({ description: 'message type as WeChat reports it', examples: [5] }),
  newMsgId,
}, 'WeChat SendAppMsgResponse', 'SendAppMsgResponse');

/** One entry of UploadEmojiResponse.emojiItem. */
export const EmojiItemResult = Type.Object({
  ret: Int32({ description: 'per-emoji ret; 0 = sent' }),
  startPos: UInt32({ examples: [EXAMPLE_FILE.size] }),
  totalLen: UInt32({ examples: [EXAMPLE_FILE.size] }),
  md5: Type.String({ description: 'md5 of the emoji file', examples: [EXAMPLE_FILE.md5] }),
  msgId: UInt32({ description: 'local id', examples: [3] }),
  newMsgId,
}, { title: 'EmojiItemResult', description: 'result for one sent emoji' });

/** send_emoji, send_emoji_url, send_emoji_md5. */
export const EmojiSendResponse = wechatResponse({
  emojiItemCount: UInt32({ examples: [1] }),
  emojiItem: Type.Array(EmojiItemResult),
}, 'WeChat UploadEmojiResponse', 'EmojiSendResponse');
