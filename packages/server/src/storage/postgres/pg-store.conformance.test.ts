// Runs the storage conformance suite against the PostgreSQL store, each test on a fresh schema of the test server
// (WXGATE_TEST_DATABASE_URL); skipped, with the reason, when there is none.
import { test } from 'node:test';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL, freshPostgresStore } from '../../../test/postgres.ts';
import { describeStorageConformance } from '../conformance/storage-conformance.ts';

const url = TEST_DATABASE_URL;
if (url) describeStorageConformance('PostgreSQL', () => freshPostgresStore(url));
else test('storage conformance: PostgreSQL', { skip: POSTGRES_SKIP_REASON }, () => {});
