// Benchmark (`npm run bench:relay`): /msg/send_text through the relay vs the same call straight to the upstream, in one
// run; req/s and latency percentiles of both, and the relay/direct latency ratio (aim: at most 1.2×). Each target runs
// twice: 10 connections flat out (throughput; latency is then mostly queueing) and one connection, one call at a time
// (latency: what a call costs without a queue, so the difference is the relay's hop).
//
// The upstream here answers in about a millisecond, far faster than a real provider (a network away, then WeChat).
// BENCH_UPSTREAM_DELAY_MS puts a delaying proxy in front of it — used by both targets alike — to model that distance.
// BENCH_UPSTREAM_CALLBACKS=off stops the upstream's callbacks to the relay during the run, which separates the cost of
// the forwarding hop from that of taking in the callback each send causes (durably, before the upstream gets its 2xx).
//
// Three processes: the upstream (a sandbox wxgate, forked child), the relay (this process) and the load generator
// (autocannon, another forked child, timing every response). Both targets send to the same upstream instance, so the
// upstream does the same work either way (its callbacks to the relay included); the difference is the relay's hop.
import type { EventEmitter } from 'node:events';
import { fork, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';
import { buildApp, type Wxgate } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { RelayDriver } from '../src/driver/relay/relay-driver.ts';

const HOST = '127.0.0.1';
const PATH = '/msg/send_text';
const AIM = 1.2;
const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const LOAD_FLAG = '--load-child';
const UPSTREAM_FLAG = '--upstream-child';
const UNLIMITED = { maxCalls: 100_000_000, windowSeconds: 60, lockSeconds: 1800 };

// ---------------------------------------------------------------------------------------------------------------
// Load generator (child process)
// ---------------------------------------------------------------------------------------------------------------

interface AutocannonOptions {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  connections: number;
  pipelining: number;
  duration: number;
}
interface AutocannonResult {
  requests: { mean: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}
type AutocannonInstance = EventEmitter & PromiseLike<AutocannonResult>;
type Autocannon = (options: AutocannonOptions) => AutocannonInstance;

interface Target {
  readonly name: string;
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string>;
  /** Connections (each sends its next request when the previous answer came). */
  readonly connections: number;
}
interface Measurement {
  readonly name: string;
  readonly reqPerSec: number;
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly failures: number;
  readonly statusCodes: Record<string, number>;
}

function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function runLoad(target: Target, seconds: number): Promise<Measurement> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const options = (duration: number): AutocannonOptions => ({
    url: target.url, method: 'POST', headers: { 'content-type': 'application/json', ...target.headers }, body: target.body,
    connections: target.connections, pipelining: 1, duration,
  });
  await autocannon(options(WARMUP_SECONDS));
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const run = autocannon(options(seconds));
  run.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode < 200 || statusCode > 299) return;
    if (count === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[count++] = responseTime;
  });
  const result = await run;
  const sorted = latencies.subarray(0, count).sort();
  return {
    name: target.name,
    reqPerSec: result.requests.mean,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    failures: result.errors + result.timeouts + result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count: n }]) => [code, n])),
  };
}

function loadChild(): void {
  process.on('disconnect', () => process.exit(1));
  process.once('message', ({ target, seconds }: { target: Target; seconds: number }) => {
    runLoad(target, seconds).then(
      (measurement) => process.send!({ ok: true, measurement }, () => process.disconnect()),
      (err: unknown) => process.send!({ ok: false, error: err instanceof Error ? err.message : String(err) }, () => process.disconnect()),
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Upstream (child process): a sandbox wxgate
// ---------------------------------------------------------------------------------------------------------------

async function upstreamChild(): Promise<void> {
  process.on('disconnect', () => process.exit(0));
  const dataDir = await mkdtemp(join(tmpdir(), 'wxgate-bench-upstream-'));
  const app = await buildApp({ config: loadConfig({ DATA_DIR: dataDir }, { logLevel: 'silent', rateLimit: UNLIMITED, allowPrivateUrls: [HOST] }) });
  const direct = await app.http.listen({ host: HOST, port: 0 });
  const delayMs = Number(process.env.BENCH_UPSTREAM_DELAY_MS ?? 0);
  let url = direct;
  if (delayMs > 0) {
    // The distance to a real provider: every call waits delayMs before it reaches the upstream.
    const pool = new Pool(direct, { connections: 128 });
    const proxy = createHttpServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => setTimeout(() => {
        pool.request({ method: 'POST', path: req.url!, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) }).then(async (answer) => {
          res.writeHead(answer.statusCode, { 'content-type': 'application/json' });
          res.end(Buffer.from(await answer.body.arrayBuffer()));
        }, () => res.destroy());
      }, delayMs));
    });
    await new Promise<void>((resolve) => proxy.listen(0, HOST, resolve));
    url = `http://${HOST}:${(proxy.address() as { port: number }).port}`;
  }
  process.send!({ url, appKey: app.createdApp!.app.appKey, appSecret: app.createdApp!.appSecret });
  process.once('message', () => {
    void app.close().then(() => rm(dataDir, { recursive: true, force: true })).then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Relay and report (parent process)
// ---------------------------------------------------------------------------------------------------------------

const children = new Set<ChildProcess>();

function forkSelf(flag: string): ChildProcess {
  const child = fork(fileURLToPath(import.meta.url), [flag], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function measure(target: Target, seconds: number): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = forkSelf(LOAD_FLAG);
    let settled = false;
    child.on('message', (msg: { ok: true; measurement: Measurement } | { ok: false; error: string }) => {
      settled = true;
      if (msg.ok) resolve(msg.measurement);
      else reject(new Error(`load generator for ${target.name} failed: ${msg.error}`));
    });
    child.on('exit', (code, signal) => {
      if (!settled) reject(new Error(`load generator for ${target.name} exited (${signal ?? `code ${code}`}) without a result`));
    });
    child.send({ target, seconds });
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

async function expectOk(what: string, call: Promise<{ status: number; json: any }>): Promise<any> {
  const res = await call;
  if (res.status !== 200 || res.json.code !== 0) throw new Error(`${what} failed: HTTP ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.data;
}

function table(rows: readonly Measurement[]): string {
  const widths = [11, 9, 8, 8, 8, 9];
  const ms = (v: number | null) => (v === null ? '-' : v.toFixed(2));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    line(['target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'failures']),
    ...rows.map((m) => line([m.name, m.reqPerSec.toFixed(0), ms(m.p50), ms(m.p90), ms(m.p99), String(m.failures)])),
  ].join('\n');
}

async function main(seconds: number, mode: 'gateway' | 'direct'): Promise<number> {
  const upstreamProcess = forkSelf(UPSTREAM_FLAG);
  const upstream = await new Promise<{ url: string; appKey: string; appSecret: string }>((resolve, reject) => {
    upstreamProcess.once('message', resolve as never);
    upstreamProcess.once('exit', () => reject(new Error('the upstream process exited before it was ready')));
  });
  const upstreamAuth = { 'x-app-key': upstream.appKey, 'x-app-secret': upstream.appSecret };
  const dataDir = await mkdtemp(join(tmpdir(), 'wxgate-bench-relay-'));
  let relay: Wxgate | undefined;
  try {
    const port = await freePort();
    const relayUrl = `http://${HOST}:${port}`;
    relay = await buildApp({
      config: loadConfig({ DATA_DIR: dataDir }, {
        logLevel: 'silent', rateLimit: UNLIMITED, driver: 'relay', publicUrl: relayUrl,
        relay: { baseUrl: upstream.url, mode, appKey: upstream.appKey, appSecret: upstream.appSecret, timeoutMs: 15_000, tenants: {} },
      }),
    });
    await relay.http.listen({ host: HOST, port });
    const relayAuth = { 'x-app-key': relay.createdApp!.app.appKey, 'x-app-secret': relay.createdApp!.appSecret };

    // One account, logged in through the relay; the upstream's phone scans and confirms.
    const { guid } = await expectOk('create_client', post(`${relayUrl}/client/create_client`, { auto_start: true }, relayAuth));
    const upstreamGuid = (await (relay.services.driver as RelayDriver).upstreamGuidOf(guid))!;
    await expectOk('get_login_qrcode', post(`${relayUrl}/login/get_login_qrcode`, { guid }, relayAuth));
    await expectOk('scan', post(`${upstream.url}/sandbox/login/scan`, { guid: upstreamGuid, action: 'scan' }, upstreamAuth));
    await expectOk('confirm', post(`${upstream.url}/sandbox/login/scan`, { guid: upstreamGuid, action: 'confirm' }, upstreamAuth));

    const callbacks = process.env.BENCH_UPSTREAM_CALLBACKS !== 'off';
    if (!callbacks) await expectOk('set_notify_url', post(`${upstream.url}/client/set_notify_url`, { guid: upstreamGuid, notify_url: '' }, upstreamAuth));
    const fields = { to_username: 'filehelper', content: 'bench: hello from the relay benchmark' };
    const targets: Target[] = [
      { name: `direct ×${CONNECTIONS}`, url: `${upstream.url}${PATH}`, body: JSON.stringify({ guid: upstreamGuid, ...fields }), headers: upstreamAuth, connections: CONNECTIONS },
      { name: `relay ×${CONNECTIONS}`, url: `${relayUrl}${PATH}`, body: JSON.stringify({ guid, ...fields }), headers: relayAuth, connections: CONNECTIONS },
    ];
    for (const t of targets) await expectOk(`${t.name} probe`, post(t.url, JSON.parse(t.body), t.headers));
    const sequential = targets.map((t) => ({ ...t, name: t.name.replace(/×\d+/, '×1'), connections: 1 }));

    const delay = Number(process.env.BENCH_UPSTREAM_DELAY_MS ?? 0);
    console.log(`bench:relay — ${PATH}, ${seconds}s per target after a ${WARMUP_SECONDS}s warm-up, relay → upstream in ${mode} mode, upstream ${delay > 0 ? `${delay} ms away` : 'local'}, upstream callbacks ${callbacks ? 'on' : 'off'}, node ${process.version}`);
    console.log('direct: the client calls the upstream (a sandbox wxgate); relay: the client calls the relay, which calls the upstream\n');
    const rows: Measurement[] = [];
    for (const target of [...targets, ...sequential]) rows.push(await measure(target, seconds));
    console.log(table(rows));

    const [direct, relayed, directOne, relayedOne] = rows as [Measurement, Measurement, Measurement, Measurement];
    const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? a / b : Number.NaN);
    const report = (label: string, d: Measurement, r: Measurement) =>
      console.log(`${label}: latency relay/direct p50 ${ratio(r.p50, d.p50).toFixed(2)}×, p99 ${ratio(r.p99, d.p99).toFixed(2)}×; throughput ${ratio(r.reqPerSec, d.reqPerSec).toFixed(2)}×`);
    console.log('');
    report(`${CONNECTIONS} connections`, direct, relayed);
    report('1 connection', directOne, relayedOne);
    const p50 = ratio(relayedOne.p50, directOne.p50);
    console.log(`aim p50 ≤ ${AIM.toFixed(1)}× (1 connection): ${p50 <= AIM ? 'met' : 'NOT met'}; the hop adds ${((relayedOne.p50 ?? 0) - (directOne.p50 ?? 0)).toFixed(2)} ms at p50`);
    const invalid = rows.filter((m) => m.failures > 0);
    for (const m of invalid) {
      const codes = Object.entries(m.statusCodes).map(([code, n]) => `${code}×${n}`).join(', ');
      console.error(`\n!!! INVALID BENCHMARK: ${m.name} had ${m.failures} failed responses (status codes: ${codes || 'none'})`);
    }
    return invalid.length ? 1 : 0;
  } finally {
    for (const child of children) if (child !== upstreamProcess) child.kill();
    await relay?.close();
    await rm(dataDir, { recursive: true, force: true });
    upstreamProcess.send('stop');
    await new Promise((resolve) => upstreamProcess.once('exit', resolve));
  }
}

if (process.argv.includes(LOAD_FLAG)) {
  loadChild();
} else if (process.argv.includes(UPSTREAM_FLAG)) {
  void upstreamChild();
} else {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const mode = process.env.BENCH_RELAY_MODE === 'gateway' ? 'gateway' : 'direct';
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 20) {
    console.error(`BENCH_SECONDS=${process.env.BENCH_SECONDS} must be a whole number from 1 to 20`);
    process.exit(1);
  }
  const deadline = setTimeout(() => {
    console.error('bench:relay did not finish in time; aborting');
    for (const child of children) child.kill('SIGKILL');
    process.exit(1);
  }, (4 * (WARMUP_SECONDS + seconds) + 40) * 1000);
  deadline.unref();
  main(seconds, mode).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error('bench:relay failed:', err instanceof Error ? err.message : err);
      for (const child of children) child.kill('SIGKILL');
      process.exitCode = 1;
    },
  );
}
