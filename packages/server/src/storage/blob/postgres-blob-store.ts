// Blob store in PostgreSQL (WXGATE_MEDIA_STORE=postgres): one media_blobs row per sha256, which every node of a
// cluster reads, so an object uploaded through one node downloads through any other.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { BlobTooLargeError, type BlobStore, type StoredBlob } from '../blob-ports.ts';
import { migratePostgres } from '../postgres/pg-migrations.ts';
import { PoolSql, schemaPool, type Sql } from '../postgres/pg-sql.ts';

const BLOB_ID = /^[0-9a-f]{64}$/;

/**
 * The largest object this store takes: a bytea holds less than 1 GiB, and so does the one Bind message that carries it;
 * the MiB left over is room for the rest of that message.
 */
export const POSTGRES_BLOB_MAX_BYTES = (1 << 30) - (1 << 20);

/**
 * Bytes read per round trip. node-postgres reads bytea as hex text (its binary results decode every value as UTF-8,
 * which mangles bytes), so one read of a whole object would hold a string twice its size on top of the result; past
 * 256 MiB that string is longer than V8 allows, and past 512 MiB longer than PostgreSQL will send. By slices, a read
 * holds the object plus one 16 MiB string.
 */
export const READ_SLICE_BYTES = 8 << 20;

export interface PostgresBlobStoreOptions {
  /** wxgate's schema (WXGATE_DATABASE_SCHEMA): media_blobs is one of its tables. */
  readonly schema: string;
  /** Largest object accepted, in bytes (the ciphertext: encryptedSize of WXGATE_MEDIA_MAX_BYTES). */
  readonly maxObjectBytes: number;
  /** Connections of this store's own pool. */
  readonly poolSize?: number;
}

/**
 * Memory: like the local store, `get` answers the whole object in one Buffer (plus one slice while reading). A put holds
 * the whole object too, because it is sent as one statement: `putStream` gathers the chunks first (refusing past the
 * limit as they come, so no more than the limit is ever held), and node-postgres copies the bytes into the message it
 * sends, so a put briefly needs about twice the object (three times from `putStream`). With the default 100 MiB limit
 * that is a few hundred MiB at worst per upload in flight.
 */
export class PostgresBlobStore implements BlobStore {
  readonly kind = 'postgres';
  readonly #sql: Sql;
  readonly #pool: pg.Pool;
  #closed = false;

  /**
   * Opens a pool of its own on wxgate's schema, not the store's: a 100 MiB transfer holds its connection for a second or
   * more, and on the store's pool a few uploads at once would make every send, event append and login wait behind them.
   * A small separate pool also bounds how many transfers run at once. The schema is migrated as the store does (a no-op
   * once the store has), so this store works on its own too.
   */
  static async open(url: string, options: PostgresBlobStoreOptions): Promise<PostgresBlobStore> {
    if (!Number.isSafeInteger(options.maxObjectBytes) || options.maxObjectBytes < 0 || options.maxObjectBytes > POSTGRES_BLOB_MAX_BYTES) {
      throw new RangeError(`maxObjectBytes must be between 0 and ${POSTGRES_BLOB_MAX_BYTES} (PostgreSQL's bytea holds less than 1 GiB)`);
    }
    const pool = schemaPool(url, options.schema, options.poolSize ?? 4, 'wxgate media');
    try {
      const client = await pool.connect();
      try {
        await migratePostgres(client, options.schema);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresBlobStore(pool, options.maxObjectBytes);
  }

  private constructor(pool: pg.Pool, readonly maxObjectBytes: number) {
    this.#pool = pool;
    this.#sql = new PoolSql(pool);
  }

  put(data: Uint8Array): Promise<StoredBlob> {
    if (data.length > this.maxObjectBytes) return Promise.reject(new BlobTooLargeError(this.maxObjectBytes));
    // Sent without a copy: the caller leaves its bytes alone until the put resolves, as with the local store.
    return this.#insert(Buffer.from(data.buffer, data.byteOffset, data.byteLength), createHash('sha256').update(data).digest('hex'));
  }

  async putStream(chunks: AsyncIterable<Uint8Array>): Promise<StoredBlob> {
    const hash = createHash('sha256');
    const parts: Buffer[] = [];
    let size = 0;
    for await (const chunk of chunks) {
      size += chunk.length;
      if (size > this.maxObjectBytes) throw new BlobTooLargeError(this.maxObjectBytes);
      hash.update(chunk);
      // Copied: a source may reuse its buffer for the next chunk, and what is stored must be what was hashed.
      parts.push(Buffer.from(chunk));
    }
    const data = parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
    parts.length = 0;
    return this.#insert(data, hash.digest('hex'));
  }

  /** One statement, so after a crash the row is whole or absent; equal content (the same id) is kept once. */
  async #insert(data: Buffer, blobId: string): Promise<StoredBlob> {
    await this.#sql.run('INSERT INTO media_blobs (blob_id, data, size, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (blob_id) DO NOTHING',
      [blobId, data, data.length, Date.now()]);
    return { blobId, size: data.length };
  }

  async get(blobId: string): Promise<Buffer | undefined> {
    checkId(blobId);
    const first = await this.#sql.row('SELECT size, substring(data FROM 1 FOR $2) AS part FROM media_blobs WHERE blob_id = $1', [blobId, READ_SLICE_BYTES]);
    if (!first) return undefined;
    const size = first.size as number;
    const head = first.part as Buffer;
    if (head.length === size) return head;
    const whole = Buffer.allocUnsafe(size);
    head.copy(whole, 0);
    for (let offset = head.length; offset < size; offset += READ_SLICE_BYTES) {
      const slice = await this.#sql.row('SELECT substring(data FROM $2 FOR $3) AS part FROM media_blobs WHERE blob_id = $1', [blobId, offset + 1, READ_SLICE_BYTES]);
      // Deleted between two slices: gone, as it would be had the read started a moment later.
      if (!slice) return undefined;
      (slice.part as Buffer).copy(whole, offset);
    }
    return whole;
  }

  async has(blobId: string): Promise<boolean> {
    if (!BLOB_ID.test(blobId)) return false;
    return (await this.#sql.row('SELECT 1 FROM media_blobs WHERE blob_id = $1', [blobId])) !== undefined;
  }

  async delete(blobId: string): Promise<void> {
    checkId(blobId);
    await this.#sql.run('DELETE FROM media_blobs WHERE blob_id = $1', [blobId]);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}

/** As the local store: a string that is no blob id is a caller's mistake, not an absent blob. */
function checkId(blobId: string): void {
  if (!BLOB_ID.test(blobId)) throw new RangeError('not a blob id');
}
