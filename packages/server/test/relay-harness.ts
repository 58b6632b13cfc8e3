// Test harness for the relay: an upstream wxgate in sandbox mode and a relay wxgate in front of it, both in-process on
// real loopback sockets (the relay calls the upstream over HTTP, the upstream calls back over HTTP), one shared clock.
import { createServer } from 'node:net';
import type { Config } from '../src/config.ts';
import type { RelayDriver } from '../src/driver/relay/relay-driver.ts';
import { createTenant, startHarness, ShiftableClock, type Harness } from './harness.ts';

export interface RelayPair {
  readonly upstream: Harness;
  readonly relay: Harness;
  readonly upstreamUrl: string;
  readonly relayUrl: string;
  readonly clock: ShiftableClock;
  /** The upstream app's credentials the relay uses (never to be seen by a tenant). */
  readonly upstreamCreds: { appKey: string; appSecret: string };
  readonly driver: RelayDriver;
  /** The upstream guid behind one of the relay's instances. */
  upstreamGuid(guid: string): Promise<string>;
  /** A /sandbox/* call on the upstream (the other side of the network), with the upstream guid swapped in. */
  phone(path: string, body: Record<string, unknown>): Promise<any>;
  /** Waits until the upstream has delivered every callback to the relay (and the relay's background work is done). */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RelayPairOptions {
  readonly mode?: 'gateway' | 'direct';
  readonly relay?: Partial<Config>;
  readonly upstream?: Partial<Config>;
  /** Direct mode without credentials (the upstream allows unauthenticated direct calls). */
  readonly anonymousDirect?: boolean;
}

export async function startRelayPair(options: RelayPairOptions = {}): Promise<RelayPair> {
  const mode = options.mode ?? 'gateway';
  const upstreamPort = await freePort();
  const upstream = await startHarness({
    // The upstream speaks the vendor's wire, as the hosted service does: WeChat objects at the top level, business
    // failures at HTTP 200.
    responseMode: 'raw',
    port: upstreamPort,
    rateLimit: { maxCalls: 100_000, windowSeconds: 60, lockSeconds: 1800 },
    webhook: { timeoutMs: 5000, retrySchedule: [0, 0.05, 0.1, 0.2, 0.5, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2], maxInFlight: 64 },
    allowUnauthenticatedDirect: options.anonymousDirect ?? false,
    ...options.upstream,
  }, undefined, { realTime: true });
  const upstreamUrl = await upstream.app.http.listen({ host: '127.0.0.1', port: upstreamPort });
  const upstreamCreds = { appKey: upstream.appKey, appSecret: upstream.appSecret };

  const relayPort = await freePort();
  const relayUrl = `http://127.0.0.1:${relayPort}`;
  const relay = await startHarness({
    port: relayPort,
    driver: 'relay',
    publicUrl: relayUrl,
    relay: {
      baseUrl: upstreamUrl,
      mode,
      ...(options.anonymousDirect ? {} : { appKey: upstreamCreds.appKey, appSecret: upstreamCreds.appSecret }),
      timeoutMs: 5000,
      tenants: {},
      ...options.relay?.relay,
    },
    ...options.relay,
  } as Partial<Config>, undefined, { realTime: true });
  await relay.app.http.listen({ host: '127.0.0.1', port: relayPort });
  const driver = relay.app.services.driver as RelayDriver;

  const upstreamGuid = async (guid: string) => {
    const found = await driver.upstreamGuidOf(guid);
    if (!found) throw new Error(`no upstream instance behind ${guid}`);
    return found;
  };

  const settle = async (timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await driver.settled();
      let pending = 0;
      for (const guid of await upstream.app.services.instances.list(upstream.app.createdApp!.app)) {
        pending += (await upstream.app.store.events.pending(guid, 1)).length;
      }
      if (pending === 0) return;
      if (Date.now() > deadline) throw new Error('the upstream still has callbacks for the relay it could not deliver');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  return {
    upstream, relay, upstreamUrl, relayUrl, clock: upstream.clock as ShiftableClock, upstreamCreds, driver, upstreamGuid, settle,
    async phone(path, body) {
      const swapped = typeof body.guid === 'string' ? { ...body, guid: await upstreamGuid(body.guid) } : body;
      const res = await upstream.direct(path, swapped);
      if (res.status !== 200 || res.body.errcode !== 0) throw new Error(`${path} on the upstream failed: ${res.text}`);
      await settle();
      return res.body.data;
    },
    async close() {
      await relay.close();
      await upstream.close();
    },
  };
}

export { createTenant };
