// The console's pure modules: the SSE parser and the notify-type names (kept equal to the contract's).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MSG_TYPES, NOTIFY_TYPES } from '@wxgate/contract';
import { MSG_NAMES, NOTIFY_NAMES } from '../src/notify.ts';
import { SseParser } from '../src/sse.ts';

test('SSE: messages split across chunks, comments, CRLF, ids and retry', () => {
  const parser = new SseParser();
  assert.deepEqual(parser.push('retry: 3000\n\n: ping\n\nid: 7\nevent: call'), []);
  assert.equal(parser.retryMs, 3000);
  assert.deepEqual(parser.push('back\ndata: {"a":\r'), []);
  assert.deepEqual(parser.push('\ndata: 1}\r\n\r\n'), [{ id: '7', event: 'callback', data: '{"a":\n1}' }]);
  // The id carries over to later messages that do not set one, as EventSource's last event id does.
  assert.deepEqual(parser.push('data: x\n\n'), [{ id: '7', event: 'message', data: 'x' }]);
});

test('notify and msg type names match the contract', () => {
  assert.deepEqual(NOTIFY_NAMES, Object.fromEntries(Object.entries(NOTIFY_TYPES).map(([name, type]) => [type, name])));
  assert.deepEqual(MSG_NAMES, Object.fromEntries(Object.entries(MSG_TYPES).map(([name, type]) => [type, name])));
});
