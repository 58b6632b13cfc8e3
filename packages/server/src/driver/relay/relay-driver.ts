// The relay driver: wxgate in front of a real upstream WeChat protocol provider. Instances map to upstream instances;
// calls are forwarded (envelopes translated), the upstream's callbacks come back through /upstream/notify/<token>.
import { randomBytes } from 'node:crypto';
import { ApiError, invalidField } from '@wxgate/contract';
import type { InstanceRecord, RelayMapping, Store } from '../../storage/ports.ts';
import type { Driver, DriverEventSink, DriverLifecycle, DriverPath, DriverSession, LifecyclePath, MessageArchive } from '../driver.ts';
import { DEDUP_RETENTION_MS, RelayInbound } from './relay-inbound.ts';
import { RELAY_CAPABILITIES, relaySession } from './relay-session.ts';
import { relayArchive } from './relay-mirror.ts';
import { MirrorWrites } from './relay-mirror-writes.ts';
import { UpstreamClient } from './upstream-client.ts';
import type { UpstreamTarget } from './upstream-envelope.ts';

export type { UpstreamTarget } from './upstream-envelope.ts';

/** Where the relay logs what goes wrong in the background (a pino logger fits). Credentials are never passed to it. */
export interface RelayLog {
  warn(details: object, message: string): void;
}

export interface RelayDriverOptions {
  readonly store: Store;
  readonly clock: { now(): number };
  /** Where callbacks and login changes go (core's sink): they arrive for any instance, not only open sessions. */
  readonly sink: DriverEventSink;
  /** The deployment's upstream. */
  readonly upstream: UpstreamTarget;
  /** Per-tenant overrides keyed by our app_key (another upstream account, URL or mode for that tenant's instances). */
  readonly tenants?: Readonly<Record<string, Partial<UpstreamTarget>>>;
  /** The base URL the upstream reaches wxgate at; notify URLs are <publicUrl>/upstream/notify/<token>. */
  readonly publicUrl: string;
  readonly log?: RelayLog;
  /** Waits between retries of idempotent calls (ms). */
  readonly retryDelaysMs?: readonly number[];
}

export const UPSTREAM_NOTIFY_PREFIX = '/upstream/notify/';

/** The create_client payload that adopts an existing upstream instance instead of creating one (documented in docs/relay.md). */
export function adoptionOf(payload: string): string | null {
  if (!payload.trim().startsWith('{')) return null;
  try {
    const parsed = JSON.parse(payload) as { relay?: { upstream_guid?: unknown } };
    const guid = parsed?.relay?.upstream_guid;
    if (guid === undefined) return null;
    if (typeof guid !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(guid)) {
      throw invalidField('payload', 'relay.upstream_guid must be the upstream instance\'s guid (a UUID)');
    }
    return guid;
  } catch (err) {
    if (err instanceof ApiError) throw err;
    return null;
  }
}

const isUpstreamUnknownInstance = (err: unknown) =>
  err instanceof ApiError && (err.data as { upstream_errcode?: unknown } | null)?.upstream_errcode === 40402;

export class RelayDriver implements Driver {
  readonly name = 'relay';
  readonly inbound: RelayInbound;
  readonly lifecycle: DriverLifecycle;
  readonly archive: MessageArchive;
  readonly #o: RelayDriverOptions;
  readonly #clients = new Map<string, UpstreamClient>();
  /** appId → its client (the tenant's override or the deployment's upstream); app keys never change. */
  readonly #clientOfApp = new Map<string, UpstreamClient>();
  readonly #byGuid = new Map<string, RelayMapping>();
  readonly #byToken = new Map<string, RelayMapping>();
  /** Per instance: callbacks taken in so far (a login sync that raced one is discarded). */
  readonly #intake = new Map<string, number>();
  readonly #background = new Set<Promise<unknown>>();
  readonly #pruner: NodeJS.Timeout;
  readonly #mirrorWrites: MirrorWrites;

  constructor(options: RelayDriverOptions) {
    this.#o = options;
    this.inbound = new RelayInbound({
      store: options.store,
      sink: options.sink,
      now: () => options.clock.now(),
      mappingByToken: (token) => this.#mappingByToken(token),
      loginWithoutWxid: (guid) => this.#inBackground(this.#learnLogin(guid)),
      tookIn: (guid) => this.#intake.set(guid, (this.#intake.get(guid) ?? 0) + 1),
    });
    this.lifecycle = {
      create: async (instance) => {
        await this.#create(instance);
      },
      apply: (instance, path, request) => this.#apply(instance, path, request),
      remove: (instance) => this.#remove(instance),
    };
    this.#mirrorWrites = new MirrorWrites(options.store, (details, message) => this.#o.log?.warn(details, message));
    this.archive = relayArchive(() => options.store.relay.mirror, this.#mirrorWrites);
    this.#pruner = setInterval(() => {
      this.#inBackground(options.store.relay.dedup.prune(options.clock.now() - DEDUP_RETENTION_MS, 10_000));
    }, 3_600_000);
    this.#pruner.unref();
  }

  capabilities(): readonly DriverPath[] {
    return RELAY_CAPABILITIES;
  }

  /** Cheap and offline: the upstream is only called on first use; login state and notify URL are checked in the background. */
  async open(instance: InstanceRecord, _sink: DriverEventSink): Promise<DriverSession> {
    this.#inBackground(this.#resync(instance));
    return relaySession(instance.guid, {
      store: this.#o.store,
      mirrorWrites: this.#mirrorWrites,
      now: () => this.#o.clock.now(),
      upstream: async () => {
        const mapping = await this.#mappingFor(instance);
        return { upstreamGuid: mapping.upstreamGuid, client: await this.#client(instance.appId) };
      },
      cdnClient: () => this.#cdnClient(instance.appId),
      warn: (details, message) => this.#o.log?.warn(details, message),
    });
  }

  /** The notify URL the upstream calls for a token. */
  notifyUrl(token: string): string {
    return this.#o.publicUrl.replace(/\/+$/, '') + UPSTREAM_NOTIFY_PREFIX + token;
  }

  /** The upstream guid behind one of our instances (for operators and tests; never shown to tenants). */
  async upstreamGuidOf(guid: string): Promise<string | undefined> {
    return (await this.#mapping(guid))?.upstreamGuid;
  }

  /** Resolves when the background work started so far (login syncs, notify URL repairs) has finished; for tests. */
  async settled(): Promise<void> {
    while (this.#background.size) await Promise.allSettled([...this.#background]);
  }

  async close(): Promise<void> {
    clearInterval(this.#pruner);
    await this.settled();
    await this.#mirrorWrites.settled();
    await Promise.all([...this.#clients.values()].map((c) => c.close()));
    this.#clients.clear();
  }

  // ---- upstream targets ------------------------------------------------------------------------------------------

  async #client(appId: string): Promise<UpstreamClient> {
    const cached = this.#clientOfApp.get(appId);
    if (cached) return cached;
    const client = this.#clientFor(await this.#targetOf(appId));
    this.#clientOfApp.set(appId, client);
    return client;
  }

  /** The client of the upstream's private-CDN server: direct mode, at its own URL when it has one. */
  async #cdnClient(appId: string): Promise<UpstreamClient> {
    const target = await this.#targetOf(appId);
    return this.#clientFor({ ...target, baseUrl: target.cdnUrl ?? target.baseUrl, mode: 'direct' });
  }

  async #targetOf(appId: string): Promise<UpstreamTarget> {
    const appKey = (await this.#o.store.apps.findById(appId))?.appKey ?? '';
    return { ...this.#o.upstream, ...(this.#o.tenants?.[appKey] ?? {}) };
  }

  #clientFor(target: UpstreamTarget): UpstreamClient {
    const id = JSON.stringify([target.baseUrl, target.mode, target.appKey ?? '', target.appSecret ?? '', target.timeoutMs]);
    let client = this.#clients.get(id);
    if (!client) {
      client = new UpstreamClient(target, this.#o.retryDelaysMs ? { retryDelaysMs: this.#o.retryDelaysMs } : {});
      this.#clients.set(id, client);
    }
    return client;
  }

  // ---- mappings (write-through cache: only this driver changes them) ------------------------------------------------

  async #mapping(guid: string): Promise<RelayMapping | undefined> {
    let mapping = this.#byGuid.get(guid);
    if (!mapping) {
      mapping = await this.#o.store.relay.mappings.get(guid);
      if (mapping) this.#remember(mapping);
    }
    return mapping;
  }

  async #mappingByToken(token: string): Promise<RelayMapping | undefined> {
    let mapping = this.#byToken.get(token);
    if (!mapping) {
      mapping = await this.#o.store.relay.mappings.byToken(token);
      if (mapping) this.#remember(mapping);
    }
    return mapping;
  }

  #remember(mapping: RelayMapping): void {
    this.#byGuid.set(mapping.guid, mapping);
    this.#byToken.set(mapping.notifyToken, mapping);
  }

  #forget(mapping: RelayMapping): void {
    this.#byGuid.delete(mapping.guid);
    this.#byToken.delete(mapping.notifyToken);
  }

  /** The instance's mapping; an instance from before the relay was configured gets its upstream instance now. */
  async #mappingFor(instance: InstanceRecord): Promise<RelayMapping> {
    return (await this.#mapping(instance.guid)) ?? this.#create(instance);
  }

  // ---- lifecycle ---------------------------------------------------------------------------------------------------

  /** Creates (or adopts) the upstream instance, points its notify_url at us, and records the mapping. */
  async #create(instance: InstanceRecord): Promise<RelayMapping> {
    const client = await this.#client(instance.appId);
    const adopt = adoptionOf(instance.payload);
    let upstreamGuid: string;
    if (adopt) {
      if (await this.#o.store.relay.mappings.byUpstreamGuid(adopt)) throw new ApiError('UPSTREAM_GUID_TAKEN');
      try {
        await client.call('/client/get_client_status', { guid: adopt }, { kind: 'wrapper' });
      } catch (err) {
        if (isUpstreamUnknownInstance(err)) throw invalidField('payload', 'the upstream provider has no instance with relay.upstream_guid');
        throw err;
      }
      upstreamGuid = adopt;
    } else {
      const created = await client.call('/client/create_client', {
        client_type: instance.clientType,
        proxy: instance.proxy,
        is_long_proxy: instance.isLongProxy,
        bridge: instance.bridge,
        payload: instance.payload,
        auto_start: instance.runState === 'running',
      }, { kind: 'wrapper', idempotent: false });
      const guid = (created as { guid?: unknown } | null)?.guid;
      if (typeof guid !== 'string' || !guid) throw new ApiError('UPSTREAM_FAILED', 'the upstream provider created an instance but did not say its guid (data.guid)');
      upstreamGuid = guid;
    }
    const notifyToken = randomBytes(32).toString('base64url');
    const notifyUrl = this.notifyUrl(notifyToken);
    try {
      await client.call('/client/set_notify_url', { guid: upstreamGuid, notify_url: notifyUrl }, { kind: 'wrapper', idempotent: true });
      const mapping: RelayMapping = {
        guid: instance.guid, appId: instance.appId, upstreamGuid, notifyToken, adopted: adopt !== null, registeredNotifyUrl: notifyUrl, createdAt: this.#o.clock.now(),
      };
      await this.#o.store.relay.mappings.insert(mapping);
      this.#remember(mapping);
      return mapping;
    } catch (err) {
      // Nothing half done: an upstream instance we just created goes again.
      if (!adopt) await client.call('/client/remove_client', { guid: upstreamGuid }, { kind: 'wrapper' }).catch(() => undefined);
      throw err;
    }
  }

  async #apply(instance: InstanceRecord, path: LifecyclePath, request: Record<string, unknown>): Promise<void> {
    const mapping = await this.#mappingFor(instance);
    const client = await this.#client(instance.appId);
    await client.call(path, { ...request, guid: mapping.upstreamGuid }, { kind: 'wrapper' });
    // A restore is also the moment to repair a notify_url the upstream lost or that points at an old public URL.
    if (path === '/client/restore_client') await this.#ensureNotifyUrl(mapping, client, true);
  }

  /** Deletes the upstream instance wxgate created, or detaches one it adopted; then forgets the mapping and mirror. */
  async #remove(instance: InstanceRecord): Promise<void> {
    const mapping = await this.#mapping(instance.guid);
    if (!mapping) return;
    const client = await this.#client(instance.appId);
    try {
      if (mapping.adopted) await client.call('/client/set_notify_url', { guid: mapping.upstreamGuid, notify_url: '' }, { kind: 'wrapper', idempotent: true });
      else await client.call('/client/remove_client', { guid: mapping.upstreamGuid }, { kind: 'wrapper' });
    } catch (err) {
      // Already gone upstream: nothing left to undo there.
      if (!isUpstreamUnknownInstance(err)) throw err;
    }
    await this.#o.store.relay.mappings.delete(instance.guid);
    this.#forget(mapping);
    this.#intake.delete(instance.guid);
  }

  // ---- background repairs --------------------------------------------------------------------------------------------

  #inBackground(work: Promise<unknown>): void {
    const tracked = work.catch((err: unknown) => this.#o.log?.warn({ err: describe(err) }, 'relay background work failed'));
    this.#background.add(tracked);
    void tracked.finally(() => this.#background.delete(tracked));
  }

  async #ensureNotifyUrl(mapping: RelayMapping, client: UpstreamClient, force: boolean): Promise<void> {
    const url = this.notifyUrl(mapping.notifyToken);
    if (!force && mapping.registeredNotifyUrl === url) return;
    await client.call('/client/set_notify_url', { guid: mapping.upstreamGuid, notify_url: url }, { kind: 'wrapper', idempotent: true });
    if (mapping.registeredNotifyUrl !== url) {
      await this.#o.store.relay.mappings.setRegisteredNotifyUrl(mapping.guid, url);
      this.#remember({ ...mapping, registeredNotifyUrl: url });
    }
  }

  /**
   * After a (re)open: the upstream's login state wins over ours (we may have missed a callback while down), and the
   * notify_url follows a changed public URL. A callback taken in meanwhile is newer than the answer: then it is dropped.
   */
  async #resync(instance: InstanceRecord): Promise<void> {
    const mapping = await this.#mapping(instance.guid);
    if (!mapping) return;
    const client = await this.#client(instance.appId);
    await this.#ensureNotifyUrl(mapping, client, false);
    const before = this.#intake.get(instance.guid) ?? 0;
    const status = await client.call('/client/get_client_status', { guid: mapping.upstreamGuid }, { kind: 'wrapper' }) as { status?: unknown; login_wxid?: unknown } | null;
    if ((this.#intake.get(instance.guid) ?? 0) !== before) return;
    const current = await this.#o.store.instances.get(instance.guid);
    if (!current) return;
    if (status?.status === 2) {
      const wxid = typeof status.login_wxid === 'string' && status.login_wxid ? status.login_wxid : null;
      if (wxid && wxid !== current.loginWxid) await this.#o.sink.loginChanged(instance.guid, wxid);
      else if (!wxid && !current.loginWxid) await this.#learnLogin(instance.guid);
    } else if (typeof status?.status === 'number' && current.loginWxid) {
      await this.#o.sink.loginChanged(instance.guid, null);
    }
  }

  /** Logged in upstream but the wxid was not said: the profile names it. */
  async #learnLogin(guid: string): Promise<void> {
    const mapping = await this.#mapping(guid);
    const instance = await this.#o.store.instances.get(guid);
    if (!mapping || !instance) return;
    const before = this.#intake.get(guid) ?? 0;
    const profile = await (await this.#client(instance.appId)).call('/user/get_profile', { guid: mapping.upstreamGuid }, { kind: 'raw' }) as
      { userInfo?: { userName?: { string?: unknown } } } | null;
    const wxid = profile?.userInfo?.userName?.string;
    if (typeof wxid === 'string' && wxid && (this.#intake.get(guid) ?? 0) === before) await this.#o.sink.loginChanged(guid, wxid);
  }
}

/** An error for the log: the catalog name and message only (an upstream's texts are scrubbed already). */
function describe(err: unknown): object {
  if (err instanceof ApiError) return { error: err.error, message: err.message };
  return { message: (err as Error)?.message ?? String(err) };
}
