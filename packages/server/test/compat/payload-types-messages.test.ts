// Field types of 1010 NewMsg for every msg_type the sandbox produces (text, image, voice, video, emoji, location, card,
// friend request, appmsg of each subtype, system lines, revoke, pat; private, group and self-sent) and of 1011 BatchNewMsg:
// the 11 keys of real captures, msg_id a 64-bit decimal string, is_chatroom_msg / msg_type / create_time integers.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { ok } from '../sandbox-helpers.ts';
import { NEEDS } from '../system-programs.ts';
import { dataUrl, startCapture, testVideo, type Capture } from './capture.ts';
import { assertShape, list } from './json-shape.ts';
import { NEW_MSG } from './wechat-shapes.ts';

const HEX_ID = '3057020100044b30490201000204a1d3b7f402032f55f90204' + 'cd'.repeat(20);
const AES = 'fedcba9876543210fedcba9876543210';
const MD5 = '0cc175b9c0f1b6a831c399e269772661';
/** appmsg <type> of a 49's content. */
const appType = (content: string) => /<type>(\d+)<\/type>/.exec(content)?.[1];

/** A bot send: its path, body (to Bob), the msg_type and, for 49, the appmsg type Bob's 1010 carries. */
const SENDS: ReadonlyArray<{ path: string; body: (to: string) => Record<string, unknown>; msgType: number; appType?: string }> = [
  { path: '/msg/send_text', body: (to) => ({ to_username: to, content: 'hello' }), msgType: 1 },
  { path: '/msg/send_location', body: (to) => ({ to_username: to, latitude: 31.23, longitude: 121.47, title: '外滩', address: '中山东一路' }), msgType: 48 },
  { path: '/msg/send_share_card', body: (to) => ({ to_username: to, share_username: 'wxid_sharedperson01', share_nickname: '名片' }), msgType: 42 },
  { path: '/msg/send_emoji_url', body: (to) => ({ to_username: to, url: 'https://emoji.example/wave.gif' }), msgType: 47 },
  { path: '/msg/send_pat', body: (to) => ({ to_username: to, patted_username: to }), msgType: 10002 },
  {
    path: '/msg/send_link_card_cdn', msgType: 49, appType: '5',
    body: (to) => ({ to_username: to, title: 'Link', desc: 'Desc', url: 'https://example.com/x', thumb_file_id: HEX_ID, thumb_aes_key: AES, thumb_file_size: 321, thumb_file_md5: MD5 }),
  },
  {
    path: '/msg/send_app_msg', msgType: 49, appType: '3',
    body: (to) => ({ to_username: to, app_type: 3, appid: '', xml: '<appmsg appid="" sdkver="0"><title>Song</title><type>3</type><url>https://m.example</url></appmsg>' }),
  },
  {
    path: '/msg/send_mini_app', msgType: 49, appType: '33',
    body: (to) => ({
      to_username: to, username: 'gh_miniprogram01@app', appid: 'wx0123456789abcdef', appname: 'Mini', appicon: '', title: 'Open', page_path: 'pages/a.html',
      file_id: HEX_ID, aes_key: AES, file_size: 99, file_md5: MD5,
    }),
  },
  {
    path: '/msg/send_finder_video', msgType: 49, appType: '51',
    body: (to) => ({ to_username: to, object_id: '14000000000000000001', username: 'v2_author@finder', nickname: 'Author', url: 'https://f.example/v', desc: 'clip' }),
  },
];

describe('payload types: 1010 and 1011', () => {
  let cap: Capture;
  let alice: { guid: string; wxid: string };
  let bob: { guid: string; wxid: string };

  /** Bob's 1010 of `msgId`, checked against the captured shape. */
  const bobGets = async (msgId: string, what: string) => {
    const data = await cap.callback(bob.guid, 1010, (d) => d.msg_id === msgId);
    assertShape(data, NEW_MSG, what);
    return data;
  };

  before(async () => {
    cap = await startCapture();
    ({ alice, bob } = await cap.aliceAndBob());
  });
  after(() => cap.close());

  test('every non-media send: private 1010 to the receiver and the self-sent copy on the sender', async () => {
    for (const send of SENDS) {
      const sent = await ok(cap.h.direct(send.path, { guid: alice.guid, ...send.body(bob.wxid) }));
      const msgId: string = sent.list?.[0]?.newMsgId ?? sent.newMsgId;
      const got = await bobGets(msgId, `${send.path}: Bob's 1010`);
      assert.deepEqual([got.msg_type, got.is_chatroom_msg, send.appType && appType(got.content)], [send.msgType, 0, send.appType], send.path);
      assertShape(await cap.callback(alice.guid, 1010, (d) => d.msg_id === msgId), NEW_MSG, `${send.path}: Alice's own copy`);
    }
  });

  test('media: image (3), video (43), file (49/6), voice (34), emoji (47) sent by a simulated person', async (t) => {
    const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#3366cc' } }).jpeg().toBuffer();
    const image = await ok(cap.h.direct('/cloud/cdn_upload', { guid: alice.guid, file_type: 2, url: dataUrl(jpeg) }));
    const sentImage = await ok(cap.h.direct('/msg/send_image', { guid: alice.guid, to_username: bob.wxid, ...image }));
    assert.equal((await bobGets(sentImage.newMsgId, 'send_image')).msg_type, 3);
    const file = await ok(cap.h.direct('/cloud/cdn_upload', { guid: alice.guid, file_type: 5, url: dataUrl(Buffer.from('a document')) }));
    const sentFile = await ok(cap.h.direct('/msg/send_file', { guid: alice.guid, to_username: bob.wxid, ...file, file_name: 'a.txt' }));
    assert.equal(appType((await bobGets(sentFile.newMsgId, 'send_file')).content), '6');
    const voice = await ok(cap.h.direct('/sandbox/messages/send_media', { from_wxid: alice.wxid, to_username: bob.wxid, kind: 'voice', duration_ms: 1000 }));
    assert.equal((await bobGets(voice.msg_id, 'a voice')).msg_type, 34);
    const gif = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#ff0000' } }).gif().toBuffer();
    const emoji = await ok(cap.h.direct('/sandbox/messages/send_media', { from_wxid: alice.wxid, to_username: bob.wxid, kind: 'emoji', url: dataUrl(gif) }));
    assert.equal((await bobGets(emoji.msg_id, 'an emoji')).msg_type, 47);
    const video = testVideo();
    if (!video) return t.skip(NEEDS.ffmpeg);
    const up = await ok(cap.h.direct('/cloud/cdn_upload', { guid: alice.guid, file_type: 4, url: dataUrl(video) }));
    const sentVideo = await ok(cap.h.direct('/msg/send_video', { guid: alice.guid, to_username: bob.wxid, ...up }));
    assert.equal((await bobGets(sentVideo.newMsgId, 'send_video')).msg_type, 43);
  });

  test('quote (49/57) and revoke (10002)', async () => {
    const first = await ok(cap.h.direct('/msg/send_text', { guid: bob.guid, to_username: alice.wxid, content: 'question?' }));
    const quote = await ok(cap.h.direct('/msg/send_refer_msg', {
      guid: alice.guid, to_username: bob.wxid, content: 'answer', refer_msg: { msg_type: 1, msg_id: first.list[0].newMsgId, from_username: bob.wxid },
    }));
    assert.equal(appType((await bobGets(quote.newMsgId, 'send_refer_msg')).content), '57');
    await ok(cap.h.direct('/msg/revoke_msg', { guid: alice.guid, to_username: bob.wxid, msg_id: quote.newMsgId }));
    const revoke = await cap.callback(bob.guid, 1010, (d) => d.msg_type === 10002 && d.content.includes('revokemsg'));
    assertShape(revoke, NEW_MSG, 'the revokemsg 10002');
  });

  test('friend request (37) from fmessage, and the system line (10000) once friends', async () => {
    const { wxid: carol } = await ok(cap.h.direct('/sandbox/people/create', { nickname: 'Carol' }));
    await ok(cap.h.direct('/sandbox/friend/request', { from_wxid: carol, to_wxid: bob.wxid, verify_content: 'hi' }));
    const request = await cap.callback(bob.guid, 1010, (d) => d.msg_type === 37 && d.content.includes(carol));
    assertShape(request, NEW_MSG, 'a friend request');
    assert.equal(request.from_username, 'fmessage');
    const fields = Object.fromEntries([...request.content.matchAll(/ (encryptusername|ticket|scene)="([^"]*)"/g)].map((m: string[]) => [m[1], m[2]]));
    await ok(cap.h.direct('/contact/verify_friend', { guid: bob.guid, username: fields.encryptusername, ticket: fields.ticket, scene: Number(fields.scene), opcode: 3 }));
    const line = await cap.callback(bob.guid, 1010, (d) => d.msg_type === 10000 && d.from_username === carol);
    assertShape(line, NEW_MSG, 'the "你已添加了…" system line');
  });

  test('group messages: text, @, room system line and the invitation card (49/5) carry the same keys', async () => {
    const { wxid: dave } = await ok(cap.h.direct('/sandbox/people/create', { nickname: 'Dave', friends: [alice.wxid] }));
    const room = await ok(cap.h.direct('/room/create_chatroom', { guid: alice.guid, username_list: [bob.wxid, dave] }));
    const roomId: string = room.chatRoomName.string;
    const system = await cap.callback(bob.guid, 1010, (d) => d.chatroom === roomId && d.msg_type === 10000);
    assertShape(system, NEW_MSG, 'a room system line');
    const text = await ok(cap.h.direct('/msg/send_text', { guid: alice.guid, to_username: roomId, content: 'hi all' }));
    const group = await bobGets(text.list[0].newMsgId, 'a group text');
    assert.deepEqual([group.is_chatroom_msg, group.from_username, group.chatroom_sender], [1, roomId, alice.wxid]);
    const at = await ok(cap.h.direct('/msg/send_room_at', { guid: alice.guid, to_username: roomId, content: '@Bob look', at_list: [bob.wxid] }));
    assert.match((await bobGets(at.list[0].newMsgId, 'a group @')).source, /<atuserlist>/);
    const { wxid: erin } = await ok(cap.h.direct('/sandbox/people/create', { nickname: 'Erin', friends: [bob.wxid] }));
    await ok(cap.h.direct('/room/invite_chatroom_member', { guid: bob.guid, room_username: roomId, username_list: [erin] }));
    const card = await cap.callback(bob.guid, 1010, (d) => d.to_username === erin && d.msg_type === 49);
    assertShape(card, NEW_MSG, 'the invitation card as Bob\'s own copy');
    assert.equal(appType(card.content), '5');
  });

  test('1011: a batch is an array of 1010 objects', async () => {
    const frank = await cap.account({ nickname: 'Frank' });
    await cap.befriend(alice.wxid, frank.wxid);
    await ok(cap.h.direct('/events/set_filters', { guid: frank.guid, batch_window_ms: 300 }));
    for (const content of ['one', 'two', 'three']) await ok(cap.h.direct('/msg/send_text', { guid: alice.guid, to_username: frank.wxid, content }));
    const batch = await cap.callback(frank.guid, 1011, (d) => d.some((m: { content: string }) => m.content === 'one'));
    assertShape(batch, list(NEW_MSG, 2), '1011 BatchNewMsg');
  });
});
