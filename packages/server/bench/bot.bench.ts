// Benchmark (`npm run bench:bot`): what an SDK bot (WxgateBot over /ws, acking after its handler) receives, at 1 and 100 instances.
//
// wxgate runs in this process as `npm start` configures it (logging at info); the bots run in a forked child (one
// WxgateBot per instance, WebSocket transport, cursors in memory), so their work is off wxgate's event loop. One
// clock (arrivals.ts): this process stamps each event's start — its commit for the throughput bursts, the moment
// before a simulated person's send for the latency run — with process.hrtime.bigint(); the bot child reports each
// handled message id at once (from inside the handler) to a worker thread of this process, which stamps it with the
// same clock. A latency is therefore an upper bound by the report hop, which is printed.
import { WxgateBot, WxgateClient, MemoryCursorStore } from '@wxgate/sdk';
import { ArrivalClock, CLOCK_METHOD, hopLine, openReportServer } from './arrivals.ts';
import type { ChildProcess } from 'node:child_process';
import { expectOk, forkChild, killChildren, percentile, post, runBench } from './load-generator.ts';
import { loggedInAccount, startWxgate, type BenchWxgate } from './servers.ts';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 5000);
const PACED_SENDS = 500;
const PACED_RATE = 100;
const BOTS_FLAG = '--bots-child';

interface BotsJob {
  readonly url: string;
  readonly appKey: string;
  readonly appSecret: string;
  readonly guids: readonly string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Bots (child process)
// ---------------------------------------------------------------------------------------------------------------

async function runBots(job: BotsJob): Promise<{ reportPath: string }> {
  const reports = await openReportServer();
  const client = new WxgateClient({ baseUrl: job.url, appKey: job.appKey, appSecret: job.appSecret });
  const bots = job.guids.map((guid) => {
    const bot = new WxgateBot({ client, guid, transport: 'ws', cursorStore: new MemoryCursorStore() });
    bot.on('message', (m) => reports.report(m.id));
    return bot;
  });
  await Promise.all(bots.map((bot) => bot.start()));
  // Stays up until the parent kills it.
  return { reportPath: reports.path };
}

// ---------------------------------------------------------------------------------------------------------------
// Parent process
// ---------------------------------------------------------------------------------------------------------------

const payload = (i: number, to: string) => ({
  msg_id: `bench${i}`, msg_type: 1, content: `bench ${i}`, from_username: 'wxid_benchpeer', to_username: to, create_time: 1, is_chatroom_msg: 0,
});

/** Sends the bots child its job; resolves with its report socket once every bot is connected. */
function botsReady(child: ChildProcess, job: BotsJob): Promise<{ reportPath: string }> {
  return new Promise((resolve, reject) => {
    child.on('message', (m: { ready?: { reportPath: string } }) => m.ready && resolve(m.ready));
    child.on('exit', (code, signal) => reject(new Error(`the bots child exited (${signal ?? `code ${code}`}) before it was ready`)));
    child.send(job);
  });
}

async function main(): Promise<number> {
  if (!Number.isInteger(EVENTS) || EVENTS < 100 || EVENTS > 100_000) throw new Error(`BENCH_EVENTS=${process.env.BENCH_EVENTS} must be a whole number from 100 to 100000`);
  let wxgate: BenchWxgate | undefined;
  const clocks: ArrivalClock[] = [];
  try {
    wxgate = await startWxgate();
    const { app, url, auth } = wxgate;
    const api = (path: string, body: unknown) => expectOk(path, post(`${url}${path}`, body, auth));
    const person = (await api('/sandbox/people/create', { nickname: 'Bench peer' })) as { wxid: string };

    console.log(`bench:bot — node ${process.version}, WxgateBot over /ws in a child process (ack after the handler), wxgate logs at info`);
    console.log(`clock: ${CLOCK_METHOD}\n`);
    console.log(`${'scenario'.padEnd(34)} ${'instances'.padStart(9)} ${'events'.padStart(7)} ${'events/s'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
    const line = (label: string, n: number, total: number, perSecond: number, latencies: Float64Array) => console.log(
      `${label.padEnd(34)} ${String(n).padStart(9)} ${String(total).padStart(7)} ${perSecond.toFixed(0).padStart(9)}` +
      ` ${(percentile(latencies, 50) ?? NaN).toFixed(1).padStart(8)} ${(percentile(latencies, 99) ?? NaN).toFixed(1).padStart(8)} ${(latencies.at(-1) ?? NaN).toFixed(1).padStart(8)}`,
    );
    const results: Array<{ n: number; perSecond: number; p99: number }> = [];
    let duplicates = 0;

    for (const n of [1, 100]) {
      // n accounts logged in, each a friend of the person, each with a bot in the child.
      const accounts: Array<{ guid: string; wxid: string }> = [];
      for (let i = 0; i < n; i++) {
        const account = await loggedInAccount(api, `Bench ${n}-${i}`);
        await api('/sandbox/friend/request', { from_wxid: person.wxid, to_wxid: account.wxid });
        await api('/sandbox/friend/accept', { from_wxid: person.wxid, to_wxid: account.wxid });
        accounts.push(account);
      }
      const child = forkChild(import.meta.url, BOTS_FLAG);
      const { reportPath } = await botsReady(child, { url, appKey: wxgate.appKey, appSecret: wxgate.appSecret, guids: accounts.map((a) => a.guid) });
      const clock = await ArrivalClock.open(reportPath);
      clocks.push(clock);
      const instances = await Promise.all(accounts.map(async (a) => (await app.services.instances.find(a.guid))!));

      // Burst: events committed round-robin, 10 per transaction, as fast as the outbox takes them.
      const committed = new Map<string, bigint>();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < EVENTS; i += 10) {
        const k = (i / 10) % n;
        const records = Array.from({ length: Math.min(10, EVENTS - i) }, (_, j) => ({ notifyType: 1010, data: payload(n * 1_000_000 + i + j, accounts[k]!.wxid) }));
        await app.services.events.publish(instances[k]!, records);
        const at = process.hrtime.bigint();
        for (const r of records) committed.set(r.data.msg_id, at);
        if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      const ids = [...committed.keys()];
      await clock.waitFor(ids, 180_000);
      let last = t0;
      for (const id of ids) if (clock.arrivals.get(id)! > last) last = clock.arrivals.get(id)!;
      const burst = Float64Array.from(ids, (id) => Number(clock.arrivals.get(id)! - committed.get(id)!) / 1e6).sort();
      const perSecond = EVENTS / (Number(last - t0) / 1e9);
      line('burst (events committed at once)', n, EVENTS, perSecond, burst);

      // Paced: a simulated person sends text to the accounts in turn; start = just before the send request.
      const sentAt = new Map<string, bigint>();
      const p0 = process.hrtime.bigint();
      for (let i = 0; i < PACED_SENDS; i++) {
        const account = accounts[i % n]!;
        const at = process.hrtime.bigint();
        const sent = (await api('/sandbox/messages/send', { from_wxid: person.wxid, path: '/msg/send_text', body: { to_username: account.wxid, content: `paced ${i}` } })) as { msg_id: string };
        sentAt.set(String(sent.msg_id), at);
        const wait = Number(p0 - process.hrtime.bigint()) / 1e6 + ((i + 1) / PACED_RATE) * 1000;
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const sentIds = [...sentAt.keys()];
      await clock.waitFor(sentIds, 60_000);
      const paced = Float64Array.from(sentIds, (id) => Number(clock.arrivals.get(id)! - sentAt.get(id)!) / 1e6).sort();
      line(`person → handler, ${PACED_RATE}/s`, n, PACED_SENDS, PACED_SENDS / (Number(process.hrtime.bigint() - p0) / 1e9), paced);
      results.push({ n, perSecond, p99: percentile(paced, 99) ?? NaN });
      duplicates += clock.duplicates;
      console.log(`  ${hopLine(await clock.hop())}`);
      // The clock lets go of the report socket before its child goes, so the child's exit is not a broken connection.
      await clock.close();
      clocks.splice(clocks.indexOf(clock), 1);
      child.kill();
    }

    const [one, hundred] = results;
    console.log(`\nbot events/s: 1 instance ${one!.perSecond.toFixed(0)}, 100 instances ${hundred!.perSecond.toFixed(0)} (${(hundred!.perSecond / one!.perSecond).toFixed(2)}×)`);
    console.log(`p99 person → handler at ${PACED_RATE}/s: 1 instance ${one!.p99.toFixed(1)} ms, 100 instances ${hundred!.p99.toFixed(1)} ms (reported, no aim set)`);
    if (duplicates > 0) {
      console.error(`\n!!! INVALID BENCHMARK: ${duplicates} messages reached a handler twice — acks or cursors are not doing their job`);
      return 1;
    }
    return 0;
  } finally {
    for (const clock of clocks) await clock.close();
    killChildren();
    await wxgate?.close();
  }
}

if (process.argv.includes(BOTS_FLAG)) {
  process.on('disconnect', () => process.exit(0));
  process.once('message', (job: BotsJob) => {
    runBots(job).then((ready) => process.send!({ ready }), (err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  });
} else {
  runBench({
    name: 'bench:bot',
    maxSeconds: 60,
    deadlineSeconds: () => 120 + Math.ceil((2 * EVENTS) / 100) + (2 * PACED_SENDS) / PACED_RATE,
    main: () => main(),
  });
}
