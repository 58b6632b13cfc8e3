// Unit tests of the data-directory lock within one process (the two-process and kill -9 cases are in test/e2e/).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DataDirInUseError, DataDirLock, OWNER_FILE } from './data-dir-lock.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-dirlock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('a held directory refuses a second holder, naming the directory and the holder in English and Chinese', (t) => {
  const dir = tempDir(t);
  const lock = DataDirLock.acquire(dir, new Date('2026-01-01T00:00:00Z'));
  t.after(() => lock.release());
  assert.deepEqual(JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')), { pid: process.pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' });

  assert.throws(() => DataDirLock.acquire(dir), (err: unknown) => {
    assert.ok(err instanceof DataDirInUseError);
    assert.equal(err.dataDir, dir);
    assert.equal(err.owner?.pid, process.pid);
    const [english, chinese] = err.message.split('\n');
    assert.equal(english, `the data directory ${dir} is in use by process ${process.pid}, running since 2026-01-01T00:00:00.000Z; only one wxgate may run on a data directory — stop that one first, or give this one its own DATA_DIR`);
    assert.equal(chinese, `数据目录 ${dir} 已被进程 ${process.pid} 占用；同一数据目录只能运行一个 wxgate —— 请先停止该进程，或为本进程设置另一个 DATA_DIR`);
    return true;
  });
  assert.ok(lock.held, 'the refused attempt left the holder its lock');
  assert.throws(() => DataDirLock.acquire(dir), DataDirInUseError, 'still held after the refused attempt closed its connection');
});

test('release gives the directory up and removes the owner record; a later holder takes it', (t) => {
  const dir = tempDir(t);
  const first = DataDirLock.acquire(dir);
  first.release();
  first.release();
  assert.equal(first.held, false);
  assert.equal(existsSync(join(dir, OWNER_FILE)), false);
  const second = DataDirLock.acquire(dir);
  assert.ok(second.held);
  second.release();
});

test('an owner record naming a dead process is not passed off as the holder', (t) => {
  const dir = tempDir(t);
  const lock = DataDirLock.acquire(dir);
  t.after(() => lock.release());
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ pid: dead, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z' }));
  assert.throws(() => DataDirLock.acquire(dir), (err: unknown) => {
    assert.ok(err instanceof DataDirInUseError);
    assert.equal(err.owner, null);
    assert.match(err.message, /is in use by another process;/);
    assert.match(err.message, /已被另一个进程占用/);
    return true;
  });
});
