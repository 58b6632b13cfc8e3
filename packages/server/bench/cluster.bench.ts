// Benchmark (`npm run bench:cluster`): send_text/s and webhook events/s with one wxgate node and with two — separate processes over one PostgreSQL and one Redis — their ratio, and the CPU each component spent per 1,000, which shows what limits it.
//
// Both configurations run at once, each on a fresh schema of its own (so a fresh Redis key space), and take turns, so
// load from elsewhere on the machine falls on both alike; they do the same work:
// (a) send_text: two load generator children (load-generator.ts's compare) keep 8 keep-alive connections each on
//     gateway send_text — both on node 1, or one per node — switching configuration together (a barrier in this
//     process at every turn, where the CPU is read too);
// (b) webhook events: simulated people's room messages raise a 1010 on every member's instance. They are written
//     beforehand, with no webhook set; then a replay of each instance's range (/events/replay) puts a batch back in the
//     webhook queue, and a receiver child (arrivals.ts) reports each webhook by its id to a thread of this process,
//     which stamps it on the clock the replay was stamped with. events/s = events ÷ (replay → every one written
//     delivered: the nodes record deliveries behind the sends, and that work is part of delivering); the last arrival
//     is printed too. Two batches per configuration, in the order 1, 2, 2, 1. This measures delivery alone, not the
//     sandbox writing the messages.
// CPU: /proc for the nodes, the PostgreSQL server and this process's other children, Redis' INFO (cpu.ts); what
// PostgreSQL's backends wait on (a lock, I/O, their node): pg_stat_activity every 50 ms (pg-waits.ts).
import pg from 'pg';
import { Redis } from 'ioredis';
import { ArrivalClock, startReceiver } from './arrivals.ts';
import { friends, nodeEntry, gauge, rooms, startCluster, writeToRooms, type BenchCluster, type NodeEntry, type Room } from './cluster-nodes.ts';
import { clusterReport, type ConfigurationFigures } from './cluster-report.ts';
import { addSpent, CpuMeter, spent, type CpuSpent } from './cpu.ts';
import { PgWaits } from './pg-waits.ts';
import { compare, expectOk, killChildren, post, reportInvalid, runBench, table, type Target } from './load-generator.ts';
import { killServers } from '../test/e2e/server-process.ts';
import { BENCH_DATABASE_URL, describePostgres, UNLIMITED } from './servers.ts';

const BENCH_REDIS_URL = process.env.WXGATE_REDIS_URL || process.env.WXGATE_TEST_REDIS_URL || undefined;
const NODE_COUNTS = [1, 2] as const;
const CLIENTS = 2;
const CONNECTIONS_PER_CLIENT = 8;
const WARMUP_SECONDS = 2;
const SLICE_SECONDS = 2;
const ROOMS = 4;
const MEMBERS = 12;
/** Concurrent callers writing the room messages, spread over the nodes. */
const WRITERS = 4;
/** Events per measured batch (two batches per configuration), and the unmeasured warm-up batch. */
const BATCH_EVENTS = Number(process.env.BENCH_EVENTS ?? 6000);
const WARMUP_EVENTS = 600;
const NOT_RUN = 'bench:cluster: not run — it needs PostgreSQL and Redis: set WXGATE_DATABASE_URL and WXGATE_REDIS_URL, or run '
  + '`bash scripts/pg-test.sh run --durable -- bash scripts/redis-test.sh run -- npm run bench:cluster` (Debian: apt-get install postgresql redis-server)';

/** What the outbox of one configuration's schema says: the newest sn per instance, and the events due to a webhook. */
class Outbox {
  readonly #seen = new Set<string>();
  constructor(private readonly db: pg.Client, private readonly schema: string) {}

  async lastSns(): Promise<Map<string, number>> {
    const rows = (await this.db.query<{ guid: string; sn: string }>(`SELECT guid, max(sn) AS sn FROM ${this.schema}.events GROUP BY guid`)).rows;
    return new Map(rows.map((r) => [r.guid, Number(r.sn)]));
  }

  /** The events put in the webhook queue since the last call (the outbox is the truth of what must arrive). */
  async queued(): Promise<string[]> {
    const rows = (await this.db.query<{ id: string }>(`SELECT id FROM ${this.schema}.events WHERE webhook_state <> 'skipped'`)).rows;
    const fresh = rows.map((r) => r.id).filter((id) => !this.#seen.has(id));
    for (const id of fresh) this.#seen.add(id);
    return fresh;
  }

  /**
   * Resolves once every one of `ids` is written delivered. The nodes write deliveries in group commits, behind the
   * sends; a replay arriving before they are written would have the unwritten ones sent again (a replay discards the
   * state of the instance's attempts that ended before it), so a batch ends here, not at its last arrival.
   */
  async written(ids: readonly string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // Polled on the partial index of pending events (cheap: the bench reads the CPU PostgreSQL spends), then checked once.
    const count = async (where: string, values: unknown[] = []) =>
      Number((await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${this.schema}.events WHERE ${where}`, values)).rows[0]!.n);
    while ((await count(`webhook_state = 'pending'`)) > 0) {
      if (Date.now() > deadline) throw new Error(`events arrived but were not written delivered within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const left = await count(`id = ANY($1) AND webhook_state <> 'delivered'`, [ids]);
    if (left > 0) throw new Error(`${left} of ${ids.length} events are not written delivered`);
  }
}

interface Configuration {
  readonly nodes: number;
  readonly cluster: BenchCluster;
  readonly rooms: Room[];
  readonly outbox: Outbox;
  /** Per batch (0: the warm-up), each room instance's range of sn to replay. */
  readonly batches: Array<Map<string, [number, number]>>;
  /** One send_text target per client. */
  readonly targets: Target[];
}

/** Sets one configuration up: friends to send between, rooms, and their messages written in batches, unsent. */
async function prepare(nodes: number, db: pg.Client, entry: NodeEntry): Promise<Configuration> {
  const cluster = await startCluster(nodes, BENCH_DATABASE_URL!, BENCH_REDIS_URL!, entry.entry);
  try {
    return await setUp(nodes, cluster, db);
  } catch (err) {
    await cluster.close();
    throw err;
  }
}

async function setUp(nodes: number, cluster: BenchCluster, db: pg.Client): Promise<Configuration> {
  const targets: Target[] = [];
  for (let k = 0; k < CLIENTS; k++) {
    const pair = await friends(cluster, k, String(k + 1));
    const url = `${cluster.nodes[k % nodes]!.base}/open/GuidRequest`;
    const envelope = { app_key: cluster.appKey, app_secret: cluster.appSecret, path: '/msg/send_text', data: { guid: pair.from.guid, to_username: pair.to.wxid, content: 'bench message' } };
    await expectOk('send_text probe', post(url, envelope));
    targets.push({ name: `${nodes} node${nodes > 1 ? 's' : ''}: client ${k + 1} → node ${(k % nodes) + 1}`, url, body: JSON.stringify(envelope), headers: {} });
  }
  const made = await rooms(cluster, ROOMS, MEMBERS);
  const outbox = new Outbox(db, cluster.schema);
  const batches: Array<Map<string, [number, number]>> = [];
  let before = await outbox.lastSns();
  for (const events of [WARMUP_EVENTS, BATCH_EVENTS, BATCH_EVENTS]) {
    await writeToRooms(cluster, made, Math.ceil(events / MEMBERS), WRITERS);
    const after = await outbox.lastSns();
    batches.push(new Map(made.flatMap((r) => r.guids).map((guid) => [guid, [(before.get(guid) ?? 0) + 1, after.get(guid)!]])));
    before = after;
  }
  return { nodes, cluster, rooms: made, outbox, batches, targets };
}

/** Resolves every waiter once `parties` have arrived, after `onOpen(the last arrival's value)`: clients turn together. */
function lockstep<T>(parties: number, onOpen: (value: T) => Promise<void>): (value: T) => Promise<void> {
  const waiting: Array<() => void> = [];
  return (value) => new Promise<void>((resolve) => {
    waiting.push(resolve);
    if (waiting.length === parties) void onOpen(value).then(() => { for (const go of waiting.splice(0)) go(); });
  });
}

/** (a) send_text: the clients take turns on the configurations together; the CPU of each turn is charged to its configuration. */
async function measureSends(configs: Configuration[], meter: CpuMeter, waits: PgWaits, allPids: number[], seconds: number) {
  const cpu: Array<CpuSpent | undefined> = configs.map(() => undefined);
  const configOf = new Map<Target, number>(configs.flatMap((c, i) => c.targets.map((t): [Target, number] => [t, i])));
  let mark = await meter.read(allPids);
  let running: number | undefined;
  const turn = async (next: number | undefined) => {
    const now = await meter.read(allPids);
    if (running !== undefined) cpu[running] = addSpent(cpu[running], spent(mark, now, configs[running]!.cluster.pids));
    mark = now;
    running = next;
    waits.charge(next === undefined ? undefined : `sends ${configs[next]!.nodes}`);
  };
  const together = lockstep<[Target, boolean]>(CLIENTS, ([target, warmUp]) => turn(warmUp ? undefined : configOf.get(target)));
  const options = { connections: CONNECTIONS_PER_CLIENT, warmupSeconds: WARMUP_SECONDS, seconds, sliceSeconds: SLICE_SECONDS };
  const perClient = await Promise.all(Array.from({ length: CLIENTS }, (_, k) =>
    compare(configs.map((c) => c.targets[k]!), options, (target, warmUp) => together([target, warmUp]))));
  await turn(undefined);
  return configs.map((_, i) => {
    const rows = perClient.map((measured) => measured[i]!);
    return { rows, perSecond: rows.reduce((s, m) => s + m.reqPerSec, 0), count: rows.reduce((s, m) => s + m.requests, 0), cpu: cpu[i]! };
  });
}

/** (b) One batch put back in the webhook queue by replays through the nodes, and waited for at the receiver. */
async function drain(config: Configuration, batch: number, meter: CpuMeter, waits: PgWaits, allPids: number[], clock: ArrivalClock) {
  const { cluster } = config;
  const start = await meter.read(allPids);
  // The warm-up batch is not measured.
  waits.charge(batch > 0 ? `events ${config.nodes}` : undefined);
  const replays = await Promise.all([...config.batches[batch]!].map(([guid, [from, to]], i) =>
    cluster.api(i)('/events/replay', { guid, from_sn: from, to_sn: to }) as Promise<{ requeued: number }>));
  // Each owner holds a lease per instance it is delivering: the spread of the instances over the nodes.
  const leases = await Promise.all(cluster.nodes.map((node) => gauge(node, 'wxgate_cluster_leases_held')));
  const ids = await config.outbox.queued();
  const requeued = replays.reduce((s, r) => s + r.requeued, 0);
  if (requeued !== ids.length) throw new Error(`${requeued} events replayed but ${ids.length} queued for webhooks`);
  await clock.waitFor(ids, 120_000);
  await config.outbox.written(ids, 60_000);
  waits.charge(undefined);
  const end = await meter.read(allPids);
  let last = start.at;
  for (const id of ids) if (clock.arrivals.get(id)! > last) last = clock.arrivals.get(id)!;
  return { count: ids.length, arrived: Number(last - start.at) / 1e9, written: Number(end.at - start.at) / 1e9, cpu: spent(start, end, cluster.pids), leases };
}

async function describeRedis(url: string): Promise<string> {
  const redis = new Redis(url, { lazyConnect: true });
  try {
    return `Redis ${/^redis_version:(.+)$/m.exec(await redis.info('server'))?.[1]?.trim()} at ${new URL(url).host}`;
  } finally {
    redis.disconnect();
  }
}

async function main(seconds: number): Promise<number> {
  if (!BENCH_DATABASE_URL || !BENCH_REDIS_URL) {
    console.log(NOT_RUN);
    return 0;
  }
  if (!Number.isInteger(BATCH_EVENTS) || BATCH_EVENTS < 1000 || BATCH_EVENTS > 100_000) throw new Error(`BENCH_EVENTS=${process.env.BENCH_EVENTS} must be a whole number from 1000 to 100000`);
  process.on('exit', killServers);
  const entry = nodeEntry();
  const receiver = await startReceiver('webhook-id');
  const clock = await ArrivalClock.open(receiver.reportPath);
  const meter = await CpuMeter.open(BENCH_DATABASE_URL, BENCH_REDIS_URL);
  const waits = await PgWaits.start(BENCH_DATABASE_URL);
  const db = new pg.Client({ connectionString: BENCH_DATABASE_URL });
  await db.connect();
  const configs: Configuration[] = [];
  try {
    console.log(`bench:cluster — node ${process.version}; wxgate nodes as separate processes (${entry.says}) in the default configuration `
      + `but the rate limit (WXGATE_RATE_LIMIT_MAX_CALLS=${UNLIMITED.maxCalls}), logging at info to a pipe; 1 node is a cluster of one (on Redis too)`);
    console.log(`${await describePostgres(BENCH_DATABASE_URL)}; ${await describeRedis(BENCH_REDIS_URL)}; a fresh schema (and Redis key space) per configuration, both up at once, taking turns`);
    console.log(`send_text: gateway /open/GuidRequest → /msg/send_text A → B (${CLIENTS} pairs), ${CLIENTS} load generator children × ${CONNECTIONS_PER_CLIENT} keep-alive `
      + `connections — both on node 1, or one per node; ${WARMUP_SECONDS}s warm-up each, then ${seconds}s per configuration in ${SLICE_SECONDS}s turns; no webhooks set`);
    console.log(`events: ${ROOMS * MEMBERS} instances in ${ROOMS} rooms of ${MEMBERS}, room messages written beforehand without webhooks; batches of ~${BATCH_EVENTS.toLocaleString('en')} `
      + 'events replayed through the nodes (order 1, 2, 2, 1 after a warm-up batch each), delivered to a receiver child (by webhook-id); events/s = events ÷ (replay → the last written delivered), one clock\n');

    for (const nodes of NODE_COUNTS) configs.push(await prepare(nodes, db, entry));
    const allPids = configs.flatMap((c) => c.cluster.pids);
    const sends = await measureSends(configs, meter, waits, allPids, seconds);

    await Promise.all(configs.flatMap((c) => c.rooms.flatMap((r) => r.guids).map((guid, i) => c.cluster.api(i)('/client/set_notify_url', { guid, notify_url: receiver.url }))));
    for (const config of configs) await drain(config, 0, meter, waits, allPids, clock);
    const drains = configs.map((): Array<Awaited<ReturnType<typeof drain>>> => []);
    for (const [config, batch] of [[0, 1], [1, 1], [1, 2], [0, 2]] as const) drains[config]!.push(await drain(configs[config]!, batch, meter, waits, allPids, clock));

    const figures: ConfigurationFigures[] = configs.map((c, i) => {
      const runs = drains[i]!;
      const count = runs.reduce((s, r) => s + r.count, 0);
      return {
        nodes: c.nodes,
        sends: { perSecond: sends[i]!.perSecond, count: sends[i]!.count, cpu: sends[i]!.cpu, waits: waits.waits(`sends ${c.nodes}`) },
        events: {
          perSecond: count / runs.reduce((s, r) => s + r.written, 0), arrivedPerSecond: count / runs.reduce((s, r) => s + r.arrived, 0), count,
          cpu: runs.map((r) => r.cpu).reduce<CpuSpent | undefined>((a, b) => addSpent(a, b), undefined)!, leases: runs.map((r) => r.leases),
          waits: waits.waits(`events ${c.nodes}`),
        },
      };
    });
    const rows = sends.flatMap((s) => s.rows);
    console.log(table(rows, 'total', 30));
    console.log(`\n${clusterReport(figures, meter.postgresNote, CLIENTS * CONNECTIONS_PER_CLIENT)}`);
    const invalid = reportInvalid(rows, 'total');
    if (clock.duplicates > 0) console.log(`\n${clock.duplicates} webhooks arrived twice (at least once is the contract; a steady cluster should send none twice)`);
    return invalid ? 1 : 0;
  } finally {
    await waits.stop();
    await db.end();
    meter.close();
    await clock.close();
    killChildren();
    for (const config of configs.reverse()) await config.cluster.close();
  }
}

runBench({
  name: 'bench:cluster',
  maxSeconds: 60,
  // two configurations: start-up and set-up, the send turns, four measured batches and two warm-ups of deliveries
  deadlineSeconds: (seconds) => 2 * (90 + 2 * WARMUP_SECONDS + seconds) + 6 * 60,
  main,
});
