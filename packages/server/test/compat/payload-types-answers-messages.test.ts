// Field types of the raw WeChat answers of sending (NewSendMsg, SendAppMsg, UploadEmoji, UploadMsgImg, UploadVideo),
// revoking and reading, of moments (SnsObject with its likes, comments and mentions) and of the OpenIM calls:
// newMsgId always a 64-bit decimal string, msgId a 32-bit integer, clientMsgId as WeChat types it per answer.
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { startHarness, type Harness } from '../harness.ts';
import { loggedIn, ok } from '../sandbox-helpers.ts';
import { NEEDS } from '../system-programs.ts';
import { dataUrl, testVideo } from './capture.ts';
import { assertShape, list, type ObjectShape } from './json-shape.ts';
import { BASE_RESPONSE, OPENIM_CONTACT, OPENIM_MEMBER, OPENIM_ROOM, snsObject } from './wechat-shapes.ts';

const HEX_ID = '3057020100044b30490201000204a1d3b7f402032f55f90204' + 'cd'.repeat(20);
const AES = 'fedcba9876543210fedcba9876543210';
const MD5 = '0cc175b9c0f1b6a831c399e269772661';
const raw = (fields: ObjectShape): ObjectShape => ({ baseResponse: BASE_RESPONSE, ...fields });

/** NewSendMsgResponse.list[i]: clientMsgId an integer here (a string in SendAppMsg). */
const SEND_LIST_ENTRY = {
  ret: 'integer', toUserName: 'sk', msgId: 'integer', clientMsgId: 'integer', createTime: 'integer', serverTime: 'integer', type: 'integer', newMsgId: 'id64',
} as const satisfies ObjectShape;
const NEW_SEND_MSG = raw({ count: 'integer', list: list(SEND_LIST_ENTRY, 1) });
/** SendAppMsgResponse as captured (clientMsgId a string, plain-string user names), plus the list wxgate adds for uniform readers. */
const SEND_APP_MSG = raw({
  appId: 'string', fromUserName: 'string', toUserName: 'string', msgId: 'integer', clientMsgId: 'string', createTime: 'integer', type: 'integer',
  newMsgId: 'id64', count: 'integer', list: list(SEND_LIST_ENTRY, 1),
});
const EMOJI_SEND = raw({
  emojiItemCount: 'integer', count: 'integer', list: list(SEND_LIST_ENTRY, 1),
  emojiItem: list({ ret: 'integer', startPos: 'integer', totalLen: 'integer', md5: 'string', msgId: 'integer', newMsgId: 'id64' }, 1),
});
const SNS_PAGE = { firstPageMd5: 'string', objectCount: 'integer' } as const satisfies ObjectShape;

describe('payload types: send, moments and OpenIM answers', () => {
  let h: Harness;
  let alice: { guid: string; wxid: string };
  let bob: { guid: string; wxid: string };

  before(async () => {
    h = await startHarness();
    alice = await loggedIn(h, { nickname: 'Alice' });
    bob = await loggedIn(h, { nickname: 'Bob' });
    await ok(h.direct('/sandbox/friend/request', { from_wxid: alice.wxid, to_wxid: bob.wxid }));
    await ok(h.direct('/sandbox/friend/accept', { from_wxid: alice.wxid, to_wxid: bob.wxid }));
  });
  after(() => h.close());

  const send = (path: string, body: Record<string, unknown>) => ok(h.direct(path, { guid: alice.guid, to_username: bob.wxid, ...body }));

  test('NewSendMsg answers: text, location, card, raw card, pat', async () => {
    assertShape(await send('/msg/send_text', { content: 'hi' }), NEW_SEND_MSG, 'send_text');
    assertShape(await send('/msg/send_location', { latitude: 31.2, longitude: 121.4, title: 't', address: 'a' }), NEW_SEND_MSG, 'send_location');
    assertShape(await send('/msg/send_share_card', { share_username: 'wxid_sharedperson01' }), NEW_SEND_MSG, 'send_share_card');
    assertShape(await send('/msg/send_share_card_raw', { xml: '<msg username="wxid_rawcard000001" nickname="Raw" />' }), NEW_SEND_MSG, 'send_share_card_raw');
    assertShape(await send('/msg/send_pat', { patted_username: bob.wxid }), NEW_SEND_MSG, 'send_pat');
  });

  test('SendAppMsg answers: quote, link card, raw appmsg, mini-program, Channels video, file', async () => {
    const first = await send('/msg/send_text', { content: 'quote me' });
    const referMsg = { msg_type: 1, msg_id: first.list[0].newMsgId, from_username: alice.wxid };
    assertShape(await send('/msg/send_refer_msg', { content: 'answer', refer_msg: referMsg }), SEND_APP_MSG, 'send_refer_msg');
    assertShape(await send('/msg/send_link_card_cdn', {
      title: 'Link', desc: 'Desc', url: 'https://example.com/x', thumb_file_id: HEX_ID, thumb_aes_key: AES, thumb_file_size: 321, thumb_file_md5: MD5,
    }), SEND_APP_MSG, 'send_link_card_cdn');
    assertShape(await send('/msg/send_app_msg', {
      app_type: 5, appid: '', xml: '<appmsg appid="" sdkver="0"><title>Raw</title><type>5</type><url>https://r.example</url></appmsg>',
    }), SEND_APP_MSG, 'send_app_msg');
    assertShape(await send('/msg/send_mini_app', {
      username: 'gh_miniprogram01@app', appid: 'wx0123456789abcdef', title: 'Open', file_id: HEX_ID, aes_key: AES, file_size: 99, file_md5: MD5,
    }), SEND_APP_MSG, 'send_mini_app');
    assertShape(await send('/msg/send_finder_video', { object_id: '14000000000000000001', username: 'v2_a@finder', url: 'https://f.example/v' }), SEND_APP_MSG, 'send_finder_video');
    const file = await ok(h.direct('/cloud/cdn_upload', { guid: alice.guid, file_type: 5, url: dataUrl(Buffer.from('a document')) }));
    assertShape(await send('/msg/send_file', { ...file, file_name: 'a.txt' }), SEND_APP_MSG, 'send_file');
  });

  test('emoji, image and video answers; revoke and set_session_read', async () => {
    assertShape(await send('/msg/send_emoji', { file_id: HEX_ID, aes_key: AES, file_size: 777, file_md5: MD5 }), EMOJI_SEND, 'send_emoji');
    assertShape(await send('/msg/send_emoji_url', { url: 'https://emoji.example/wave.gif' }), EMOJI_SEND, 'send_emoji_url');
    assertShape(await send('/msg/send_emoji_md5', { file_md5: MD5, file_size: 777 }), EMOJI_SEND, 'send_emoji_md5');
    const jpeg = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#3366cc' } }).jpeg().toBuffer();
    const image = await ok(h.direct('/cloud/cdn_upload', { guid: alice.guid, file_type: 2, url: dataUrl(jpeg) }));
    assertShape(await send('/msg/send_image', image), raw({
      msgId: 'integer', newMsgId: 'id64', clientImgId: 'sk', fromUserName: 'sk', toUserName: 'sk', totalLen: 'integer', startPos: 'integer',
      dataLen: 'integer', createTime: 'integer',
    }), 'send_image');
    const sent = await send('/msg/send_text', { content: 'oops' });
    assertShape(await send('/msg/revoke_msg', { msg_id: sent.list[0].newMsgId }), raw({ introduction: 'string', sysWording: 'string' }), 'revoke_msg');
    assertShape(await send('/msg/set_session_read', {}), raw({}), 'set_session_read');
  });

  test('UploadVideo answer: clientMsgId a string, newMsgId a decimal string', async (t) => {
    const video = testVideo();
    if (!video) return t.skip(NEEDS.ffmpeg);
    const up = await ok(h.direct('/cloud/cdn_upload', { guid: alice.guid, file_type: 4, url: dataUrl(video) }));
    assertShape(await send('/msg/send_video', up), raw({
      clientMsgId: 'string', msgId: 'integer', newMsgId: 'id64', startPos: 'integer', thumbStartPos: 'integer',
    }), 'send_video');
  });

  test('moments: post, comment, like, timeline, user page, detail; SnsCommentInfo alike in all three lists', async () => {
    const text = '<TimelineObject><contentDesc>读完了</contentDesc><ContentObject><contentStyle>2</contentStyle></ContentObject></TimelineObject>';
    const posted = await ok(h.direct('/sns/sns_post', { guid: alice.guid, object_desc: text, with_user_list: [bob.wxid] }));
    assertShape(posted, raw({ snsObject: snsObject({ likes: 0, comments: 0, mentions: 1 }) }), 'sns_post');
    const objectId: string = posted.snsObject.id;
    const commented = await ok(h.direct('/sns/sns_comment', { guid: bob.guid, object_id: objectId, content: '怎么样' }));
    assertShape(commented, raw({ snsObject: snsObject({ likes: 0, comments: 1, mentions: 1 }) }), 'sns_comment');
    const liked = await ok(h.direct('/sns/sns_like', { guid: bob.guid, object_id: objectId, status: 1 }));
    const full = snsObject({ likes: 1, comments: 1, mentions: 1 });
    assertShape(liked, raw({ snsObject: full }), 'sns_like');
    assertShape(await ok(h.direct('/sns/sns_timeline', { guid: alice.guid })), raw({ ...SNS_PAGE, objectList: list(full, 1), newRequestTime: 'integer' }), 'sns_timeline');
    assertShape(await ok(h.direct('/sns/sns_userpage', { guid: bob.guid, username: alice.wxid })),
      raw({ ...SNS_PAGE, objectList: list(full, 1), objectTotalCount: 'integer' }), 'sns_userpage');
    assertShape(await ok(h.direct('/sns/sns_object_detail', { guid: alice.guid, object_id: objectId })), raw({ object: full }), 'sns_object_detail');
    const commentId = String(liked.snsObject.commentUserList[0].commentId);
    assertShape(await ok(h.direct('/sns/sns_delete_comment', { guid: bob.guid, object_id: objectId, comment_id: commentId })), raw({}), 'sns_delete_comment');
    assertShape(await ok(h.direct('/sns/sns_delete', { guid: alice.guid, object_id: objectId })), raw({}), 'sns_delete');
  });

  test('OpenIM answers: search, check, contact, resource, flags, the local-store pages, room detail and members', async () => {
    const corp = await ok(h.direct('/sandbox/openim/create_corp', { name: '腾讯', full_name: '深圳市腾讯计算机系统有限公司' }));
    const zhang = await ok(h.direct('/sandbox/openim/create_person', { corp_id: corp.corp_id, nickname: '张三', real_name: '张三', position: '经理' }));
    const found = await ok(h.direct('/openim/search_openim_contact', { guid: alice.guid, url: zhang.qr_url }));
    assertShape(found, raw({ ticket: 'string', contact: OPENIM_CONTACT }), 'search_openim_contact');
    assertShape(await ok(h.direct('/openim/check_openim_contact', { guid: alice.guid, url: zhang.qr_url })), { status: 'integer', username: 'string' }, 'check_openim_contact');
    await ok(h.direct('/sandbox/openim/add_contact', { wxid: alice.wxid, username: zhang.username, ticket: found.ticket }));
    assertShape(await ok(h.direct('/openim/get_openim_contact', { guid: alice.guid, username: zhang.username })), raw({ contact: OPENIM_CONTACT }), 'get_openim_contact');
    assertShape(await ok(h.direct('/openim/get_openim_resource', { guid: alice.guid, appid: corp.appid, wording_id: corp.wording_id })),
      raw({ appid: 'string', wordingId: 'string', wording: 'string', corpName: 'string' }), 'get_openim_resource');
    assertShape(await ok(h.direct('/openim/modify_openim_disturb_flag', { guid: alice.guid, username: zhang.username, status: 1 })), raw({}), 'modify_openim_disturb_flag');
    assertShape(await ok(h.direct('/openim/get_openim_friends', { guid: alice.guid })), { list: list(OPENIM_CONTACT, 1), total: 'integer' }, 'get_openim_friends');
    const room = await ok(h.direct('/sandbox/openim/room_create', { owner_username: zhang.username, member_usernames: [alice.wxid], name: '外部群' }));
    assertShape(await ok(h.direct('/openim/get_openim_rooms', { guid: alice.guid })), { list: list(OPENIM_ROOM, 1), total: 'integer' }, 'get_openim_rooms');
    assertShape(await ok(h.direct('/openim/get_openim_room_members', { guid: alice.guid, room_username: room.room_username })),
      { list: list(OPENIM_MEMBER, 2), total: 'integer' }, 'get_openim_room_members');
    assertShape(await ok(h.direct('/openim/get_openim_room_detail', { guid: alice.guid, room_username: room.room_username })), raw(OPENIM_ROOM), 'get_openim_room_detail');
    assertShape(await ok(h.direct('/openim/get_openim_room_member_detail', { guid: alice.guid, room_username: room.room_username })), raw({
      chatroomUsername: 'string', serverVersion: 'integer', memberCount: 'integer', memberList: list(OPENIM_MEMBER, 2),
    }), 'get_openim_room_member_detail');
  });
});
