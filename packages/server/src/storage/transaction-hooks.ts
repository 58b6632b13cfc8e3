// The after-commit hooks of a transaction, run the same way by every store.

/**
 * Runs every afterCommit hook, even when one throws (the commit stands either way), then answers the first error: a
 * failing hook must neither hide the others nor pass for a rolled-back transaction.
 */
export function runAfterCommitHooks(hooks: ReadonlyArray<() => void>): void {
  let failure: { error: unknown } | undefined;
  for (const fn of hooks) {
    try {
      fn();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) throw failure.error;
}
