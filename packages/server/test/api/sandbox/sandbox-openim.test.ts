// WeCom (企业微信) contacts and OpenIM rooms in the sandbox through HTTP: a WeCom person found by their card QR URL and
// added with its ticket (1202), messages both ways, flags, deletion (1203) after which their messages are refused,
// OpenIM room membership changes (1204) with member-list versions, and the refusals with their status, code and ret.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTenant, startHarness, type Harness } from '../../harness.ts';
import { type Creds, loggedIn, ok, outbox } from '../../sandbox-helpers.ts';

/** status, code and WeChat's ret of a refusal. */
async function refused(res: Promise<{ status: number; body: any }>): Promise<[number, number, number | undefined]> {
  const r = await res;
  return [r.status, r.body.code, r.body.data?.baseResponse?.ret];
}

describe('sandbox OpenIM over HTTP', () => {
  test('a WeCom contact added through its QR, messages both ways, flags, deleted; refusals', async () => {
    let h = await startHarness();
    try {
      const alice = await loggedIn(h, { nickname: 'Alice' });
      const corp = await ok(h.direct('/sandbox/openim/create_corp', { name: '腾讯', full_name: '深圳市腾讯计算机系统有限公司' }));
      const zhang = await ok(h.direct('/sandbox/openim/create_person', { corp_id: corp.corp_id, nickname: '张三', real_name: '张三', position: '产品经理', sex: 1 }));
      assert.match(zhang.username, /^1688\d{12}@openim$/);
      assert.match(zhang.qr_url, /^https:\/\/work\.weixin\.qq\.com\/u\//);
      // A WeCom person has no personal WeChat to log in with.
      const other = await h.createInstance({ auto_start: true });
      await ok(h.direct('/login/get_login_qrcode', { guid: other }));
      assert.deepEqual(await refused(h.direct('/sandbox/login/scan', { guid: other, action: 'scan', wxid: zhang.username })), [422, 422, undefined]);

      assert.deepEqual(await ok(h.gateway('/openim/check_openim_contact', { guid: alice.guid, url: zhang.qr_url })), { status: 0, username: zhang.username });
      const found = await ok(h.gateway('/openim/search_openim_contact', { guid: alice.guid, url: zhang.qr_url }));
      assert.equal(found.contact.tpUsername, zhang.username);
      assert.equal(found.contact.flag, '0');
      assert.deepEqual(await refused(h.direct('/sandbox/openim/add_contact', { wxid: alice.wxid, username: zhang.username, ticket: 'v4_wrong' })), [409, 40911, -48]);

      const mark = (await outbox(h, alice.guid)).length;
      assert.deepEqual(await ok(h.direct('/sandbox/openim/add_contact', { wxid: alice.wxid, username: zhang.username, ticket: found.ticket })), { added: true });
      const added = (await outbox(h, alice.guid)).slice(mark);
      assert.deepEqual(added.map((e) => e.notifyType), [1202]);
      const contact = added[0]!.data as any;
      assert.deepEqual([contact.tpUsername, contact.nickname, contact.type, contact.source, contact.appId, contact.descWordingId, contact.nicknameQuanpin],
        [zhang.username, '张三', 1, 1, corp.appid, corp.wording_id, 'zhangsan']);
      assert.deepEqual(JSON.parse(contact.customInfo.detail), { corp_name: '腾讯', corp_full_name: '深圳市腾讯计算机系统有限公司', real_name: '张三', position: '产品经理' });

      const resource = await ok(h.direct('/openim/get_openim_resource', { guid: alice.guid, appid: contact.appId, wording_id: contact.descWordingId }));
      assert.equal(resource.wording, '深圳市腾讯计算机系统有限公司');
      assert.deepEqual(await refused(h.direct('/openim/get_openim_resource', { guid: alice.guid, appid: contact.appId, wording_id: 'nope' })), [404, 40463, -1]);
      assert.equal((await ok(h.direct('/openim/get_openim_contact', { guid: alice.guid, username: zhang.username }))).contact.flag, '1');
      const friends = await ok(h.gateway('/openim/get_openim_friends', { guid: alice.guid, page_num: 1, page_size: 10 }));
      assert.deepEqual([friends.total, friends.list[0].tpUsername], [1, zhang.username]);
      assert.deepEqual(await ok(h.direct('/openim/get_openim_friends', { guid: alice.guid, page_num: 2, page_size: 10 })), { list: [], total: 1 });

      // Messages both ways: the WeCom person's 1010 reaches Alice's instance; Alice's text reaches them.
      const before = (await outbox(h, alice.guid)).length;
      await ok(h.direct('/sandbox/messages/send', { from_wxid: zhang.username, path: '/msg/send_text', body: { to_username: alice.wxid, content: '您好，我是张三' } }));
      const incoming = (await outbox(h, alice.guid)).slice(before).filter((e) => e.notifyType === 1010).map((e) => e.data as any);
      assert.deepEqual(incoming.map((m) => [m.from_username, m.to_username, m.content]), [[zhang.username, alice.wxid, '您好，我是张三']]);
      await ok(h.gateway('/msg/send_text', { guid: alice.guid, to_username: zhang.username, content: '你好' }));
      const seen = await ok(h.direct('/sandbox/messages/list', { wxid: zhang.username, talker: alice.wxid }));
      assert.deepEqual(seen.messages.map((m: any) => [m.from_username, m.content]), [[zhang.username, '您好，我是张三'], [alice.wxid, '你好']]);

      const flags = (await outbox(h, alice.guid)).length;
      await ok(h.direct('/openim/modify_openim_top_flag', { guid: alice.guid, username: zhang.username, status: 1 }));
      await ok(h.direct('/openim/modify_openim_disturb_flag', { guid: alice.guid, username: zhang.username, status: 1 }));
      assert.deepEqual((await outbox(h, alice.guid)).slice(flags).map((e) => [e.notifyType, (e.data as any).flag]), [[1202, '2049'], [1202, '2049']]);
      assert.deepEqual(await refused(h.direct('/openim/modify_openim_top_flag', { guid: alice.guid, username: zhang.username, status: 7 })), [422, 422, undefined]);

      // The world persists: after a restart the contact is still there.
      h = await h.restart();
      assert.equal((await ok(h.direct('/openim/get_openim_friends', { guid: alice.guid }))).total, 1);

      const del = (await outbox(h, alice.guid)).length;
      await ok(h.gateway('/openim/del_openim_contact', { guid: alice.guid, username: zhang.username }));
      assert.deepEqual((await outbox(h, alice.guid)).slice(del).map((e) => [e.notifyType, (e.data as any).tpUsername]), [[1203, zhang.username]]);
      assert.equal((await ok(h.direct('/openim/get_openim_friends', { guid: alice.guid }))).total, 0);
      assert.deepEqual(await refused(h.direct('/openim/del_openim_contact', { guid: alice.guid, username: zhang.username })), [404, 40411, -4]);
      // Deleted: their messages are refused as a non-friend's.
      assert.deepEqual(await refused(h.direct('/sandbox/messages/send', { from_wxid: zhang.username, path: '/msg/send_text', body: { to_username: alice.wxid, content: '在吗' } })), [409, 40910, -44]);
      // Added again, then removed with /contact/del_friend: a WeCom contact still leaves as one (1203, not 1201/1041).
      const again = await ok(h.direct('/openim/search_openim_contact', { guid: alice.guid, url: zhang.qr_url }));
      await ok(h.direct('/sandbox/openim/add_contact', { wxid: alice.wxid, username: zhang.username, ticket: again.ticket }));
      const viaContact = (await outbox(h, alice.guid)).length;
      await ok(h.direct('/contact/del_friend', { guid: alice.guid, username: zhang.username }));
      assert.deepEqual((await outbox(h, alice.guid)).slice(viaContact).map((e) => [e.notifyType, (e.data as any).tpUsername]), [[1203, zhang.username]]);
      assert.equal((await ok(h.direct('/openim/get_openim_friends', { guid: alice.guid }))).total, 0);

      // Refusals: unknown card, not a card URL, unknown username, a blocked card.
      assert.deepEqual(await refused(h.direct('/openim/search_openim_contact', { guid: alice.guid, url: 'https://work.weixin.qq.com/u/unknownToken' })), [404, 40462, -4]);
      assert.deepEqual(await refused(h.direct('/openim/search_openim_contact', { guid: alice.guid, url: 'https://example.com/u/x' })), [422, 422, undefined]);
      assert.deepEqual(await refused(h.direct('/openim/get_openim_contact', { guid: alice.guid, username: 'nobody@openim' })), [404, 40462, -4]);
      const blocked = await ok(h.direct('/sandbox/openim/create_person', { corp_id: corp.corp_id, nickname: '封号', card_blocked: true }));
      assert.equal((await ok(h.direct('/openim/check_openim_contact', { guid: alice.guid, url: blocked.qr_url }))).status, 1);
      assert.deepEqual(await refused(h.direct('/openim/search_openim_contact', { guid: alice.guid, url: blocked.qr_url })), [403, 40362, -24]);
      const noCorp = await h.direct('/sandbox/openim/create_person', { corp_id: 'wwnope', nickname: 'x' });
      assert.deepEqual([noCorp.status, noCorp.body.code], [404, 40464]);

      // Another tenant's world has none of it.
      const creds = await createTenant(h);
      const carol = await loggedIn(h, { nickname: 'Carol' }, creds);
      assert.deepEqual(await refused(h.direct('/openim/search_openim_contact', { guid: carol.guid, url: zhang.qr_url }, creds)), [404, 40462, -4]);
    } finally {
      await h.close();
    }
  });

  test('messages inside an OpenIM room: every WeChat member\'s instance gets them from the room; WeCom members write too', async () => {
    const h = await startHarness();
    try {
      const alice = await loggedIn(h, { nickname: 'Alice' });
      const bob = await loggedIn(h, { nickname: 'Bob' });
      const carol = await loggedIn(h, { nickname: 'Carol' });
      const corp = await ok(h.direct('/sandbox/openim/create_corp', { name: '腾讯' }));
      const zhang = (await ok(h.direct('/sandbox/openim/create_person', { corp_id: corp.corp_id, nickname: '张三' }))).username;
      const room = (await ok(h.direct('/sandbox/openim/room_create', { owner_username: zhang, member_usernames: [alice.wxid, bob.wxid], name: '客户群' }))).room_username;
      const newMsgs = async (guid: string) => (await outbox(h, guid)).filter((e) => e.notifyType === 1010).map((e) => e.data as any);

      const sent = await ok(h.gateway('/msg/send_text', { guid: alice.guid, to_username: room, content: '大家好' }));
      const [atBob] = await newMsgs(bob.guid);
      assert.deepEqual(
        [atBob.from_username, atBob.to_username, atBob.chatroom, atBob.chatroom_sender, atBob.is_chatroom_msg, atBob.content, atBob.msg_id],
        [room, bob.wxid, room, alice.wxid, 1, '大家好', sent.list[0].newMsgId],
      );
      assert.match(atBob.source, /<membercount>3<\/membercount>/);
      assert.deepEqual((await newMsgs(carol.guid)).length, 0, 'not a member, no message');

      // The WeCom owner writes (through its phone, /sandbox/messages/send) and @-mentions Bob.
      await ok(h.direct('/sandbox/messages/send', { from_wxid: zhang, path: '/msg/send_room_at', body: { to_username: room, content: '@Bob 请查收', at_list: [bob.wxid] } }));
      const mention = (await newMsgs(bob.guid)).at(-1);
      assert.deepEqual([mention.chatroom_sender, mention.desc], [zhang, '张三在群聊中@了你']);
      assert.ok(mention.source.includes(`<atuserlist><![CDATA[${bob.wxid}]]></atuserlist>`));
      const read = await ok(h.direct('/sandbox/messages/list', { wxid: zhang, talker: room }));
      assert.deepEqual(read.messages.map((m: any) => m.content), ['大家好', '@Bob 请查收']);
      assert.deepEqual((await ok(h.direct('/events/messages', { guid: bob.guid, talker: room }))).messages.map((m: any) => m.content), ['大家好', '@Bob 请查收']);
      assert.deepEqual((await ok(h.direct('/events/messages', { guid: bob.guid }))).messages.map((m: any) => m.chatroom), [room, room], 'the room is in the archive without naming it');

      // Revoke inside the room reaches the other WeChat member; a non-member is refused; after leaving, so is Bob.
      await ok(h.direct('/msg/revoke_msg', { guid: alice.guid, to_username: room, msg_id: sent.list[0].newMsgId }));
      assert.match((await newMsgs(bob.guid)).at(-1).content, /<sysmsg type="revokemsg">/);
      assert.deepEqual(await refused(h.direct('/msg/send_text', { guid: carol.guid, to_username: room, content: 'hi' })), [409, 40940, -21]);
      await ok(h.direct('/sandbox/openim/room_leave', { room_username: room, username: bob.wxid }));
      assert.deepEqual(await refused(h.direct('/msg/send_text', { guid: bob.guid, to_username: room, content: 'hi' })), [409, 40940, -21]);
      assert.deepEqual(await refused(h.direct('/msg/send_text', { guid: alice.guid, to_username: '12345678901@im.chatroom', content: 'hi' })), [404, 40420, -21]);
    } finally {
      await h.close();
    }
  });

  test('OpenIM rooms: created with WeChat and WeCom members, joins and leaves raise 1204 and bump the version', async () => {
    const h = await startHarness();
    try {
      const alice = await loggedIn(h, { nickname: 'Alice' });
      const bob = await loggedIn(h, { nickname: 'Bob' });
      const corp = await ok(h.direct('/sandbox/openim/create_corp', { name: '腾讯' }));
      const zhang = (await ok(h.direct('/sandbox/openim/create_person', { corp_id: corp.corp_id, nickname: '张三' }))).username;
      const li = (await ok(h.direct('/sandbox/openim/create_person', { corp_id: corp.corp_id, nickname: '李四' }))).username;

      const markAlice = (await outbox(h, alice.guid)).length;
      const room = await ok(h.direct('/sandbox/openim/room_create', { owner_username: zhang, member_usernames: [alice.wxid, li], name: '客户群' }));
      assert.match(room.room_username, /^\d{11}@im\.chatroom$/);
      assert.deepEqual([room.member_count, room.version], [3, 3]);
      const created = (await outbox(h, alice.guid)).slice(markAlice);
      assert.deepEqual(created.map((e) => [e.notifyType, (e.data as any).changeType]), [[1204, 'create']]);

      const rooms = await ok(h.gateway('/openim/get_openim_rooms', { guid: alice.guid }));
      assert.deepEqual([rooms.total, rooms.list[0].chatroomUsername, rooms.list[0].nickname, rooms.list[0].memberCount], [1, room.room_username, '客户群', 3]);
      const detail = await ok(h.direct('/openim/get_openim_room_detail', { guid: alice.guid, room_username: room.room_username }));
      assert.deepEqual([detail.ownerUsername, detail.serverVersion], [zhang, 3]);
      const members = await ok(h.direct('/openim/get_openim_room_members', { guid: alice.guid, room_username: room.room_username, page_num: 1, page_size: 2 }));
      assert.deepEqual([members.total, members.list.map((m: any) => [m.userName, m.memberType])], [3, [[zhang, 2], [alice.wxid, 1]]]);
      assert.equal((await ok(h.direct('/openim/get_openim_room_member_detail', { guid: alice.guid, room_username: room.room_username, version: 3 }))).memberList.length, 0);

      // Bob is not a member until he joins; Li leaves: both raise 1204 for the WeChat members, and the version moves.
      assert.deepEqual(await refused(h.direct('/openim/get_openim_room_detail', { guid: bob.guid, room_username: room.room_username })), [409, 40940, -21]);
      const markBob = (await outbox(h, bob.guid)).length;
      assert.deepEqual(await ok(h.direct('/sandbox/openim/room_join', { room_username: room.room_username, username: bob.wxid })), { member_count: 4, version: 4 });
      assert.deepEqual(await refused(h.direct('/sandbox/openim/room_join', { room_username: room.room_username, username: bob.wxid })), [409, 40922, -2]);
      const before = (await outbox(h, alice.guid)).length;
      assert.deepEqual(await ok(h.direct('/sandbox/openim/room_leave', { room_username: room.room_username, username: li })), { member_count: 3, version: 5 });
      assert.deepEqual((await outbox(h, alice.guid)).slice(before).map((e) => [e.notifyType, (e.data as any).changeType, (e.data as any).changedUsernames]), [[1204, 'leave', [li]]]);
      assert.deepEqual((await outbox(h, bob.guid)).slice(markBob).map((e) => [e.notifyType, (e.data as any).changeType]), [[1204, 'join'], [1204, 'leave']]);
      const full = await ok(h.direct('/openim/get_openim_room_member_detail', { guid: bob.guid, room_username: room.room_username, version: 3 }));
      assert.deepEqual([full.serverVersion, full.memberCount, full.memberList.map((m: any) => m.userName)], [5, 3, [zhang, alice.wxid, bob.wxid]]);

      // Bob leaves too: he is told, and the room is gone from his list.
      const markLeave = (await outbox(h, bob.guid)).length;
      await ok(h.direct('/sandbox/openim/room_leave', { room_username: room.room_username, username: bob.wxid }));
      assert.deepEqual((await outbox(h, bob.guid)).slice(markLeave).map((e) => e.notifyType), [1204]);
      assert.equal((await ok(h.direct('/openim/get_openim_rooms', { guid: bob.guid }))).total, 0);

      assert.deepEqual(await refused(h.direct('/sandbox/openim/room_leave', { room_username: room.room_username, username: bob.wxid })), [404, 40421, -2]);
      assert.deepEqual(await refused(h.direct('/openim/get_openim_room_detail', { guid: alice.guid, room_username: '12345678901@im.chatroom' })), [404, 40420, -21]);
      assert.deepEqual(await refused(h.direct('/sandbox/openim/room_create', { owner_username: alice.wxid, member_usernames: [li] })), [404, 40462, -4]);
      assert.deepEqual(await refused(h.direct('/openim/get_openim_rooms', { guid: alice.guid, page_num: 0 })), [422, 422, undefined]);

      // The reset takes OpenIM along.
      await ok(h.direct('/sandbox/world/reset', {}));
      assert.deepEqual(await refused(h.direct('/sandbox/openim/room_join', { room_username: room.room_username, username: zhang })), [404, 40420, -21]);
    } finally {
      await h.close();
    }
  });
});
