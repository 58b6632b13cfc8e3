// A fresh wxgate in its default configuration on a real socket, as `npm start` runs it, for the vendor-client plays.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildApp, type Wxgate } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { dropSchemaFor, postgresEnvFor } from '../postgres.ts';
import { Receiver } from '../receiver.ts';
import { vendorClients, type Clients } from './vendor-clients.ts';

export interface VendorServer {
  readonly app: Wxgate;
  readonly config: Config;
  /** Where a client points its base URL (both the gateway and the private CDN live here). */
  readonly baseUrl: string;
  /** The first app, created by the first start exactly as `npm start` creates it. */
  readonly appKey: string;
  readonly appSecret: string;
  /** A webhook receiver on loopback that callbacks reach. */
  readonly receiver: Receiver;
  /** The wxgate-only control API (`/sandbox/*`, instance creation), called with the app's credentials; answers `data`. */
  control(path: string, body?: Record<string, unknown>): Promise<any>;
  /** An instance with a new simulated person logged in on it, its callbacks going to the receiver. */
  account(person?: Record<string, unknown>): Promise<{ guid: string; wxid: string }>;
  close(): Promise<void>;
}

/**
 * The environment a user gives: a data directory and a free port, nothing else (the test's webhook receiver on
 * loopback is reachable because the server listens on loopback only, as by default).
 */
export async function startVendorServer(env: Record<string, string> = {}): Promise<VendorServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxgate-compat-'));
  const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', ...postgresEnvFor(dataDir), ...env });
  const app = await buildApp({ config, logger: pino({ level: 'silent' }) as never });
  const address = await app.http.listen({ host: config.host, port: 0 });
  const receiver = await new Receiver().start();
  const created = app.createdApp;
  const appKey = env.WXGATE_APP_KEY ?? created!.app.appKey;
  const appSecret = env.WXGATE_APP_SECRET ?? created!.appSecret;

  const control = async (path: string, body: Record<string, unknown> = {}) => {
    const res = await fetch(`${address}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-app-key': appKey, 'x-app-secret': appSecret },
      body: JSON.stringify(body),
    });
    const answer = await res.json() as { errcode: number; data: any };
    if (res.status !== 200 || answer.errcode !== 0) throw new Error(`${path} failed: HTTP ${res.status} ${JSON.stringify(answer)}`);
    return answer.data;
  };

  return {
    app, config, baseUrl: address, appKey, appSecret, receiver, control,
    async account(person = {}) {
      const { guid } = await control('/client/create_client', { auto_start: true });
      await control('/client/set_notify_url', { guid, notify_url: receiver.url });
      const { wxid } = await control('/sandbox/people/create', person);
      await control('/login/get_login_qrcode', { guid });
      await control('/sandbox/login/scan', { guid, action: 'scan', wxid });
      await control('/sandbox/login/scan', { guid, action: 'confirm' });
      return { guid, wxid };
    },
    async close() {
      await app.close();
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
      await dropSchemaFor(dataDir);
    },
  };
}

export type Account = { guid: string; wxid: string };

/** A fresh default server, the four vendor clients pointed at it, and a first account logged in. */
export async function vendorSession(person: Record<string, unknown> = { nickname: 'Alice' }): Promise<{ server: VendorServer; c: Clients; alice: Account }> {
  const server = await startVendorServer();
  return { server, c: vendorClients(server.baseUrl, server.appKey, server.appSecret), alice: await server.account(person) };
}
