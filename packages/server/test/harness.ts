// Test harness: a wxgate built in-process on a temp data dir with a manual clock, and call helpers for both transports.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { buildApp, type BuildOptions, type Wxgate } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { ManualClock } from '../src/core/clock.ts';
import { dropSchemaFor, postgresConfigFor } from './postgres.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

/** Real time plus manual jumps: for tests where timers must fire (webhook retries) yet some waits are skipped. */
export class ShiftableClock extends ManualClock {
  #offset = 0;
  override now(): number {
    return Date.now() + this.#offset;
  }
  override advance(ms: number): void {
    this.#offset += ms;
  }
}

export interface Harness {
  readonly app: Wxgate;
  readonly clock: ManualClock;
  readonly dataDir: string;
  readonly appKey: string;
  readonly appSecret: string;
  /** Every log line written so far. */
  readonly logs: string[];
  direct(path: string, body: unknown, creds?: { appKey: string; appSecret: string } | null, headers?: Record<string, string>): Promise<Response>;
  gateway(path: string, data: unknown, creds?: { appKey: string; appSecret: string }): Promise<Response>;
  admin(path: string, body?: unknown): Promise<Response>;
  createInstance(body?: Record<string, unknown>, creds?: { appKey: string; appSecret: string }): Promise<string>;
  /** Closes and builds again on the same data dir and clock (a restart). */
  restart(): Promise<Harness>;
  close(): Promise<void>;
}

export interface Response {
  readonly status: number;
  readonly headers: Record<string, string | string[] | number | undefined>;
  readonly body: any;
  readonly text: string;
}

export async function startHarness(
  overrides: Partial<Config> = {},
  reuse?: { dataDir: string; clock: ManualClock; appKey: string; appSecret: string },
  parts: Pick<BuildOptions, 'driver' | 'store'> & { realTime?: boolean } = {},
): Promise<Harness> {
  const dataDir = reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'wxgate-test-'));
  const clock = reuse?.clock ?? (parts.realTime ? new ShiftableClock() : new ManualClock());
  const logs: string[] = [];
  const logger = pino({ level: 'trace' }, new Writable({ write(chunk, _enc, done) { logs.push(String(chunk)); done(); } }));
  // Loopback receivers are allowed by default (tests run them); SSRF tests override allowPrivateUrls.
  // Behaviour tests read every answer as `data` of the standard envelope with its precise status; the vendor's wire
  // (the default, raw) is what test/compat/ and test/api/wire/envelope.test.ts check, with `responseMode: 'raw'`.
  const config = loadConfig(
    { DATA_DIR: dataDir, WXGATE_ADMIN_TOKEN: ADMIN_TOKEN },
    // English failure texts (the default is Chinese), which behaviour tests match; compat tests run the defaults.
    // WXGATE_TEST_DATABASE_URL puts every harness on PostgreSQL, a schema per data directory (test/postgres.ts).
    { logLevel: 'trace', allowPrivateUrls: ['127.0.0.1'], responseMode: 'standard', language: 'en', ...postgresConfigFor(dataDir), ...overrides },
  );
  const app = await buildApp({ driver: parts.driver, store: parts.store, config, clock, logger: logger as never });
  const appKey = reuse?.appKey ?? app.createdApp!.app.appKey;
  const appSecret = reuse?.appSecret ?? app.createdApp!.appSecret;
  const own = { appKey, appSecret };

  const inject = async (url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Response> => {
    const res = await app.http.inject({ method: 'POST', url, payload: payload as never, headers: { 'content-type': 'application/json', ...headers } });
    let body: unknown;
    try {
      body = JSON.parse(res.body);
    } catch {
      body = undefined;
    }
    return { status: res.statusCode, headers: res.headers, body, text: res.body };
  };

  const harness: Harness = {
    app, clock, dataDir, appKey, appSecret, logs,
    direct: (path, body, creds = own, headers = {}) =>
      inject(path, body, { ...(creds ? { 'x-app-key': creds.appKey, 'x-app-secret': creds.appSecret } : {}), ...headers }),
    gateway: (path, data, creds = own) => inject('/open/GuidRequest', { app_key: creds.appKey, app_secret: creds.appSecret, path, data }),
    admin: (path, body = {}) => inject(path, body, { authorization: `Bearer ${ADMIN_TOKEN}` }),
    async createInstance(body = { auto_start: true }, creds = own) {
      const res = await harness.direct('/client/create_client', body, creds);
      if (res.status !== 200) throw new Error(`create_client failed: ${res.text}`);
      return res.body.data.guid as string;
    },
    async restart() {
      await app.close();
      return startHarness(overrides, { dataDir, clock, appKey, appSecret }, parts);
    },
    async close() {
      await app.close();
      await dropSchemaFor(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** A second app (tenant) created through the admin API. */
export async function createTenant(h: Harness, name = 'other'): Promise<{ appKey: string; appSecret: string }> {
  const res = await h.admin('/admin/create_app', { name });
  if (res.status !== 200) throw new Error(`create_app failed: ${res.text}`);
  return { appKey: res.body.data.app_key, appSecret: res.body.data.app_secret };
}
