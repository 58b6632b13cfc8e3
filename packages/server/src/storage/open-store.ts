// Opens the store the configuration names: PostgreSQL when a database URL is set, else SQLite in the data directory.
import { join } from 'node:path';
import type { SecretSealer, Store } from './ports.ts';
import { PostgresStore } from './postgres/pg-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';

/** Where the data lives: the configuration's storage settings (config.ts), named here so storage imports no other layer. */
export interface StoreLocation {
  readonly dataDir: string;
  readonly databaseUrl?: string;
  readonly databaseSchema: string;
  readonly databasePoolSize: number;
}

export async function openStore(config: StoreLocation, sealer: SecretSealer): Promise<Store> {
  if (config.databaseUrl !== undefined) {
    return PostgresStore.open(config.databaseUrl, { schema: config.databaseSchema, poolSize: config.databasePoolSize, sealer, exclusive: true });
  }
  return new SqliteStore(join(config.dataDir, 'wxgate.db'), { sealer });
}
