// The server as a real process — tsx on src/main.ts, or the bundle `npm start` runs — for the end-to-end tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { postgresEnvFor } from '../postgres.ts';

const main = new URL('../../src/main.ts', import.meta.url).pathname;
/** What `npm start` runs, built by packages/server/ensure-built.mjs (its prestart). */
export const BUNDLE = new URL('../../dist/main.mjs', import.meta.url).pathname;
const children = new Set<ChildProcess>();

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** The exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /**
   * `http://127.0.0.1:<port>` once the log says "Server listening at" (needs LOG_LEVEL info or lower); pending forever
   * if it never does.
   */
  readonly listening: Promise<string>;
}

export interface RunningServer extends ServerProcess {
  readonly base: string;
}

/** Spawns the server on any free port and returns at once, whatever becomes of it. */
export function spawnServer(env: Record<string, string>, entry: 'source' | 'bundle' = 'source'): ServerProcess {
  const args = entry === 'bundle' ? ['--enable-source-maps', BUNDLE] : ['--import', 'tsx', main];
  const child = spawn(process.execPath, args, {
    // WXGATE_TEST_DATABASE_URL puts the server on PostgreSQL, a schema per data directory (test/postgres.ts).
    env: { ...process.env, PORT: '0', WXGATE_ALLOW_PRIVATE_URLS: '127.0.0.1', ...(env.DATA_DIR ? postgresEnvFor(env.DATA_DIR) : {}), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  let listened!: (base: string) => void;
  const listening = new Promise<string>((resolve) => (listened = resolve));
  let heard = false;
  child.stdout!.on('data', (d) => {
    out += d;
    // Searched until found, not on every chunk after: a server logging each request (a bench) writes megabytes.
    if (heard) return;
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
    if (match) {
      heard = true;
      listened(match[1]!);
    }
  });
  child.stderr!.on('data', (d) => (err += d));
  // 'close', not 'exit': by then the pipes are drained, so the output is complete.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => {
    children.delete(child);
    resolve(code);
  }));
  return { child, stdout: () => out, stderr: () => err, exited, listening };
}

/** Spawns the server and resolves once it listens; rejects if it exits first. */
export function startServer(env: Record<string, string>, entry: 'source' | 'bundle' = 'source'): Promise<RunningServer> {
  const server = spawnServer(env, entry);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${server.stdout()}\n${server.stderr()}`)), 20_000);
    server.listening.then((base) => {
      clearTimeout(timer);
      resolve({ ...server, base });
    });
    server.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${server.stdout()}\n${server.stderr()}`));
    });
  });
}

/** For `after()`: a failed assertion must not leave a server running (it would keep the test process alive). */
export function killServers(): void {
  for (const child of children) child.kill('SIGKILL');
}

/** The credentials the first start wrote to `<dataDir>/credentials.json`. */
export function firstAppCredentials(dataDir: string): { app_key: string; app_secret: string } {
  return JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as { app_key: string; app_secret: string };
}

/** `call(base, path, body)` with the credentials the first start wrote to `<dataDir>/credentials.json`. */
export function firstAppCaller(dataDir: string) {
  const creds = firstAppCredentials(dataDir);
  return async (base: string, path: string, body: unknown) => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-app-key': creds.app_key, 'x-app-secret': creds.app_secret },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };
}
