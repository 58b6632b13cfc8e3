// The servers benches measure: wxgate configured as `npm start` configures it, and the bare fastify baseline doing the same per-request work around a constant answer.
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findEndpoint } from '@wxgate/contract';
import Fastify from 'fastify';
import pg from 'pg';
import type { Logger } from 'pino';
import { buildApp, createLogger, flushLogger, type Wxgate } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { OneLineRequestLog } from '../src/transport/request-log.ts';
import { validateRequest } from '../src/transport/validation.ts';
import { dropSchema } from '../test/postgres.ts';
import { HOST } from './load-generator.ts';

/**
 * The PostgreSQL server the benches measure beside SQLite: WXGATE_DATABASE_URL, or the throwaway cluster of
 * `bash scripts/pg-test.sh run --durable -- npm run bench:…` (WXGATE_TEST_DATABASE_URL); unset, the benches measure SQLite only.
 */
export const BENCH_DATABASE_URL = process.env.WXGATE_DATABASE_URL || process.env.WXGATE_TEST_DATABASE_URL || undefined;
export const NO_POSTGRES_LINE = 'PostgreSQL: not measured (set WXGATE_DATABASE_URL, or run the bench through `bash scripts/pg-test.sh run --durable -- npm run bench:…`)';

/** The server a PostgreSQL row ran on, and how durable its commits were: the figures mean little without it. */
export async function describePostgres(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const setting = async (name: string) => (await client.query(`SELECT current_setting('${name}') AS v`)).rows[0].v as string;
    return `PostgreSQL ${await setting('server_version')} at ${new URL(url).host} (fsync ${await setting('fsync')}, synchronous_commit ${await setting('synchronous_commit')})`;
  } finally {
    await client.end();
  }
}

/**
 * Runs `fn` with a database of its own on `url`'s server whose sessions commit without waiting for the WAL flush
 * (`synchronous_commit = off`): the durability class of the SQLite store (a crash of the database host may lose the
 * last commits, never consistency), for a like-for-like row beside the defaults. Dropped afterwards. Null when the
 * server already commits that way (there is nothing to compare).
 */
export async function withAsyncCommitDatabase<T>(url: string, fn: (asyncUrl: string) => Promise<T>): Promise<T | null> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const name = `wxg_bench_async_${randomBytes(4).toString('hex')}`;
  try {
    if ((await admin.query('SELECT current_setting(\'synchronous_commit\') AS v')).rows[0].v === 'off') return null;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
    const asyncUrl = new URL(url);
    asyncUrl.pathname = `/${name}`;
    return await fn(asyncUrl.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

/** A schema of its own for one bench server or cluster (dropped when it is done). */
export const benchSchemaName = (): string => `wxg_bench_${randomBytes(6).toString('hex')}`;

/** The one setting benches change from the defaults: the vendor's 100 calls a minute would lock the instance at once. */
export const UNLIMITED = { maxCalls: 100_000_000, windowSeconds: 60, lockSeconds: 1800 };

export interface BenchWxgate {
  readonly app: Wxgate;
  readonly url: string;
  readonly dataDir: string;
  /** The direct transport's credential headers of the app created at first start. */
  readonly auth: { 'x-app-key': string; 'x-app-secret': string };
  readonly appKey: string;
  readonly appSecret: string;
  readonly logger: Logger;
  /** Where the log goes (the production logger's code path; a file here rather than stdout). */
  readonly logFile: string;
  close(): Promise<void>;
}

export interface WxgateOptions {
  /** Settings besides the defaults (the rate limit is always lifted). */
  readonly config?: Partial<Config>;
  /** Environment as loadConfig reads it (DATA_DIR and PORT are set here). */
  readonly env?: Record<string, string>;
  /** A logger of the bench's own making (to compare destinations); default: main.ts's, at the configured level. */
  readonly logger?: (logFile: string) => Logger;
  /** Listen on this port (0: any). */
  readonly port?: number;
  /** Keep the data in this PostgreSQL database (a fresh schema, dropped at close) instead of SQLite in the data dir. */
  readonly postgres?: string;
}

/** wxgate in this process on a fresh data dir, logging like `npm start` (level from LOG_LEVEL, default info). */
export async function startWxgate(options: WxgateOptions = {}): Promise<BenchWxgate> {
  const dataDir = await mkdtemp(join(tmpdir(), 'wxgate-bench-'));
  const schema = options.postgres ? benchSchemaName() : undefined;
  const database = options.postgres ? { WXGATE_DATABASE_URL: options.postgres, WXGATE_DATABASE_SCHEMA: schema! } : {};
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', ...database, ...options.env }, { rateLimit: UNLIMITED, ...options.config });
  const dropDatabase = async () => {
    if (options.postgres) await dropSchema(options.postgres, schema!);
  };
  const logFile = join(dataDir, 'wxgate.log');
  const logger = options.logger?.(logFile) ?? createLogger(config.logLevel, logFile);
  let app: Wxgate | undefined;
  try {
    app = await buildApp({ config, logger });
    if (!app.createdApp) throw new Error('a fresh data dir should have created the first app');
    const url = await app.http.listen({ host: HOST, port: options.port ?? 0 });
    const { appKey } = app.createdApp.app;
    const { appSecret } = app.createdApp;
    const started = app;
    return {
      app, url, dataDir, logger, logFile, appKey, appSecret, auth: { 'x-app-key': appKey, 'x-app-secret': appSecret },
      async close() {
        await started.close();
        await flushLogger(logger);
        await rm(dataDir, { recursive: true, force: true });
        await dropDatabase();
      },
    };
  } catch (err) {
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
    await dropDatabase();
    throw err;
  }
}

/** Lines in a log file so far (after a flush), to check how many a request costs. */
export async function logLines(logger: Logger, logFile: string): Promise<number> {
  await flushLogger(logger);
  let text = '';
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return 0;
  }
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export interface Bare {
  readonly url: string;
  readonly logger: Logger;
  readonly logFile: string;
  close(): Promise<void>;
}

/**
 * The baseline: bare fastify doing the per-request work that is not wxgate's own — the JSON body parsed, the gateway
 * envelope's `data` validated with wxgate's validator against `path`'s contract schema, a request id, the same
 * logger (options, destination, level) and the same one access-log line — around a constant answer (`answer`, the
 * bytes wxgate answers that call with). What wxgate adds beyond it (auth, instance, rate limit, handler, envelope) is
 * what a ratio to it measures.
 */
export async function startBare(path: string, answer: unknown, level = 'info'): Promise<Bare> {
  const spec = findEndpoint(path);
  if (!spec) throw new Error(`no endpoint ${path}`);
  const dir = await mkdtemp(join(tmpdir(), 'wxgate-bench-bare-'));
  const logFile = join(dir, 'bare.log');
  const logger = createLogger(level, logFile);
  const bare = Fastify({ loggerInstance: logger, logController: new OneLineRequestLog(), genReqId: () => randomUUID() });
  bare.post('/bare', async (request, reply) => {
    const data = (request.body as { data?: unknown } | null)?.data ?? request.body;
    const issues = validateRequest(spec, data);
    if (issues.length) return reply.code(422).send({ errcode: 42200, detail: issues });
    return reply.header('x-request-id', request.id).send(answer);
  });
  const url = await bare.listen({ host: HOST, port: 0 });
  return {
    url: `${url}/bare`, logger, logFile,
    async close() {
      await bare.close();
      await flushLogger(logger);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** `call(path, body)`: an API call that must succeed, answering its payload. */
export type ApiCall = (path: string, body: unknown) => Promise<any>;

/** A sandbox person logged in on a new instance (QR code, scan, confirm), as a client would. */
export async function loggedInAccount(api: ApiCall, nickname: string): Promise<{ guid: string; wxid: string }> {
  const { guid } = await api('/client/create_client', { auto_start: true });
  const { wxid } = await api('/sandbox/people/create', { nickname });
  await api('/login/get_login_qrcode', { guid });
  await api('/sandbox/login/scan', { guid, action: 'scan', wxid });
  await api('/sandbox/login/scan', { guid, action: 'confirm' });
  return { guid: guid as string, wxid: wxid as string };
}
