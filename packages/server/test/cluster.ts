// Test support for a cluster: two nodes over one PostgreSQL schema and one Redis, built in-process (real servers;
// skipped with the reason without them).
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSecretKey, type Config } from '../src/config.ts';
import { loadSecretBox } from '../src/core/secrets/secret-keys.ts';
import { PostgresStore } from '../src/storage/postgres/pg-store.ts';
import { startHarness, type Harness } from './harness.ts';
import { POSTGRES_SKIP_REASON, postgresSchemaFor, TEST_DATABASE_URL } from './postgres.ts';
import { REDIS_SKIP_REASON, TEST_REDIS_URL } from './redis.ts';

/** Why a cluster test cannot run here, or false when it can. */
export const CLUSTER_SKIP = !TEST_DATABASE_URL ? POSTGRES_SKIP_REASON : !TEST_REDIS_URL ? REDIS_SKIP_REASON : false;

/**
 * Another node on `first`'s schema, with the same secret key (secret columns are sealed with it) and its own data
 * directory: the second process on that schema, so its store is opened without the single-node lock a lone process
 * takes.
 */
export async function startNodeBeside(first: Harness, secretKey: string, overrides: Partial<Config> = {}): Promise<Harness> {
  const schema = postgresSchemaFor(first.dataDir);
  const dataDir = mkdtempSync(join(tmpdir(), 'wxgate-test-node-'));
  const store = await PostgresStore.open(TEST_DATABASE_URL!, {
    schema, poolSize: 4, exclusive: false, sealer: loadSecretBox({ dataDir, current: decodeSecretKey(secretKey)! }),
  });
  return startHarness({ secretKey, ...overrides, databaseSchema: schema }, { dataDir, clock: first.clock, appKey: first.appKey, appSecret: first.appSecret }, { store });
}

/** Node A as a lone process starts (it creates the schema and the first app); node B joins it, both on Redis. */
export async function startTwoNodes(overrides: Partial<Config> = {}): Promise<{ a: Harness; b: Harness }> {
  const secretKey = randomBytes(32).toString('hex');
  const settings = { redisUrl: TEST_REDIS_URL, ...overrides };
  const a = await startHarness({ secretKey, ...settings }, undefined, { realTime: true });
  try {
    return { a, b: await startNodeBeside(a, secretKey, settings) };
  } catch (err) {
    await a.close();
    throw err;
  }
}

/** Two nodes for the tests of one describe block: started before them (handed to `use`), closed after them. */
export function useTwoNodes(use: (nodes: { a: Harness; b: Harness }) => void, overrides: Partial<Config> = {}): void {
  let nodes: { a: Harness; b: Harness } | undefined;
  before(async () => {
    nodes = await startTwoNodes(overrides);
    use(nodes);
  });
  after(async () => {
    await nodes?.b.close();
    await nodes?.a.close();
  });
}
