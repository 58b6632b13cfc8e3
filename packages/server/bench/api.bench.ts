// Benchmark (`npm run bench:api`): wxgate's own overhead per call (get_client_status and send_text, gateway and direct) against a bare fastify baseline, and what default logging costs; req/s, latency percentiles, ratios.
//
// The servers run in this process; the load generator (autocannon) runs in a forked child (load-generator.ts), so it
// does not share the servers' event loop and can time each response with sub-millisecond precision. Latency is the
// load generator's own clock (request written → answer read). wxgate runs as `npm start` configures it: log level
// info through main.ts's logger (ops/logging.ts: options, redaction, asynchronous destination), here to a file.
import { pino } from 'pino';
import { loggerOptions } from '../src/ops/logging.ts';
import {
  compare, expectOk, killChildren, post, reportInvalid, runBench, table, type Measurement, type Target,
} from './load-generator.ts';
import {
  BENCH_DATABASE_URL, describePostgres, loggedInAccount, logLines, NO_POSTGRES_LINE, startBare, startWxgate, type Bare, type BenchWxgate, type WxgateOptions,
} from './servers.ts';

const GATEWAY_PATH = '/open/GuidRequest';
const STATUS = '/client/get_client_status';
const SEND = '/msg/send_text';
const AIM = 0.5;
const LOGGING_AIM = 0.9;
const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const SLICE_SECONDS = 1;
/** Turns taken: nine targets, and two more on PostgreSQL when there is one. */
const TARGETS = BENCH_DATABASE_URL ? 11 : 9;
const POSTGRES_AIM = 0.5;
/** Gateway calls made one by one to count the log lines a request writes. */
const LINE_PROBES = 200;

/** CPU time of this process (process.cpuUsage: all threads) charged to the turn that was running. */
class CpuPerTurn {
  readonly #spent = new Map<string, number>();
  #running: string | undefined;
  #mark = process.cpuUsage();

  /** A new turn begins (`name` undefined: a warm-up, not charged); the time since the last call goes to the one before. */
  turn(name: string | undefined): void {
    const used = process.cpuUsage(this.#mark);
    this.#mark = process.cpuUsage();
    if (this.#running !== undefined) this.#spent.set(this.#running, (this.#spent.get(this.#running) ?? 0) + used.user + used.system);
    this.#running = name;
  }

  microseconds(name: string): number {
    return this.#spent.get(name) ?? 0;
  }
}

/** The gateway and direct targets of one call on one wxgate, checked to succeed by hand first. */
async function targets(w: BenchWxgate, label: string, path: string, data: Record<string, unknown>): Promise<{ gateway: Target; direct: Target; answer: unknown }> {
  const envelope = { app_key: w.appKey, app_secret: w.appSecret, path, data };
  const answer = (await post(`${w.url}${GATEWAY_PATH}`, envelope)).json;
  await expectOk(`${label} probe`, Promise.resolve({ status: 200, json: answer }));
  await expectOk(`${label} direct probe`, post(`${w.url}${path}`, data, w.auth));
  return {
    gateway: { name: `gateway ${label}`, url: `${w.url}${GATEWAY_PATH}`, body: JSON.stringify(envelope), headers: {} },
    direct: { name: `direct ${label}`, url: `${w.url}${path}`, body: JSON.stringify(data), headers: w.auth },
    answer,
  };
}

async function main(seconds: number): Promise<number> {
  const servers: Array<BenchWxgate | Bare> = [];
  try {
    const start = async (logger?: (file: string) => pino.Logger, options: WxgateOptions = {}) => {
      const w = await startWxgate(logger ? { ...options, logger } : options);
      servers.push(w);
      const api = (path: string, body: unknown) => expectOk(path, post(`${w.url}${path}`, body, w.auth));
      return { w, account: await loggedInAccount(api, 'Bench') };
    };
    // wxgate as in production, and three more differing only in the log destination (for the comparison rows):
    // synchronous writes (pino's default), asynchronous ones without batching, and a worker thread (pino.transport).
    const { w: wxgate, account } = await start();
    const { w: syncWxgate, account: syncAccount } = await start((file) => pino(loggerOptions('info'), pino.destination({ dest: file, sync: true })));
    const { w: eachWxgate, account: eachAccount } = await start((file) => pino(loggerOptions('info'), pino.destination({ dest: file, sync: false })));
    const { w: workerWxgate, account: workerAccount } = await start((file) => pino(loggerOptions('info'), pino.transport({ target: 'pino/file', options: { destination: file } })));

    const status = await targets(wxgate, 'status', STATUS, { guid: account.guid });
    const send = await targets(wxgate, 'send_text', SEND, { guid: account.guid, to_username: 'filehelper', content: 'bench: hello' });
    const syncStatus = (await targets(syncWxgate, 'status', STATUS, { guid: syncAccount.guid })).gateway;
    const eachStatus = (await targets(eachWxgate, 'status', STATUS, { guid: eachAccount.guid })).gateway;
    const workerStatus = (await targets(workerWxgate, 'status', STATUS, { guid: workerAccount.guid })).gateway;
    const bare = await startBare(STATUS, status.answer);
    servers.push(bare);
    // The same production wxgate with its data in PostgreSQL instead of SQLite, measured in the same turns.
    const onPostgres = BENCH_DATABASE_URL ? await start(undefined, { postgres: BENCH_DATABASE_URL }) : undefined;
    const postgresTargets = onPostgres ? [
      { ...(await targets(onPostgres.w, 'status', STATUS, { guid: onPostgres.account.guid })).gateway, name: 'gateway status, PostgreSQL' },
      { ...(await targets(onPostgres.w, 'send_text', SEND, { guid: onPostgres.account.guid, to_username: 'filehelper', content: 'bench: hello' })).gateway, name: 'gateway send_text, PostgreSQL' },
    ] : [];

    console.log(`bench:api — ${seconds}s per target in ${SLICE_SECONDS}s turns after a ${WARMUP_SECONDS}s warm-up each, ${CONNECTIONS} connections, pipelining 1, node ${process.version}`);
    console.log(`wxgate: defaults as npm start (log level info, main.ts's logger: fixed-path redaction, async batched writes, here to a file), rate limit lifted`);
    console.log(`bare: fastify, JSON body, the gateway body's data validated against ${STATUS}'s schema, same logger and access line, wxgate's answer as a constant`);
    console.log(`status = ${STATUS} (served from memory); send_text = ${SEND} to filehelper from a logged-in sandbox account`);
    console.log(onPostgres ? `PostgreSQL rows: the same wxgate with WXGATE_DATABASE_URL, a fresh schema on ${await describePostgres(BENCH_DATABASE_URL!)}; the others use SQLite` : NO_POSTGRES_LINE);
    console.log('clock: the load generator\'s (a child process), request written → answer read\n');

    // Log lines per request, counted on the production wxgate at info.
    const linesBefore = await logLines(wxgate.logger, wxgate.logFile);
    for (let i = 0; i < LINE_PROBES; i++) await post(status.gateway.url, JSON.parse(status.gateway.body));
    const linesPerRequest = ((await logLines(wxgate.logger, wxgate.logFile)) - linesBefore) / LINE_PROBES;

    // All targets take turns in 1 s slices (load-generator.ts, compare), so each ratio compares like with like on a
    // machine whose load changes by the minute; the silent target is the production wxgate with its level set to silent.
    const silentStatus: Target = { ...status.gateway, name: 'gateway status, log silent' };
    const targetList: Target[] = [
      { name: 'bare', url: bare.url, body: status.gateway.body, headers: {} },
      status.gateway, silentStatus, status.direct, send.gateway, send.direct,
      { ...syncStatus, name: 'gateway status, log sync' }, { ...eachStatus, name: 'gateway status, log unbatched' },
      { ...workerStatus, name: 'gateway status, log worker' },
      ...postgresTargets,
    ];
    // Beside req/s, the CPU time this process (every server in it, all its threads) spends per request in each target's
    // measured turns: a cost that load from elsewhere on the machine disturbs much less than throughput.
    const cpu = new CpuPerTurn();
    const rows = await compare(targetList, { connections: CONNECTIONS, warmupSeconds: WARMUP_SECONDS, seconds, sliceSeconds: SLICE_SECONDS }, (target, warmUp) => {
      cpu.turn(warmUp ? undefined : target.name);
      wxgate.logger.level = target === silentStatus ? 'silent' : 'info';
    });
    cpu.turn(undefined);
    const cpuPerRequest = (m: Measurement) => cpu.microseconds(m.name) / Math.max(m.requests, 1);
    const [bareRow, gatewayRow, silentRow, directRow, sendRow, directSendRow, syncRow, eachRow, workerRow, pgStatusRow, pgSendRow] = rows as [
      Measurement, Measurement, Measurement, Measurement, Measurement, Measurement, Measurement, Measurement, Measurement, Measurement?, Measurement?];

    console.log(table(rows, 'split', 29));
    console.log(`\nserver CPU µs per request: ${rows.map((m) => `${m.name} ${cpuPerRequest(m).toFixed(0)}`).join(', ')}`);
    const ratio = (a: Measurement, b: Measurement) => (b.reqPerSec > 0 ? a.reqPerSec / b.reqPerSec : 0);
    const aim = (value: number, bar: number) => `${value.toFixed(2)} (aim ≥ ${bar.toFixed(2)}: ${value >= bar ? 'met' : 'NOT met'})`;
    console.log('');
    console.log(`ratio gateway status / bare req/s: ${aim(ratio(gatewayRow, bareRow), AIM)}`);
    console.log(`ratio direct status / bare req/s:  ${ratio(directRow, bareRow).toFixed(2)}`);
    console.log(`ratio gateway send_text / bare:    ${ratio(sendRow, bareRow).toFixed(2)}; direct send_text / bare ${ratio(directSendRow, bareRow).toFixed(2)}; send_text costs ${(gatewayRow.reqPerSec / Math.max(sendRow.reqPerSec, 1)).toFixed(1)}× a status call`);
    console.log(`logging at info / silent (gateway status req/s): ${aim(ratio(gatewayRow, silentRow), LOGGING_AIM)}; ${linesPerRequest.toFixed(2)} log lines per request`);
    console.log(`logging at info / silent (gateway status, CPU per request silent / info): ${aim(cpuPerRequest(silentRow) / cpuPerRequest(gatewayRow), LOGGING_AIM)}`);
    console.log(`log destinations / silent: async batched (production) ${ratio(gatewayRow, silentRow).toFixed(2)}, sync ${ratio(syncRow, silentRow).toFixed(2)}, `
      + `async unbatched ${ratio(eachRow, silentRow).toFixed(2)}, worker thread (pino.transport) ${ratio(workerRow, silentRow).toFixed(2)}`);
    if (pgStatusRow && pgSendRow) {
      console.log(`PostgreSQL / SQLite gateway send_text req/s: ${aim(ratio(pgSendRow, sendRow), POSTGRES_AIM)}; status ${ratio(pgStatusRow, gatewayRow).toFixed(2)}`);
    } else {
      console.log(NO_POSTGRES_LINE);
    }
    return reportInvalid(rows, 'split') ? 1 : 0;
  } finally {
    killChildren();
    for (const server of servers.reverse()) await server.close();
  }
}

runBench({
  name: 'bench:api',
  maxSeconds: 30,
  deadlineSeconds: (seconds) => TARGETS * (WARMUP_SECONDS + 1.2 * seconds) + 90, // autocannon starts ~0.1 s per turn
  main,
});
