// Opens the stores the configuration names: PostgreSQL when a database URL is set, else SQLite in the data directory;
// media blobs in the data directory, or in PostgreSQL when the media store says so.
import { join } from 'node:path';
import type { BlobStore } from './blob-ports.ts';
import { LocalBlobStore } from './blob/local-blob-store.ts';
import type { SecretSealer, Store } from './ports.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';

/** Where the data lives: the configuration's storage settings (config.ts), named here so storage imports no other layer. */
export interface StoreLocation {
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly databaseSchema: string;
  readonly databasePoolSize: number;
  /** Nodes coordinate through Redis (a cluster): the schema is shared, not held by one process. */
  readonly redisUrl?: string;
}

/** Where media blobs live (media.store in config.ts); `postgres` needs the database URL, which config.ts checks. */
export interface BlobLocation extends StoreLocation {
  readonly mediaStore: 'local' | 'postgres';
}

export async function openStore(config: StoreLocation, sealer: SecretSealer): Promise<Store> {
  if (config.databaseUrl !== undefined) {
    // pg and the PostgreSQL store load only when a database URL is set: most starts never need them.
    const { PostgresStore } = await import('./postgres/pg-store.ts');
    // Alone (no Redis), a node holds its schema so that a second one cannot run beside it uncoordinated.
    return PostgresStore.open(config.databaseUrl, {
      schema: config.databaseSchema, poolSize: config.databasePoolSize, sealer, exclusive: config.redisUrl === undefined,
    });
  }
  return new SqliteStore(join(config.dataDir, 'wxgate.db'), { sealer });
}

/** The blob store for CDN objects of at most `maxObjectBytes` (ciphertext) bytes. */
export async function openBlobStore(location: BlobLocation, maxObjectBytes: number): Promise<BlobStore> {
  if (location.mediaStore === 'postgres') {
    if (location.databaseUrl === undefined) throw new Error('the postgres media store needs a database URL (WXGATE_DATABASE_URL)');
    const { PostgresBlobStore } = await import('./blob/postgres-blob-store.ts');
    return PostgresBlobStore.open(location.databaseUrl, { schema: location.databaseSchema, maxObjectBytes });
  }
  return new LocalBlobStore(join(location.dataDir, 'media'), maxObjectBytes);
}
