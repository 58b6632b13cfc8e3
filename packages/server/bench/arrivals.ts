// One clock for end-to-end latency: a webhook receiver child reports each arrival at once to the process that timed the send, which timestamps the report.
//
// Subtracting two processes' clocks gave negative latencies: each process's performance.timeOrigin is read from the
// wall clock when it starts, so two processes' readings differ by any step or slew of the wall clock in between, and
// by the imprecision of that reading. Here the receiver
// (a forked child, off the server's event loop) only forwards an arrival's id over a Unix socket; a worker thread of
// the timing process reads it and stamps it with process.hrtime.bigint() — the clock the sends were stamped with.
// The worker's event loop is idle, so a report is stamped when it arrives, not when a busy main thread gets to it.
// A latency therefore includes the report's hop (receiver → worker); it is measured with ping-pongs on the same
// socket throughout the run and printed, so a latency is an upper bound by that much.
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { forkChild, HOST, percentile } from './load-generator.ts';

const RECEIVER_FLAG = '--arrivals-receiver';
/** What names an arrival: the Standard Webhooks `webhook-id` header, or the 1010 message's `msg_id` in the body. */
export type ArrivalKey = 'webhook-id' | 'msg_id';

export const CLOCK_METHOD = 'one clock — the process that stamps the start (send or commit) stamps each arrival too, with '
  + 'process.hrtime.bigint(): the receiver (a child process) reports each arrival at once over a Unix socket to a worker thread of it';

// ---------------------------------------------------------------------------------------------------------------
// Receiver (child process)
// ---------------------------------------------------------------------------------------------------------------

/**
 * The report socket of a child that sees arrivals: `report(id)` tells every connected ArrivalClock at once; pings
 * ("p<n>\n") are echoed, for the hop's round trip.
 */
export async function openReportServer(): Promise<{ path: string; report: (id: string) => void }> {
  const path = join(tmpdir(), `wxgate-bench-arrivals-${process.pid}.sock`);
  rmSync(path, { force: true });
  const listeners = new Set<Socket>();
  const server = createNetServer((socket) => {
    listeners.add(socket);
    socket.on('close', () => listeners.delete(socket));
    socket.on('error', () => listeners.delete(socket));
    socket.on('data', (chunk) => socket.write(chunk));
  });
  process.on('exit', () => rmSync(path, { force: true }));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return { path, report: (id) => { for (const socket of listeners) socket.write(`a${id}\n`); } };
}

function receiverChild(key: ArrivalKey): void {
  process.on('disconnect', () => process.exit(0));
  // killChildren ends it with SIGTERM: exit through process.exit, so the 'exit' handler removes the report socket.
  process.on('SIGTERM', () => process.exit(0));
  const http = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let id: string | undefined;
      if (key === 'webhook-id') {
        const header = req.headers['webhook-id'];
        id = typeof header === 'string' ? header : undefined;
      } else {
        const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { notify_type: number; data: { msg_id?: string } };
        if (event.notify_type === 1010) id = event.data.msg_id;
      }
      if (id) reports.report(id);
      res.writeHead(200, { 'content-length': '2' }).end('ok');
    });
  });
  http.keepAliveTimeout = 30_000;
  let reports: Awaited<ReturnType<typeof openReportServer>>;
  void openReportServer().then((opened) => {
    reports = opened;
    http.listen(0, HOST, () => process.send!({ port: (http.address() as AddressInfo).port, reportPath: opened.path }));
  });
}

export interface Receiver {
  /** The webhook URL to configure. */
  readonly url: string;
  /** Where an ArrivalClock connects to get the arrival reports. */
  readonly reportPath: string;
}

/** Forks the receiver; it answers every webhook 200 at once and reports the arrivals named by `key`. */
export async function startReceiver(key: ArrivalKey): Promise<Receiver> {
  const child = forkChild(import.meta.url, `${RECEIVER_FLAG}=${key}`, ['--import', 'tsx']);
  const ready = await new Promise<{ port: number; reportPath: string }>((resolve, reject) => {
    const early = () => reject(new Error('the webhook receiver exited before it was ready'));
    child.once('exit', early);
    child.once('message', (m: { port: number; reportPath: string }) => {
      child.off('exit', early);
      resolve(m);
    });
  });
  return { url: `http://${HOST}:${ready.port}/hook`, reportPath: ready.reportPath };
}

// ---------------------------------------------------------------------------------------------------------------
// Arrival clock (a worker thread of the timing process)
// ---------------------------------------------------------------------------------------------------------------

/** Plain JS (no loader in the worker): stamps each report as it is read, echoes pings every 20 ms for the hop. */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const socket = require('node:net').connect(workerData.path);
const pings = new Map();
const hops = [];
let seq = 0;
let rest = '';
const timer = setInterval(() => { pings.set(String(++seq), process.hrtime.bigint()); socket.write('p' + seq + '\\n'); }, 20);
socket.on('connect', () => parentPort.postMessage({ connected: true }));
socket.on('data', (chunk) => {
  const at = process.hrtime.bigint();
  const lines = (rest + chunk).split('\\n');
  rest = lines.pop();
  const arrivals = [];
  for (const line of lines) {
    if (line[0] === 'a') arrivals.push(line.slice(1), at);
    else if (line[0] === 'p' && pings.has(line.slice(1))) { hops.push(Number(at - pings.get(line.slice(1))) / 2e6); pings.delete(line.slice(1)); }
  }
  if (arrivals.length) parentPort.postMessage({ arrivals });
});
socket.on('error', (err) => parentPort.postMessage({ error: err.message }));
parentPort.on('message', (m) => {
  if (m === 'hops') parentPort.postMessage({ hops });
  if (m === 'close') { clearInterval(timer); socket.destroy(); parentPort.close(); }
});
`;

export interface HopStats {
  /** One-way time of a report (half a ping's round trip), ms. */
  readonly p50: number | null;
  readonly p99: number | null;
  readonly samples: number;
}

export class ArrivalClock {
  /** First arrival of each id, on this process's process.hrtime.bigint(). */
  readonly arrivals = new Map<string, bigint>();
  duplicates = 0;
  #wake: Array<() => void> = [];
  #hops: Array<(hops: number[]) => void> = [];

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: { arrivals?: Array<string | bigint>; hops?: number[]; error?: string }) => {
      if (m.arrivals) {
        for (let i = 0; i < m.arrivals.length; i += 2) {
          const id = m.arrivals[i] as string;
          if (this.arrivals.has(id)) this.duplicates++;
          else this.arrivals.set(id, m.arrivals[i + 1] as bigint);
        }
        for (const wake of this.#wake.splice(0)) wake();
      }
      if (m.hops) for (const resolve of this.#hops.splice(0)) resolve(m.hops);
      if (m.error) console.error(`arrival reports: ${m.error}`);
    });
  }

  /** Connects to a receiver's report socket; resolves once reports flow. */
  static async open(reportPath: string): Promise<ArrivalClock> {
    const worker = new Worker(WORKER, { eval: true, workerData: { path: reportPath }, execArgv: [] });
    const clock = new ArrivalClock(worker);
    const [first] = (await once(worker, 'message')) as [{ connected?: boolean; error?: string }];
    if (!first.connected) throw new Error(`cannot reach the receiver's reports: ${first.error}`);
    return clock;
  }

  /** Resolves when every id has arrived; throws after `timeoutMs` naming how many did. */
  async waitFor(ids: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // Walks the ids once over the whole wait (not once per report): the bench shares this process with wxgate, and
    // an O(ids) scan per report batch cost it a tenth of its CPU at 5,000 events.
    let next = 0;
    for (;;) {
      while (next < ids.length && this.arrivals.has(ids[next]!)) next++;
      if (next === ids.length) return;
      if (Date.now() > deadline) throw new Error(`only ${ids.filter((id) => this.arrivals.has(id)).length}/${ids.length} reached the receiver`);
      await new Promise<void>((resolve) => {
        this.#wake.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  /** The report hop measured so far (ping-pongs every 20 ms on the report socket). */
  async hop(): Promise<HopStats> {
    const hops = await new Promise<number[]>((resolve) => {
      this.#hops.push(resolve);
      this.worker.postMessage('hops');
    });
    const sorted = Float64Array.from(hops).sort();
    return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), samples: sorted.length };
  }

  async close(): Promise<void> {
    this.worker.postMessage('close');
    await once(this.worker, 'exit');
  }
}

export const hopLine = (hop: HopStats): string =>
  `report hop (receiver → timing thread, in every end-to-end latency): p50 ${(hop.p50 ?? NaN).toFixed(3)} ms, p99 ${(hop.p99 ?? NaN).toFixed(3)} ms over ${hop.samples} pings`;

const role = process.argv.find((a) => a.startsWith(`${RECEIVER_FLAG}=`));
if (role) receiverChild(role.slice(RECEIVER_FLAG.length + 1) as ArrivalKey);
