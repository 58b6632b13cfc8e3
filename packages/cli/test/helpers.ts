// CLI test helpers: build the real binary, serve a harness over real HTTP, run the binary as a child process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from '../../server/test/harness.ts';

const cliDir = new URL('..', import.meta.url).pathname;
export const BIN = join(cliDir, 'bin', 'wxgate.js');

/** The build script itself (what `npm run build` runs), so the tests exercise the shipped bundle. */
export function buildCli(): void {
  execFileSync('npm', ['run', 'build'], { cwd: cliDir, stdio: 'pipe' });
}

export interface Live {
  /** Replaced by a restart (see events.test.ts). */
  h: Harness;
  url: string;
  /** A data dir holding credentials.json for the harness's app, as `wxgate start` leaves it. */
  dataDir: string;
  close(): Promise<void>;
}

export async function startLive(): Promise<Live> {
  // The wire a user's first app gets from npm start (the harness defaults to standard for behaviour tests).
  const h = await startHarness({ responseMode: 'raw' }, undefined, { realTime: true });
  await h.app.http.listen({ host: '127.0.0.1', port: 0 });
  const address = h.app.http.server.address();
  if (!address || typeof address === 'string') throw new Error('no listening address');
  const dataDir = mkdtempSync(join(tmpdir(), 'wxgate-cli-'));
  writeFileSync(join(dataDir, 'credentials.json'), JSON.stringify({ app_key: h.appKey, app_secret: h.appSecret }));
  const live: Live = {
    h,
    url: `http://127.0.0.1:${address.port}`,
    dataDir,
    async close() {
      await live.h.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return live;
}

/**
 * The child's environment: none of the developer's wxgate settings leak in, nor their locale (a Chinese terminal would
 * turn the English assertions Chinese): LANG=C unless the test sets a language; the test's own settings are added.
 */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(WXGATE_|DATA_DIR$|HOST$|PORT$|NODE_OPTIONS$|LANG$|LANGUAGE$|LC_)/.test(k)) env[k] = v;
  }
  return { ...env, NO_COLOR: '1', LANG: 'C', ...extra };
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout (or stderr) matches. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
  exited: Promise<Result>;
}

export function start(args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => { out += d; for (const w of waiters) w(); });
  child.stderr!.on('data', (d: Buffer) => { err += d; for (const w of waiters) w(); });
  const exited = new Promise<Result>((resolve) => child.on('close', (code) => resolve({ code, stdout: out, stderr: err })));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, stream = 'stdout', timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(stream === 'stdout' ? out : err)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern} on ${stream}\nstdout: ${out}\nstderr: ${err}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

export const run = (args: string[], env: NodeJS.ProcessEnv): Promise<Result> => start(args, env).exited;
