// Blob store in a local directory: content-addressed files written to a temp name, fsynced, then renamed into place.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BlobTooLargeError, type BlobStore, type StoredBlob } from '../blob-ports.ts';

const BLOB_ID = /^[0-9a-f]{64}$/;

export class LocalBlobStore implements BlobStore {
  readonly kind = 'local';
  readonly #objects: string;
  readonly #incoming: string;

  /** `root` is created if missing; leftovers of writes interrupted by a crash are removed (they were never visible). */
  constructor(root: string, readonly maxObjectBytes: number) {
    this.#objects = join(root, 'objects');
    this.#incoming = join(root, 'incoming');
    mkdirSync(this.#objects, { recursive: true });
    mkdirSync(this.#incoming, { recursive: true });
    for (const leftover of readdirSync(this.#incoming)) rmSync(join(this.#incoming, leftover), { force: true });
  }

  /** objects/ab/<id>: a fan-out directory keeps any one directory small. */
  #path(blobId: string): string {
    if (!BLOB_ID.test(blobId)) throw new RangeError('not a blob id');
    return join(this.#objects, blobId.slice(0, 2), blobId);
  }

  put(data: Uint8Array): Promise<StoredBlob> {
    return this.putStream((async function* once() {
      yield data;
    })());
  }

  async putStream(chunks: AsyncIterable<Uint8Array>): Promise<StoredBlob> {
    const temp = join(this.#incoming, randomBytes(12).toString('hex'));
    const hash = createHash('sha256');
    let size = 0;
    const file = await open(temp, 'wx', 0o600);
    try {
      for await (const chunk of chunks) {
        size += chunk.length;
        if (size > this.maxObjectBytes) throw new BlobTooLargeError(this.maxObjectBytes);
        hash.update(chunk);
        await file.write(chunk);
      }
      await file.sync();
    } catch (error) {
      await file.close();
      await rm(temp, { force: true });
      throw error;
    }
    await file.close();
    const blobId = hash.digest('hex');
    const target = this.#path(blobId);
    mkdirSync(join(this.#objects, blobId.slice(0, 2)), { recursive: true });
    // rename is atomic: readers see the old state or the whole file, and equal content simply replaces itself
    await rename(temp, target);
    await syncDirectory(join(this.#objects, blobId.slice(0, 2)));
    return { blobId, size };
  }

  async get(blobId: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.#path(blobId));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async has(blobId: string): Promise<boolean> {
    try {
      return (await stat(this.#path(blobId))).isFile();
    } catch {
      return false;
    }
  }

  async delete(blobId: string): Promise<void> {
    await rm(this.#path(blobId), { force: true });
  }

  async close(): Promise<void> {}
}

/** fsync of the directory makes the rename itself durable. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
