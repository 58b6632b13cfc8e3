// Conformance: the relay driver's storage — upstream mappings (found by token and case-insensitive upstream guid),
// callback dedup, and the mirror of contacts, rooms, room members and messages (seen once, revokes noticed).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RelayMapping, RelayMessage, RelayMirrorEntry } from '../ports.ts';
import { seedApp, withStore, type StoreFactory } from './subject.ts';

export const RELAY_METHODS = [
  'relay.mappings.insert', 'relay.mappings.get', 'relay.mappings.byToken', 'relay.mappings.byUpstreamGuid', 'relay.mappings.setRegisteredNotifyUrl',
  'relay.mappings.delete',
  'relay.dedup.seenAt', 'relay.dedup.remember', 'relay.dedup.prune',
  'relay.mirror.upsert', 'relay.mirror.get', 'relay.mirror.remove', 'relay.mirror.list', 'relay.mirror.count', 'relay.mirror.withLabels',
  'relay.mirror.labelIds', 'relay.mirror.setRoomMembers', 'relay.mirror.roomMembers', 'relay.mirror.countRoomMembers', 'relay.mirror.addMessage',
  'relay.mirror.takeInMessage', 'relay.mirror.messages', 'relay.mirror.message',
] as const;

const mapping: RelayMapping = {
  guid: 'g1', appId: 'app-a', upstreamGuid: 'AbCd1234-0000-4000-8000-00000000EEEE', notifyToken: 'tok_secret_1', adopted: true, registeredNotifyUrl: '', createdAt: 1,
};
const entry = (username: string, kind: RelayMirrorEntry['kind'], labelIds: number[] = []): RelayMirrorEntry => ({
  guid: 'g1', username, kind, data: { UserName: username, NickName: `${username} 昵称` }, labelIds, updatedAt: 10,
});
const relayed = (msgId: string, overrides: Partial<RelayMessage> = {}): RelayMessage => ({
  guid: 'g1', msgId, direction: 'in', fromUsername: 'wxid_b', toUsername: 'wxid_a', msgType: 1, createTime: 1_700_000_000, data: { msg_id: msgId, content: 'hi' },
  ...overrides,
});

export function relayConformance(make: StoreFactory): void {
  test('mappings: found by guid, token and upstream guid in any case; the notify URL is recorded', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1']);
    await store.relay.mappings.insert(mapping);
    assert.deepEqual(await store.relay.mappings.get('g1'), mapping);
    assert.deepEqual(await store.relay.mappings.byToken('tok_secret_1'), mapping);
    assert.equal(await store.relay.mappings.byToken('TOK_SECRET_1'), undefined, 'tokens are exact');
    assert.deepEqual(await store.relay.mappings.byUpstreamGuid('abcd1234-0000-4000-8000-00000000eeee'), mapping);
    assert.deepEqual(await store.relay.mappings.byUpstreamGuid('ABCD1234-0000-4000-8000-00000000EEEE'), mapping);
    await store.relay.mappings.setRegisteredNotifyUrl('g1', 'https://wxgate.example.com/upstream/notify/tok_secret_1');
    assert.equal((await store.relay.mappings.get('g1'))?.registeredNotifyUrl, 'https://wxgate.example.com/upstream/notify/tok_secret_1');
  }));

  test('deleting a mapping removes everything mirrored for the instance, and only for it', () => withStore(make, async (store) => {
    await seedApp(store, 'app-a', ['g1', 'g2']);
    await store.relay.mappings.insert(mapping);
    await store.relay.mirror.upsert(entry('wxid_b', 'contact'));
    await store.relay.mirror.upsert({ ...entry('wxid_b', 'contact'), guid: 'g2' });
    await store.relay.mirror.setRoomMembers('g1', 'r@chatroom', [{ guid: 'g1', room: 'r@chatroom', username: 'wxid_b', data: {} }]);
    await store.relay.mirror.addMessage(relayed('1'));
    await store.relay.mappings.delete('g1');
    assert.equal(await store.relay.mappings.get('g1'), undefined);
    assert.equal(await store.relay.mirror.get('g1', 'wxid_b'), undefined);
    assert.equal(await store.relay.mirror.countRoomMembers('g1', 'r@chatroom'), 0);
    assert.deepEqual(await store.relay.mirror.messages('g1', { afterSeq: 0, limit: 10 }), []);
    assert.ok(await store.relay.mirror.get('g2', 'wxid_b'));
  }));

  test('dedup remembers when a key was first taken in, overwrites on remember, prunes old records up to a limit', () => withStore(make, async (store) => {
    assert.equal(await store.relay.dedup.seenAt('g1', 'k1'), undefined);
    await store.relay.dedup.remember('g1', 'k1', 100);
    await store.relay.dedup.remember('g1', 'k2', 150);
    await store.relay.dedup.remember('g1', 'k3', 500);
    assert.equal(await store.relay.dedup.seenAt('g1', 'k1'), 100);
    assert.equal(await store.relay.dedup.seenAt('g2', 'k1'), undefined, 'per instance');
    await store.relay.dedup.remember('g1', 'k1', 400);
    assert.equal(await store.relay.dedup.seenAt('g1', 'k1'), 400);
    assert.equal(await store.relay.dedup.prune(450, 10), 2);
    assert.equal(await store.relay.dedup.seenAt('g1', 'k2'), undefined);
    assert.equal(await store.relay.dedup.seenAt('g1', 'k3'), 500);
    await store.relay.dedup.remember('g1', 'k4', 1);
    await store.relay.dedup.remember('g1', 'k5', 1);
    assert.equal(await store.relay.dedup.prune(450, 1), 1, 'the limit holds');
  }));

  test('the mirror keeps entries in first-seen order through updates, pages by kind, and finds labels', () => withStore(make, async (store) => {
    await store.relay.mirror.upsert(entry('wxid_b', 'contact', [3]));
    await store.relay.mirror.upsert(entry('r1@chatroom', 'room'));
    await store.relay.mirror.upsert(entry('wxid_c', 'contact', [1, 3]));
    await store.relay.mirror.upsert(entry('u@openim', 'openim'));
    await store.relay.mirror.upsert({ ...entry('wxid_b', 'contact', [2]), data: { UserName: 'wxid_b', NickName: '新名字' }, updatedAt: 20 });
    assert.deepEqual(await store.relay.mirror.get('g1', 'wxid_b'), { ...entry('wxid_b', 'contact', [2]), data: { UserName: 'wxid_b', NickName: '新名字' }, updatedAt: 20 });
    assert.deepEqual((await store.relay.mirror.list('g1', 'contact', 0, 10)).map((e) => e.username), ['wxid_b', 'wxid_c'], 'an update keeps the place');
    assert.deepEqual((await store.relay.mirror.list('g1', 'contact', 1, 10)).map((e) => e.username), ['wxid_c']);
    assert.equal(await store.relay.mirror.count('g1', 'contact'), 2);
    assert.equal(await store.relay.mirror.count('g1', 'openim_room'), 0);
    assert.deepEqual((await store.relay.mirror.withLabels('g1', [3])).map((e) => e.username), ['wxid_c']);
    assert.deepEqual((await store.relay.mirror.withLabels('g1', [2, 1])).map((e) => e.username), ['wxid_b', 'wxid_c']);
    assert.deepEqual(await store.relay.mirror.withLabels('g1', [13]), [], 'label 13 is not label 1 or 3');
    assert.deepEqual(await store.relay.mirror.labelIds('g1'), [1, 2, 3]);
    await store.relay.mirror.remove('g1', 'wxid_c');
    assert.equal(await store.relay.mirror.get('g1', 'wxid_c'), undefined);
    assert.deepEqual(await store.relay.mirror.labelIds('g1'), [2]);
  }));

  test('room members are replaced whole, paged in list order; removing the room entry takes them', () => withStore(make, async (store) => {
    const member = (username: string) => ({ guid: 'g1', room: 'r1@chatroom', username, data: { UserName: username } });
    await store.relay.mirror.upsert(entry('r1@chatroom', 'room'));
    await store.relay.mirror.setRoomMembers('g1', 'r1@chatroom', ['wxid_x', 'wxid_y', 'wxid_z'].map(member));
    await store.relay.mirror.setRoomMembers('g1', 'r1@chatroom', ['wxid_c', 'wxid_a', 'wxid_b'].map(member));
    assert.deepEqual((await store.relay.mirror.roomMembers('g1', 'r1@chatroom', 0, 10)).map((m) => m.username), ['wxid_c', 'wxid_a', 'wxid_b']);
    assert.deepEqual(await store.relay.mirror.roomMembers('g1', 'r1@chatroom', 1, 1), [member('wxid_a')]);
    assert.equal(await store.relay.mirror.countRoomMembers('g1', 'r1@chatroom'), 3);
    await store.relay.mirror.remove('g1', 'r1@chatroom');
    assert.equal(await store.relay.mirror.countRoomMembers('g1', 'r1@chatroom'), 0);
  }));

  test('messages are archived once in seq order, a send is completed by its callback, revokes are noticed', () => withStore(make, async (store) => {
    await store.relay.mirror.addMessage(relayed('1001'));
    await store.relay.mirror.addMessage(relayed('1001', { data: { msg_id: '1001', content: 'changed' } }));
    await store.relay.mirror.addMessage(relayed('1002', { direction: 'out', fromUsername: '', toUsername: 'wxid_c', data: { newMsgId: '1002' } }));
    await store.relay.mirror.addMessage(relayed('1002', { direction: 'out', fromUsername: 'wxid_a', toUsername: 'wxid_c', data: { msg_id: '1002', content: 'sent' } }));
    await store.relay.mirror.addMessage(relayed('1003', { msgType: 10002, data: { msg_id: '1003', content: '<sysmsg type="revokemsg"><revokemsg><newmsgid>1001</newmsgid></revokemsg></sysmsg>' } }));
    const all = await store.relay.mirror.messages('g1', { afterSeq: 0, limit: 10 });
    assert.deepEqual(all.map((m) => m.msgId), ['1001', '1002', '1003']);
    assert.ok(all[0]!.seq < all[1]!.seq && all[1]!.seq < all[2]!.seq);
    assert.deepEqual(all[0]!.data, { msg_id: '1001', content: 'hi' }, 'a repeat is ignored');
    assert.equal(all[0]!.revoked, true);
    assert.equal(all[1]!.revoked, false);
    assert.deepEqual([all[1]!.fromUsername, all[1]!.data], ['wxid_a', { msg_id: '1002', content: 'sent' }], 'the callback completed the send');
    assert.deepEqual((await store.relay.mirror.messages('g1', { talker: 'wxid_c', afterSeq: 0, limit: 10 })).map((m) => m.msgId), ['1002']);
    assert.deepEqual((await store.relay.mirror.messages('g1', { afterSeq: all[0]!.seq, limit: 1 })).map((m) => m.msgId), ['1002']);
    assert.deepEqual(await store.relay.mirror.messages('g2', { afterSeq: 0, limit: 10 }), []);
    // One message by id, as the list has it; another instance's id answers nothing.
    assert.deepEqual(await store.relay.mirror.message('g1', '1001'), all[0]);
    assert.deepEqual(await store.relay.mirror.message('g1', '1002'), all[1]);
    assert.equal(await store.relay.mirror.message('g2', '1001'), undefined);
    assert.equal(await store.relay.mirror.message('g1', '9999'), undefined);
  }));

  test('takeInMessage: new once per msg_id and instance; a send known from its answer is new, and completed', () => withStore(make, async (store) => {
    assert.equal(await store.relay.mirror.takeInMessage(relayed('2001')), true);
    assert.equal(await store.relay.mirror.takeInMessage(relayed('2001', { data: { msg_id: '2001', content: 'again' } })), false, 'a repeat');
    assert.equal(await store.relay.mirror.takeInMessage(relayed('2001', { guid: 'g2' })), true, 'per instance');
    // A send first known from its answer: its callback is new, completes the row, and is new only once.
    await store.relay.mirror.addMessage(relayed('2002', { direction: 'out', fromUsername: '', toUsername: 'wxid_c', data: { newMsgId: '2002' } }));
    assert.equal(await store.relay.mirror.takeInMessage(relayed('2002', { direction: 'out', fromUsername: 'wxid_a', toUsername: 'wxid_c', data: { msg_id: '2002', content: 'sent' } })), true);
    assert.equal(await store.relay.mirror.takeInMessage(relayed('2002', { direction: 'out', fromUsername: 'wxid_a', toUsername: 'wxid_c', data: { msg_id: '2002', content: 'sent' } })), false);
    // An answer arriving after the callback changes nothing, and the callback stays taken in.
    await store.relay.mirror.addMessage(relayed('2001', { direction: 'out', fromUsername: '', data: { newMsgId: '2001' } }));
    assert.equal(await store.relay.mirror.takeInMessage(relayed('2001')), false);
    // A callback for a message the answer knew, carrying no msg_id in its data (not a completion), keeps the row.
    await store.relay.mirror.addMessage(relayed('2003', { direction: 'out', fromUsername: '', data: { newMsgId: '2003' } }));
    assert.equal(await store.relay.mirror.takeInMessage(relayed('2003', { fromUsername: 'wxid_x', data: { content: 'no id' } })), true);
    const rows = await store.relay.mirror.messages('g1', { afterSeq: 0, limit: 10 });
    assert.deepEqual(rows.map((m) => [m.msgId, m.fromUsername, m.data]), [
      ['2001', 'wxid_b', { msg_id: '2001', content: 'hi' }],
      ['2002', 'wxid_a', { msg_id: '2002', content: 'sent' }],
      ['2003', '', { newMsgId: '2003' }],
    ]);
    assert.equal((await store.relay.mirror.messages('g2', { afterSeq: 0, limit: 10 })).length, 1);
  }));
}
