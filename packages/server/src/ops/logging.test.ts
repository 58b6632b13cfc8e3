// The production logger's batched destination loses nothing that was logged before a flush.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger, flushLogger } from './logging.ts';

test('flushLogger writes every line logged so far, also when a batch write was in flight', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-log-'));
  try {
    for (const count of [1, 50, 2000]) {
      const file = join(dir, `log-${count}`);
      const logger = createLogger('info', file);
      for (let i = 0; i < count; i++) logger.info({ i, pad: 'x'.repeat(200) }, 'line');
      await flushLogger(logger);
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l).i as number);
      assert.deepEqual(lines, Array.from({ length: count }, (_, i) => i), `${count} lines`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
