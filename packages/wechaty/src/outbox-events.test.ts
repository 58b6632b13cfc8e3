// wxgate's callbacks (outbox events) → the events a Wechaty puppet emits, against a recording target.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NOTIFY_TYPES } from '@wxgate/contract';
import * as PUPPET from 'wechaty-puppet';
import { emitFor, renameLine, type EventTarget } from './outbox-events.ts';
import type { RawMessage } from './payloads.ts';

/** Records what the mapping emits; the room members it can name are given. */
class Recorder implements EventTarget {
  readonly emitted: Array<[string, unknown]> = [];
  readonly remembered: string[] = [];
  readonly topics = new Map<string, string[]>();
  readonly rooms = new Set<string>();
  isLoggedIn = false;
  currentUserId = '';
  constructor(readonly members: Record<string, string> = {}) {}
  emit(event: string, payload: unknown): boolean { this.emitted.push([event, payload]); return true; }
  login(wxid: string): void { this.isLoggedIn = true; this.currentUserId = wxid; this.emit('login', { contactId: wxid }); }
  async logout(reason?: string): Promise<void> { this.isLoggedIn = false; this.emit('logout', { contactId: this.currentUserId, data: reason }); }
  remember(message: RawMessage): void { this.remembered.push(message.msg_id); }
  heardOfRoom(roomId: string): void { this.rooms.add(roomId); }
  noteTopic(roomId: string, topic: string): void { this.topics.set(roomId, [...this.topics.get(roomId) ?? [], topic]); }
  topicBefore(roomId: string, topic: string): string {
    const seen = this.topics.get(roomId) ?? [];
    return seen.at(-1) === topic ? seen.at(-2) ?? '' : seen.at(-1) ?? '';
  }
  async memberNamed(_roomId: string, name: string): Promise<string> { return this.members[name] ?? ''; }
}

const event = (notifyType: number, data: unknown, sn = 1) => ({ sn, notifyType, data });
const msg = (fields: Partial<RawMessage>): RawMessage => ({
  msg_id: '1', msg_type: 1, from_username: 'wxid_alice', to_username: 'wxid_me', content: 'hi', create_time: 1_700_000_000, ...fields,
});

test('1002 scan states carry the QR content; 1003 logs in once; 1004 logs out with its reason', async () => {
  const t = new Recorder();
  await emitFor(t, event(NOTIFY_TYPES.LoginQRCodeChange, { status: 0, uuid: 'u1', qrcode_content: 'http://weixin.qq.com/x/u1' }));
  await emitFor(t, event(NOTIFY_TYPES.LoginQRCodeChange, { status: 4, uuid: 'u1' }));
  await emitFor(t, event(NOTIFY_TYPES.UserLogin, { wxid: 'wxid_me' }));
  await emitFor(t, event(NOTIFY_TYPES.UserLogin, { wxid: 'wxid_me' }));
  await emitFor(t, event(NOTIFY_TYPES.UserLogout, { wxid: 'wxid_me', reason: 'logged out on the phone' }));
  assert.deepEqual(t.emitted, [
    ['scan', { status: PUPPET.types.ScanStatus.Waiting, qrcode: 'http://weixin.qq.com/x/u1', data: 'u1' }],
    ['scan', { status: PUPPET.types.ScanStatus.Timeout, qrcode: undefined, data: 'u1' }],
    ['login', { contactId: 'wxid_me' }],
    ['logout', { contactId: 'wxid_me', data: 'logged out on the phone' }],
  ]);
});

test('1010 and 1011 become message events (remembered for their payload); a request from fmessage a friendship', async () => {
  const t = new Recorder();
  await emitFor(t, event(NOTIFY_TYPES.NewMsg, msg({ msg_id: '1' })));
  await emitFor(t, event(NOTIFY_TYPES.BatchNewMsg, [msg({ msg_id: '2' }), msg({ msg_id: '3' })]));
  await emitFor(t, event(NOTIFY_TYPES.NewMsg, msg({ msg_id: '4', msg_type: 37, from_username: 'fmessage', content: '<msg/>' })));
  assert.deepEqual(t.emitted, [
    ['message', { messageId: '1' }], ['message', { messageId: '2' }], ['message', { messageId: '3' }], ['friendship', { friendshipId: '4' }],
  ]);
  assert.deepEqual(t.remembered, ['1', '2', '3', '4']);
});

test('room notices: joins with inviter, leaves with remover', async () => {
  const t = new Recorder();
  const notice = { chatroom: '1@chatroom', operator: 'wxid_alice', member_list: ['wxid_bob', 'wxid_me'], member_count: 3, time: 1_700_000_000 };
  await emitFor(t, event(NOTIFY_TYPES.RoomAdd, notice));
  await emitFor(t, event(NOTIFY_TYPES.RoomMemberAdd, notice));
  await emitFor(t, event(NOTIFY_TYPES.RoomMemberDel, { ...notice, member_list: ['wxid_bob'] }));
  const join = { roomId: '1@chatroom', inviteeIdList: ['wxid_bob', 'wxid_me'], inviterId: 'wxid_alice', timestamp: 1_700_000_000 };
  assert.deepEqual(t.emitted, [
    ['room-join', join], ['room-join', join],
    ['room-leave', { roomId: '1@chatroom', removeeIdList: ['wxid_bob'], removerId: 'wxid_alice', timestamp: 1_700_000_000 }],
  ]);
  assert.deepEqual([...t.rooms], ['1@chatroom'], 'a joined room is known to roomList');
});

test('a rename: 1200 makes the room dirty and keeps its topic; the system line names the changer and the old topic', async () => {
  const t = new Recorder({ Alice: 'wxid_alice' });
  t.login('wxid_me');
  t.emitted.length = 0;
  const room = (name: string) => ({ userName: { string: '1@chatroom' }, nickName: { string: name } });
  const line = (content: string, id: string) => msg({ msg_id: id, msg_type: 10000, from_username: '1@chatroom', chatroom: '1@chatroom', is_chatroom_msg: 1, content });
  t.noteTopic('1@chatroom', 'Hiking');
  await emitFor(t, event(NOTIFY_TYPES.ModContact, room('Climbing')));
  await emitFor(t, event(NOTIFY_TYPES.NewMsg, line('"Alice"修改群名为"Climbing"', '5')));
  await emitFor(t, event(NOTIFY_TYPES.ModContact, room('Bouldering')));
  await emitFor(t, event(NOTIFY_TYPES.NewMsg, line('你修改群名为"Bouldering"', '6')));
  await emitFor(t, event(NOTIFY_TYPES.ModContact, { userName: { string: 'wxid_bob' }, nickName: { string: 'Bob' } }));
  assert.deepEqual(t.emitted, [
    ['dirty', { payloadType: PUPPET.types.Dirty.Room, payloadId: '1@chatroom' }],
    ['message', { messageId: '5' }],
    ['room-topic', { roomId: '1@chatroom', newTopic: 'Climbing', oldTopic: 'Hiking', changerId: 'wxid_alice', timestamp: 1_700_000_000_000 }],
    ['dirty', { payloadType: PUPPET.types.Dirty.Room, payloadId: '1@chatroom' }],
    ['message', { messageId: '6' }],
    ['room-topic', { roomId: '1@chatroom', newTopic: 'Bouldering', oldTopic: 'Climbing', changerId: 'wxid_me', timestamp: 1_700_000_000_000 }],
    ['dirty', { payloadType: PUPPET.types.Dirty.Contact, payloadId: 'wxid_bob' }],
  ]);
});

test('rename lines: by someone, by the account, and other system lines', () => {
  assert.deepEqual(renameLine('"小明"修改群名为"周末 "爬山""'), { by: '小明', topic: '周末 "爬山"' });
  assert.deepEqual(renameLine('你修改群名为"周末爬山"'), { by: null, topic: '周末爬山' });
  assert.equal(renameLine('"A"邀请"B"加入了群聊'), undefined);
});

test('1006 is an error; 1201 makes the contact dirty; every other callback is a heartbeat', async () => {
  const t = new Recorder();
  await emitFor(t, event(NOTIFY_TYPES.HeartBeatError, { wxid: 'wxid_me', reason: 'timeout' }));
  await emitFor(t, event(NOTIFY_TYPES.DelContact, { userName: { string: 'wxid_bob' }, deleteContactScene: 0 }));
  await emitFor(t, event(1005, { wxid: 'wxid_me' }));
  assert.deepEqual(t.emitted, [
    ['error', { data: 'heartbeat error: timeout' }],
    ['dirty', { payloadType: PUPPET.types.Dirty.Contact, payloadId: 'wxid_bob' }],
    ['heartbeat', { data: 'wxgate 1005' }],
  ]);
});

test('a room invitation card is a message and a room-invite; another link card only a message', async () => {
  const t = new Recorder();
  const card = (id: string, url: string) => msg({
    msg_id: id, msg_type: 49, from_username: 'wxid_alice',
    content: `<msg><appmsg><title>邀请你加入群聊</title><des>"Alice"邀请你加入群聊"Hiking"，进入可查看详情。</des><type>5</type><url>${url}</url></appmsg></msg>`,
  });
  await emitFor(t, event(NOTIFY_TYPES.NewMsg, card('7', 'https://support.weixin.qq.com/cgi-bin/mmsupport-bin/addchatroombyinvite?ticket=abc')));
  await emitFor(t, event(NOTIFY_TYPES.NewMsg, card('8', 'https://example.com/page')));
  assert.deepEqual(t.emitted, [
    ['message', { messageId: '7' }], ['room-invite', { roomInvitationId: '7' }], ['message', { messageId: '8' }],
  ]);
});
