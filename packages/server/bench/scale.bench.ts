// Benchmark (`npm run bench:scale`): what the number of online instances in one app costs — login confirm time, send_text
// and get_client_status throughput on one connection, heap and RSS per idle online instance, database size, and the
// time from process start to /healthz — at N = 100, 1,000 and 10,000 (BENCH_SCALE_NS), printed side by side with ratios.
//
// The server runs in a forked child (its memory is its own, measured after a full GC), the setup calls and the timing
// of login confirms in this process (one clock), the measured load in load-generator.ts's child.
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { forkChild, freePort, HOST, killChildren, measure, percentile, runBench, type Measurement } from './load-generator.ts';

const SERVER_FLAG = '--scale-server';
const SETUP_CONCURRENCY = 16;
/** Logins timed one at a time after the setup. */
const PROBE_LOGINS = 50;
const AIMS = { sendRatio: 0.8, heapPerInstanceKiB: 10, startSeconds: 1.5 } as const;

interface ServerReady { readonly url: string; readonly appKey: string; readonly appSecret: string }
interface Memory { readonly heapUsed: number; readonly rss: number }

// ---------------------------------------------------------------------------------------------------------------
// Server (child process): the default configuration, but for the per-instance rate limit the load would trip.
// ---------------------------------------------------------------------------------------------------------------

async function serve(): Promise<void> {
  const { pino } = await import('pino');
  const { buildApp } = await import('../src/app.ts');
  const { loadConfig } = await import('../src/config.ts');
  const config = loadConfig({ ...process.env, HOST, PORT: '0', WXGATE_RATE_LIMIT_MAX_CALLS: '1000000000' });
  // The default level (info) written to /dev/null through the same synchronous file-descriptor writes as stdout.
  const app = await buildApp({ config, logger: pino({ level: config.logLevel }, pino.destination('/dev/null')) as never });
  const url = await app.http.listen({ host: HOST, port: 0 });
  const creds = process.env.SCALE_APP_KEY
    ? { appKey: process.env.SCALE_APP_KEY, appSecret: process.env.SCALE_APP_SECRET! }
    : { appKey: app.createdApp!.app.appKey, appSecret: app.createdApp!.appSecret };
  process.on('message', (msg: { type: 'memory' | 'stop' }) => {
    if (msg.type === 'memory') {
      for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
      const { heapUsed, rss } = process.memoryUsage();
      process.send!({ type: 'memory', heapUsed, rss });
    } else {
      void app.close().then(() => process.exit(0));
    }
  });
  process.send!({ type: 'ready', url, ...creds });
}

// ---------------------------------------------------------------------------------------------------------------
// Parent
// ---------------------------------------------------------------------------------------------------------------

function startServer(dataDir: string, creds?: { appKey: string; appSecret: string }): { child: ChildProcess; ready: Promise<ServerReady> } {
  // The child inherits this process's environment: set exactly what this start is given.
  process.env.DATA_DIR = dataDir;
  if (creds) Object.assign(process.env, { SCALE_APP_KEY: creds.appKey, SCALE_APP_SECRET: creds.appSecret });
  else delete process.env.SCALE_APP_KEY;
  const child = forkChild(import.meta.url, SERVER_FLAG, ['--expose-gc', '--import', 'tsx']);
  const ready = new Promise<ServerReady>((resolve, reject) => {
    child.on('message', (msg: { type: string } & ServerReady) => { if (msg.type === 'ready') resolve(msg); });
    child.once('exit', (code) => reject(new Error(`the server exited (code ${code}) before it was ready`)));
  });
  return { child, ready };
}

function memoryOf(child: ChildProcess): Promise<Memory> {
  return new Promise((resolve) => {
    const onMessage = (msg: { type: string } & Memory) => {
      if (msg.type !== 'memory') return;
      child.off('message', onMessage);
      resolve({ heapUsed: msg.heapUsed, rss: msg.rss });
    };
    child.on('message', onMessage);
    child.send({ type: 'memory' });
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.send({ type: 'stop' });
  });
}

/** One call that must succeed on the vendor wire (errcode 0); answers the payload (`data`, or the WeChat object). */
async function call(server: ServerReady, path: string, body: Record<string, unknown>): Promise<any> {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-app-key': server.appKey, 'x-app-secret': server.appSecret },
    body: JSON.stringify(body),
  });
  const answer = await res.json() as Record<string, any>;
  if (res.status !== 200 || answer.errcode !== 0) throw new Error(`${path} failed: HTTP ${res.status} ${JSON.stringify(answer)}`);
  return answer.data ?? answer;
}

/** Creates and logs in `count` instances, `SETUP_CONCURRENCY` at a time; answers them and each confirm's latency (ms). */
async function logIn(server: ServerReady, count: number): Promise<{ accounts: Array<{ guid: string; wxid: string }>; confirmMs: number[] }> {
  const accounts: Array<{ guid: string; wxid: string }> = new Array(count);
  const confirmMs: number[] = new Array(count);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const { guid } = await call(server, '/client/create_client', { auto_start: true });
      const { wxid } = await call(server, '/sandbox/people/create', { nickname: `P${i}` });
      await call(server, '/login/get_login_qrcode', { guid });
      await call(server, '/sandbox/login/scan', { guid, action: 'scan', wxid });
      const started = process.hrtime.bigint();
      await call(server, '/sandbox/login/scan', { guid, action: 'confirm' });
      confirmMs[i] = Number(process.hrtime.bigint() - started) / 1e6;
      accounts[i] = { guid, wxid };
    }
  };
  await Promise.all(Array.from({ length: SETUP_CONCURRENCY }, worker));
  return { accounts, confirmMs };
}

/**
 * Confirm latency with N accounts online, free of the setup's own contention: `count` more logins one at a time, each
 * confirm timed alone (the setup's 16 concurrent logins queue behind each other's QR rendering).
 */
async function probeConfirms(server: ServerReady, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const { guid } = await call(server, '/client/create_client', { auto_start: true });
    const { wxid } = await call(server, '/sandbox/people/create', { nickname: `Probe${i}` });
    await call(server, '/login/get_login_qrcode', { guid });
    await call(server, '/sandbox/login/scan', { guid, action: 'scan', wxid });
    const started = process.hrtime.bigint();
    await call(server, '/sandbox/login/scan', { guid, action: 'confirm' });
    out.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

/** What `npm start` runs (after its prestart build): the bundled server, with plain node. */
const BUNDLE = fileURLToPath(new URL('../dist/main.mjs', import.meta.url));
const ENSURE_BUILT = fileURLToPath(new URL('../ensure-built.mjs', import.meta.url));

/** From spawning `node dist/main.mjs` on `dataDir` (as npm start does) to its first 200 from /healthz, on this process's clock. */
async function timeToHealthz(dataDir: string, creds: { appKey: string; appSecret: string }): Promise<number> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['--enable-source-maps', BUNDLE], {
    env: { ...process.env, DATA_DIR: dataDir, HOST, PORT: String(port), WXGATE_APP_KEY: creds.appKey, WXGATE_APP_SECRET: creds.appSecret },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      const res = await fetch(`http://${HOST}:${port}/healthz`).catch(() => null);
      if (res?.status === 200) return Number(process.hrtime.bigint() - started) / 1e9;
      if (child.exitCode !== null) throw new Error(`the server exited (code ${child.exitCode}) before /healthz answered`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

interface Row {
  readonly n: number;
  /** Confirm p50 of the setup's first and last tenth (16 logins at a time), and of the probe (one at a time, N online). */
  readonly confirmEarlyMs: number;
  readonly confirmLateMs: number;
  readonly confirmAloneMs: number;
  readonly send: Measurement;
  readonly status: Measurement;
  readonly heapPerInstanceKiB: number;
  readonly rssPerInstanceKiB: number;
  readonly dbPerInstanceKiB: number;
  readonly startSeconds: number;
}

async function scaleRow(n: number, seconds: number): Promise<Row> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wxgate-scale-'));
  try {
    const { child, ready } = startServer(dataDir);
    const server = await ready;
    const before = await memoryOf(child);
    const { accounts, confirmMs } = await logIn(server, n);
    // The first and last tenth of the confirms: made with about 0 and about N accounts already online.
    const tenth = Math.max(1, Math.floor(n / 10));
    const early = confirmMs.slice(0, tenth).sort((a, b) => a - b);
    const late = confirmMs.slice(n - tenth).sort((a, b) => a - b);
    const alone = await probeConfirms(server, PROBE_LOGINS);
    const [me, peer] = [accounts[0]!, accounts[1]!];
    await call(server, '/sandbox/friend/request', { from_wxid: me.wxid, to_wxid: peer.wxid });
    await call(server, '/sandbox/friend/accept', { from_wxid: me.wxid, to_wxid: peer.wxid });
    const after = await memoryOf(child);
    const headers = { 'x-app-key': server.appKey, 'x-app-secret': server.appSecret };
    const sendBody = { guid: me.guid, to_username: peer.wxid, content: 'scale' };
    await call(server, '/msg/send_text', sendBody);
    const load = { connections: 1, warmupSeconds: 1, seconds };
    const send = await measure({ name: `send_text N=${n}`, url: `${server.url}/msg/send_text`, body: JSON.stringify(sendBody), headers }, load);
    const status = await measure({ name: `get_client_status N=${n}`, url: `${server.url}/client/get_client_status`, body: JSON.stringify({ guid: me.guid }), headers }, load);
    const db = ['wxgate.db', 'wxgate.db-wal'].reduce((sum, f) => sum + (statSync(join(dataDir, f), { throwIfNoEntry: false })?.size ?? 0), 0);
    await stopServer(child);
    const startSeconds = await timeToHealthz(dataDir, { appKey: server.appKey, appSecret: server.appSecret });
    return {
      n,
      confirmEarlyMs: percentile(early, 50)!,
      confirmLateMs: percentile(late, 50)!,
      confirmAloneMs: percentile(alone, 50)!,
      send,
      status,
      heapPerInstanceKiB: (after.heapUsed - before.heapUsed) / n / 1024,
      rssPerInstanceKiB: (after.rss - before.rss) / n / 1024,
      dbPerInstanceKiB: db / n / 1024,
      startSeconds,
    };
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

function report(rows: readonly Row[]): number {
  const head = ['N', 'confirm p50 first/last tenth ms', 'confirm alone p50 ms', 'send_text req/s', 'p50 ms', 'status req/s', 'heap KiB/inst', 'RSS KiB/inst', 'DB KiB/inst', 'start→healthz s'];
  const widths = head.map((h) => Math.max(h.length, 8));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(line(head));
  for (const r of rows) {
    console.log(line([
      String(r.n), `${r.confirmEarlyMs.toFixed(2)} / ${r.confirmLateMs.toFixed(2)}`, r.confirmAloneMs.toFixed(2), r.send.reqPerSec.toFixed(0), (r.send.p50 ?? NaN).toFixed(2),
      r.status.reqPerSec.toFixed(0), r.heapPerInstanceKiB.toFixed(1), r.rssPerInstanceKiB.toFixed(1), r.dbPerInstanceKiB.toFixed(1), r.startSeconds.toFixed(2),
    ]));
  }
  const failed = rows.filter((r) => r.send.non2xx + r.send.errors + r.status.non2xx + r.status.errors > 0);
  for (const r of failed) console.error(`!!! INVALID BENCHMARK at N=${r.n}: failed responses during the load`);
  const small = rows[0]!;
  const large = rows[rows.length - 1]!;
  const sendRatio = large.send.reqPerSec / small.send.reqPerSec;
  const confirmRatio = large.confirmAloneMs / small.confirmAloneMs;
  console.log(`\nsend_text N=${large.n} / N=${small.n}: ${sendRatio.toFixed(2)}× (aim ≥ ${AIMS.sendRatio}: ${sendRatio >= AIMS.sendRatio ? 'met' : 'NOT met'})`);
  console.log(`login confirm p50, one at a time with N online, N=${large.n} / N=${small.n}: ${confirmRatio.toFixed(2)}× (aim: flat, ≤ 1.25: ${confirmRatio <= 1.25 ? 'met' : 'NOT met'})`);
  console.log(`heap per online idle instance at N=${large.n}: ${large.heapPerInstanceKiB.toFixed(1)} KiB (aim ≤ ${AIMS.heapPerInstanceKiB}: ${large.heapPerInstanceKiB <= AIMS.heapPerInstanceKiB ? 'met' : 'NOT met'})`);
  console.log(`npm start (node dist/main.mjs) → /healthz at N=${large.n}: ${large.startSeconds.toFixed(2)} s (aim ≤ ${AIMS.startSeconds}: ${large.startSeconds <= AIMS.startSeconds ? 'met' : 'NOT met'}; N=${small.n}: ${small.startSeconds.toFixed(2)} s)`);
  return failed.length ? 1 : 0;
}

async function main(seconds: number): Promise<number> {
  const ns = (process.env.BENCH_SCALE_NS ?? '100,1000,10000').split(',').map((s) => Number(s.trim()));
  if (ns.length < 2 || ns.some((n) => !Number.isInteger(n) || n < 2)) throw new Error(`BENCH_SCALE_NS=${process.env.BENCH_SCALE_NS} must list at least two instance counts ≥ 2`);
  if (spawnSync(process.execPath, [ENSURE_BUILT], { stdio: 'inherit' }).status !== 0) throw new Error('the server bundle did not build');
  console.log(`bench:scale — N online sandbox instances in one app; load on 1 connection for ${seconds} s each; setup ${SETUP_CONCURRENCY} calls at a time; one clock (this process) for confirm times\n`);
  const rows: Row[] = [];
  try {
    for (const n of ns) rows.push(await scaleRow(n, seconds));
  } finally {
    killChildren();
  }
  return report(rows);
}

if (process.argv.includes(SERVER_FLAG)) void serve();
else runBench({ name: 'bench:scale', maxSeconds: 60, deadlineSeconds: (seconds) => 1800 + seconds * 6, main });
