// The blob port: where CDN objects' (encrypted) bytes live, addressed by the sha256 of what was stored.

/** The store refused an object larger than its limit; nothing was kept. */
export class BlobTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`object exceeds the ${limit}-byte limit`);
  }
}

export interface StoredBlob {
  /** sha256 of the stored bytes, lowercase hex: equal content is stored once. */
  readonly blobId: string;
  readonly size: number;
}

export interface BlobStore {
  readonly kind: string;
  /** Largest object accepted, in bytes. */
  readonly maxObjectBytes: number;
  /** Stores bytes atomically: after a crash the object is either complete or absent. */
  put(data: Uint8Array): Promise<StoredBlob>;
  /** Stores a stream, refusing it (and keeping nothing) once it passes `maxObjectBytes`. */
  putStream(chunks: AsyncIterable<Uint8Array>): Promise<StoredBlob>;
  /** The bytes, or undefined when there is no such blob. */
  get(blobId: string): Promise<Buffer | undefined>;
  has(blobId: string): Promise<boolean>;
  delete(blobId: string): Promise<void>;
  /** Lets go of what the store holds (a connection pool); the local store holds nothing. */
  close(): Promise<void>;
}
