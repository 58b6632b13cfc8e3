// The composition root: builds store, core services, driver and HTTP transport from a config; no logic of its own.
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { decodeSecretKey, type Config } from './config.ts';
import { AppDirectory, type NewCredentials } from './core/apps.ts';
import { CdnInfoTokens } from './core/media/cdn-info.ts';
import { EventService } from './core/events.ts';
import { randomIds, systemClock, type Clock, type IdSource } from './core/clock.ts';
import { InstanceService, WXGATE_VERSION } from './core/instances.ts';
import { SOLE_NODE } from './core/ownership.ts';
import { NO_PEERS } from './core/peers.ts';
import { GuardedMediaFetcher } from './core/media/media-fetcher.ts';
import { SealedMediaLinks } from './core/media/media-links.ts';
import { InstanceQuota, LocalCallCounter } from './core/quota.ts';
import { SendPacing } from './core/send-pacing/send-pacing.ts';
import { WechatyTokens } from './core/wechaty-tokens.ts';
import { IlinkBots } from './core/ilink/ilink-bots.ts';
import { loadSecretBox } from './core/secrets/secret-keys.ts';
import { isLoopbackHost, LOOPBACK_ALLOWANCE, UrlGuard } from './core/egress/url-guard.ts';
import { RetentionPruner } from './delivery/retention.ts';
import { SigningKeys } from './delivery/signing-keys.ts';
import { WebhookDispatcher } from './delivery/webhook-dispatcher.ts';
import type { Driver, DriverEventSink } from './driver/driver.ts';
import { IlinkDriver } from './driver/ilink/ilink-driver.ts';
import { RelayDriver } from './driver/relay/relay-driver.ts';
import { SandboxDriver } from './driver/sandbox/sandbox-driver.ts';
import { createSpeechEngine } from './driver/speech/engines.ts';
import { performOnDriver } from './handlers/driver-backed.ts';
import type { Services } from './handlers/handler.ts';
import { registerDocs } from './ops/docs.ts';
import { registerHealth } from './ops/health.ts';
import { registerMetrics } from './ops/metrics.ts';
import { DataDirLock } from './storage/data-dir-lock.ts';
export { createLogger, flushLogger } from './ops/logging.ts';
import type { Store } from './storage/ports.ts';
import { openBlobStore, openStore } from './storage/open-store.ts';
import { registerConsole } from './transport/console.ts';
import { buildHttp } from './transport/http.ts';
import { registerMcp } from './transport/mcp.ts';
import { registerMediaFiles } from './transport/media-files.ts';
import { registerSse } from './transport/sse.ts';
import { registerUpstreamNotify } from './transport/upstream-notify.ts';
import { registerWebSocket } from './transport/ws.ts';
import { startWechatyBridge } from './transport/wechaty.ts';
import { registerIlink } from './transport/ilink/ilink.ts';
import { encryptedSize } from './wechat/cdn-crypto.ts';

export { DataDirInUseError } from './storage/data-dir-lock.ts';
export { DatabaseInUseError } from './storage/postgres/pg-node-lock.ts';

export interface BuildOptions {
  readonly config: Config;
  /** Defaults to SQLite at $DATA_DIR/wxgate.db, its secrets encrypted with WXGATE_SECRET_KEY or $DATA_DIR/secret.key. */
  readonly store?: Store;
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly driver?: Driver;
  /** A pino logger; silent when omitted. */
  readonly logger?: FastifyBaseLogger;
}

export interface Wxgate {
  readonly http: FastifyInstance;
  readonly services: Services;
  readonly store: Store;
  /** Credentials of the app created at first start (null when apps already existed or were configured). */
  readonly createdApp: NewCredentials | null;
  /** Stops accepting requests, lets in-flight ones finish, closes sessions and storage. */
  close(): Promise<void>;
}

/**
 * Builds the app and takes its data directory for itself (storage/data-dir-lock.ts): a second process on the same
 * directory throws DataDirInUseError here, before it migrates, seeds or listens. Here rather than in main.ts so that
 * everything that builds an app (tests, fixtures, benches) is held to it; `close()` gives the directory up.
 */
export async function buildApp(options: BuildOptions): Promise<Wxgate> {
  const dataDirLock = DataDirLock.acquire(options.config.dataDir);
  try {
    return await assemble(options, dataDirLock);
  } catch (err) {
    dataDirLock.release();
    throw err;
  }
}

async function assemble(options: BuildOptions, dataDirLock: DataDirLock): Promise<Wxgate> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  // What start-up has opened so far, closed in reverse when a later step fails: a failed start keeps no connection and
  // no lock (a store opened here holds the schema's node lock).
  const opened: Array<() => Promise<unknown>> = [];
  const undo = async (err: unknown): Promise<never> => {
    for (const close of opened.reverse()) await close().catch(() => {});
    throw err;
  };
  const warnOf = (what: string) => (err: Error) => options.logger?.warn({ err }, what);
  // A cluster's nodes tell each other what changed through Redis (docs/cluster.md); one node alone has no one to tell,
  // and loads no Redis client.
  const cluster = config.redisUrl === undefined ? undefined : await loadCluster();
  const redisPeers = cluster && await cluster.RedisPeers.connect(config.redisUrl!, config.databaseSchema, warnOf('redis link failed; caches resync when it is back'));
  if (redisPeers) opened.push(() => redisPeers.close());
  const peers = redisPeers ?? NO_PEERS;
  // Which node delivers which instance's webhooks and runs the singleton jobs: leases in the same Redis.
  const redisOwnership = cluster && redisPeers && await cluster.RedisOwnership.start(config.redisUrl!, config.databaseSchema, redisPeers.nodeId,
    warnOf('redis link failed; leases are renewed when it is back')).catch(undo);
  if (redisOwnership) opened.push(() => redisOwnership.close());
  const ownership = redisOwnership ?? SOLE_NODE;
  const store = options.store ?? await openStore(config, loadSecretBox({
    dataDir: config.dataDir,
    current: config.secretKey === undefined ? undefined : decodeSecretKey(config.secretKey) ?? undefined,
    previous: config.secretKeyPrevious === undefined ? undefined : decodeSecretKey(config.secretKeyPrevious) ?? undefined,
  })).catch(undo);
  if (!options.store) opened.push(() => store.close());
  const apps = new AppDirectory(store, clock, ids, config.responseMode, peers);
  // In a cluster the rate limit is counted in Redis, so it holds for an instance whichever nodes its calls reach.
  const redisCalls = cluster && await cluster.RedisCallCounter.connect(config.redisUrl!, config.databaseSchema, config.rateLimit, store.quota,
    warnOf('redis link of the rate limit failed; counted calls fail until it is back')).catch(undo);
  if (redisCalls) opened.push(() => redisCalls.close());
  const quota = new InstanceQuota(clock, redisCalls ?? new LocalCallCounter(store, clock, config.rateLimit));

  const events = new EventService(store, clock, peers);
  const sink: DriverEventSink = {
    emit: (guid, batch, tx) => sink.emitMany([{ guid, events: batch }], tx),
    async emitMany(batches, tx) {
      const targets = [];
      for (const { guid, events: batch } of batches) {
        const instance = await instances.find(guid, tx);
        if (instance) targets.push({ instance, events: batch });
      }
      // Inside a change, the append goes out with its COMMIT (nobody here needs the sns): see publishWithCommit.
      if (tx) await events.publishWithCommit(targets, tx);
      else await events.publishMany(targets);
    },
    async loginChanged(guid, wxid, tx) {
      await instances.setLogin(guid, wxid, tx);
      if (wxid) await sendPacing.noteLogin(guid, wxid, tx);
    },
  };
  // Media (the CDN): encrypted blobs under $DATA_DIR/media or, shared by a cluster's nodes, in PostgreSQL
  // (WXGATE_MEDIA_STORE); upload URLs fetched through the SSRF guard, downloads served by wxgate itself behind sealed links.
  const loopbackUrls = config.allowLoopbackUrls === 'auto' ? isLoopbackHost(config.host) : config.allowLoopbackUrls;
  const urlGuard = new UrlGuard([...config.allowPrivateUrls, ...(loopbackUrls ? LOOPBACK_ALLOWANCE : [])]);
  const blobs = await openBlobStore({ ...config, mediaStore: config.media.store }, encryptedSize(config.media.maxObjectBytes)).catch(undo);
  const mediaFetcher = new GuardedMediaFetcher(urlGuard, config.media.fetchTimeoutMs);
  // Links name the server as WXGATE_PUBLIC_URL says, else by the address it really listens on (PORT=0 picks one).
  let linkBase = config.publicUrl ?? `http://${config.host}:${config.port}`;
  const mediaLinks = new SealedMediaLinks(await store.media.secret('media-links', randomBytes(32).toString('hex'), clock.now()), {
    get baseUrl() { return linkBase; }, ttlSeconds: config.media.linkTtlSeconds, now: () => clock.now(),
  });
  const media = { blobs, fetcher: mediaFetcher, links: mediaLinks, maxObjectBytes: config.media.maxObjectBytes };
  const cdnInfo = new CdnInfoTokens(await store.media.secret('cdn-info', randomBytes(32).toString('hex'), clock.now()), () => clock.now());
  // The sandbox is the default driver: its world lives in the same store and reports through the same sink. The relay
  // forwards to an upstream provider and reports what the upstream calls back with through the same sink.
  // The ilink driver reaches Tencent's iLink bot API and reports incoming messages through the same sink.
  const { relay } = config;
  const driver: Driver = options.driver ?? (config.driver === 'relay'
    ? new RelayDriver({
      store, clock, sink, log: options.logger, publicUrl: config.publicUrl!, tenants: relay.tenants,
      upstream: { baseUrl: relay.baseUrl!, mode: relay.mode, appKey: relay.appKey, appSecret: relay.appSecret, timeoutMs: relay.timeoutMs, cdnUrl: relay.cdnUrl },
    })
    : config.driver === 'ilink'
    ? new IlinkDriver({
      store, clock, sink, log: options.logger, baseUrl: config.ilink.baseUrl, cdnBaseUrl: config.ilink.cdnUrl, timeoutMs: config.ilink.timeoutMs, version: WXGATE_VERSION, media,
    })
    : new SandboxDriver({
      store, clock, sink, rules: { newDeviceRiskControl: config.newDeviceRiskControl }, media, speech: createSpeechEngine(config.stt),
      leases: (name) => ownership.acquire(name),
    }));
  const sandbox = driver instanceof SandboxDriver ? driver.control : undefined;
  const instances: InstanceService = new InstanceService(store, driver, quota, sink, clock, ids, urlGuard, peers);
  const keys = new SigningKeys(store.signingSecrets, () => clock.now(), peers);
  const sendPacing: SendPacing = new SendPacing({
    store, clock, ids, events, instance: (guid) => instances.find(guid), perform: (instance, path, request) => performOnDriver(services, instance, path, request), peers,
    cluster: redisOwnership && { ownership: redisOwnership, nodeId: redisPeers!.nodeId },
  });
  const wechaty = new WechatyTokens(store, clock);
  // iLink context tokens and typing tickets are sealed with a key kept in the store, so they outlive restarts.
  const ilink = new IlinkBots(store, clock, events, Buffer.from(await store.media.secret('ilink', randomBytes(32).toString('hex'), clock.now()), 'hex'));
  const services: Services = { config, clock, apps, instances, quota, driver, events, sendPacing, keys, urlGuard, sandbox, cdnInfo, wechaty, ilink };

  const createdApp = await apps.seed(config.appKey && config.appSecret ? { appKey: config.appKey, appSecret: config.appSecret } : undefined);
  await quota.load();
  await instances.resumeAll();
  await sendPacing.load();

  let closing = false;
  const http = buildHttp(services, options.logger ? { loggerInstance: options.logger } : { logger: false }, () => closing);
  http.addHook('onListen', async () => {
    const address = http.server.address();
    if (config.publicUrl || address === null || typeof address === 'string') return;
    linkBase = `http://${reachableHost(address.address, address.family)}:${address.port}`;
  });
  registerHealth(http, store, () => closing, redisPeers ? [{ name: 'redis', ping: () => redisPeers.ping() }] : []);
  registerMetrics(http, {
    lockedInstances: () => quota.lockedCount(),
    sendQueues: () => sendPacing.queues(),
    // A lone node is labelled like a cluster's: by an id of its own for this run.
    nodeId: redisOwnership?.nodeId ?? randomUUID(),
    // The dispatcher starts below, before the app is returned: no scrape can come earlier.
    webhookLagMs: () => dispatcher.lagMs(),
    cluster: redisOwnership && (() => ({ alive: redisOwnership.alive.length, leasesHeld: redisOwnership.leasesHeld })),
  });
  registerDocs(http);
  registerSse(http, services);
  registerWebSocket(http, services);
  registerMediaFiles(http, { store, blobs, links: mediaLinks });
  registerMcp(http, services);
  registerIlink(http, services);
  registerConsole(http);
  if (driver instanceof RelayDriver) registerUpstreamNotify(http, driver.inbound);
  await http.ready();
  // Wechaty bots over gRPC (WXGATE_WECHATY_PORT, docs/wechaty.md); a port that cannot be bound stops the start.
  const closeWechaty = await startWechatyBridge(services, http.log).catch(undo);

  const dispatcher = new WebhookDispatcher({
    store,
    instance: (guid) => instances.find(guid),
    keys,
    guard: urlGuard,
    now: () => clock.now(),
    timeoutMs: config.webhook.timeoutMs,
    retrySchedule: config.webhook.retrySchedule,
    maxInFlight: config.webhook.maxInFlight,
    log: http.log,
    ownership,
  });
  events.subscribe((guid, { replay, webhook }) => {
    if (replay) dispatcher.replayed(guid, replay);
    // After this turn of the event loop, so the call that caused the events always answers first: a lane woken inside
    // the commit's continuation could write its POST ahead of that answer (which came first depended on how many
    // awaits each side took) and delay it by the POST's cost.
    else if (webhook) setImmediate(() => dispatcher.kick(guid));
  });
  dispatcher.start();
  const pruner = new RetentionPruner(store, () => clock.now(), config.eventRetentionDays * 86_400_000, http.log, ownership);
  pruner.start();

  return {
    http,
    services,
    store,
    createdApp,
    async close() {
      if (closing) return;
      closing = true;
      // First: blocking sends are answered (SHUTTING_DOWN) so the HTTP server's close does not wait for their turn.
      await sendPacing.close();
      await closeWechaty?.();
      await http.close();
      await dispatcher.stop();
      await pruner.stop();
      await redisOwnership?.close();
      await instances.closeAll();
      await driver.close();
      await mediaFetcher.close();
      await blobs.close();
      await store.close();
      await redisCalls?.close();
      await redisPeers?.close();
      dataDirLock.release();
    },
  };
}

/** The Redis side of a cluster (ioredis with it), loaded only by a node given a Redis URL. */
async function loadCluster() {
  const [{ RedisPeers }, { RedisOwnership }, { RedisCallCounter }] = await Promise.all([
    import('./cluster/redis-peers.ts'), import('./cluster/redis-ownership.ts'), import('./cluster/redis-quota.ts'),
  ]);
  return { RedisPeers, RedisOwnership, RedisCallCounter };
}

/** A host to put in a link for a listening address: the wildcard addresses are reached on loopback. */
function reachableHost(address: string, family: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return family === 'IPv6' ? `[${address}]` : address;
}
