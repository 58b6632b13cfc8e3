// Conformance: the sandbox world's rooms (members in joining order, saved-room cursors, invites, pinned messages,
// removal of everything a room owns) and contact labels (ids never reused, labels on contacts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SandboxRoom } from '../ports.ts';
import { seedApp, withStore, type StoreFactory } from './subject.ts';

export const SANDBOX_ROOM_METHODS = [
  'sandbox.rooms.insert', 'sandbox.rooms.get', 'sandbox.rooms.update', 'sandbox.rooms.remove', 'sandbox.rooms.members', 'sandbox.rooms.member',
  'sandbox.rooms.memberCount', 'sandbox.rooms.addMember', 'sandbox.rooms.updateMember', 'sandbox.rooms.removeMember', 'sandbox.rooms.setSaved',
  'sandbox.rooms.savedPage', 'sandbox.rooms.putInvite', 'sandbox.rooms.invite', 'sandbox.rooms.removeInvite', 'sandbox.rooms.putTopMsg',
  'sandbox.rooms.removeTopMsg', 'sandbox.rooms.topMsgs',
  'sandbox.labels.list', 'sandbox.labels.get', 'sandbox.labels.byName', 'sandbox.labels.create', 'sandbox.labels.rename', 'sandbox.labels.remove',
  'sandbox.labels.setContactLabels', 'sandbox.labels.contactsWith', 'sandbox.labels.usage',
] as const;

const room = (roomId: string): SandboxRoom => ({
  appId: 'app-a', roomId, name: '', ownerWxid: 'wxid_owner', announcement: '', announcementEditor: '', announcementAt: 0, version: 1, infoVersion: 1,
  qrcodeIssuedAt: null, createdAt: 1,
});
const member = (roomId: string, wxid: string, joinedAt: number) => ({
  appId: 'app-a', roomId, wxid, displayName: '', inviterWxid: 'wxid_owner', admin: false, showNames: false, folded: false, muted: false, pinned: false, joinedAt,
});

export function sandboxRoomConformance(make: StoreFactory): void {
  test('rooms round-trip and take patches; members list in joining order with their own settings', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    await store.sandbox.rooms.insert(room('r1@chatroom'));
    assert.deepEqual(await store.sandbox.rooms.get('app-a', 'r1@chatroom'), room('r1@chatroom'));
    assert.equal(await store.sandbox.rooms.get('app-a', 'none@chatroom'), undefined);
    const patch = { name: '周末爬山', announcement: '8点集合', announcementEditor: 'wxid_owner', announcementAt: 50, version: 3, infoVersion: 2, qrcodeIssuedAt: 40, ownerWxid: 'wxid_b' };
    await store.sandbox.rooms.update('app-a', 'r1@chatroom', patch);
    await store.sandbox.rooms.update('app-a', 'r1@chatroom', {});
    assert.deepEqual(await store.sandbox.rooms.get('app-a', 'r1@chatroom'), { ...room('r1@chatroom'), ...patch });
    await assert.rejects(store.sandbox.rooms.insert(room('r1@chatroom')), 'a room id is unique in its app');

    await store.sandbox.rooms.addMember(member('r1@chatroom', 'wxid_owner', 1));
    await store.sandbox.rooms.addMember(member('r1@chatroom', 'wxid_c', 3));
    await store.sandbox.rooms.addMember(member('r1@chatroom', 'wxid_b', 2));
    await assert.rejects(store.sandbox.rooms.addMember(member('r1@chatroom', 'wxid_b', 4)), 'a member joins once');
    assert.deepEqual((await store.sandbox.rooms.members('app-a', 'r1@chatroom')).map((m) => m.wxid), ['wxid_owner', 'wxid_b', 'wxid_c']);
    assert.equal(await store.sandbox.rooms.memberCount('app-a', 'r1@chatroom'), 3);
    assert.deepEqual(await store.sandbox.rooms.member('app-a', 'r1@chatroom', 'wxid_b'), { ...member('r1@chatroom', 'wxid_b', 2), savedSeq: null });
    const settings = { displayName: '小B', admin: true, showNames: true, folded: true, muted: true, pinned: true };
    await store.sandbox.rooms.updateMember('app-a', 'r1@chatroom', 'wxid_b', settings);
    assert.deepEqual(await store.sandbox.rooms.member('app-a', 'r1@chatroom', 'wxid_b'), { ...member('r1@chatroom', 'wxid_b', 2), ...settings, savedSeq: null });
    await store.sandbox.rooms.removeMember('app-a', 'r1@chatroom', 'wxid_c');
    assert.equal(await store.sandbox.rooms.member('app-a', 'r1@chatroom', 'wxid_c'), undefined);
    assert.equal(await store.sandbox.rooms.memberCount('app-a', 'r1@chatroom'), 2);
  }));

  test('members and pins with equal times keep the order they were added in', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    await store.sandbox.rooms.insert(room('r1@chatroom'));
    for (const wxid of ['wxid_z', 'wxid_a', 'wxid_m']) await store.sandbox.rooms.addMember(member('r1@chatroom', wxid, 7));
    assert.deepEqual((await store.sandbox.rooms.members('app-a', 'r1@chatroom')).map((m) => m.wxid), ['wxid_z', 'wxid_a', 'wxid_m']);
    for (const msgId of ['30', '10', '20']) {
      await store.sandbox.rooms.putTopMsg({ appId: 'app-a', roomId: 'r1@chatroom', msgId, summary: '', msgInfo: {}, operatorWxid: 'wxid_a', createdAt: 7 });
    }
    assert.deepEqual((await store.sandbox.rooms.topMsgs('app-a', 'r1@chatroom')).map((p) => p.msgId), ['30', '10', '20']);
    await store.sandbox.openim.insertRoom({ appId: 'app-a', roomUsername: 'r@im.chatroom', name: '', ownerUsername: 'wxid_z', version: 1, createdAt: 1 });
    for (const username of ['u3@openim', 'u1@openim', 'u2@openim']) await store.sandbox.openim.addMember('app-a', 'r@im.chatroom', username, 7);
    assert.deepEqual((await store.sandbox.openim.members('app-a', 'r@im.chatroom')).map((m) => m.username), ['u3@openim', 'u1@openim', 'u2@openim']);
  }));

  test('saved rooms: each save gets a new cursor past every earlier one; leaving drops the saved entry', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    for (const id of ['r1@chatroom', 'r2@chatroom']) {
      await store.sandbox.rooms.insert(room(id));
      await store.sandbox.rooms.addMember(member(id, 'wxid_a', 1));
    }
    await store.sandbox.rooms.setSaved('app-a', 'r1@chatroom', 'wxid_a', true);
    await store.sandbox.rooms.setSaved('app-a', 'r2@chatroom', 'wxid_a', true);
    const page = await store.sandbox.rooms.savedPage('app-a', 'wxid_a', 0, 10);
    assert.deepEqual(page.map((s) => s.roomId), ['r1@chatroom', 'r2@chatroom']);
    assert.ok(page[1]!.seq > page[0]!.seq);
    assert.equal((await store.sandbox.rooms.member('app-a', 'r1@chatroom', 'wxid_a'))?.savedSeq, page[0]!.seq);
    assert.deepEqual((await store.sandbox.rooms.savedPage('app-a', 'wxid_a', page[0]!.seq, 10)).map((s) => s.roomId), ['r2@chatroom']);
    assert.deepEqual((await store.sandbox.rooms.savedPage('app-a', 'wxid_a', 0, 1)).length, 1);

    await store.sandbox.rooms.setSaved('app-a', 'r1@chatroom', 'wxid_a', false);
    assert.equal((await store.sandbox.rooms.member('app-a', 'r1@chatroom', 'wxid_a'))?.savedSeq, null);
    await store.sandbox.rooms.setSaved('app-a', 'r1@chatroom', 'wxid_a', true);
    const resaved = await store.sandbox.rooms.savedPage('app-a', 'wxid_a', 0, 10);
    assert.deepEqual(resaved.map((s) => s.roomId), ['r2@chatroom', 'r1@chatroom']);
    assert.ok(resaved[1]!.seq > page[1]!.seq, 'saving again is a new cursor, so pages see it once more');
    await store.sandbox.rooms.removeMember('app-a', 'r2@chatroom', 'wxid_a');
    assert.deepEqual((await store.sandbox.rooms.savedPage('app-a', 'wxid_a', 0, 10)).map((s) => s.roomId), ['r1@chatroom']);
  }));

  test('invites and pinned messages: put replaces, removal answers whether there was one; removing a room takes them all', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    await store.sandbox.rooms.insert(room('r1@chatroom'));
    await store.sandbox.rooms.addMember(member('r1@chatroom', 'wxid_a', 1));
    await store.sandbox.rooms.setSaved('app-a', 'r1@chatroom', 'wxid_a', true);
    const invite = { appId: 'app-a', roomId: 'r1@chatroom', inviteeWxid: 'wxid_x', inviterWxid: 'wxid_a', createdAt: 5 };
    await store.sandbox.rooms.putInvite(invite);
    await store.sandbox.rooms.putInvite({ ...invite, inviterWxid: 'wxid_owner', createdAt: 6 });
    assert.deepEqual(await store.sandbox.rooms.invite('app-a', 'r1@chatroom', 'wxid_x'), { ...invite, inviterWxid: 'wxid_owner', createdAt: 6 });
    await store.sandbox.rooms.removeInvite('app-a', 'r1@chatroom', 'wxid_x');
    assert.equal(await store.sandbox.rooms.invite('app-a', 'r1@chatroom', 'wxid_x'), undefined);
    await store.sandbox.rooms.putInvite(invite);

    const pin = { appId: 'app-a', roomId: 'r1@chatroom', msgId: '900', summary: '通知', msgInfo: { msg_id: '900', nested: { list: [1, 2] } }, operatorWxid: 'wxid_a', createdAt: 10 };
    await store.sandbox.rooms.putTopMsg(pin);
    await store.sandbox.rooms.putTopMsg({ ...pin, msgId: '901', createdAt: 11 });
    await store.sandbox.rooms.putTopMsg({ ...pin, summary: '通知 (改)' });
    assert.deepEqual((await store.sandbox.rooms.topMsgs('app-a', 'r1@chatroom')).map((p) => [p.msgId, p.summary]), [['900', '通知 (改)'], ['901', '通知']]);
    assert.deepEqual((await store.sandbox.rooms.topMsgs('app-a', 'r1@chatroom'))[0]?.msgInfo, pin.msgInfo);
    assert.equal(await store.sandbox.rooms.removeTopMsg('app-a', 'r1@chatroom', '901'), true);
    assert.equal(await store.sandbox.rooms.removeTopMsg('app-a', 'r1@chatroom', '901'), false);

    await store.sandbox.rooms.remove('app-a', 'r1@chatroom');
    assert.equal(await store.sandbox.rooms.get('app-a', 'r1@chatroom'), undefined);
    assert.equal(await store.sandbox.rooms.memberCount('app-a', 'r1@chatroom'), 0);
    assert.deepEqual(await store.sandbox.rooms.savedPage('app-a', 'wxid_a', 0, 10), []);
    assert.equal(await store.sandbox.rooms.invite('app-a', 'r1@chatroom', 'wxid_x'), undefined);
    assert.deepEqual(await store.sandbox.rooms.topMsgs('app-a', 'r1@chatroom'), []);
    await store.sandbox.rooms.insert(room('r1@chatroom'));
    assert.deepEqual(await store.sandbox.rooms.members('app-a', 'r1@chatroom'), [], 'a room made again under the same id starts empty');
  }));

  test('labels: ids from 1 per owner, never reused after a deletion; names, renames and contacts carrying them', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a');
    const contact = (wxid: string) => ({ appId: 'app-a', ownerWxid: 'wxid_o', contactWxid: wxid, remark: '', pinned: false, addScene: 3, createdAt: 1 });
    for (const wxid of ['wxid_c1', 'wxid_c2', 'wxid_c3']) await store.sandbox.contacts.add(contact(wxid));
    const family = await store.sandbox.labels.create('app-a', 'wxid_o', '家人');
    const work = await store.sandbox.labels.create('app-a', 'wxid_o', '同事');
    assert.deepEqual([family.labelId, work.labelId], [1, 2]);
    assert.equal((await store.sandbox.labels.create('app-a', 'wxid_other', 'x')).labelId, 1, 'per owner');
    assert.deepEqual(await store.sandbox.labels.get('app-a', 'wxid_o', 1), { appId: 'app-a', ownerWxid: 'wxid_o', labelId: 1, name: '家人' });
    assert.deepEqual((await store.sandbox.labels.byName('app-a', 'wxid_o', '同事'))?.labelId, 2);
    await store.sandbox.labels.rename('app-a', 'wxid_o', 2, '前同事');
    assert.equal(await store.sandbox.labels.byName('app-a', 'wxid_o', '同事'), undefined);
    assert.deepEqual((await store.sandbox.labels.list('app-a', 'wxid_o')).map((l) => l.name), ['家人', '前同事']);

    await store.sandbox.labels.setContactLabels('app-a', 'wxid_o', 'wxid_c3', [2, 1]);
    await store.sandbox.labels.setContactLabels('app-a', 'wxid_o', 'wxid_c1', [1]);
    assert.deepEqual((await store.sandbox.contacts.get('app-a', 'wxid_o', 'wxid_c3'))?.labelIds, [1, 2], 'ascending');
    assert.deepEqual(await store.sandbox.labels.contactsWith('app-a', 'wxid_o', [1]), ['wxid_c1', 'wxid_c3'], 'in contact-list order');
    assert.deepEqual(await store.sandbox.labels.contactsWith('app-a', 'wxid_o', [2, 9]), ['wxid_c3']);
    assert.deepEqual(await store.sandbox.labels.contactsWith('app-a', 'wxid_o', []), []);
    assert.equal(await store.sandbox.labels.usage('app-a', 'wxid_o', 1), 2);
    await store.sandbox.labels.setContactLabels('app-a', 'wxid_o', 'wxid_c3', [2]);
    assert.equal(await store.sandbox.labels.usage('app-a', 'wxid_o', 1), 1, 'set replaces');

    assert.deepEqual(await store.sandbox.labels.remove('app-a', 'wxid_o', 1), ['wxid_c1']);
    assert.equal(await store.sandbox.labels.get('app-a', 'wxid_o', 1), undefined);
    assert.deepEqual((await store.sandbox.contacts.get('app-a', 'wxid_o', 'wxid_c1'))?.labelIds, []);
    assert.equal((await store.sandbox.labels.create('app-a', 'wxid_o', '家人')).labelId, 3, 'the deleted id is not handed out again');
    await store.sandbox.labels.remove('app-a', 'wxid_o', 3);
    assert.equal((await store.sandbox.labels.create('app-a', 'wxid_o', 'again')).labelId, 4, 'not even the newest deleted one');
    assert.equal(await store.sandbox.contacts.remove('app-a', 'wxid_o', 'wxid_c3'), true);
    assert.equal(await store.sandbox.labels.usage('app-a', 'wxid_o', 2), 0, 'labels go with the removed contact entry');
  }));
}
