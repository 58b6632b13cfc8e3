// Benchmark (`npm run bench:relay`): /msg/send_text through the relay vs the same call straight to the upstream, in one
// run; req/s and latency percentiles of both, and the relay/direct latency ratio (aim: at most 1.2×). Each target runs
// twice: 10 connections flat out (throughput; latency is then mostly queueing) and one connection, one call at a time
// (latency: what a call costs without a queue, so the difference is the relay's hop). The one-connection runs take
// turns in 1 s slices, so this machine's drifting speed falls on both alike.
//
// The upstream here answers in about a millisecond, far faster than a real provider (a network away, then WeChat).
// BENCH_UPSTREAM_DELAY_MS puts a delaying proxy in front of it — used by both targets alike — to model that distance.
// BENCH_UPSTREAM_CALLBACKS=off stops the upstream's callbacks to the relay during the run, which separates the cost of
// the forwarding hop from that of taking in the callback each send causes (durably, before the upstream gets its 2xx).
//
// Three processes: the upstream (a sandbox wxgate, forked child), the relay (this process) and the load generator
// (autocannon, another forked child, timing every response; latency is its clock). Both targets send to the same
// upstream instance, so the upstream does the same work either way (its callbacks to the relay included); the
// difference is the relay's hop. Each send leaves a callback in the upstream's outbox for the relay; before each
// target (and each slice) the bench waits until that backlog has drained, so none pays for the previous one's callbacks.
// Both wxgates run with the default configuration (logging at info through main.ts's logger, to a file).
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { Pool } from 'undici';
import type { RelayDriver } from '../src/driver/relay/relay-driver.ts';
import {
  compare, expectOk, forkChild, freePort, HOST, killChildren, measure, post, reportInvalid, runBench, table, type Measurement, type Target,
} from './load-generator.ts';
import { startWxgate, type BenchWxgate } from './servers.ts';

const PATH = '/msg/send_text';
const AIM = 1.2;

/**
 * Read and write system calls of this process so far (Linux /proc/self/io), or null elsewhere: on a virtual machine
 * where a system call is costly they, more than instructions, decide what a call costs.
 */
function syscalls(): { reads: number; writes: number } | null {
  try {
    const io = readFileSync('/proc/self/io', 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(io)?.[1] ?? NaN);
    return { reads: field('syscr'), writes: field('syscw') };
  } catch {
    return null;
  }
}
/** What the hop may add at p50 on one connection (ms). */
const HOP_AIM_MS = 0.5;
const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
/** One-connection targets take turns in slices this long. */
const SLICE_SECONDS = 1;
const UPSTREAM_FLAG = '--upstream-child';
const DRAIN_TIMEOUT_MS = 120_000;

interface RelayTarget extends Target {
  /** Connections (each sends its next request when the previous answer came). */
  readonly connections: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Upstream (child process): a sandbox wxgate
// ---------------------------------------------------------------------------------------------------------------

/** Messages the parent sends the upstream child: how many callbacks for an instance are still pending, or stop. */
type UpstreamCommand = { backlog: string; limit: number } | 'stop';

async function upstreamChild(): Promise<void> {
  process.on('disconnect', () => process.exit(0));
  const upstream = await startWxgate({ config: { allowPrivateUrls: [HOST] } });
  const direct = upstream.url;
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
  process.send!({ url, appKey: upstream.appKey, appSecret: upstream.appSecret });
  process.on('message', (command: UpstreamCommand) => {
    if (command === 'stop') void upstream.close().then(() => process.exit(0));
    else void upstream.app.store.events.pending(command.backlog, command.limit).then((rows) => process.send!({ backlog: rows.length }));
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Relay and report (parent process)
// ---------------------------------------------------------------------------------------------------------------

async function main(seconds: number, mode: 'gateway' | 'direct'): Promise<number> {
  const upstreamProcess = forkChild(import.meta.url, UPSTREAM_FLAG);
  const upstream = await new Promise<{ url: string; appKey: string; appSecret: string }>((resolve, reject) => {
    upstreamProcess.once('message', resolve as never);
    upstreamProcess.once('exit', () => reject(new Error('the upstream process exited before it was ready')));
  });
  const upstreamAuth = { 'x-app-key': upstream.appKey, 'x-app-secret': upstream.appSecret };
  /** Callbacks the upstream still holds for an instance (pending in its outbox), counted up to `limit`. */
  const backlog = (guid: string, limit: number) => new Promise<number>((resolve) => {
    upstreamProcess.once('message', (m: { backlog: number }) => resolve(m.backlog));
    upstreamProcess.send({ backlog: guid, limit } satisfies UpstreamCommand);
  });
  let relay: BenchWxgate | undefined;
  try {
    const port = await freePort();
    const relayUrl = `http://${HOST}:${port}`;
    relay = await startWxgate({
      port,
      config: {
        driver: 'relay', publicUrl: relayUrl,
        relay: { baseUrl: upstream.url, mode, appKey: upstream.appKey, appSecret: upstream.appSecret, timeoutMs: 15_000, tenants: {} },
      },
    });
    const relayAuth = relay.auth;

    // One account, logged in through the relay; the upstream's phone scans and confirms.
    const { guid } = await expectOk('create_client', post(`${relayUrl}/client/create_client`, { auto_start: true }, relayAuth));
    const upstreamGuid = (await (relay.app.services.driver as RelayDriver).upstreamGuidOf(guid))!;
    await expectOk('get_login_qrcode', post(`${relayUrl}/login/get_login_qrcode`, { guid }, relayAuth));
    await expectOk('scan', post(`${upstream.url}/sandbox/login/scan`, { guid: upstreamGuid, action: 'scan' }, upstreamAuth));
    await expectOk('confirm', post(`${upstream.url}/sandbox/login/scan`, { guid: upstreamGuid, action: 'confirm' }, upstreamAuth));

    const callbacks = process.env.BENCH_UPSTREAM_CALLBACKS !== 'off';
    if (!callbacks) await expectOk('set_notify_url', post(`${upstream.url}/client/set_notify_url`, { guid: upstreamGuid, notify_url: '' }, upstreamAuth));
    const fields = { to_username: 'filehelper', content: 'bench: hello from the relay benchmark' };
    const targets: RelayTarget[] = [
      { name: `direct ×${CONNECTIONS}`, url: `${upstream.url}${PATH}`, body: JSON.stringify({ guid: upstreamGuid, ...fields }), headers: upstreamAuth, connections: CONNECTIONS },
      { name: `relay ×${CONNECTIONS}`, url: `${relayUrl}${PATH}`, body: JSON.stringify({ guid, ...fields }), headers: relayAuth, connections: CONNECTIONS },
    ];
    for (const t of targets) await expectOk(`${t.name} probe`, post(t.url, JSON.parse(t.body), t.headers));
    const sequential = targets.map((t) => ({ ...t, name: t.name.replace(/×\d+/, '×1'), connections: 1 }));

    const delay = Number(process.env.BENCH_UPSTREAM_DELAY_MS ?? 0);
    console.log(`bench:relay — ${PATH}, ${seconds}s per target after a ${WARMUP_SECONDS}s warm-up (one connection: in ${SLICE_SECONDS}s slices taking turns), relay → upstream in ${mode} mode, upstream ${delay > 0 ? `${delay} ms away` : 'local'}, upstream callbacks ${callbacks ? 'on' : 'off'}, node ${process.version}`);
    console.log('direct: the client calls the upstream (a sandbox wxgate); relay: the client calls the relay, which calls the upstream');
    console.log('clock: the load generator\'s (a child process), request written → answer read; both wxgates log at info\n');
    const rows: Measurement[] = [];
    const drained: string[] = [];
    /** This process (the relay) per answered request: CPU µs and system calls (process.cpuUsage, all threads). */
    const relayCpu: string[] = [];
    /** The upstream's callbacks for the relay (its outbox) delivered, so no run pays for the previous one's. */
    const drain = async () => {
      const began = performance.now();
      const pending = await backlog(upstreamGuid, 1_000_000);
      while ((await backlog(upstreamGuid, 1)) > 0) {
        if (performance.now() - began > DRAIN_TIMEOUT_MS) throw new Error(`the upstream's callback backlog did not drain in ${DRAIN_TIMEOUT_MS / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return { pending, seconds: (performance.now() - began) / 1000 };
    };
    const perCallLine = (name: string, calls: number, cpuMicros: number, reads: number | null, writes: number | null) => {
      const perCall = (n: number) => (calls > 0 ? (n / calls).toFixed(1) : '—');
      return `${name} ${calls > 0 ? (cpuMicros / calls).toFixed(0) : '—'} µs` + (reads !== null && writes !== null ? `, ${perCall(reads)} read + ${perCall(writes)} write syscalls` : '');
    };
    // 10 connections: throughput, one target after the other (a slice would end with a queue in flight).
    for (const target of targets) {
      const { pending, seconds: drainSeconds } = await drain();
      drained.push(`${target.name} ${pending} in ${drainSeconds.toFixed(1)} s`);
      const cpuBefore = process.cpuUsage();
      const ioBefore = syscalls();
      const row = await measure(target, { connections: target.connections, warmupSeconds: WARMUP_SECONDS, seconds });
      const cpu = process.cpuUsage(cpuBefore);
      rows.push(row);
      const calls = row.requests * (1 + WARMUP_SECONDS / seconds); // the warm-up ran at about the measured rate
      const io = syscalls();
      relayCpu.push(perCallLine(target.name, calls, cpu.user + cpu.system, io && ioBefore ? io.reads - ioBefore.reads : null, io && ioBefore ? io.writes - ioBefore.writes : null));
    }
    // One connection: latency, direct and relay taking turns in slices of SLICE_SECONDS (the order reversed every other
    // round), each slice after the backlog drained, so a drift of this machine's speed falls on both alike.
    const spent = sequential.map(() => ({ cpu: 0, reads: 0, writes: 0 }));
    let open: { index: number; cpu: NodeJS.CpuUsage; io: ReturnType<typeof syscalls> } | undefined;
    const closeSlice = () => {
      if (!open) return;
      const cpu = process.cpuUsage(open.cpu);
      const io = syscalls();
      const into = spent[open.index]!;
      into.cpu += cpu.user + cpu.system;
      if (io && open.io) {
        into.reads += io.reads - open.io.reads;
        into.writes += io.writes - open.io.writes;
      }
      open = undefined;
    };
    let slices = 0;
    const sliced = await compare(sequential, { connections: 1, warmupSeconds: WARMUP_SECONDS, seconds, sliceSeconds: SLICE_SECONDS }, async (target, warmUp) => {
      closeSlice();
      await drain();
      if (warmUp) return;
      slices++;
      open = { index: sequential.indexOf(target as RelayTarget), cpu: process.cpuUsage(), io: syscalls() };
    });
    closeSlice();
    drained.push(`before each of ${slices} one-connection slices`);
    rows.push(...sliced);
    const countsSyscalls = syscalls() !== null;
    sliced.forEach((row, i) => relayCpu.push(perCallLine(row.name, row.requests, spent[i]!.cpu, countsSyscalls ? spent[i]!.reads : null, countsSyscalls ? spent[i]!.writes : null)));
    console.log(`callback backlog drained before each run (callbacks pending, time to drain): ${drained.join('; ')}`);
    console.log(table(rows, 'total', 11));
    console.log(`relay process CPU per answered call (its callback intake included; idle during direct targets but for that; 10 connections: warm-up included): ${relayCpu.join('; ')}`);

    const [direct, relayed, directOne, relayedOne] = rows as [Measurement, Measurement, Measurement, Measurement];
    const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? a / b : Number.NaN);
    const report = (label: string, d: Measurement, r: Measurement) =>
      console.log(`${label}: latency relay/direct p50 ${ratio(r.p50, d.p50).toFixed(2)}×, p99 ${ratio(r.p99, d.p99).toFixed(2)}×; throughput ${ratio(r.reqPerSec, d.reqPerSec).toFixed(2)}×`);
    console.log('');
    report(`${CONNECTIONS} connections`, direct, relayed);
    report('1 connection', directOne, relayedOne);
    const p50 = ratio(relayedOne.p50, directOne.p50);
    const hop = (relayedOne.p50 ?? 0) - (directOne.p50 ?? 0);
    console.log(`aim p50 ≤ ${AIM.toFixed(1)}× (1 connection): ${p50 <= AIM ? 'met' : 'NOT met'}`);
    console.log(`aim hop ≤ ${HOP_AIM_MS} ms at p50 (1 connection): ${hop <= HOP_AIM_MS ? 'met' : 'NOT met'}; the hop adds ${hop.toFixed(2)} ms at p50`);
    return reportInvalid(rows, 'total') ? 1 : 0;
  } finally {
    killChildren('SIGTERM', upstreamProcess);
    await relay?.close();
    upstreamProcess.send('stop' satisfies UpstreamCommand);
    await new Promise((resolve) => upstreamProcess.once('exit', resolve));
  }
}

if (process.argv.includes(UPSTREAM_FLAG)) {
  void upstreamChild();
} else {
  const mode = process.env.BENCH_RELAY_MODE === 'gateway' ? 'gateway' : 'direct';
  runBench({
    name: 'bench:relay',
    maxSeconds: 20,
    // four targets × (drain + warm-up + measurement), and up to 10 s to drain before each one-connection slice
    deadlineSeconds: (seconds) => 4 * (WARMUP_SECONDS + seconds) + 60 + (4 * DRAIN_TIMEOUT_MS) / 1000 + 10 * Math.ceil((2 * seconds) / SLICE_SECONDS),
    main: (seconds) => main(seconds, mode),
  });
}
