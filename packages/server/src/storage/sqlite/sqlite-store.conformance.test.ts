// Runs the storage conformance suite against the SQLite store: a file in a fresh temp dir per test (WAL, as deployed),
// and the whole suite once more on `:memory:`, which embedded tests use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStorageConformance } from '../conformance/storage-conformance.ts';
import { SqliteStore } from './sqlite-store.ts';

describeStorageConformance('SQLite (file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-storage-conformance-'));
  const store = new SqliteStore(join(dir, 'wxgate.db'));
  return {
    store,
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeStorageConformance('SQLite (:memory:)', async () => {
  const store = new SqliteStore(':memory:');
  return { store, close: () => store.close() };
});
