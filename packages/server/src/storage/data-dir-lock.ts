// One process per data directory: an OS-level exclusive lock that the kernel drops when its holder dies, however it dies.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

/** The SQLite file whose lock is the directory's lock; it holds no data. */
export const LOCK_FILE = 'wxgate.lock';
/** Who holds the lock, for the refusal message: the locked file itself cannot be read by anyone else. */
export const OWNER_FILE = 'wxgate.lock.json';

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** ISO 8601 */
  readonly startedAt: string;
}

/** Another process (or another app in this one) holds the data directory. */
export class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly owner: LockOwner | null) {
    const who = owner ? `process ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`}, running since ${owner.startedAt}` : 'another process';
    const whoZh = owner ? `${owner.host === hostname() ? '' : `主机 ${owner.host} 上的`}进程 ${owner.pid} ` : '另一个进程';
    super(
      `the data directory ${dataDir} is in use by ${who}; only one wxgate may run on a data directory — stop that one first, or give this one its own DATA_DIR\n` +
      `数据目录 ${dataDir} 已被${whoZh}占用；同一数据目录只能运行一个 wxgate —— 请先停止该进程，或为本进程设置另一个 DATA_DIR`,
    );
    this.name = 'DataDirInUseError';
  }
}

/**
 * Held for the process's (or the app's) lifetime. The mechanism is SQLite's own file locking (fcntl on Unix,
 * LockFileEx on Windows) in exclusive locking mode: after one write transaction the connection keeps the lock until it
 * closes, and the kernel drops it when the process exits, kill -9 included — so there is no staleness to judge and no
 * moment with two holders. Nothing else in this process may open LOCK_FILE with plain fs calls: closing any descriptor
 * of a file drops the process's POSIX locks on it (SQLite guards only its own connections against that).
 */
export class DataDirLock {
  #db: Database.Database | null;

  private constructor(db: Database.Database, readonly dataDir: string) {
    this.#db = db;
  }

  /** Takes the lock or throws DataDirInUseError at once (no waiting: the holder may run for months). */
  static acquire(dataDir: string, startedAt = new Date()): DataDirLock {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    const db = new Database(join(dir, LOCK_FILE), { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      db.exec('COMMIT');
    } catch (err) {
      db.close();
      if ((err as { code?: unknown }).code === 'SQLITE_BUSY') throw new DataDirInUseError(dir, readOwner(dir));
      throw err;
    }
    const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: startedAt.toISOString() };
    // Replaced whole, so a reader never sees half a record.
    const temp = join(dir, `${OWNER_FILE}.${process.pid}.tmp`);
    writeFileSync(temp, JSON.stringify(owner) + '\n');
    renameSync(temp, join(dir, OWNER_FILE));
    return new DataDirLock(db, dir);
  }

  get held(): boolean {
    return this.#db !== null;
  }

  /** Gives the directory up; the owner record goes first, while no one else can have written it yet. */
  release(): void {
    if (!this.#db) return;
    rmSync(join(this.dataDir, OWNER_FILE), { force: true });
    this.#db.close();
    this.#db = null;
  }
}

function readOwner(dir: string): LockOwner | null {
  let owner: LockOwner;
  try {
    owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as LockOwner;
  } catch {
    return null; // the holder has not written it yet, or someone removed it
  }
  if (!Number.isInteger(owner.pid) || typeof owner.host !== 'string' || typeof owner.startedAt !== 'string') return null;
  // A record left by a holder that died just before the current one took the lock names a dead process: not worth naming.
  if (owner.host === hostname() && !isAlive(owner.pid)) return null;
  return owner;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
