// A wxgate listening on loopback (the server's test harness plus a real port) and SDK clients pointed at it.
import { ADMIN_TOKEN, startHarness, type Harness } from '../../server/test/harness.ts';
import { WxgateClient, type ClientOptions } from '../src/index.ts';

export interface LiveServer {
  /** Replaced by a test that restarts the server (`live.h = await live.h.restart()`); close() closes the current one. */
  h: Harness;
  readonly baseUrl: string;
  readonly admin: WxgateClient;
  client(options?: Partial<ClientOptions>): WxgateClient;
  close(): Promise<void>;
}

const FAST = { webhook: { timeoutMs: 2000, retrySchedule: [0, 0.05, 0.1], maxInFlight: 64 } };

/** Real time, so webhook deliveries go out while the test waits for them. */
export async function startLiveServer(): Promise<LiveServer> {
  const h = await startHarness(FAST, undefined, { realTime: true });
  const baseUrl = await h.app.http.listen({ host: '127.0.0.1', port: 0 });
  const live: LiveServer = {
    h,
    baseUrl,
    admin: new WxgateClient({ baseUrl, adminToken: ADMIN_TOKEN }),
    client: (options = {}) => new WxgateClient({ baseUrl, appKey: h.appKey, appSecret: h.appSecret, ...options }),
    close: () => live.h.close(),
  };
  return live;
}

/** A new instance with a new sandbox person logged in on it, driven through the SDK itself. */
export async function loggedIn(client: WxgateClient, nickname: string): Promise<{ guid: string; wxid: string }> {
  const { guid } = await client.call('/client/create_client', { auto_start: true });
  const { wxid } = await client.call('/sandbox/people/create', { nickname });
  await client.call('/login/get_login_qrcode', { guid });
  await client.call('/sandbox/login/scan', { guid, action: 'scan', wxid });
  await client.call('/sandbox/login/scan', { guid, action: 'confirm' });
  return { guid, wxid };
}
