// wxgate's /sandbox/messages/* extension: simulated people send, revoke and read messages, and risk control mutes
// them; part of the sandbox module (sandbox.ts).
import { Type } from '@sinclair/typebox';
import { endpoint } from '../../define.ts';
import { EXAMPLE, MsgId, SelfWxid, Wxid } from '../../ids.ts';
import { EXAMPLE_FILE, EXAMPLE_URL, Url } from '../../cdn-fields.ts';

import { EXAMPLE_UNIX_SECONDS, UInt32, UnixSeconds, UInt53, Limit } from '../../integers.ts';

/** What the example person sends. */
const TEXT = '在吗？周五的会议改到下午四点';


/** The /msg sends a simulated person can make through /sandbox/messages/send (media sends wait for the CDN). */
const MESSAGE_SEND_PATHS = [
  '/msg/send_text', '/msg/send_room_at', '/msg/send_refer_msg', '/msg/send_share_card', '/msg/send_share_card_raw', '/msg/send_location',
  '/msg/send_pat', '/msg/send_link_card_cdn', '/msg/send_app_msg', '/msg/send_mini_app', '/msg/send_finder_video', '/msg/send_emoji',
  '/msg/send_emoji_url', '/msg/send_emoji_md5',
] as const;

/** A message of the world's archive, as the control API shows it. */
const SandboxMessage = Type.Object({
  seq: UInt53({ description: 'archive order (paging cursor)', examples: [1024] }),
  msg_id: MsgId('newMsgId / the callback msg_id'),
  from_username: Wxid('the sender'),
  to_username: SelfWxid('the peer, filehelper, or the room id'),
  chatroom: Type.String({ description: 'the room id for group messages, else ""', examples: [''] }),
  msg_type: UInt32({ examples: [1] }),
  app_type: UInt32({ description: 'appmsg <type> of msg_type 49, else 0' }),
  content: Type.String({ description: 'as receivers get it (no wxid:\\n prefix)', examples: [TEXT] }),
  source: Type.String({ description: '<msgsource> XML', examples: ['<msgsource><signature>V1_Kq7GaXyZ|v1_Kq7GaXyZ</signature></msgsource>'] }),
  desc: Type.String({ description: 'push text with the sender\'s nickname', examples: [`${EXAMPLE.friendNickname} : ${TEXT}`] }),
  create_time: UnixSeconds(),
  revoked: Type.Boolean({ description: 'the sender took it back' }),
  revokes_msg_id: Type.String({ description: 'for a revoke notice (10002): the msg_id it revoked; else ""', examples: [''] }),
  unread: Type.Boolean({ description: 'received by the person listed and after their read mark' }),
}, { title: 'SandboxMessage', description: 'a message in the sandbox world\'s archive' });

export const SANDBOX_MESSAGE_ENDPOINTS = [
  endpoint({
    path: '/sandbox/messages/send',
    module: 'sandbox',
    summaryZh: '模拟用户发消息',
    summaryEn: 'Send a message as a person\'s phone: the same fields as the /msg endpoint named by `path`',
    description: [
      '`body` takes exactly the fields of `path` (without guid), with the same rules and refusals: to an account\'s wxid,',
      'a room id, or filehelper. The receivers\' instances get the 1010 a bot would get; if `from_wxid` is an account',
      'logged in somewhere, its own instance sees the message as self-sent (from its other device).',
    ].join(' '),
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      from_wxid: Wxid('who sends'),
      path: Type.Union(MESSAGE_SEND_PATHS.map((p) => Type.Literal(p)), { description: 'which send: the /msg endpoint whose fields `body` carries' }),
      body: Type.Object({}, {
        description: 'the fields of that endpoint, without guid (e.g. {"to_username": "wxid_…", "content": "hi"})',
        examples: [{ to_username: EXAMPLE.self, content: TEXT }],
      }),
    }),
    response: SandboxMessage,
  }),
  endpoint({
    path: '/sandbox/messages/send_media',
    module: 'sandbox',
    summaryZh: '模拟用户发送图片、视频、文件、表情或语音',
    summaryEn: 'Send an image, video, file, emoji or voice as a person\'s phone (the content goes to the CDN first)',
    description: [
      'The content is uploaded to the sandbox CDN (encrypted, as /cloud/cdn_upload does) and sent with WeChat\'s XML, so the',
      'receiving bot downloads it with the fields of the XML. `url` takes an http(s) URL, a data: URL or base64. A voice is',
      'SILK v3 (WeChat\'s format): give WAV, SILK or any audio ffmpeg reads, or omit `url` for a tone of `duration_ms`.',
    ].join(' '),
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      from_wxid: Wxid('who sends'),
      to_username: SelfWxid('to whom: a wxid or a room id'),
      kind: Type.Union([Type.Literal('image'), Type.Literal('video'), Type.Literal('file'), Type.Literal('emoji'), Type.Literal('voice')]),
      url: Type.Optional(Url(EXAMPLE_URL.image, 'the content: http(s) URL, data: URL or base64 (optional for voice)')),
      file_name: Type.Optional(Type.String({ description: 'shown name of a file' })),
      duration_ms: Type.Optional(UInt32({ minimum: 500, maximum: 60_000, default: 2000, description: 'length of a generated voice tone' })),
    }),
    response: SandboxMessage,
    examples: {
      response: {
        msg_type: 3,
        content: `<msg><img aeskey="${EXAMPLE_FILE.aesKey}" cdnmidimgurl="${EXAMPLE_FILE.fileId}" length="${EXAMPLE_FILE.size}" md5="${EXAMPLE_FILE.md5}" /></msg>`,
        desc: `${EXAMPLE.friendNickname} : [图片]`,
      },
    },
  }),
  endpoint({
    path: '/sandbox/messages/revoke',
    module: 'sandbox',
    summaryZh: '模拟用户撤回消息',
    summaryEn: 'Revoke a message a person sent (within WeChat\'s 2 minutes), as their phone',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      wxid: Wxid('who sent the message'),
      to_username: SelfWxid('the chat it was sent to (peer wxid or room id)'),
      msg_id: MsgId('its msg_id (newMsgId)'),
    }),
    response: SandboxMessage,
    // The answer is the revoke notice, not the message it takes back.
    examples: {
      response: {
        msg_id: '4675281937461029391',
        msg_type: 10002,
        content: `<sysmsg type="revokemsg"><revokemsg><session>${EXAMPLE.friend}</session><newmsgid>${EXAMPLE.msgId}</newmsgid>`
          + `<replacemsg><![CDATA["${EXAMPLE.friendNickname}" 撤回了一条消息]]></replacemsg></revokemsg></sysmsg>`,
        desc: '',
        revokes_msg_id: EXAMPLE.msgId,
      },
    },
  }),
  endpoint({
    path: '/sandbox/messages/list',
    module: 'sandbox',
    summaryZh: '查看模拟用户的消息',
    summaryEn: 'Read a person\'s messages (what instances sent them, what they sent), oldest first; consumes nothing',
    description: 'Without `talker`: every one-to-one message sent by or to `wxid`. With `talker` (a wxid, filehelper or a room id): that conversation only. Revoked messages stay, marked; `unread` follows the person\'s read marks (set_session_read).',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      wxid: Wxid('whose messages'),
      talker: Type.Optional(SelfWxid('one conversation: the other person\'s wxid, filehelper or a room id')),
      after_seq: Type.Optional(UInt53({ default: 0, description: 'only messages after this archive seq (paging)' })),
      limit: Type.Optional(Limit(1000, 100)),
    }),
    response: Type.Object({
      messages: Type.Array(SandboxMessage),
      next_seq: UInt53({ description: 'pass as after_seq for the next page', examples: [1024] }),
    }, { description: 'one page of messages' }),
  }),
  endpoint({
    path: '/sandbox/messages/restrict',
    module: 'sandbox',
    summaryZh: '模拟风控限制发消息',
    summaryEn: 'Make WeChat\'s risk control stop a person from sending messages for a while (0 lifts it)',
    kind: 'wrapper',
    scope: 'app',
    origin: 'wxgate',
    request: Type.Object({
      wxid: Wxid('whose sending is restricted'),
      seconds: UInt32({ maximum: 31_536_000, description: 'how long from now; 0 lifts the restriction', examples: [3600] }),
    }),
    response: Type.Object({
      until: UnixSeconds('unix seconds the restriction ends; 0 = none', { examples: [EXAMPLE_UNIX_SECONDS + 3600] }),
    }, { description: 'the restriction' }),
  }),
] as const;
