// Benchmark (`npm run bench:api`): gateway /open/GuidRequest → /client/get_client_status vs a bare fastify JSON route; req/s, latency percentiles, ratio.
//
// The servers run in this process; the load generator (autocannon) runs in a forked child (load-generator.ts), so it
// does not share the servers' event loop and can time each response with sub-millisecond precision.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp, type Wxgate } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { expectOk, HOST, killChildren, measure, post, reportInvalid, runBench, table, type Measurement, type Target } from './load-generator.ts';

const GATEWAY_PATH = '/open/GuidRequest';
const INNER_PATH = '/client/get_client_status';
const AIM = 0.5;
const CONNECTIONS = 10;
const PIPELINING = 1;
const WARMUP_SECONDS = 2;

async function main(seconds: number): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wxgate-bench-'));
  let wxgate: Wxgate | undefined;
  let bare: FastifyInstance | undefined;
  try {
    const config = loadConfig(
      { DATA_DIR: dataDir, PORT: '0' },
      { rateLimit: { maxCalls: 100_000_000, windowSeconds: 60, lockSeconds: 1800 }, logLevel: 'silent' },
    );
    wxgate = await buildApp({ config });
    if (!wxgate.createdApp) throw new Error('a fresh data dir should have created the first app');
    const appKey = wxgate.createdApp.app.appKey;
    const appSecret = wxgate.createdApp.appSecret;
    const wxgateUrl = await wxgate.http.listen({ host: HOST, port: 0 });

    bare = Fastify();
    bare.post('/bare', async () => ({ code: 0, data: { status: 1 } }));
    const bareUrl = await bare.listen({ host: HOST, port: 0 });

    const { guid } = await expectOk('create_client', post(`${wxgateUrl}/client/create_client`, { auto_start: true }, { 'x-app-key': appKey, 'x-app-secret': appSecret }));
    if (typeof guid !== 'string') throw new Error(`create_client answered no guid: ${JSON.stringify(guid)}`);
    const gatewayBody = JSON.stringify({ app_key: appKey, app_secret: appSecret, path: INNER_PATH, data: { guid } });

    // One call by hand first: the measured path must succeed, not benchmark an error reply.
    await expectOk('gateway probe', post(`${wxgateUrl}${GATEWAY_PATH}`, JSON.parse(gatewayBody)));

    // Both targets get the same request bytes, so the difference is what wxgate does with them.
    const targets: Target[] = [
      { name: 'bare', url: `${bareUrl}/bare`, body: gatewayBody, headers: {} },
      { name: 'gateway', url: `${wxgateUrl}${GATEWAY_PATH}`, body: gatewayBody, headers: {} },
    ];

    console.log(`bench:api — ${seconds}s per target after a ${WARMUP_SECONDS}s warm-up, ${CONNECTIONS} connections, pipelining ${PIPELINING}, node ${process.version}`);
    console.log(`gateway: POST ${GATEWAY_PATH} → ${INNER_PATH}   bare: POST /bare (fastify, returns a constant)\n`);
    const rows: Measurement[] = [];
    for (const target of targets) { // one at a time
      rows.push(await measure(target, { connections: CONNECTIONS, pipelining: PIPELINING, warmupSeconds: WARMUP_SECONDS, seconds }));
    }

    console.log(table(rows, 'split', 8));
    const [bareRow, gatewayRow] = rows as [Measurement, Measurement];
    const ratio = bareRow.reqPerSec > 0 ? gatewayRow.reqPerSec / bareRow.reqPerSec : 0;
    console.log(`\nratio (gateway / bare req/s): ${ratio.toFixed(2)}`);
    console.log(`aim ≥ ${AIM.toFixed(2)}: ${ratio >= AIM ? 'met' : 'NOT met'}`);

    return reportInvalid(rows, 'split') ? 1 : 0;
  } finally {
    killChildren();
    await bare?.close();
    await wxgate?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

runBench({
  name: 'bench:api',
  maxSeconds: 20,
  deadlineSeconds: (seconds) => 2 * (WARMUP_SECONDS + seconds) + 30, // two targets × (warm-up + measurement)
  main,
});
