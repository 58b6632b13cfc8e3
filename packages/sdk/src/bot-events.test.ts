// Which handler each notify_type reaches, and the cursor stores' round trips (the file one atomic, across instances).
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dispatchOf } from './bot-events.ts';
import { FileCursorStore, MemoryCursorStore } from './cursor-store.ts';
import type { CallbackEvent } from './webhook.ts';

const ev = (notify_type: number, data: unknown) => ({ guid: 'g', notify_type, data }) as CallbackEvent;
const room = { chatroom: 'r@chatroom', chatroom_name: 'R', operator: 'wxid_op', member_list: ['wxid_a', 'wxid_b'], member_count: 5, time: 100 };

test('dispatch: 1010 by msg_type, 1011 per message, room and account changes, the rest to nobody', () => {
  assert.deepEqual(dispatchOf(ev(1010, { msg_type: 1, content: 'hi' })).map((d) => d.name), ['message']);
  assert.deepEqual(dispatchOf(ev(1010, { msg_type: 37, content: '<msg/>', from_username: 'fmessage' })).map((d) => d.name), ['friend-request']);
  assert.deepEqual(dispatchOf(ev(1011, [{ msg_type: 1, content: 'a' }, { msg_type: 37, content: '' }])).map((d) => d.name), ['message', 'friend-request']);
  assert.deepEqual(dispatchOf(ev(1046, room)), [{ name: 'room-join', change: { room: 'r@chatroom', roomName: 'R', members: ['wxid_a', 'wxid_b'], operator: 'wxid_op', memberCount: 5, time: 100 } }]);
  assert.deepEqual(dispatchOf(ev(1048, room)).map((d) => d.name), ['room-leave']);
  assert.deepEqual(dispatchOf(ev(1003, { wxid: 'wxid_me', nick_name: 'Me', login_time: 9 })), [{ name: 'login', change: { wxid: 'wxid_me', nickName: 'Me', reason: '', time: 9 } }]);
  assert.deepEqual(dispatchOf(ev(1004, { wxid: 'wxid_me', reason: 'phone', time: 10 })), [{ name: 'logout', change: { wxid: 'wxid_me', nickName: '', reason: 'phone', time: 10 } }]);
  for (const other of [0, 1002, 1200, 1043, 2006]) assert.deepEqual(dispatchOf(ev(other, {})), [], `notify_type ${other}`);
});

test('cursor stores: memory, and a JSON file replaced atomically that a new store reads back', async () => {
  const memory = new MemoryCursorStore();
  assert.equal(await memory.load('g/a'), undefined);
  await memory.save('g/a', 4);
  assert.equal(await memory.load('g/a'), 4);

  const dir = mkdtempSync(join(tmpdir(), 'wxgate-cursor-'));
  const path = join(dir, 'nested', 'cursors.json');
  const file = new FileCursorStore(path);
  assert.equal(await file.load('g/a'), undefined);
  await Promise.all([file.save('g/a', 1), file.save('g/b', 2), file.save('g/a', 3)]);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { 'g/a': 3, 'g/b': 2 });
  assert.deepEqual(readdirSync(join(dir, 'nested')), ['cursors.json'], 'no temporary file left behind');
  assert.equal(await new FileCursorStore(path).load('g/b'), 2);
});
