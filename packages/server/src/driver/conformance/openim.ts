// Conformance: WeCom (企业微信) contacts — found by their card QR URL, added with its ticket (1202), messages both
// ways, deleted (1203) after which their messages are refused — and OpenIM room membership (1204, versions).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { call, eventsSince, expectError, logIn, newMsgs, notifyTypes, wechatRet, withSubject, type Make } from './subject.ts';

export function openImConformance(make: Make): void {
  test('a WeCom contact: found by QR, added (1202), messages both ways, deleted (1203)', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const me = await logIn(s, a);
    const corp = await s.phone.createCorporation('腾讯');
    const zhang = await s.phone.createWeComPerson(corp, '张三');

    const found = (await call(a.session, '/openim/search_openim_contact', { url: zhang.qrUrl })) as { ticket?: string; contact?: { tpUsername: string } };
    assert.equal(found.contact?.tpUsername, zhang.username);
    const mark = s.events(a.guid).length;
    await s.phone.addOpenImContact(me, zhang.username, found.ticket!);
    const added = eventsSince(s, a.guid, mark);
    assert.deepEqual(notifyTypes(added), [1202]);
    assert.equal((added[0]!.data as { tpUsername: string }).tpUsername, zhang.username);
    assert.equal((await call(a.session, '/openim/get_openim_friends', {})).total, 1);
    const contact = (await call(a.session, '/openim/get_openim_contact', { username: zhang.username })).contact;
    const resource = await call(a.session, '/openim/get_openim_resource', { appid: contact.appId!, wording_id: contact.descWordingId! }) as { wording?: string };
    assert.equal(resource.wording, '腾讯');

    const before = s.events(a.guid).length;
    await s.phone.sendMessage(zhang.username, '/msg/send_text', { to_username: me, content: '您好' });
    assert.deepEqual(newMsgs(eventsSince(s, a.guid, before)).map((m) => [m.from_username, m.content]), [[zhang.username, '您好']]);
    await call(a.session, '/msg/send_text', { to_username: zhang.username, content: '你好' });
    assert.deepEqual((await s.phone.messagesOf(zhang.username, me)).map((m) => m.content), ['您好', '你好']);

    const del = s.events(a.guid).length;
    await call(a.session, '/openim/del_openim_contact', { username: zhang.username });
    assert.deepEqual(notifyTypes(eventsSince(s, a.guid, del)), [1203]);
    await expectError(s.phone.sendMessage(zhang.username, '/msg/send_text', { to_username: me, content: '在吗' }), 'NOT_A_FRIEND');
    assert.equal(wechatRet(await expectError(call(a.session, '/openim/search_openim_contact', { url: 'https://work.weixin.qq.com/u/unknownCard' }), 'OPENIM_CONTACT_NOT_FOUND')), -4);
  }));

  test('OpenIM rooms: membership changes raise 1204 and move the member-list version', () => withSubject(make, async (s) => {
    const a = await s.newInstance();
    const me = await logIn(s, a);
    const corp = await s.phone.createCorporation('腾讯');
    const zhang = (await s.phone.createWeComPerson(corp, '张三')).username;
    const li = (await s.phone.createWeComPerson(corp, '李四')).username;
    const mark = s.events(a.guid).length;
    const room = await s.phone.createOpenImRoom(zhang, [me, li], '客户群');
    await s.phone.leaveOpenImRoom(room, li);
    await s.phone.joinOpenImRoom(room, li);
    assert.deepEqual(notifyTypes(eventsSince(s, a.guid, mark)), [1204, 1204, 1204]);
    assert.equal((await call(a.session, '/openim/get_openim_rooms', {})).total, 1);
    const detail = await call(a.session, '/openim/get_openim_room_member_detail', { room_username: room, version: 0 }) as { serverVersion?: number; memberList?: { userName: string }[] };
    assert.deepEqual(detail.memberList?.map((m) => m.userName), [zhang, me, li]);
    const current = await call(a.session, '/openim/get_openim_room_member_detail', { room_username: room, version: detail.serverVersion! }) as { memberList?: unknown[] };
    assert.equal(current.memberList?.length, 0);
    await expectError(call(a.session, '/openim/get_openim_room_detail', { room_username: '12345678901@im.chatroom' }), 'ROOM_NOT_FOUND');
  }));
}
