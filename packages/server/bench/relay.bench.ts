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
import { createServer as createHttpServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { buildApp, type Wxgate } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { RelayDriver } from '../src/driver/relay/relay-driver.ts';
import {
  expectOk, forkChild, freePort, HOST, killChildren, measure, post, reportInvalid, runBench, table, type Measurement, type Target,
} from './load-generator.ts';

const PATH = '/msg/send_text';
const AIM = 1.2;
const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const UPSTREAM_FLAG = '--upstream-child';
const UNLIMITED = { maxCalls: 100_000_000, windowSeconds: 60, lockSeconds: 1800 };

interface RelayTarget extends Target {
  /** Connections (each sends its next request when the previous answer came). */
  readonly connections: number;
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

async function main(seconds: number, mode: 'gateway' | 'direct'): Promise<number> {
  const upstreamProcess = forkChild(import.meta.url, UPSTREAM_FLAG);
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
    const targets: RelayTarget[] = [
      { name: `direct ×${CONNECTIONS}`, url: `${upstream.url}${PATH}`, body: JSON.stringify({ guid: upstreamGuid, ...fields }), headers: upstreamAuth, connections: CONNECTIONS },
      { name: `relay ×${CONNECTIONS}`, url: `${relayUrl}${PATH}`, body: JSON.stringify({ guid, ...fields }), headers: relayAuth, connections: CONNECTIONS },
    ];
    for (const t of targets) await expectOk(`${t.name} probe`, post(t.url, JSON.parse(t.body), t.headers));
    const sequential = targets.map((t) => ({ ...t, name: t.name.replace(/×\d+/, '×1'), connections: 1 }));

    const delay = Number(process.env.BENCH_UPSTREAM_DELAY_MS ?? 0);
    console.log(`bench:relay — ${PATH}, ${seconds}s per target after a ${WARMUP_SECONDS}s warm-up, relay → upstream in ${mode} mode, upstream ${delay > 0 ? `${delay} ms away` : 'local'}, upstream callbacks ${callbacks ? 'on' : 'off'}, node ${process.version}`);
    console.log('direct: the client calls the upstream (a sandbox wxgate); relay: the client calls the relay, which calls the upstream\n');
    const rows: Measurement[] = [];
    for (const target of [...targets, ...sequential]) {
      rows.push(await measure(target, { connections: target.connections, warmupSeconds: WARMUP_SECONDS, seconds }));
    }
    console.log(table(rows, 'total', 11));

    const [direct, relayed, directOne, relayedOne] = rows as [Measurement, Measurement, Measurement, Measurement];
    const ratio = (a: number | null, b: number | null) => (a !== null && b !== null && b > 0 ? a / b : Number.NaN);
    const report = (label: string, d: Measurement, r: Measurement) =>
      console.log(`${label}: latency relay/direct p50 ${ratio(r.p50, d.p50).toFixed(2)}×, p99 ${ratio(r.p99, d.p99).toFixed(2)}×; throughput ${ratio(r.reqPerSec, d.reqPerSec).toFixed(2)}×`);
    console.log('');
    report(`${CONNECTIONS} connections`, direct, relayed);
    report('1 connection', directOne, relayedOne);
    const p50 = ratio(relayedOne.p50, directOne.p50);
    console.log(`aim p50 ≤ ${AIM.toFixed(1)}× (1 connection): ${p50 <= AIM ? 'met' : 'NOT met'}; the hop adds ${((relayedOne.p50 ?? 0) - (directOne.p50 ?? 0)).toFixed(2)} ms at p50`);
    return reportInvalid(rows, 'total') ? 1 : 0;
  } finally {
    killChildren('SIGTERM', upstreamProcess);
    await relay?.close();
    await rm(dataDir, { recursive: true, force: true });
    upstreamProcess.send('stop');
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
    deadlineSeconds: (seconds) => 4 * (WARMUP_SECONDS + seconds) + 40, // four targets × (warm-up + measurement)
    main: (seconds) => main(seconds, mode),
  });
}
