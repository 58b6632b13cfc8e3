// Benchmark (`npm run bench:api`): gateway /open/GuidRequest → /client/get_client_status vs a bare fastify JSON route; req/s, latency percentiles, ratio.
//
// The servers run in this process; the load generator (autocannon) runs in a forked child of this same file, so it
// does not share the servers' event loop and can time each response with sub-millisecond precision (autocannon's own
// latency histogram only keeps whole milliseconds, which reads 0 for the bare route).
import type { EventEmitter } from 'node:events';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp, type Wxgate } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

const HOST = '127.0.0.1';
const GATEWAY_PATH = '/open/GuidRequest';
const INNER_PATH = '/client/get_client_status';
const AIM = 0.5;
const CONNECTIONS = 10;
const PIPELINING = 1;
const WARMUP_SECONDS = 2;
const LOAD_FLAG = '--load-child';

// ---------------------------------------------------------------------------------------------------------------
// Load generator (child process)
// ---------------------------------------------------------------------------------------------------------------

/** The part of autocannon's API used here (the package ships no types). */
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
  duration: number;
  requests: { mean: number; total: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodeStats: Record<string, { count: number }>;
}
/** Emits 'response' (client, statusCode, bytes, responseTimeMs) per response; resolves with the totals when done. */
type AutocannonInstance = EventEmitter & PromiseLike<AutocannonResult>;
type Autocannon = (options: AutocannonOptions) => AutocannonInstance;

interface Target {
  readonly name: string;
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}
interface LoadJob {
  readonly target: Target;
  readonly warmupSeconds: number;
  readonly seconds: number;
}
interface Measurement {
  readonly name: string;
  readonly reqPerSec: number;
  /** null when no response succeeded (NaN would not survive IPC). */
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly statusCodes: Record<string, number>;
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

async function runLoad(job: LoadJob): Promise<Measurement> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const options = (seconds: number): AutocannonOptions => ({
    url: job.target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...job.target.headers },
    body: job.target.body,
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    duration: seconds,
  });

  await autocannon(options(job.warmupSeconds));

  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const run = autocannon(options(job.seconds));
  run.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode < 200 || statusCode > 299) return; // like autocannon: latency of successful responses only
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
    name: job.target.name,
    reqPerSec: result.requests.mean,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count: n }]) => [code, n])),
  };
}

function loadChild(): void {
  // The parent going away (finished, crashed or killed) ends the child too.
  process.on('disconnect', () => process.exit(1));
  process.once('message', (job: LoadJob) => {
    runLoad(job).then(
      (measurement) => process.send!({ ok: true, measurement }, () => process.disconnect()),
      (err: unknown) => process.send!({ ok: false, error: err instanceof Error ? err.message : String(err) }, () => process.disconnect()),
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Servers and report (parent process)
// ---------------------------------------------------------------------------------------------------------------

const children = new Set<ChildProcess>();

/** Forks this file as a load generator for one target (warm-up, then the measured run) and waits for its numbers. */
function measure(job: LoadJob): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [LOAD_FLAG], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.add(child);
    let settled = false;
    child.on('message', (msg: { ok: true; measurement: Measurement } | { ok: false; error: string }) => {
      settled = true;
      if (msg.ok) resolve(msg.measurement);
      else reject(new Error(`load generator for ${job.target.name} failed: ${msg.error}`));
    });
    child.on('error', (err) => {
      settled = true;
      reject(err);
    });
    child.on('exit', (code, signal) => {
      children.delete(child);
      if (!settled) reject(new Error(`load generator for ${job.target.name} exited (${signal ?? `code ${code}`}) without a result`));
    });
    child.send(job);
  });
}

async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

function table(rows: readonly Measurement[]): string {
  const head = ['target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'errors', 'non-2xx'];
  const widths = [8, 9, 8, 8, 8, 7, 8];
  const ms = (v: number | null) => (v === null ? '-' : v.toFixed(2));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    line(head),
    ...rows.map((m) => line([
      m.name, m.reqPerSec.toFixed(0), ms(m.p50), ms(m.p90), ms(m.p99), String(m.errors + m.timeouts), String(m.non2xx),
    ])),
  ].join('\n');
}

async function main(seconds: number): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wxgate-bench-'));
  let wxgate: Wxgate | undefined;
  let bare: FastifyInstance | undefined;
  try {
    const config = loadConfig(
      { DATA_DIR: dataDir, PORT: '0' },
      { rateLimit: { maxCalls: 100_000_000, windowSeconds: 60, lockSeconds: 1800 }, logLevel: 'silent' },
    );
    wxgate = await buildApp({ config });
    if (!wxgate.createdApp) throw new Error('a fresh data dir should have created the first app');
    const appKey = wxgate.createdApp.app.appKey;
    const appSecret = wxgate.createdApp.appSecret;
    const wxgateUrl = await wxgate.http.listen({ host: HOST, port: 0 });

    bare = Fastify();
    bare.post('/bare', async () => ({ code: 0, data: { status: 1 } }));
    const bareUrl = await bare.listen({ host: HOST, port: 0 });

    const created = await postJson(`${wxgateUrl}/client/create_client`, { auto_start: true }, { 'x-app-key': appKey, 'x-app-secret': appSecret });
    const guid = (created.json as { data?: { guid?: unknown } }).data?.guid;
    if (created.status !== 200 || typeof guid !== 'string') {
      throw new Error(`create_client failed: HTTP ${created.status} ${JSON.stringify(created.json)}`);
    }
    const gatewayBody = JSON.stringify({ app_key: appKey, app_secret: appSecret, path: INNER_PATH, data: { guid } });

    // One call by hand first: the measured path must succeed, not benchmark an error reply.
    const probe = await postJson(`${wxgateUrl}${GATEWAY_PATH}`, JSON.parse(gatewayBody));
    if (probe.status !== 200 || (probe.json as { code?: unknown }).code !== 0) {
      throw new Error(`gateway probe failed: HTTP ${probe.status} ${JSON.stringify(probe.json)}`);
    }

    // Both targets get the same request bytes, so the difference is what wxgate does with them.
    const targets: Target[] = [
      { name: 'bare', url: `${bareUrl}/bare`, body: gatewayBody, headers: {} },
      { name: 'gateway', url: `${wxgateUrl}${GATEWAY_PATH}`, body: gatewayBody, headers: {} },
    ];

    console.log(`bench:api — ${seconds}s per target after a ${WARMUP_SECONDS}s warm-up, ${CONNECTIONS} connections, pipelining ${PIPELINING}, node ${process.version}`);
    console.log(`gateway: POST ${GATEWAY_PATH} → ${INNER_PATH}   bare: POST /bare (fastify, returns a constant)\n`);
    const rows: Measurement[] = [];
    for (const target of targets) rows.push(await measure({ target, warmupSeconds: WARMUP_SECONDS, seconds })); // one at a time

    console.log(table(rows));
    const [bareRow, gatewayRow] = rows as [Measurement, Measurement];
    const ratio = bareRow.reqPerSec > 0 ? gatewayRow.reqPerSec / bareRow.reqPerSec : 0;
    console.log(`\nratio (gateway / bare req/s): ${ratio.toFixed(2)}`);
    console.log(`aim ≥ ${AIM.toFixed(2)}: ${ratio >= AIM ? 'met' : 'NOT met'}`);

    let invalid = false;
    for (const m of rows) {
      if (m.non2xx > 0 || m.errors > 0 || m.timeouts > 0) {
        invalid = true;
        const codes = Object.entries(m.statusCodes).map(([code, n]) => `${code}×${n}`).join(', ');
        console.error(`\n!!! INVALID BENCHMARK: ${m.name} had ${m.non2xx} non-2xx responses, ${m.errors} errors, ${m.timeouts} timeouts (status codes: ${codes || 'none'}) — the numbers above do not measure the intended path`);
      }
    }
    return invalid ? 1 : 0;
  } finally {
    for (const child of children) child.kill();
    await bare?.close();
    await wxgate?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes(LOAD_FLAG)) {
  loadChild();
} else {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 20) {
    console.error(`BENCH_SECONDS=${process.env.BENCH_SECONDS} must be a whole number from 1 to 20`);
    process.exit(1);
  }
  // Whatever happens, the run ends: two targets × (warm-up + measurement) plus a margin for start-up and shutdown.
  const deadline = setTimeout(() => {
    console.error('bench:api did not finish in time; aborting');
    for (const child of children) child.kill('SIGKILL');
    process.exit(1);
  }, (2 * (WARMUP_SECONDS + seconds) + 30) * 1000);
  deadline.unref();

  main(seconds).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error('bench:api failed:', err instanceof Error ? err.message : err);
      process.exitCode = 1;
    },
  );
}
