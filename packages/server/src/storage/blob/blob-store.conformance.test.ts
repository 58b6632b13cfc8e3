// One behaviour for every blob store, run against the local store and the PostgreSQL store (real PostgreSQL from
// WXGATE_TEST_DATABASE_URL, skipped with the reason without it): content addressing, equal content kept once, the limit
// refused leaving nothing, empty and binary objects, and a PostgreSQL object read by a second store on the same schema.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import pg from 'pg';
import { dropSchema, freshSchemaName, POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../../../test/postgres.ts';
import { BlobTooLargeError, type BlobStore } from '../blob-ports.ts';
import { LocalBlobStore } from './local-blob-store.ts';
import { PostgresBlobStore, READ_SLICE_BYTES } from './postgres-blob-store.ts';

interface BlobSubject {
  readonly store: BlobStore;
  /** Objects held where the store keeps them, complete or not (files, rows): what "nothing kept" is checked on. */
  stored(): Promise<number>;
  close(): Promise<void>;
}

type OpenSubject = (maxObjectBytes: number) => Promise<BlobSubject>;

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');

async function* chunksOf(data: Buffer, size: number) {
  for (let offset = 0; offset < data.length; offset += size) yield data.subarray(offset, offset + size);
}

function describeBlobStore(name: string, open: OpenSubject, options: { skip?: string | false } = {}) {
  describe(`blob store conformance: ${name}`, { skip: options.skip ?? false }, () => {
    const withSubject = (maxObjectBytes: number, fn: (subject: BlobSubject) => Promise<void>) => async () => {
      const subject = await open(maxObjectBytes);
      try {
        await fn(subject);
      } finally {
        await subject.close();
      }
    };

    test('put, get, has and delete, addressed by the sha256 of the bytes', withSubject(1024, async ({ store, stored }) => {
      const data = Buffer.from('ciphertext bytes');
      const blob = await store.put(data);
      assert.deepEqual(blob, { blobId: sha256(data), size: data.length });
      assert.deepEqual(await store.get(blob.blobId), data);
      assert.equal(await store.has(blob.blobId), true);
      assert.equal(await store.has('0'.repeat(64)), false);
      assert.equal(await store.get('0'.repeat(64)), undefined);
      assert.equal(await stored(), 1);
      await store.delete(blob.blobId);
      assert.equal(await store.get(blob.blobId), undefined);
      assert.equal(await store.has(blob.blobId), false);
      assert.equal(await stored(), 0);
      await store.delete(blob.blobId);
      assert.deepEqual(await store.put(data), blob, 'stored again after a delete');
      assert.deepEqual(await store.get(blob.blobId), data);
    }));

    test('a string that is no blob id: has answers false, get and delete refuse it', withSubject(1024, async ({ store }) => {
      assert.equal(await store.has('../secret'), false);
      assert.equal(await store.has('A'.repeat(64)), false);
      await assert.rejects(store.get('../secret'), RangeError);
      await assert.rejects(store.delete('x'), RangeError);
    }));

    test('equal content is stored once, however it arrives and however many put it at once', withSubject(1 << 20, async ({ store, stored }) => {
      const data = randomBytes(10_000);
      const blob = await store.put(data);
      assert.deepEqual(await store.put(data), blob);
      assert.deepEqual(await store.putStream(chunksOf(data, 333)), blob);
      const racing = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? store.put(data) : store.putStream(chunksOf(data, 1000)))));
      for (const r of racing) assert.deepEqual(r, blob);
      assert.equal(await stored(), 1);
      assert.deepEqual(await store.get(blob.blobId), data);
      const other = await store.put(Buffer.from('other'));
      assert.notEqual(other.blobId, blob.blobId);
      assert.equal(await stored(), 2);
    }));

    test('past the limit, put and putStream are refused and nothing is kept; at the limit, accepted', withSubject(100, async ({ store, stored }) => {
      assert.equal(store.maxObjectBytes, 100);
      await assert.rejects(store.put(Buffer.alloc(101, 1)), (err: unknown) => err instanceof BlobTooLargeError && err.limit === 100);
      let pulled = 0;
      async function* endless() {
        for (;;) {
          pulled++;
          yield Buffer.alloc(30, pulled);
        }
      }
      await assert.rejects(store.putStream(endless()), BlobTooLargeError);
      assert.equal(pulled, 4, 'the source is not read past the chunk that crossed the limit');
      assert.equal(await stored(), 0);
      const full = Buffer.alloc(100, 9);
      assert.deepEqual(await store.putStream(chunksOf(full, 30)), { blobId: sha256(full), size: 100 });
      assert.deepEqual(await store.get(sha256(full)), full);
      assert.equal(await stored(), 1);
    }));

    test('a source that fails midway keeps nothing', withSubject(1 << 20, async ({ store, stored }) => {
      async function* failing() {
        yield Buffer.alloc(64, 1);
        throw new Error('connection reset');
      }
      await assert.rejects(store.putStream(failing()), /connection reset/);
      assert.equal(await stored(), 0);
    }));

    test('the empty object, from put and from a stream of no chunks', withSubject(1024, async ({ store }) => {
      const blob = await store.put(new Uint8Array(0));
      assert.deepEqual(blob, { blobId: sha256(Buffer.alloc(0)), size: 0 });
      assert.deepEqual(await store.putStream((async function* none() {})()), blob);
      const back = await store.get(blob.blobId);
      assert.ok(Buffer.isBuffer(back));
      assert.equal(back.length, 0);
      assert.equal(await store.has(blob.blobId), true);
    }));

    test('binary bytes round trip exactly: every byte value, a view into a larger buffer, objects of several read slices', withSubject(3 * READ_SLICE_BYTES, async ({ store }) => {
      const everyByte = Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256));
      assert.deepEqual(await store.get((await store.put(everyByte)).blobId), everyByte);
      const backing = randomBytes(4096);
      const view = new Uint8Array(backing.buffer, backing.byteOffset + 100, 1000);
      const fromView = await store.put(view);
      assert.equal(fromView.blobId, sha256(backing.subarray(100, 1100)));
      assert.deepEqual(await store.get(fromView.blobId), backing.subarray(100, 1100));
      // Around the PostgreSQL store's read slice: exactly one, one byte more, and several with a short last one.
      for (const size of [READ_SLICE_BYTES, READ_SLICE_BYTES + 1, 2 * READ_SLICE_BYTES + 12_345]) {
        const big = randomBytes(size);
        const blob = await store.putStream(chunksOf(big, 1 << 20));
        assert.deepEqual(blob, { blobId: sha256(big), size });
        const back = await store.get(blob.blobId);
        assert.ok(back !== undefined && back.length === size && back.equals(big), `${size} bytes`);
      }
    }));

    test('a source that reuses its buffer for each chunk is stored as it was read', withSubject(1 << 20, async ({ store }) => {
      const expected = Buffer.concat([Buffer.alloc(100, 1), Buffer.alloc(100, 2), Buffer.alloc(100, 3)]);
      const reused = Buffer.alloc(100);
      async function* reusing() {
        for (const fill of [1, 2, 3]) {
          reused.fill(fill);
          yield reused;
        }
      }
      const blob = await store.putStream(reusing());
      assert.equal(blob.blobId, sha256(expected));
      assert.deepEqual(await store.get(blob.blobId), expected);
    }));
  });
}

function files(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

describeBlobStore('local', async (maxObjectBytes) => {
  const root = mkdtempSync(join(tmpdir(), 'wxgate-blob-'));
  // Every file under the root, incoming/ included: a refused or failed write must leave no temp file either.
  return { store: new LocalBlobStore(root, maxObjectBytes), stored: async () => files(root), close: async () => rmSync(root, { recursive: true, force: true }) };
});

const url = TEST_DATABASE_URL;

/** Rows of media_blobs in `schema`, read over a connection of the test's own. */
async function blobRows(schema: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.media_blobs`)).rows[0]!.n);
  } finally {
    await client.end();
  }
}

describeBlobStore('PostgreSQL', async (maxObjectBytes) => {
  const schema = freshSchemaName();
  const store = await PostgresBlobStore.open(url!, { schema, maxObjectBytes, poolSize: 2 });
  return {
    store,
    stored: () => blobRows(schema),
    close: async () => {
      await store.close();
      await dropSchema(url!, schema);
    },
  };
}, { skip: url ? false : POSTGRES_SKIP_REASON });

describe('PostgreSQL blob store', { skip: url ? false : POSTGRES_SKIP_REASON }, () => {
  test('what one store (one node) puts, another on the same schema reads, and its delete is seen by the first', async () => {
    const schema = freshSchemaName();
    const a = await PostgresBlobStore.open(url!, { schema, maxObjectBytes: 1 << 20, poolSize: 1 });
    const b = await PostgresBlobStore.open(url!, { schema, maxObjectBytes: 1 << 20, poolSize: 1 });
    try {
      const data = randomBytes(70_000);
      const blob = await a.put(data);
      assert.equal(await b.has(blob.blobId), true);
      assert.deepEqual(await b.get(blob.blobId), data);
      assert.deepEqual(await b.put(data), blob);
      assert.equal(await blobRows(schema), 1);
      await b.delete(blob.blobId);
      assert.equal(await a.get(blob.blobId), undefined);
    } finally {
      await a.close();
      await b.close();
      await dropSchema(url!, schema);
    }
  });

  test('ciphertext is kept out of line and uncompressed; a limit past what a bytea holds is refused', async () => {
    const schema = freshSchemaName();
    const store = await PostgresBlobStore.open(url!, { schema, maxObjectBytes: 1024, poolSize: 1 });
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const column = await client.query<{ attstorage: string }>(
        `SELECT a.attstorage FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = $1 AND c.relname = 'media_blobs' AND a.attname = 'data'`, [schema]);
      assert.equal(column.rows[0]?.attstorage, 'e', 'STORAGE EXTERNAL');
      await assert.rejects(PostgresBlobStore.open(url!, { schema, maxObjectBytes: 1 << 30, poolSize: 1 }), RangeError);
    } finally {
      await client.end();
      await store.close();
      await dropSchema(url!, schema);
    }
  });
});
