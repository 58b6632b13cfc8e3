// Event ids: their format (the webhook-id header) and their order, which keeps the outbox's indexes append-only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newEventId } from './events.ts';

test('event ids are evt_ + 32 lowercase hex digits, unique', () => {
  const ids = Array.from({ length: 2_000 }, () => newEventId());
  for (const id of ids) assert.match(id, /^evt_[0-9a-f]{32}$/);
  assert.equal(new Set(ids).size, ids.length);
});

test('event ids made one after another sort in the order they were made, within a millisecond too', () => {
  const ids = Array.from({ length: 2_000 }, () => newEventId());
  const sorted = [...ids].sort();
  assert.deepEqual(sorted, ids);
});

test('an event id carries the milliseconds it was made at (UUIDv7), so ids of different processes interleave by time', () => {
  const before = Date.now();
  const id = newEventId();
  const after = Date.now();
  const ms = parseInt(id.slice(4, 16), 16);
  assert.ok(ms >= before && ms <= after, `${ms} within [${before}, ${after}]`);
  assert.equal(id[16], '7', 'version nibble');
});
