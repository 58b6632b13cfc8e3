// Vendor clients on a fresh default server: contacts (init, brief info, details, search, add, remark) and rooms
// (create, details, members with their version, rename, announcement, members in and out), read as clients read them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { vendorSession, type Account, type VendorServer } from './vendor-server.ts';
import type { Clients } from './vendor-clients.ts';

describe('vendor clients: contacts and rooms', () => {
  let server: VendorServer;
  let c: Clients;
  let alice: Account;
  let bob: string;
  let carol: string;

  before(async () => {
    ({ server, c, alice } = await vendorSession({ nickname: 'Alice' }));
    bob = (await server.control('/sandbox/people/create', { nickname: 'Bob', friends: [alice.wxid] })).wxid;
    carol = (await server.control('/sandbox/people/create', { nickname: 'Carol', friends: [alice.wxid] })).wxid;
  });
  after(() => server.close());

  test('init_contact pages: contactUsernameList of strings, the two seqs as integers', async () => {
    const page = await c.first.call('/contact/init_contact', { guid: alice.guid, contact_seq: 0, room_seq: 0 });
    assert.ok(page.ok, JSON.stringify(page.body));
    // A forwarding service reads `data`, `result` or `payload`: a WeChat answer has none, so it reads the body itself.
    assert.equal(page.payload, undefined);
    const body = page.body;
    assert.ok(body.contactUsernameList.includes(bob) && body.contactUsernameList.includes(carol), JSON.stringify(body.contactUsernameList));
    assert.ok(Number.isInteger(body.currentWxcontactSeq) && Number.isInteger(body.currentChatRoomContactSeq));
    // WeChat's own spelling of the flag (InitContactResponse.CountinueFlag), not "corrected".
    assert.ok(Number.isInteger(body.countinueFlag));
  });

  test('get_contact: contactList[].userName.string, nickName.string, remark, head image URLs as plain strings', async () => {
    for (const client of [c.ts, c.strict, c.first]) {
      const answer = await client.call('/contact/get_contact', { guid: alice.guid, username_list: [bob], room_username: '' });
      assert.ok(answer.ok, `${client.name}: ${JSON.stringify(answer.body)}`);
      const contacts = answer.body.data?.contactList ?? answer.body.contactList;
      assert.equal(contacts[0].userName.string, bob, client.name);
      assert.equal(contacts[0].nickName.string, 'Bob', client.name);
      assert.equal(typeof contacts[0].bigHeadImgUrl, 'string');
      assert.equal(typeof contacts[0].smallHeadImgUrl, 'string');
      assert.equal(typeof contacts[0].remark, 'object', 'remark is an SKBuiltinString');
    }
    const ts = await c.ts.call('/contact/get_contact', { guid: alice.guid, username_list: [bob] });
    assert.equal(ts.payload.contactList[0].userName?.string || ts.payload.contactList[0].username, bob);
  });

  test('batch_get_contact_brief_info in chunks: contactList entries that name the user', async () => {
    const answer = await c.first.call('/contact/batch_get_contact_brief_info', { guid: alice.guid, username_list: [bob, carol] });
    assert.ok(answer.ok, JSON.stringify(answer.body));
    const names = answer.body.contactList.map((item: any) => {
      const contact = item.contact ?? item;
      return contact.userName?.string ?? contact.userName ?? contact.username;
    });
    assert.deepEqual(names.sort(), [bob, carol].sort());
  });

  test('search_contact → add_friend with the v3 username and v4 ticket; modify_remark', async () => {
    const stranger = await server.control('/sandbox/people/create', { nickname: 'Dora', phone: '13900000042' });
    const found = await c.first.call('/contact/search_contact', { guid: alice.guid, username: '13900000042', from_scene: 0, search_scene: 1 });
    assert.ok(found.ok, JSON.stringify(found.body));
    const username: string = found.body.userName.string;
    const ticket: string = found.body.antispamTicket;
    assert.match(username, /^v3_.*@stranger$/);
    assert.match(ticket, /^v4_.*@stranger$/);
    const added = await c.first.call('/contact/add_friend', { guid: alice.guid, username, verify_content: 'hi, Alice here', scene: 3, ticket });
    assert.ok(added.ok, JSON.stringify(added.body));
    const pending = await server.control('/sandbox/friend/accept', { from_wxid: alice.wxid, to_wxid: stranger.wxid });
    assert.ok(pending);
    const remark = await c.first.call('/contact/modify_remark', { guid: alice.guid, username: bob, remark: '老客户 Bob' });
    assert.ok(remark.ok, JSON.stringify(remark.body));
    const after = await c.ts.call('/contact/get_contact', { guid: alice.guid, username_list: [bob] });
    assert.equal(after.payload.contactList[0].remark.string, '老客户 Bob');
  });

  test('rooms: create, details by get_contact, members with serverVersion and plain-string userName, rename, announcement, members in and out', async () => {
    const created = await c.first.call('/room/create_chatroom', { guid: alice.guid, username_list: [bob, carol] });
    assert.ok(created.ok, JSON.stringify(created.body));
    const room: string = created.body.chatRoomName.string;
    assert.match(room, /^\d+@chatroom$/);

    const detail = await c.ts.call('/contact/get_contact', { guid: alice.guid, username_list: [room] });
    assert.ok(detail.ok);
    assert.equal(detail.payload.contactList[0].userName.string, room);
    assert.equal(detail.payload.contactList[0].newChatroomData.memberCount, 3);

    const members = await c.ts.call('/room/get_chatroom_member_detail', { guid: alice.guid, room_username: room, version: 0 });
    assert.ok(members.ok, JSON.stringify(members.body));
    assert.ok(Number.isInteger(members.payload.serverVersion));
    const list = members.payload.newChatroomData.chatRoomMember as any[];
    assert.deepEqual(list.map((m) => m.userName).sort(), [alice.wxid, bob, carol].sort());
    assert.ok(list.every((m) => typeof m.userName === 'string' && typeof (m.displayName || m.nickName) === 'string'));
    assert.equal(members.payload.chatRoomOwner, alice.wxid);

    for (const [path, fields] of [
      ['/room/get_chatroom_detail', {}],
      ['/room/modify_chatroom_name', { name: '客户群 2026' }],
      ['/room/set_chatroom_announcement', { announcement: '欢迎新朋友' }],
      ['/room/modify_chatroom_display_name', { display_name: '群主 Alice' }],
    ] as const) {
      const answer = await c.first.call(path, { guid: alice.guid, room_username: room, ...fields });
      assert.ok(answer.ok, `${path}: ${JSON.stringify(answer.body)}`);
    }
    const dave = (await server.control('/sandbox/people/create', { nickname: 'Dave', friends: [alice.wxid] })).wxid;
    assert.ok((await c.first.call('/room/add_chatroom_member', { guid: alice.guid, room_username: room, username_list: [dave] })).ok);
    assert.ok((await c.first.call('/room/del_chatroom_member', { guid: alice.guid, room_username: room, username_list: [dave] })).ok);
    const renamed = await c.ts.call('/contact/get_contact', { guid: alice.guid, username_list: [room] });
    assert.equal(renamed.payload.contactList[0].nickName.string, '客户群 2026');
    assert.ok((await c.first.call('/room/quit_chatroom', { guid: alice.guid, room_username: room })).ok);
  });
});
