// Waiting in tests for what happens asynchronously, by polling what a user could read; no timings are asserted.
import assert from 'node:assert/strict';

/** Polls `read` until `check` holds of its answer (what another node, a process or a background lane does shows up a moment later); fails with the last answer after `limitMs`. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, limitMs: number): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) assert.fail(`not within ${limitMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
