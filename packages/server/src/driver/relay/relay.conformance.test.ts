// Runs the driver conformance suite against the relay: the upstream is a second wxgate (sandbox mode) on a loopback
// port, called over HTTP in gateway mode; its callbacks come back over HTTP to /upstream/notify/<token>. The phone is
// the upstream's sandbox control (the same surface /sandbox/* serves), with our guids swapped for the upstream's.
// One upstream process-wide (started once, it is the slow part); each test gets two fresh upstream apps — fresh
// worlds — and its own relay store and driver.
import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import Fastify from 'fastify';
import { buildApp, type Wxgate } from '../../app.ts';
import { loadConfig } from '../../config.ts';
import { generateAppKey, generateAppSecret } from '../../core/secrets/secrets.ts';
import type { InstanceRecord } from '../../storage/ports.ts';
import { registerUpstreamNotify } from '../../transport/upstream-notify.ts';
import { ShiftableClock } from '../../../test/harness.ts';
import { openTestStore, postgresEnvFor } from '../../../test/postgres.ts';
import { describeDriverConformance, type ConformanceSubject } from '../conformance/driver-conformance.ts';
import { conformanceInstance, recordingSink } from '../conformance/subject.ts';
import type { DriverSession } from '../driver.ts';
import type { SandboxControl } from '../sandbox/control.ts';
import { sandboxPhone } from '../sandbox/sandbox-phone.ts';
import { RelayDriver } from './relay-driver.ts';

/** Replaces every string found in `map` anywhere inside a JSON-like value. */
function swapStrings(value: unknown, map: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return map.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => swapStrings(v, map));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, swapStrings(v, map)]));
  return value;
}

interface Shared {
  readonly dir: string;
  readonly clock: ShiftableClock;
  readonly upstream: Wxgate;
  readonly upstreamUrl: string;
  readonly publicUrl: string;
  /** The notify endpoint hands callbacks to the driver of the test running now. */
  current: RelayDriver | undefined;
  close(): Promise<void>;
}

let shared: Promise<Shared> | undefined;
after(async () => (await shared)?.close());

/** The upstream (a whole wxgate in sandbox mode, deliveries retried quickly) and the notify endpoint, once per file. */
function sharedUpstream(): Promise<Shared> {
  shared ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wxgate-relay-conformance-'));
    const clock = new ShiftableClock();
    const upstream = await buildApp({
      config: loadConfig({ DATA_DIR: join(dir, 'upstream'), ...postgresEnvFor(join(dir, 'upstream')) }, {
        logLevel: 'silent',
        allowPrivateUrls: ['127.0.0.1'],
        rateLimit: { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 60 },
        webhook: { timeoutMs: 5000, retrySchedule: [0, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 1, 1], maxInFlight: 64 },
      }),
      clock,
    });
    const upstreamUrl = await upstream.http.listen({ host: '127.0.0.1', port: 0 });
    const notify = Fastify();
    const state: Shared = {
      dir, clock, upstream, upstreamUrl, publicUrl: '', current: undefined,
      async close() {
        await notify.close();
        await upstream.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
    registerUpstreamNotify(notify, {
      accept: async (token, body, id) => state.current?.inbound.accept(token, body, id) ?? { status: 404, accepted: 0, duplicates: 0, message: 'no test running' },
    });
    return Object.assign(state, { publicUrl: await notify.listen({ host: '127.0.0.1', port: 0 }) });
  })();
  return shared;
}

let subjects = 0;

/**
 * A fresh upstream app (a fresh world). Its secret is stored with a tiny scrypt cost — the stored hash names its own
 * parameters — so the upstream's first verification of it costs nothing; the default cost would dominate each test.
 */
async function freshUpstreamApp(upstream: Wxgate, name: string, now: number): Promise<{ app: { id: string; appKey: string }; appSecret: string }> {
  const appSecret = generateAppSecret();
  const salt = randomBytes(16);
  const key = scryptSync(appSecret, salt, 32, { N: 16, r: 8, p: 1 });
  const app = { id: randomUUID(), appKey: generateAppKey(), name, mode: 'standard' as const, disabled: false, createdAt: now };
  await upstream.store.apps.insert({ ...app, secretHash: ['scrypt', 16, 8, 1, salt.toString('base64'), key.toString('base64')].join('$') });
  return { app, appSecret };
}

async function relaySubject(): Promise<ConformanceSubject> {
  const world = await sharedUpstream();
  const { clock, upstream, upstreamUrl, publicUrl } = world;
  const dir = mkdtempSync(join(world.dir, `subject-${++subjects}-`));
  // Two fresh upstream apps: two tenants' worlds, nobody else's people in them.
  const mainUp = await freshUpstreamApp(upstream, `main-${subjects}`, clock.now());
  const otherUp = await freshUpstreamApp(upstream, `other-${subjects}`, clock.now());

  // The relay side: its own store, a recording sink (what core does, minus delivery).
  const { store, close: closeStore } = await openTestStore(join(dir, 'relay.db'));
  const { sink, events, loginOf } = recordingSink(store, () => clock.now());
  const appIds = ['app-main', 'app-other'];
  for (const id of appIds) {
    await store.apps.insert({ id, appKey: `key-${id}`, name: id, secretHash: 'scrypt$unused', mode: 'standard', disabled: false, createdAt: clock.now() });
  }
  const driver = new RelayDriver({
    store, clock, sink, publicUrl,
    upstream: { baseUrl: upstreamUrl, mode: 'gateway', appKey: mainUp.app.appKey, appSecret: mainUp.appSecret, timeoutMs: 10_000 },
    // The second tenant has its own upstream account, hence its own world.
    tenants: { 'key-app-other': { appKey: otherUp.app.appKey, appSecret: otherUp.appSecret } },
  });
  const relay = driver;
  world.current = relay;

  const toUpstream = new Map<string, string>();
  /** Until the upstream has delivered every callback to us (a real upstream's callbacks trail its answers too). */
  const settle = async () => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      await relay.settled();
      let pending = 0;
      for (const upstreamGuid of toUpstream.values()) pending += (await upstream.store.events.pending(upstreamGuid, 1)).length;
      if (pending === 0) return;
      if (Date.now() > deadline) throw new Error('the upstream could not deliver its callbacks to the relay');
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  const settling = (session: DriverSession): DriverSession => {
    const operations: Record<string, (req: unknown) => Promise<unknown>> = {};
    for (const [path, op] of Object.entries(session.operations)) {
      operations[path] = async (req) => {
        try {
          return await (op as (r: unknown) => Promise<unknown>)(req);
        } finally {
          await settle();
        }
      };
    }
    return { ...session, operations: operations as DriverSession['operations'] };
  };

  const records = new Map<string, InstanceRecord>();
  const fromUpstream = new Map<string, string>();
  const upstreamApp = new Map<string, string>();
  let instances = 0;
  const newInstance = async (appId: string) => {
    const record = conformanceInstance(++instances, appId, clock.now());
    const { guid } = record;
    // As core does: the upstream instance first, then ours.
    await relay.lifecycle.create(record);
    await store.instances.insert(record);
    records.set(guid, record);
    const upstreamGuid = (await relay.upstreamGuidOf(guid))!;
    toUpstream.set(guid, upstreamGuid);
    fromUpstream.set(upstreamGuid, guid);
    upstreamApp.set(guid, appId === 'app-main' ? mainUp.app.id : otherUp.app.id);
    const session = settling(await relay.open(record, sink));
    await settle();
    return { guid, session };
  };

  // The upstream's control surface, spoken to with our guids: swapped on the way in and out, settled after each act.
  const upstreamControl = upstream.services.sandbox!;
  const control = new Proxy(upstreamControl, {
    get(target, prop) {
      const member = Reflect.get(target, prop, target) as unknown;
      if (typeof member !== 'function') return member;
      return async (...args: unknown[]) => {
        try {
          const answer = await (member as (...a: unknown[]) => Promise<unknown>).apply(target, args.map((a) => swapStrings(a, toUpstream)));
          return swapStrings(answer, fromUpstream);
        } finally {
          await settle();
        }
      };
    },
  }) as SandboxControl;

  return {
    driver: relay,
    phone: sandboxPhone(control, (guid) => upstreamApp.get(guid) ?? mainUp.app.id, mainUp.app.id),
    newInstance: () => newInstance(appIds[0]!),
    newInstanceOfAnotherApp: () => newInstance(appIds[1]!),
    async reopen(guid) {
      // What /client/restore_client does through core: restore upstream, then a fresh session.
      const record = (await store.instances.get(guid))!;
      await relay.lifecycle.apply(record, '/client/restore_client', {});
      const session = settling(await relay.open(record, sink));
      await settle();
      return session;
    },
    events,
    loginOf,
    record: async (guid) => (await store.instances.get(guid))!,
    advance: (ms) => clock.advance(ms),
    async close() {
      // The upstream instances go with the test, so nothing keeps calling back for them.
      for (const upstreamGuid of toUpstream.values()) {
        const instance = await upstream.services.instances.find(upstreamGuid);
        if (instance) await upstream.services.instances.remove(instance);
      }
      if (world.current === relay) world.current = undefined;
      await relay.close();
      await closeStore();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeDriverConformance('relay (upstream: wxgate sandbox over HTTP, gateway mode)', relaySubject);
