// Benchmark (`npm run bench:messages`): send_text from instance A to B through the gateway → B's webhook receiver:
// messages per second and end-to-end latency percentiles, with the bare fastify baseline measured in the same run.
//
// wxgate (as `npm start` configures it, logging at info) and the baseline run in this process. Two forked children
// keep their work off wxgate's event loop: the sender (N keep-alive connections, each sending one request after
// another) and the webhook receiver. One clock (arrivals.ts): the sender stamps each send with its own
// process.hrtime.bigint(), and the receiver reports each arrival at once to a thread of the sender, which stamps it
// with the same clock; end-to-end latency = that stamp − the send's start (an upper bound by the report hop, printed).
import { Agent, request } from 'undici';
import { ArrivalClock, CLOCK_METHOD, hopLine, startReceiver, type HopStats } from './arrivals.ts';
import { askChild, expectOk, forkChild, HOST, killChildren, percentile, post, runBench, serveJob } from './load-generator.ts';
import { roundTripFloor, StatementCounter } from './pg-floor.ts';
import { PgWaits, type Waits } from './pg-waits.ts';
import {
  BENCH_DATABASE_URL, describePostgres, loggedInAccount, NO_POSTGRES_LINE, startBare, startWxgate, withAsyncCommitDatabase, type Bare, type WxgateOptions,
} from './servers.ts';

const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const SENDER_FLAG = '--sender-child';
const POSTGRES_AIM = 0.5;
const ASYNC_LABEL = 'PostgreSQL, no flush';

// ---------------------------------------------------------------------------------------------------------------
// Sender (child process)
// ---------------------------------------------------------------------------------------------------------------

interface SendJob {
  readonly url: string;
  /** Request body; `{i}` is replaced by a per-request counter so every message differs. */
  readonly body: string;
  readonly seconds: number;
  /** Requests per second over all connections; omitted = as fast as the connections go. */
  readonly rate?: number;
  /** The receiver's report socket: when set, the sender waits for every message to arrive and times it. */
  readonly reportPath?: string;
}
/** One request, in ms since the run began on the sender's clock: start, end, HTTP status, newMsgId ("" if none), arrival (null if none). */
type SendRecord = [number, number, number, string, number | null];
interface SendResult {
  readonly records: SendRecord[];
  readonly duplicates: number;
  readonly hop: HopStats | null;
}

async function runSender(job: SendJob): Promise<SendResult> {
  const clock = job.reportPath ? await ArrivalClock.open(job.reportPath) : null;
  const agent = new Agent({ connections: CONNECTIONS, keepAliveTimeout: 30_000 });
  const t0 = process.hrtime.bigint();
  const ms = (t: bigint) => Number(t - t0) / 1e6;
  const records: SendRecord[] = [];
  const until = job.seconds * 1000;
  let counter = 0;
  const loop = async () => {
    while (ms(process.hrtime.bigint()) < until) {
      if (job.rate) {
        // Paced: request n is due at n/rate; a connection waits for its next slot.
        const due = (counter / job.rate) * 1000;
        if (due >= until) return;
        const wait = due - ms(process.hrtime.bigint());
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const started = process.hrtime.bigint();
      const res = await request(job.url, {
        method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: job.body.replace('{i}', String(counter++)),
      });
      const text = await res.body.text();
      const ended = process.hrtime.bigint();
      let newMsgId = '';
      try {
        // The vendor's wire (the default) answers WeChat's object at the top level with errcode 0.
        const answer = JSON.parse(text) as { errcode?: number; list?: Array<{ newMsgId?: string }> };
        if (answer.errcode === 0) newMsgId = answer.list?.[0]?.newMsgId ?? '';
      } catch {
        // not JSON: counted as a failure by the missing id
      }
      records.push([ms(started), ms(ended), res.statusCode, newMsgId, null]);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  await agent.close();
  if (!clock) return { records, duplicates: 0, hop: null };
  try {
    await clock.waitFor(records.map((r) => r[3]).filter(Boolean), 300_000);
    for (const r of records) if (r[3]) r[4] = ms(clock.arrivals.get(r[3])!);
    return { records, duplicates: clock.duplicates, hop: await clock.hop() };
  } finally {
    await clock.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parent
// ---------------------------------------------------------------------------------------------------------------

/** The sender runs this file with tsx's loader named outright rather than inherited. */
const send = (job: SendJob): Promise<SendResult> => askChild(forkChild(import.meta.url, SENDER_FLAG, ['--import', 'tsx']), job, 'sender');

/** What one store's wxgate measured: the burst and the paced run. */
interface StoreRuns {
  readonly store: string;
  readonly burst: SendRun;
  readonly paced: SendRun;
  readonly pacedRate: number;
  /** PostgreSQL only: statements node-postgres sent per message in the burst (the send and its delivery). */
  readonly statementsPerMessage: number | undefined;
  /** PostgreSQL only: what its backends did during the burst (sampled every 50 ms). */
  readonly waits: Waits | undefined;
  /** This process's CPU time over the burst, in cores: wxgate runs in it (the sender and receiver are children). */
  readonly wxgateCores: number;
}
interface SendRun {
  readonly failed: number;
  readonly duplicates: number;
  readonly hop: HopStats;
  readonly count: number;
  readonly sendsPerSecond: number;
  readonly deliveredPerSecond: number;
  readonly httpLatency: number[];
  readonly endToEnd: number[];
}

/**
 * A fresh wxgate (SQLite, or PostgreSQL when `postgres` is given): A and B friends, B's webhook the receiver; a burst,
 * then the same path paced at half the rate the burst delivered. `bare` is started on the first call, with the answer
 * wxgate gave.
 */
async function measureStore(seconds: number, receiver: Awaited<ReturnType<typeof startReceiver>>, options: WxgateOptions & { readonly label?: string },
  startBaseline: (answer: unknown, sendBody: string) => Promise<void>): Promise<StoreRuns> {
  const wxgate = await startWxgate({ ...options, config: { allowPrivateUrls: [HOST], webhook: { timeoutMs: 15_000, retrySchedule: [0, 1, 5], maxInFlight: 64 } } });
  try {
    const { url: base, auth, appKey, appSecret } = wxgate;
    const api = (path: string, body: unknown) => expectOk(path, post(`${base}${path}`, body, auth));

    // Two accounts, friends, each logged in on its instance; B's webhook is the receiver child.
    const a = await loggedInAccount(api, 'Alice');
    const b = await loggedInAccount(api, 'Bob');
    await api('/sandbox/friend/request', { from_wxid: a.wxid, to_wxid: b.wxid });
    await api('/sandbox/friend/accept', { from_wxid: a.wxid, to_wxid: b.wxid });
    await api('/client/set_notify_url', { guid: b.guid, notify_url: receiver.url });

    const envelope = (content: string) => ({ app_key: appKey, app_secret: appSecret, path: '/msg/send_text', data: { guid: a.guid, to_username: b.wxid, content } });
    const sendBody = JSON.stringify(envelope('bench message {i}'));
    // The baseline answers what wxgate answered this very call.
    await startBaseline((await post(`${base}/open/GuidRequest`, envelope('bench probe'))).json, sendBody);

    const warm = await send({ url: `${base}/open/GuidRequest`, body: sendBody, seconds: WARMUP_SECONDS, reportPath: receiver.reportPath });
    if (!warm.records.some((r) => r[3])) throw new Error('no send succeeded in the warm-up');

    /** One measured run of sends: HTTP answers, and arrivals at B's webhook. */
    const run = async (rate?: number): Promise<SendRun> => {
      const { records, duplicates, hop } = await send({ url: `${base}/open/GuidRequest`, body: sendBody, seconds, rate, reportPath: receiver.reportPath });
      const sent = records.filter((r) => r[2] === 200 && r[3] && r[4] !== null);
      const firstStart = Math.min(...sent.map((r) => r[0]));
      const lastArrival = Math.max(...sent.map((r) => r[4]!));
      return {
        failed: records.length - sent.length,
        duplicates,
        hop: hop!,
        count: sent.length,
        sendsPerSecond: sent.length / seconds,
        deliveredPerSecond: sent.length / ((lastArrival - firstStart) / 1000),
        httpLatency: sent.map((r) => r[1] - r[0]).sort((x, y) => x - y),
        endToEnd: sent.map((r) => r[4]! - r[0]).sort((x, y) => x - y),
      };
    };
    const statements = options.postgres ? new StatementCounter() : undefined;
    const waits = options.postgres ? await PgWaits.start(options.postgres) : undefined;
    if (statements) statements.counting = true;
    waits?.charge('burst');
    const cpuBefore = process.cpuUsage();
    const wallBefore = process.hrtime.bigint();
    const burst = await run();
    const cpu = process.cpuUsage(cpuBefore);
    const wxgateCores = (cpu.user + cpu.system) / 1e3 / (Number(process.hrtime.bigint() - wallBefore) / 1e6);
    waits?.charge(undefined);
    await waits?.stop();
    statements?.restore();
    // Latency without a queue: the same path paced at half the rate the burst delivered.
    const pacedRate = Math.max(10, Math.floor(burst.deliveredPerSecond / 2 / 10) * 10);
    const paced = await run(pacedRate);
    return {
      store: options.label ?? (options.postgres ? 'PostgreSQL' : 'SQLite'), burst, paced, pacedRate, statementsPerMessage: statements && statements.count / burst.count,
      waits: waits?.waits('burst'), wxgateCores,
    };
  } finally {
    await wxgate.close();
  }
}

async function main(seconds: number): Promise<number> {
  const receiver = await startReceiver('msg_id');
  let bare: Bare | undefined;
  let bareBody = '';
  try {
    console.log(`bench:messages — ${seconds}s per run after a ${WARMUP_SECONDS}s warm-up, ${CONNECTIONS} connections, node ${process.version}`);
    console.log('messages: gateway /open/GuidRequest → /msg/send_text (A → B) → B\'s webhook receiver (child process); wxgate logs at info');
    console.log('bare: fastify, JSON body, the send_text schema validated, the same logger and access line, a constant answer; same sender');
    console.log(BENCH_DATABASE_URL ? `stores: SQLite (the default), then PostgreSQL (WXGATE_DATABASE_URL, a fresh schema on ${await describePostgres(BENCH_DATABASE_URL)})` : NO_POSTGRES_LINE);
    console.log(`clock: ${CLOCK_METHOD}\n`);

    const runs: StoreRuns[] = [];
    const stores: WxgateOptions[] = BENCH_DATABASE_URL ? [{}, { postgres: BENCH_DATABASE_URL }] : [{}];
    const startBaseline = async (answer: unknown, sendBody: string) => {
      if (bare) return;
      // The same body the sender posts to wxgate (the first store's), answered with what wxgate answered.
      bare = await startBare('/msg/send_text', answer);
      bareBody = sendBody;
    };
    for (const options of stores) runs.push(await measureStore(seconds, receiver, options, startBaseline));
    // Like for like: PostgreSQL at the SQLite store's durability (its WAL is not flushed per commit either).
    const asyncRun = BENCH_DATABASE_URL ? await withAsyncCommitDatabase(BENCH_DATABASE_URL, (url) =>
      measureStore(seconds, receiver, { postgres: url, label: ASYNC_LABEL }, startBaseline)) : null;
    if (asyncRun) runs.push(asyncRun);

    const bareRun = await send({ url: bare!.url, body: bareBody, seconds });
    const bareOk = bareRun.records.filter((r) => r[2] === 200);
    const bareLatency = bareOk.map((r) => r[1] - r[0]).sort((x, y) => x - y);
    const barePerSecond = bareOk.length / seconds;

    const ms = (v: number | null) => (v ?? NaN).toFixed(2).padStart(9);
    const row = (label: string, rate: number, sorted: number[]) =>
      `${label.padEnd(62)} ${rate.toFixed(0).padStart(9)} ${ms(percentile(sorted, 50))} ${ms(percentile(sorted, 99))} ${ms(sorted[0] ?? null)}`;
    console.log(`${'measure'.padEnd(62)} ${'per sec'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'min ms'.padStart(9)}`);
    for (const { store, burst, paced, pacedRate } of runs) {
      console.log(row(`${store} burst: send_text via gateway (HTTP answer)`, burst.sendsPerSecond, burst.httpLatency));
      console.log(row(`${store} burst: send → B's webhook (end to end)`, burst.deliveredPerSecond, burst.endToEnd));
      console.log(row(`${store} paced ${pacedRate}/s: send_text (HTTP answer)`, paced.sendsPerSecond, paced.httpLatency));
      console.log(row(`${store} paced ${pacedRate}/s: send → B's webhook`, paced.deliveredPerSecond, paced.endToEnd));
    }
    console.log(row('bare baseline', barePerSecond, bareLatency));
    const failed = runs.reduce((n, r) => n + r.burst.failed + r.paced.failed, 0) + (bareRun.records.length - bareOk.length);
    const duplicates = runs.reduce((n, r) => n + r.burst.duplicates + r.paced.duplicates, 0);
    const sqlite = runs[0]!;
    console.log(`\n${hopLine(sqlite.paced.hop)} (SQLite paced run)`);
    console.log(`${runs.reduce((n, r) => n + r.burst.count + r.paced.count, 0)} messages sent, all arrived at the receiver, ${duplicates} twice (${failed} failed sends)`);
    console.log(`ratio (SQLite burst messages delivered per second / bare req/s): ${(sqlite.burst.deliveredPerSecond / barePerSecond).toFixed(3)}`);
    console.log(`ratio (SQLite burst send_text req/s / bare req/s): ${(sqlite.burst.sendsPerSecond / barePerSecond).toFixed(3)}`);
    const postgres = runs[1];
    if (postgres) {
      const ratio = postgres.burst.deliveredPerSecond / sqlite.burst.deliveredPerSecond;
      console.log(`ratio (PostgreSQL / SQLite, burst messages delivered end to end per second): ${ratio.toFixed(2)} (aim ≥ ${POSTGRES_AIM.toFixed(2)}: ${ratio >= POSTGRES_AIM ? 'met' : 'NOT met'})`);
      console.log(`ratio (PostgreSQL / SQLite, burst send_text req/s): ${(postgres.burst.sendsPerSecond / sqlite.burst.sendsPerSecond).toFixed(2)}`);
      if (asyncRun) {
        console.log(`ratio (${ASYNC_LABEL} / SQLite, burst messages delivered end to end per second): `
          + `${(asyncRun.burst.deliveredPerSecond / sqlite.burst.deliveredPerSecond).toFixed(2)} — synchronous_commit off: the SQLite store's durability class (its WAL is not flushed per commit either)`);
      }
      // The ceiling of round trips alone: as many trivial statements per transaction as wxgate sent per message.
      const perMessage = postgres.statementsPerMessage!;
      const floor = await roundTripFloor(BENCH_DATABASE_URL!, CONNECTIONS, Math.round(perMessage), seconds);
      console.log(`PostgreSQL statements per message (send and delivery, counted in this process): ${perMessage.toFixed(1)}; `
        + `${CONNECTIONS} connections doing nothing but transactions of ${Math.round(perMessage)} \`SELECT 1\` round trips: ${floor.toFixed(0)}/s `
        + `= ${(floor / sqlite.burst.deliveredPerSecond).toFixed(2)}× the SQLite figure — the most any send path with that many round trips reaches here`);
      const states = postgres.waits!.states.filter(([, n]) => n >= 0.05).map(([state, n]) => `${state} ${n.toFixed(2)}`).join(', ');
      console.log(`PostgreSQL burst, what limits it: the wxgate process used ${postgres.wxgateCores.toFixed(2)} cores (SQLite burst: `
        + `${sqlite.wxgateCores.toFixed(2)}); PostgreSQL backends on average (of ${CONNECTIONS} connections' transactions, ${postgres.waits!.samples} samples): ${states || 'none active'}`);
    } else {
      console.log(NO_POSTGRES_LINE);
    }
    console.log('(burst latencies are time queued behind thousands of sends; the paced row is the latency of one message)');
    const negative = runs.flatMap((r) => [...r.burst.endToEnd, ...r.paced.endToEnd]).filter((v) => v < 0).length;
    if (failed > 0 || duplicates > 0 || negative > 0) {
      console.error(`\n!!! INVALID BENCHMARK: ${failed} sends failed, ${duplicates} duplicate deliveries, ${negative} negative latencies — the numbers above do not measure the intended path`);
      return 1;
    }
    return 0;
  } finally {
    killChildren();
    await bare?.close();
  }
}

if (process.argv.includes(SENDER_FLAG)) {
  serveJob(runSender);
} else {
  runBench({
    name: 'bench:messages',
    maxSeconds: 60,
    // three measured runs per store (three stores with PostgreSQL: SQLite, PostgreSQL as configured, PostgreSQL without a flush per commit), then up to 600 s of deliveries
    deadlineSeconds: (seconds) => (BENCH_DATABASE_URL ? 3 : 1) * (WARMUP_SECONDS + 2 * seconds) + seconds + 600,
    main,
  });
}
