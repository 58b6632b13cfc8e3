// Test support for Redis, which the nodes of a cluster coordinate through: the server the tests use
// (WXGATE_TEST_REDIS_URL), or skipped with the reason.

/** The Redis the cluster tests use; unset, they skip. */
export const TEST_REDIS_URL = process.env.WXGATE_TEST_REDIS_URL || undefined;

export const REDIS_SKIP_REASON =
  'no Redis: set WXGATE_TEST_REDIS_URL, or run `npm run test:pg` (starts a throwaway Redis too; needs Debian redis-server)';
