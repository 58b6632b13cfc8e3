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

test('the readable format (a terminal) writes lines a person reads, with the same redaction; JSON stays the default elsewhere', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-log-'));
  try {
    const file = join(dir, 'pretty');
    const logger = createLogger('info', file, 'pretty');
    logger.info({ app_secret: 'S3cret-never-shown', guid: 'g-1' }, 'instance created');
    await flushLogger(logger);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /INFO.*instance created/);
    assert.match(text, /guid: "g-1"/);
    assert.ok(!text.includes('S3cret-never-shown'));
    assert.throws(() => JSON.parse(text.split('\n')[0]!), 'not a JSON line');
    // 'auto' on a file (not a terminal) is JSON.
    const jsonFile = join(dir, 'json');
    const json = createLogger('info', jsonFile, 'auto');
    json.info('plain');
    await flushLogger(json);
    assert.equal(JSON.parse(readFileSync(jsonFile, 'utf8').trim()).msg, 'plain');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
