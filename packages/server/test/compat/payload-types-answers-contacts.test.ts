// Field types of the raw WeChat answers about people, rooms and labels: get_profile, get_qrcode, init_contact,
// get_contact (friend, room, stranger, unknown, room-member view), batch_get_contact_brief_info, search_contact,
// add/verify_friend, the room calls and the label calls; each with its exact key set, recursively.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../harness.ts';
import { loggedIn, ok } from '../sandbox-helpers.ts';
import { assertShape, list, type ObjectShape } from './json-shape.ts';
import {
  BASE_RESPONSE, CHAT_ROOM_MEMBER, MEMBER_RESULT, NEW_MSG, PERSON_CONTACT, roomContact, SNS_USER_INFO, UNKNOWN_CONTACT,
} from './wechat-shapes.ts';

const raw = (fields: ObjectShape): ObjectShape => ({ baseResponse: BASE_RESPONSE, ...fields });
const BASE_ONLY = raw({});
const QR_BUFFER = { iLen: 'integer', buffer: 'base64' } as const satisfies ObjectShape;

const PROFILE = raw({
  userInfo: {
    bitFlag: 'integer', userName: 'sk', nickName: 'sk', bindUin: 'integer', bindEmail: 'sk', bindMobile: 'sk', status: 'integer', sex: 'integer',
    province: 'string', city: 'string', signature: 'string', personalCard: 'integer', alias: 'string', country: 'string', pluginFlag: 'integer',
    pluginSwitch: 'integer', imgLen: 'integer',
  },
  userInfoExt: {
    snsUserInfo: SNS_USER_INFO, myBrandList: 'string', bigHeadImgUrl: 'string', smallHeadImgUrl: 'string', mainAcctType: 'integer', extXml: 'sk',
    safeDevice: 'integer', grayscaleFlag: 'integer', registCountry: 'string', userStatus: 'integer', payWalletType: 'integer',
  },
});

const SEARCH_CONTACT = raw({
  userName: 'sk', nickName: 'sk', pyinitial: 'sk', quanPin: 'sk', sex: 'integer', signature: 'string', province: 'string', city: 'string',
  country: 'string', alias: 'string', bigHeadImgUrl: 'string', smallHeadImgUrl: 'string', personalCard: 'integer', verifyFlag: 'integer',
  snsUserInfo: SNS_USER_INFO, antispamTicket: 'string', contactCount: 'integer', contactList: list(PERSON_CONTACT),
});

const getContact = (contact: ObjectShape, extra: ObjectShape = {}) =>
  raw({ contactCount: 'integer', contactList: list(contact, 1), ret: list('integer', 1), ...extra });

describe('payload types: contact, room and label answers', () => {
  let h: Harness;
  let alice: { guid: string; wxid: string };
  let bob: string;
  let carol: string;
  let dave: string;
  let roomId: string;

  before(async () => {
    h = await startHarness();
    alice = await loggedIn(h, { nickname: 'Alice', phone: '13800000001' });
    bob = (await ok(h.direct('/sandbox/people/create', { nickname: 'Bob', friends: [alice.wxid] }))).wxid;
    carol = (await ok(h.direct('/sandbox/people/create', { nickname: 'Carol', phone: '13800000003', friends: [bob] }))).wxid;
    dave = (await ok(h.direct('/sandbox/people/create', { nickname: 'Dave', friends: [alice.wxid] }))).wxid;
    const created = await ok(h.direct('/room/create_chatroom', { guid: alice.guid, username_list: [bob, dave] }));
    assertShape(created, raw({
      chatRoomName: 'sk', topic: 'sk', memberCount: 'integer', memberList: list(MEMBER_RESULT, 3), bigHeadImgUrl: 'string', smallHeadImgUrl: 'string',
    }), 'create_chatroom');
    roomId = created.chatRoomName.string;
  });
  after(() => h.close());

  test('get_profile and get_qrcode', async () => {
    assertShape(await ok(h.direct('/user/get_profile', { guid: alice.guid })), PROFILE, 'get_profile');
    assertShape(await ok(h.direct('/user/get_qrcode', { guid: alice.guid })), raw({ qrcode: QR_BUFFER, style: 'integer', footerWording: 'string' }), 'get_qrcode');
  });

  test('init_contact pages usernames with integer cursors', async () => {
    const page = await ok(h.direct('/contact/init_contact', { guid: alice.guid }));
    assertShape(page, raw({
      currentWxcontactSeq: 'integer', currentChatRoomContactSeq: 'integer', countinueFlag: 'integer', continueFlag: 'integer', contactUsernameList: list('string', 2),
    }), 'init_contact');
  });

  test('get_contact of a friend, a room, a stranger, a room member (with its ticket) and an unknown username', async () => {
    assertShape(await ok(h.direct('/contact/get_contact', { guid: alice.guid, username_list: [bob] })), getContact(PERSON_CONTACT), 'get_contact of a friend');
    const room = await ok(h.direct('/contact/get_contact', { guid: alice.guid, username_list: [roomId] }));
    assertShape(room, getContact(roomContact(3)), 'get_contact of a room');
    assert.deepEqual([room.contactList[0].domainList, room.contactList[0].bitValue2], [{}, '0']);
    const stranger = await ok(h.direct('/contact/get_contact', { guid: alice.guid, username_list: [carol] }));
    assertShape(stranger, getContact(PERSON_CONTACT), 'get_contact of a stranger');
    assert.match(stranger.contactList[0].encryptUserName, /^v3_/);
    // A member Alice no longer has as a contact comes with the ticket that lets her add them.
    await ok(h.direct('/sandbox/friend/delete', { wxid: alice.wxid, contact_wxid: dave }));
    const members = await ok(h.direct('/contact/get_contact', { guid: alice.guid, username_list: [dave], room_username: roomId }));
    assertShape(members, getContact(PERSON_CONTACT, { ticket: list({ userName: 'string', antispamTicket: 'string' }, 1) }), 'get_contact, room-member view');
    const unknown = await ok(h.direct('/contact/get_contact', { guid: alice.guid, username_list: ['wxid_nobodyhere0000'] }));
    assertShape(unknown, getContact(UNKNOWN_CONTACT), 'get_contact of an unknown username');
    assert.deepEqual(unknown.ret, [-4]);
  });

  test('batch_get_contact_brief_info wraps each contact', async () => {
    const brief = await ok(h.direct('/contact/batch_get_contact_brief_info', { guid: alice.guid, username_list: [bob] }));
    assertShape(brief, raw({ contactList: list({ contact: PERSON_CONTACT, displayName: 'string' }, 1) }), 'batch_get_contact_brief_info');
  });

  test('search_contact of a stranger (v3 name, v4 ticket), add_friend and verify_friend', async () => {
    const found = await ok(h.direct('/contact/search_contact', { guid: alice.guid, username: '13800000003', search_scene: 1 }));
    assertShape(found, SEARCH_CONTACT, 'search_contact of a stranger');
    assert.match(found.antispamTicket, /^v4_/);
    const added = await ok(h.direct('/contact/add_friend', { guid: alice.guid, username: found.userName.string, ticket: found.antispamTicket, scene: 3 }));
    assertShape(added, raw({ userName: 'string' }), 'add_friend');
    const again = await ok(h.direct('/contact/search_contact', { guid: alice.guid, username: '13800000001', search_scene: 1 }));
    assertShape(again, SEARCH_CONTACT, 'search_contact of oneself');
    assertShape(await ok(h.direct('/contact/verify_friend', { guid: alice.guid, username: bob, opcode: 1 })), raw({ userName: 'string' }), 'verify_friend');
  });

  test('room answers: members, details, QR code, member changes, pinned messages', async () => {
    const detail = await ok(h.direct('/room/get_chatroom_member_detail', { guid: alice.guid, room_username: roomId }));
    const memberDetail = (min: number) => raw({
      chatroomUserName: 'string', serverVersion: 'integer', chatRoomOwner: 'string',
      newChatroomData: { memberCount: 'integer', chatRoomMember: list(CHAT_ROOM_MEMBER, min), infoMask: 'integer', chatRoomUserName: 'sk', watchMemberCount: 'integer' },
    });
    assertShape(detail, memberDetail(3), 'get_chatroom_member_detail');
    const unchanged = await ok(h.direct('/room/get_chatroom_member_detail', { guid: alice.guid, room_username: roomId, version: detail.serverVersion }));
    assertShape(unchanged, memberDetail(0), 'get_chatroom_member_detail at the current version');
    assertShape(await ok(h.direct('/room/get_chatroom_detail', { guid: alice.guid, room_username: roomId })), raw({
      announcement: 'string', chatRoomInfoVersion: 'integer', announcementEditor: 'string', announcementPublishTime: 'integer', chatRoomStatus: 'integer',
      chatRoomBusinessType: 'id64',
    }), 'get_chatroom_detail');
    assertShape(await ok(h.direct('/room/get_chatroom_qrcode', { guid: alice.guid, room_username: roomId })), raw({
      qrcode: QR_BUFFER, revokeQrcodeWording: 'string', footerWording: 'string', expiredTime: 'integer',
    }), 'get_chatroom_qrcode');
    const erin = (await ok(h.direct('/sandbox/people/create', { nickname: 'Erin', friends: [alice.wxid] }))).wxid;
    const change = raw({ memberCount: 'integer', memberList: list(MEMBER_RESULT, 1) });
    assertShape(await ok(h.direct('/room/add_chatroom_member', { guid: alice.guid, room_username: roomId, username_list: [erin] })), change, 'add_chatroom_member');
    assertShape(await ok(h.direct('/room/del_chatroom_member', { guid: alice.guid, room_username: roomId, username_list: [erin] })), change, 'del_chatroom_member');
    assertShape(await ok(h.direct('/room/modify_chatroom_name', { guid: alice.guid, room_username: roomId, name: '读书会' })), BASE_ONLY, 'modify_chatroom_name');

    const sent = await ok(h.direct('/msg/send_text', { guid: alice.guid, to_username: roomId, content: 'pin me' }));
    const [row] = (await ok(h.direct('/sandbox/messages/list', { wxid: alice.wxid, talker: roomId }))).messages.filter((m: any) => m.msg_id === sent.list[0].newMsgId);
    const msgInfo = {
      from_username: alice.wxid, to_username: roomId, chatroom_sender: alice.wxid, create_time: row.create_time, desc: '', msg_id: row.msg_id,
      msg_type: 1, chatroom: roomId, source: row.source, content: row.content,
    };
    assertShape(await ok(h.direct('/room/set_top_msg', { guid: alice.guid, room_username: roomId, msg_info: msgInfo, summary: 'pin' })), BASE_ONLY, 'set_top_msg');
    const pins = await ok(h.direct('/room/get_top_msg_list', { guid: alice.guid, room_username: roomId }));
    const { is_chatroom_msg: _notInChatMsgModel, ...chatMsg } = NEW_MSG;
    assertShape(pins, raw({
      count: 'integer', topMsgList: list({ msgId: 'id64', summary: 'string', operator: 'string', createTime: 'integer', msgInfo: chatMsg }, 1),
    }), 'get_top_msg_list');
  });

  test('label answers: the raw lists, and the local-store rows', async () => {
    const added = await ok(h.direct('/label/add_contact_label', { guid: alice.guid, label_name: '同学' }));
    const labels = raw({ labelCount: 'integer', labelPairList: list({ labelName: 'string', labelId: 'integer' }, 1) });
    assertShape(added, labels, 'add_contact_label');
    const labelId: number = added.labelPairList[0].labelId;
    await ok(h.direct('/label/modify_contact_label_list', { guid: alice.guid, username_list: [bob], label_id_list: [labelId] }));
    assertShape(await ok(h.direct('/label/get_contact_label_list', { guid: alice.guid })), labels, 'get_contact_label_list');
    assertShape(await ok(h.direct('/label/get_contacts', { guid: alice.guid, label_id_list: [labelId] })), list({
      username: 'string', nickname: 'string', remark: 'string', alias: 'string', small_head_img_url: 'string', label_id_list: list('integer', 1),
    }, 1), 'label/get_contacts');
    assertShape(await ok(h.direct('/label/get_label_usage_amount', { guid: alice.guid, label_id_list: [] })), list({ label_id: 'integer', count: 'integer' }, 1), 'get_label_usage_amount');
  });
});
