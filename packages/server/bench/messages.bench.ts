// Benchmark (`npm run bench:messages`): send_text from instance A to B through the gateway → B's webhook receiver:
// messages per second and end-to-end latency percentiles, with the bare fastify route measured in the same run.
//
// wxgate and the bare route run in this process. Two forked children of this file keep their work off wxgate's event
// loop: the sender (N keep-alive connections, each sending one request after another) and the webhook receiver. Both
// report wall-clock times (performance.timeOrigin + now), so end-to-end latency = arrival at the receiver − start of
// the send request.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Agent, request } from 'undici';
import { buildApp, type Wxgate } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { askChild, expectOk, forkChild, HOST, killChildren, percentile, post, runBench, serveJob } from './load-generator.ts';

const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const SENDER_FLAG = '--sender-child';
const RECEIVER_FLAG = '--receiver-child';
const now = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------------------------
// Children
// ---------------------------------------------------------------------------------------------------------------

interface SendJob {
  readonly url: string;
  /** Request body; `{i}` is replaced by a per-request counter so every message differs. */
  readonly body: string;
  readonly seconds: number;
  /** Requests per second over all connections; omitted = as fast as the connections go. */
  readonly rate?: number;
}
/** One request: start, end (wall-clock ms), HTTP status and the newMsgId it answered ("" for the bare route). */
type SendRecord = [number, number, number, string];

async function runSender(job: SendJob): Promise<SendRecord[]> {
  const agent = new Agent({ connections: CONNECTIONS, keepAliveTimeout: 30_000 });
  const records: SendRecord[] = [];
  const begin = now();
  const until = begin + job.seconds * 1000;
  let counter = 0;
  const loop = async () => {
    while (now() < until) {
      if (job.rate) {
        // Paced: request n is due at begin + n/rate; a connection waits for its next slot.
        const due = begin + (counter / job.rate) * 1000;
        if (due >= until) return;
        if (due > now()) await new Promise((resolve) => setTimeout(resolve, due - now()));
      }
      const started = now();
      const res = await request(job.url, {
        method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: job.body.replace('{i}', String(counter++)),
      });
      const text = await res.body.text();
      const ended = now();
      let newMsgId = '';
      try {
        // The vendor's wire (the default) answers WeChat's object at the top level; the standard envelope under data.
        type Sent = { list?: Array<{ newMsgId?: string }> };
        const answer = JSON.parse(text) as Sent & { data?: Sent };
        newMsgId = (answer.data ?? answer).list?.[0]?.newMsgId ?? '';
      } catch {
        // not JSON: counted as an error by its status
      }
      records.push([started, ended, res.statusCode, newMsgId]);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  await agent.close();
  return records;
}

function receiverChild(): void {
  // Answers 200 at once and reports (msg_id, arrival) in batches; other notify types are answered and ignored.
  let buffer: Array<[string, number]> = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = now();
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { notify_type: number; data: { msg_id?: string } };
      if (event.notify_type === 1010 && event.data.msg_id) buffer.push([event.data.msg_id, at]);
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
  server.listen(0, HOST, () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('disconnect', () => process.exit(0));
}

// ---------------------------------------------------------------------------------------------------------------
// Parent
// ---------------------------------------------------------------------------------------------------------------

/** The children run this file with tsx's loader named outright rather than inherited. */
const forkSelf = (flag: string) => forkChild(import.meta.url, flag, ['--import', 'tsx']);

function send(job: SendJob): Promise<SendRecord[]> {
  return askChild(forkSelf(SENDER_FLAG), job, 'sender');
}

async function main(seconds: number): Promise<number> {
  const receiver = forkSelf(RECEIVER_FLAG);
  const arrivals = new Map<string, number>();
  let duplicates = 0;
  let wake: Array<() => void> = [];
  const receiverPort = await new Promise<number>((resolve) => {
    receiver.on('message', (m: { port?: number; arrivals?: Array<[string, number]> }) => {
      if (m.port) resolve(m.port);
      if (m.arrivals) {
        for (const [id, at] of m.arrivals) {
          if (arrivals.has(id)) duplicates++;
          else arrivals.set(id, at);
        }
        for (const w of wake.splice(0)) w();
      }
    });
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'wxgate-bench-'));
  let wxgate: Wxgate | undefined;
  let bare: FastifyInstance | undefined;
  try {
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0' }, {
      logLevel: 'silent',
      allowPrivateUrls: [HOST],
      rateLimit: { maxCalls: 100_000_000, windowSeconds: 60, lockSeconds: 1800 },
      webhook: { timeoutMs: 15_000, retrySchedule: [0, 1, 5], maxInFlight: 64 },
    });
    wxgate = await buildApp({ config });
    const { appKey } = wxgate.createdApp!.app;
    const { appSecret } = wxgate.createdApp!;
    const base = await wxgate.http.listen({ host: HOST, port: 0 });
    const creds = { 'x-app-key': appKey, 'x-app-secret': appSecret };
    const api = (path: string, body: unknown) => expectOk(path, post(`${base}${path}`, body, creds));

    // Two accounts, friends, each logged in on its instance; B's webhook is the receiver child.
    const account = async (nickname: string) => {
      const { guid } = await api('/client/create_client', { auto_start: true });
      const { wxid } = await api('/sandbox/people/create', { nickname });
      await api('/login/get_login_qrcode', { guid });
      await api('/sandbox/login/scan', { guid, action: 'scan', wxid });
      await api('/sandbox/login/scan', { guid, action: 'confirm' });
      return { guid: guid as string, wxid: wxid as string };
    };
    const a = await account('Alice');
    const b = await account('Bob');
    await api('/sandbox/friend/request', { from_wxid: a.wxid, to_wxid: b.wxid });
    await api('/sandbox/friend/accept', { from_wxid: a.wxid, to_wxid: b.wxid });
    await api('/client/set_notify_url', { guid: b.guid, notify_url: `http://${HOST}:${receiverPort}/hook` });

    bare = Fastify();
    bare.post('/bare', async () => ({ code: 0, data: { status: 1 } }));
    const bareUrl = await bare.listen({ host: HOST, port: 0 });

    const sendBody = JSON.stringify({ app_key: appKey, app_secret: appSecret, path: '/msg/send_text', data: { guid: a.guid, to_username: b.wxid, content: 'bench message {i}' } });
    const waitFor = async (ids: readonly string[], timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      while (!ids.every((id) => arrivals.has(id))) {
        if (Date.now() > deadline) throw new Error(`only ${ids.filter((id) => arrivals.has(id)).length}/${ids.length} messages reached the receiver`);
        await new Promise<void>((resolve) => {
          wake.push(resolve);
          setTimeout(resolve, 100);
        });
      }
    };

    console.log(`bench:messages — ${seconds}s per target after a ${WARMUP_SECONDS}s warm-up, ${CONNECTIONS} connections, node ${process.version}`);
    console.log('messages: gateway /open/GuidRequest → /msg/send_text (A → B) → B\'s webhook receiver (child process)');
    console.log('bare: POST /bare (fastify, returns a constant), same sender, same connections\n');

    const warm = await send({ url: `${base}/open/GuidRequest`, body: sendBody, seconds: WARMUP_SECONDS });
    await waitFor(warm.map((r) => r[3]).filter(Boolean), 60_000);

    /** One measured run of sends: HTTP answers, and arrivals at B's webhook. */
    const run = async (rate?: number) => {
      const records = await send({ url: `${base}/open/GuidRequest`, body: sendBody, seconds, rate });
      const sent = records.filter((r) => r[2] === 200 && r[3]);
      const ids = sent.map((r) => r[3]);
      await waitFor(ids, 300_000);
      const started = Math.min(...sent.map((r) => r[0]));
      const lastArrival = Math.max(...ids.map((id) => arrivals.get(id)!));
      return {
        failed: records.length - sent.length,
        count: sent.length,
        sendsPerSecond: sent.length / seconds,
        deliveredPerSecond: sent.length / ((lastArrival - started) / 1000),
        httpLatency: sent.map((r) => r[1] - r[0]).sort((x, y) => x - y),
        endToEnd: sent.map((r) => arrivals.get(r[3])! - r[0]).sort((x, y) => x - y),
      };
    };
    const burst = await run();
    // Latency without a queue: the same path paced at half the rate the burst delivered.
    const pacedRate = Math.max(10, Math.floor(burst.deliveredPerSecond / 2 / 10) * 10);
    const paced = await run(pacedRate);

    const bareRecords = await send({ url: `${bareUrl}/bare`, body: sendBody, seconds });
    const bareOk = bareRecords.filter((r) => r[2] === 200);
    const bareLatency = bareOk.map((r) => r[1] - r[0]).sort((x, y) => x - y);
    const barePerSecond = bareOk.length / seconds;

    const ms = (v: number | null) => (v ?? NaN).toFixed(2).padStart(9);
    const row = (label: string, rate: number, sorted: number[]) =>
      `${label.padEnd(44)} ${rate.toFixed(0).padStart(9)} ${ms(percentile(sorted, 50))} ${ms(percentile(sorted, 99))}`;
    console.log(`${'measure'.padEnd(44)} ${'per sec'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)}`);
    console.log(row('burst: send_text via gateway (HTTP answer)', burst.sendsPerSecond, burst.httpLatency));
    console.log(row('burst: send → B\'s webhook (end to end)', burst.deliveredPerSecond, burst.endToEnd));
    console.log(row(`paced ${pacedRate}/s: send_text (HTTP answer)`, paced.sendsPerSecond, paced.httpLatency));
    console.log(row(`paced ${pacedRate}/s: send → B's webhook`, paced.deliveredPerSecond, paced.endToEnd));
    console.log(row('bare fastify route', barePerSecond, bareLatency));
    const failed = burst.failed + paced.failed;
    console.log(`\n${burst.count + paced.count} messages sent, all arrived at the receiver, ${duplicates} twice (${failed} failed sends)`);
    console.log(`ratio (burst messages delivered per second / bare req/s): ${(burst.deliveredPerSecond / barePerSecond).toFixed(3)}`);
    console.log(`ratio (burst send_text req/s / bare req/s): ${(burst.sendsPerSecond / barePerSecond).toFixed(3)}`);
    console.log('(burst latencies are time queued behind thousands of sends; the paced row is the latency of one message)');
    if (failed > 0 || duplicates > 0) {
      console.error(`\n!!! INVALID BENCHMARK: ${failed} sends failed, ${duplicates} duplicate deliveries — the numbers above do not measure the intended path`);
      return 1;
    }
    return 0;
  } finally {
    killChildren();
    await bare?.close();
    await wxgate?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes(SENDER_FLAG)) {
  serveJob(runSender);
} else if (process.argv.includes(RECEIVER_FLAG)) {
  receiverChild();
} else {
  runBench({
    name: 'bench:messages',
    maxSeconds: 60,
    deadlineSeconds: (seconds) => WARMUP_SECONDS + 3 * seconds + 600, // three measured runs, then up to 600 s of deliveries
    main,
  });
}
