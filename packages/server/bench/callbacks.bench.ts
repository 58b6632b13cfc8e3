// Benchmark (`npm run bench:callbacks`): events/s and latency from commit to a loopback receiver's 2xx, at 1, 10 and 100 instances.
//
// wxgate runs in this process; the receiver runs in a forked child of this file (so it does not share wxgate's event
// loop) and reports, per webhook-id, when the request arrived. Latency = arrival − commit, both on the wall clock.
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';

const RECEIVER_FLAG = '--receiver-child';
const now = () => performance.timeOrigin + performance.now();

if (process.argv.includes(RECEIVER_FLAG)) {
  // Receiver child: answers 200 at once, batches (webhook-id, arrival) reports to the parent.
  let buffer: Array<[string, number]> = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const id = req.headers['webhook-id'];
      if (typeof id === 'string') buffer.push([id, now()]);
      res.writeHead(200, { 'content-length': '2' }).end('ok');
    });
  });
  server.keepAliveTimeout = 30_000;
  setInterval(() => {
    if (buffer.length) {
      process.send!({ arrivals: buffer });
      buffer = [];
    }
  }, 20);
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
} else {
  await main();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), [RECEIVER_FLAG], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const arrivals = new Map<string, number>();
  let arrivalWaiters: Array<() => void> = [];
  const port = await new Promise<number>((resolve) => {
    child.on('message', (m: { port?: number; arrivals?: Array<[string, number]> }) => {
      if (m.port) resolve(m.port);
      if (m.arrivals) {
        for (const [id, at] of m.arrivals) if (!arrivals.has(id)) arrivals.set(id, at);
        for (const w of arrivalWaiters.splice(0)) w();
      }
    });
  });
  const receiverUrl = `http://127.0.0.1:${port}/hook`;
  const dataDir = await mkdtemp(join(tmpdir(), 'wxgate-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir }, {
    logLevel: 'silent',
    allowPrivateUrls: ['127.0.0.1'],
    rateLimit: { maxCalls: 10_000_000, windowSeconds: 60, lockSeconds: 1800 },
    webhook: { timeoutMs: 15_000, retrySchedule: [0, 1, 5], maxInFlight: 64 },
  });
  const app = await buildApp({ config });
  const owner = app.createdApp!.app;

  const instances = async (n: number) => {
    const list = [];
    for (let i = 0; i < n; i++) {
      const created = await app.services.instances.create(owner, { auto_start: true });
      await app.services.instances.setNotifyUrl(created, receiverUrl);
      list.push((await app.services.instances.find(created.guid))!);
    }
    return list;
  };
  const waitAll = async (ids: string[], timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!ids.every((id) => arrivals.has(id))) {
      if (Date.now() > deadline) throw new Error(`only ${ids.filter((id) => arrivals.has(id)).length}/${ids.length} arrived`);
      await new Promise<void>((resolve) => {
        arrivalWaiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  };
  const payload = (i: number) => ({ msg_id: String(i), msg_type: 1, content: `bench ${i}`, from_username: 'wxid_bench', to_username: 'wxid_me', create_time: 1 });

  /** Publishes `total` events round-robin over the instances, `perTick` per macrotask (or paced at `rate`/s). */
  async function run(label: string, instanceCount: number, total: number, rate?: number) {
    const targets = await instances(instanceCount);
    const committed = new Map<string, number>();
    const started = now();
    for (let i = 0; i < total; i += 10) {
      const target = targets[(i / 10) % targets.length]!;
      const records = await app.services.events.publish(target, Array.from({ length: Math.min(10, total - i) }, (_, k) => ({ notifyType: 1010, data: payload(i + k) })));
      const at = now();
      for (const r of records) committed.set(r.id, at);
      if (rate) {
        const due = started + ((i + 10) / rate) * 1000;
        const wait = due - now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      } else if (i % 100 === 0) {
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    const ids = [...committed.keys()];
    await waitAll(ids, 120_000);
    const finished = Math.max(...ids.map((id) => arrivals.get(id)!));
    const latencies = ids.map((id) => arrivals.get(id)! - committed.get(id)!).sort((a, b) => a - b);
    const perSecond = total / ((finished - started) / 1000);
    console.log(
      `${label.padEnd(26)} ${String(instanceCount).padStart(9)} ${String(total).padStart(7)} ${perSecond.toFixed(0).padStart(9)}` +
      ` ${percentile(latencies, 50).toFixed(1).padStart(8)} ${percentile(latencies, 99).toFixed(1).padStart(8)} ${latencies.at(-1)!.toFixed(1).padStart(8)}`,
    );
    return { perSecond, p99: percentile(latencies, 99) };
  }

  const total = Number(process.env.BENCH_EVENTS ?? 5000);
  console.log(`bench:callbacks — node ${process.version}, receiver in a child process, SQLite outbox in ${dataDir}`);
  console.log(`${'scenario'.padEnd(26)} ${'instances'.padStart(9)} ${'events'.padStart(7)} ${'events/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
  await run('warm-up', 1, 500);
  const results = [];
  for (const n of [1, 10, 100]) results.push({ n, ...(await run('burst (as fast as possible)', n, total)) });
  const paced = await run('paced at 1,000 events/s', 10, Math.min(total, 5000), 1000);
  const best = Math.max(...results.map((r) => r.perSecond));
  console.log(`\nbest throughput ${best.toFixed(0)} events/s (aim ≥ 5,000): ${best >= 5000 ? 'met' : 'NOT met'}`);
  console.log(`p99 at 1,000 events/s ${paced.p99.toFixed(1)} ms (aim < 50 ms): ${paced.p99 < 50 ? 'met' : 'NOT met'}`);

  await app.close();
  child.disconnect();
  child.kill();
  await rm(dataDir, { recursive: true, force: true });
}
