// Shared bench machinery: autocannon load in a forked child timing every response (one target, or several taking turns), child-process bookkeeping, the report table and the entry runner.
//
// The load generator runs in a forked child of this module (run with LOAD_FLAG), so it does not share the servers'
// event loop and can time each response with sub-millisecond precision (autocannon's own latency histogram only keeps
// whole milliseconds, which reads 0 for a bare route). A bench imports this module; only `measure` forks it.
import type { EventEmitter } from 'node:events';
import { fork, type ChildProcess, type Serializable } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const HOST = '127.0.0.1';
const LOAD_FLAG = '--load-child';
const COMPARE_FLAG = '--compare-child';

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
  /** false counts the response as a mismatch. */
  verifyBody: (body: string) => boolean;
}
interface AutocannonResult {
  requests: { mean: number; total: number };
  /** Seconds the run took. */
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches: number;
  statusCodeStats: Record<string, { count: number }>;
}
/** Emits 'response' (client, statusCode, bytes, responseTimeMs) per response; resolves with the totals when done. */
type AutocannonInstance = EventEmitter & PromiseLike<AutocannonResult>;
type Autocannon = (options: AutocannonOptions) => AutocannonInstance;

export interface Target {
  readonly name: string;
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}
export interface LoadOptions {
  /** Connections (each sends its next request when the previous answer came, `pipelining` at a time). */
  readonly connections: number;
  /** Requests in flight per connection; 1 unless a bench asks for more. */
  readonly pipelining?: number;
  /** Unmeasured run first, so JIT, pools and caches are warm when the measured run starts. */
  readonly warmupSeconds: number;
  readonly seconds: number;
}
interface LoadJob extends LoadOptions {
  readonly target: Target;
}
export interface Measurement {
  readonly name: string;
  readonly reqPerSec: number;
  /** null when no response succeeded (NaN would not survive IPC). */
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  /** HTTP 2xx answers that carry a failure: the vendor's wire answers business failures HTTP 200 with errcode ≠ 0. */
  readonly failedAt200: number;
  /** Responses in the measured runs. */
  readonly requests: number;
  readonly statusCodes: Record<string, number>;
}

/** A top-level `"errcode":` other than 0: a failure answered HTTP 200 (both wires put errcode in every answer). */
const FAILED_AT_200 = /"errcode":(?!0[,}])/;

/** Nearest-rank percentile of an ascending array; null when it is empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** What the measured autocannon runs of one target gathered (one run, or a target's slices of a comparison). */
class Tally {
  #latencies = new Float64Array(1 << 16);
  #count = 0;
  #responses = 0;
  #seconds = 0;
  #errors = 0;
  #timeouts = 0;
  #non2xx = 0;
  #failedAt200 = 0;
  readonly #statusCodes: Record<string, number> = {};

  /** Latency of a successful response (like autocannon, which times only those). */
  latency(ms: number): void {
    if (this.#count === this.#latencies.length) {
      const grown = new Float64Array(this.#latencies.length * 2);
      grown.set(this.#latencies);
      this.#latencies = grown;
    }
    this.#latencies[this.#count++] = ms;
  }

  add(result: AutocannonResult): void {
    this.#responses += result.requests.total;
    this.#seconds += result.duration;
    this.#errors += result.errors;
    this.#timeouts += result.timeouts;
    this.#non2xx += result.non2xx;
    this.#failedAt200 += result.mismatches;
    for (const [code, { count }] of Object.entries(result.statusCodeStats)) this.#statusCodes[code] = (this.#statusCodes[code] ?? 0) + count;
  }

  measurement(name: string): Measurement {
    const sorted = this.#latencies.subarray(0, this.#count).sort();
    return {
      name,
      reqPerSec: this.#seconds > 0 ? this.#responses / this.#seconds : 0,
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      errors: this.#errors,
      timeouts: this.#timeouts,
      non2xx: this.#non2xx,
      failedAt200: this.#failedAt200,
      requests: this.#responses,
      statusCodes: { ...this.#statusCodes },
    };
  }
}

/** One autocannon run against `target`; counted into `tally` when given (a warm-up is not). */
async function drive(target: Target, load: Omit<LoadOptions, 'warmupSeconds' | 'seconds'>, duration: number, tally?: Tally): Promise<void> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const run = autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
    connections: load.connections,
    pipelining: load.pipelining ?? 1,
    duration,
    verifyBody: (body) => !FAILED_AT_200.test(body),
  });
  if (tally) {
    run.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode <= 299) tally.latency(responseTime);
    });
  }
  const result = await run;
  tally?.add(result);
}

async function runLoad(job: LoadJob): Promise<Measurement> {
  await drive(job.target, job, job.warmupSeconds);
  const tally = new Tally();
  await drive(job.target, job, job.seconds, tally);
  return tally.measurement(job.target.name);
}

interface CompareJob extends LoadOptions {
  readonly targets: Target[];
  readonly sliceSeconds: number;
}

/**
 * Child side of `compare`: warms every target up, then takes turns — one slice per target per round, the order
 * reversed every other round — so load from elsewhere on the machine falls on all targets alike. Before each run it
 * asks the parent to prepare that target (`{ prepare: index }` → `{ prepared: index }`).
 */
async function runCompare(job: CompareJob): Promise<Measurement[]> {
  let answered: (() => void) | undefined;
  process.on('message', (m: { prepared?: number }) => {
    if (m.prepared !== undefined) answered?.();
  });
  const prepare = (index: number, warmUp: boolean) => new Promise<void>((resolve) => {
    answered = resolve;
    process.send!({ prepare: index, warmUp });
  });
  const tallies = job.targets.map(() => new Tally());
  for (const [i, target] of job.targets.entries()) {
    await prepare(i, true);
    await drive(target, job, job.warmupSeconds);
  }
  const rounds = Math.max(1, Math.round(job.seconds / job.sliceSeconds));
  for (let round = 0; round < rounds; round++) {
    const order = job.targets.map((_, i) => i);
    for (const i of round % 2 ? order.reverse() : order) {
      await prepare(i, false);
      await drive(job.targets[i]!, job, job.sliceSeconds, tallies[i]);
    }
  }
  return tallies.map((t, i) => t.measurement(job.targets[i]!.name));
}

type Reply<R> = { ok: true; result: R } | { ok: false; error: string };

/** Child side of a one-job child: runs the parent's job, sends back the result or the error, then lets go. */
export function serveJob<J, R>(work: (job: J) => Promise<R>): void {
  // The parent going away (finished, crashed or killed) ends the child too.
  process.on('disconnect', () => process.exit(1));
  process.once('message', (job: J) => {
    const reply = (msg: Reply<R>) => process.send!(msg, () => process.disconnect());
    work(job).then(
      (result) => reply({ ok: true, result }),
      (err: unknown) => reply({ ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Parent process
// ---------------------------------------------------------------------------------------------------------------

const children = new Set<ChildProcess>();

/**
 * Forks the module at `moduleUrl` (a bench's import.meta.url, or this one) with `flag`, which selects its child role.
 * `execArgv` replaces the inherited node flags (tsx's loader by default) where a bench wants to name them itself.
 */
export function forkChild(moduleUrl: string, flag: string, execArgv?: string[]): ChildProcess {
  const child = fork(fileURLToPath(moduleUrl), [flag], { ...(execArgv ? { execArgv } : {}), stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Kills the children still running, except `spare` (one that has its own orderly shutdown). */
export function killChildren(signal: NodeJS.Signals = 'SIGTERM', spare?: ChildProcess): void {
  for (const child of children) if (child !== spare) child.kill(signal);
}

/** Parent side of `serveJob`: sends `job` to the child and waits for its result; `what` names it in errors. */
export function askChild<R>(child: ChildProcess, job: Serializable, what: string): Promise<R> {
  return new Promise((resolve, reject) => {
    let settled = false;
    child.on('message', (msg: Reply<R>) => {
      if (typeof msg !== 'object' || msg === null || !('ok' in msg)) return; // a message of the job's own protocol
      settled = true;
      if (msg.ok) resolve(msg.result);
      else reject(new Error(`${what} failed: ${msg.error}`));
    });
    child.on('error', (err) => {
      settled = true;
      reject(err);
    });
    child.on('exit', (code, signal) => {
      if (!settled) reject(new Error(`${what} exited (${signal ?? `code ${code}`}) without a result`));
    });
    child.send(job);
  });
}

/** Forks a load generator for one target (warm-up, then the measured run) and waits for its numbers. */
export function measure(target: Target, options: LoadOptions): Promise<Measurement> {
  const job: LoadJob = { ...options, target };
  return askChild(forkChild(import.meta.url, LOAD_FLAG), job, `load generator for ${target.name}`);
}

/**
 * Measures the targets taking turns in slices of `sliceSeconds` (see runCompare), so their ratios are measured under
 * the same conditions; `prepare` runs in this process before each of a target's runs, warm-up or measured (e.g. to set
 * a log level, or to account the CPU time of the run before).
 */
export function compare(
  targets: Target[], options: LoadOptions & { sliceSeconds: number },
  prepare: (target: Target, warmUp: boolean) => void | Promise<void> = () => {},
): Promise<Measurement[]> {
  const child = forkChild(import.meta.url, COMPARE_FLAG);
  child.on('message', (m: { prepare?: number; warmUp?: boolean }) => {
    if (m.prepare === undefined) return;
    void Promise.resolve(prepare(targets[m.prepare]!, m.warmUp === true)).then(() => child.send({ prepared: m.prepare }));
  });
  const job: CompareJob = { ...options, targets };
  return askChild(child, job, `load generator for ${targets.map((t) => t.name).join(', ')}`);
}

/**
 * How a table and the invalid-run report show failures: 'split' as errors (errors + timeouts) and non-2xx,
 * 'total' as one count of failed responses.
 */
export type FailureColumns = 'split' | 'total';

export function table(rows: readonly Measurement[], failures: FailureColumns, nameWidth: number): string {
  const columns: Array<[string, number, (m: Measurement) => number]> = failures === 'split'
    ? [['errors', 7, (m) => m.errors + m.timeouts], ['non-2xx', 8, (m) => m.non2xx], ['errcode≠0', 9, (m) => m.failedAt200]]
    : [['failures', 9, (m) => m.errors + m.timeouts + m.non2xx + m.failedAt200]];
  const widths = [nameWidth, 9, 8, 8, 8, ...columns.map(([, width]) => width)];
  const ms = (v: number | null) => (v === null ? '-' : v.toFixed(2));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    line(['target', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', ...columns.map(([head]) => head)]),
    ...rows.map((m) => line([m.name, m.reqPerSec.toFixed(0), ms(m.p50), ms(m.p90), ms(m.p99), ...columns.map(([, , count]) => String(count(m)))])),
  ].join('\n');
}

/** Prints an INVALID BENCHMARK line per row that had any failed response; true when there was one. */
export function reportInvalid(rows: readonly Measurement[], failures: FailureColumns): boolean {
  let invalid = false;
  for (const m of rows) {
    if (m.non2xx === 0 && m.errors === 0 && m.timeouts === 0 && m.failedAt200 === 0) continue;
    invalid = true;
    const codes = Object.entries(m.statusCodes).map(([code, n]) => `${code}×${n}`).join(', ') || 'none';
    console.error(failures === 'split'
      ? `\n!!! INVALID BENCHMARK: ${m.name} had ${m.non2xx} non-2xx responses, ${m.failedAt200} failures at HTTP 200 (errcode ≠ 0), ${m.errors} errors, ${m.timeouts} timeouts (status codes: ${codes}) — the numbers above do not measure the intended path`
      : `\n!!! INVALID BENCHMARK: ${m.name} had ${m.errors + m.timeouts + m.non2xx + m.failedAt200} failed responses (status codes: ${codes}; ${m.failedAt200} of them HTTP 200 with errcode ≠ 0)`);
  }
  return invalid;
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/**
 * The answer's payload; throws unless HTTP 200 with code 0 (a bench must not measure an error reply). Reads both wires:
 * the vendor's (the default: `errcode` 0, a service's payload under `data`, a WeChat object at the top level) and
 * wxgate's standard envelope (`code` 0, payload under `data`).
 */
export async function expectOk(what: string, call: Promise<{ status: number; json: any }>): Promise<any> {
  const res = await call;
  const code = res.json?.code ?? res.json?.errcode;
  if (res.status !== 200 || code !== 0) throw new Error(`${what} failed: HTTP ${res.status} ${JSON.stringify(res.json)}`);
  return res.json.data ?? res.json;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface BenchRun {
  /** `bench:…`, as messages print it. */
  readonly name: string;
  /** BENCH_SECONDS must be a whole number from 1 to this. */
  readonly maxSeconds: number;
  /** The whole run's time limit for a BENCH_SECONDS value: the runs plus a margin for start-up and shutdown. */
  readonly deadlineSeconds: (seconds: number) => number;
  /** The bench itself; resolves with the exit code. */
  readonly main: (seconds: number) => Promise<number>;
}

/** A bench's entry: reads BENCH_SECONDS, runs `main` and sets the exit code; whatever happens, the run ends. */
export function runBench({ name, maxSeconds, deadlineSeconds, main }: BenchRun): void {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > maxSeconds) {
    console.error(`BENCH_SECONDS=${process.env.BENCH_SECONDS} must be a whole number from 1 to ${maxSeconds}`);
    process.exit(1);
  }
  const deadline = setTimeout(() => {
    console.error(`${name} did not finish in time; aborting`);
    killChildren('SIGKILL');
    process.exit(1);
  }, deadlineSeconds(seconds) * 1000);
  deadline.unref();

  main(seconds).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(`${name} failed:`, err instanceof Error ? err.message : err);
      // A failure before main's own clean-up leaves children that would keep this process alive.
      killChildren('SIGKILL');
      process.exitCode = 1;
    },
  );
}

if (process.argv.includes(LOAD_FLAG)) serveJob(runLoad);
if (process.argv.includes(COMPARE_FLAG)) serveJob(runCompare);
