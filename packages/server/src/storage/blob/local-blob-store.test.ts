// The local blob store: content addressing, size limit without partial files, and crash leftovers never visible.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BlobTooLargeError } from '../blob-ports.ts';
import { LocalBlobStore } from './local-blob-store.ts';

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

function withRoot(fn: (root: string) => Promise<void>) {
  return async () => {
    const root = mkdtempSync(join(tmpdir(), 'wxgate-blob-'));
    try {
      await fn(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}

test('put/get round trip, addressed by sha256, equal content stored once', withRoot(async (root) => {
  const store = new LocalBlobStore(root, 1024);
  const data = Buffer.from('ciphertext bytes');
  const stored = await store.put(data);
  assert.equal(stored.blobId, createHash('sha256').update(data).digest('hex'));
  assert.equal(stored.size, data.length);
  assert.deepEqual(await store.get(stored.blobId), data);
  assert.ok(await store.has(stored.blobId));
  assert.deepEqual(await store.put(data), stored);
  assert.equal(files(join(root, 'objects')).length, 1);
  await store.delete(stored.blobId);
  assert.equal(await store.get(stored.blobId), undefined);
  assert.equal(await store.has('0'.repeat(64)), false);
}));

test('an oversized object is refused and leaves no file at all', withRoot(async (root) => {
  const store = new LocalBlobStore(root, 100);
  async function* chunks() {
    for (let i = 0; i < 5; i++) yield Buffer.alloc(30, i);
  }
  await assert.rejects(store.putStream(chunks()), BlobTooLargeError);
  await assert.rejects(store.put(Buffer.alloc(101)), BlobTooLargeError);
  assert.deepEqual(files(root), []);
}));

test('a write that fails midway (a crash in the source) leaves no visible object; restart clears leftovers', withRoot(async (root) => {
  const store = new LocalBlobStore(root, 1 << 20);
  async function* failing() {
    yield Buffer.alloc(64, 1);
    throw new Error('connection reset');
  }
  await assert.rejects(store.putStream(failing()), /connection reset/);
  assert.deepEqual(files(root), []);
  // a process killed between write and rename leaves a temp file in incoming/: never addressable, removed at start
  writeFileSync(join(root, 'incoming', 'deadbeef'), Buffer.alloc(10));
  new LocalBlobStore(root, 1 << 20);
  assert.deepEqual(files(root), []);
}));
