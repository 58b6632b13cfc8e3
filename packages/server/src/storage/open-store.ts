// Opens the store the configuration names: PostgreSQL when a database URL is set, else SQLite in the data directory.
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { SecretSealer, Store } from './ports.ts';
import { PostgresStore } from './postgres/pg-store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';

export async function openStore(config: Pick<Config, 'dataDir' | 'databaseUrl' | 'databaseSchema' | 'databasePoolSize'>, sealer: SecretSealer): Promise<Store> {
  if (config.databaseUrl !== undefined) {
    return PostgresStore.open(config.databaseUrl, { schema: config.databaseSchema, poolSize: config.databasePoolSize, sealer, exclusive: true });
  }
  return new SqliteStore(join(config.dataDir, 'wxgate.db'), { sealer });
}
