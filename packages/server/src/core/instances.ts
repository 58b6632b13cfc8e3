// Instances: one per WeChat account — create, remove, start/stop, settings, status — and their driver sessions.
import { ApiError, invalidField } from '@wxgate/contract';
import type { Driver, DriverEventSink, DriverSession } from '../driver/driver.ts';
import { DEFAULT_CALLBACK_OPTIONS, type AppRecord, type CallbackOptions, type InstancePatch, type InstanceRecord, type Store, type Transaction } from '../storage/ports.ts';
import type { Clock, IdSource } from './clock.ts';
import { maskProxy, proxyProblem } from './egress/proxy-url.ts';
import { BlockedUrlError, type UrlGuard } from './egress/url-guard.ts';
import { NO_PEERS, type Peers } from './peers.ts';
import type { InstanceQuota, QuotaStatus } from './quota.ts';

/** get_client_status values, as the vendor documents them. */
export const CLIENT_STATUS = { stopped: 0, running: 1, online: 2 } as const;

export interface CreateInstanceInput {
  client_type?: number;
  proxy?: string;
  is_long_proxy?: boolean;
  bridge?: string;
  payload?: string;
  auto_start?: boolean;
}

export interface RestoreInput {
  proxy?: string;
  is_login_proxy?: boolean;
  bridge?: string;
  sync_history_msg?: boolean;
  auto_start?: boolean;
}

export interface ClientStatus {
  status: number;
  guid: string;
  client_type: number;
  login_wxid: string;
  notify_url: string;
  bridge: string;
  proxy: string;
  rate_limit: QuotaStatus;
}

export const DEFAULT_CLIENT_TYPE = 241;
const PRIVATE_HINT = ' (private addresses can be allowed for development with WXGATE_ALLOW_PRIVATE_URLS)';

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
/** get_client_version's server_version; the ilink driver also names itself with it (base_info.channel_version). */
export const WXGATE_VERSION = '0.1.0';

function checkProxy(proxy: string | undefined): void {
  if (proxy === undefined) return;
  const problem = proxyProblem(proxy);
  if (problem) throw invalidField('proxy', problem);
}

/**
 * Instance records are read on every call, so they are cached here, write-through: every change on this node goes
 * through this service, and tells the other nodes of a cluster (`peers`), which drop their copy.
 */
export class InstanceService {
  readonly #sessions = new Map<string, Promise<DriverSession>>();
  readonly #cache = new Map<string, InstanceRecord>();

  constructor(
    private readonly store: Store,
    private readonly driver: Driver,
    private readonly quota: InstanceQuota,
    private readonly sink: DriverEventSink,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    private readonly urlGuard: UrlGuard,
    private readonly peers: Peers = NO_PEERS,
  ) {
    peers.onNotice((notice) => {
      if (notice.kind === 'instance') this.#cache.delete(notice.guid);
    });
    peers.onResync(() => this.#cache.clear());
  }

  /** The app's instance, or UNKNOWN_INSTANCE — identical for a missing guid and another app's guid. */
  async require(app: AppRecord, guid: string): Promise<InstanceRecord> {
    const instance = await this.find(guid);
    if (!instance || instance.appId !== app.id) throw new ApiError('UNKNOWN_INSTANCE');
    return instance;
  }

  /** Any app's instance by guid: for internal callers that already know whose it is (drivers, delivery). */
  async find(guid: string, tx?: Transaction): Promise<InstanceRecord | undefined> {
    let instance = this.#cache.get(guid);
    if (!instance) {
      // Inside a transaction only `tx` may touch the store (a plain read would wait for the transaction to end).
      instance = await (tx ?? this.store).instances.get(guid);
      if (instance && !tx) this.#cache.set(guid, instance);
    }
    return instance;
  }

  async #update(guid: string, patch: InstancePatch, tx?: Transaction): Promise<void> {
    const now = this.clock.now();
    await (tx ?? this.store).instances.update(guid, patch, now);
    const refreshCache = () => {
      const cached = this.#cache.get(guid);
      if (cached) {
        const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        this.#cache.set(guid, { ...cached, ...defined, updatedAt: now });
      }
      void this.peers.announce({ kind: 'instance', guid });
    };
    // In a transaction the cache follows only once it committed: a rollback must not leave it ahead of the store.
    if (tx) tx.afterCommit(refreshCache);
    else refreshCache();
  }

  /** The login flow reports the account that logged in (wxid) or out (null); status 2 follows from it. */
  setLogin(guid: string, wxid: string | null, tx?: Transaction): Promise<void> {
    return this.#update(guid, { loginWxid: wxid }, tx);
  }

  async create(app: AppRecord, input: CreateInstanceInput): Promise<InstanceRecord> {
    checkProxy(input.proxy);
    const now = this.clock.now();
    const instance: InstanceRecord = {
      guid: this.ids.uuid(),
      appId: app.id,
      runState: input.auto_start === false ? 'stopped' : 'running',
      loginWxid: null,
      clientType: input.client_type ?? DEFAULT_CLIENT_TYPE,
      notifyUrl: '',
      bridge: input.bridge ?? '',
      proxy: input.proxy ?? '',
      isLongProxy: input.is_long_proxy ?? false,
      isLoginProxy: false,
      syncHistoryMsg: true,
      autoStart: input.auto_start ?? true,
      payload: input.payload ?? '',
      callbackOptions: DEFAULT_CALLBACK_OPTIONS,
      createdAt: now,
      updatedAt: now,
    };
    // A driver that backs instances elsewhere (the relay) creates that first; if storing fails, it is undone there.
    await this.driver.lifecycle?.create(instance);
    try {
      await this.store.instances.insert(instance);
    } catch (err) {
      await this.driver.lifecycle?.remove(instance).catch(() => undefined);
      throw err;
    }
    if (instance.runState === 'running') await this.session(instance);
    return instance;
  }

  async remove(instance: InstanceRecord): Promise<void> {
    await this.driver.lifecycle?.remove(instance);
    await this.#closeSession(instance.guid);
    await this.store.instances.delete(instance.guid);
    this.#cache.delete(instance.guid);
    void this.peers.announce({ kind: 'instance', guid: instance.guid });
    await this.quota.forget(instance.guid);
  }

  async list(app: AppRecord): Promise<string[]> {
    return (await this.store.instances.listByApp(app.id)).map((i) => i.guid);
  }

  async restore(instance: InstanceRecord, input: RestoreInput): Promise<void> {
    checkProxy(input.proxy);
    const patch: { -readonly [K in keyof InstancePatch]: InstancePatch[K] } = { runState: 'running' };
    if (input.proxy !== undefined) patch.proxy = input.proxy;
    if (input.bridge !== undefined) patch.bridge = input.bridge;
    if (input.is_login_proxy !== undefined) patch.isLoginProxy = input.is_login_proxy;
    if (input.sync_history_msg !== undefined) patch.syncHistoryMsg = input.sync_history_msg;
    if (input.auto_start !== undefined) patch.autoStart = input.auto_start;
    await this.driver.lifecycle?.apply(instance, '/client/restore_client', { ...input });
    await this.#update(instance.guid, patch);
    // Restoring restarts the session: the driver resumes a logged-in account and clears what broke it (2006).
    await this.#closeSession(instance.guid);
    await this.session({ ...instance, ...patch });
  }

  async stop(instance: InstanceRecord): Promise<void> {
    await this.driver.lifecycle?.apply(instance, '/client/stop_client', {});
    await this.#closeSession(instance.guid);
    await this.#update(instance.guid, { runState: 'stopped' });
  }

  async setNotifyUrl(instance: InstanceRecord, notifyUrl: string): Promise<void> {
    if (notifyUrl !== '') {
      let url: URL | undefined;
      try {
        url = new URL(notifyUrl);
      } catch {
        throw invalidField('notify_url', 'not a URL; give an absolute http:// or https:// URL (or "" to stop callbacks)');
      }
      const problem = this.urlGuard.check(url);
      if (problem) throw invalidField('notify_url', `${problem}${PRIVATE_HINT}`);
      try {
        await withTimeout(this.urlGuard.resolve(url), 2000);
      } catch (err) {
        // A name that does not resolve yet is accepted; every delivery resolves and checks it again.
        if (err instanceof BlockedUrlError) throw invalidField('notify_url', `${err.message}${PRIVATE_HINT}`);
      }
    }
    await this.#update(instance.guid, { notifyUrl });
  }

  async setCallbackOptions(instance: InstanceRecord, options: CallbackOptions): Promise<void> {
    await this.#update(instance.guid, { callbackOptions: options });
  }

  async setBridge(instance: InstanceRecord, bridge: string): Promise<void> {
    await this.driver.lifecycle?.apply(instance, '/client/set_bridge', { bridge });
    await this.#update(instance.guid, { bridge });
  }

  async setProxy(instance: InstanceRecord, proxy: string, isLongProxy: boolean): Promise<void> {
    checkProxy(proxy);
    await this.driver.lifecycle?.apply(instance, '/client/set_proxy', { proxy, is_long_proxy: isLongProxy });
    await this.#update(instance.guid, { proxy, isLongProxy });
  }

  async upgrade(instance: InstanceRecord, newClientType: number): Promise<void> {
    if (newClientType < instance.clientType) {
      throw new ApiError('CLIENT_DOWNGRADE', `new_client_type ${newClientType} is lower than the current client_type ${instance.clientType}: only upgrades are allowed (downgrading gets accounts banned)`);
    }
    await this.driver.lifecycle?.apply(instance, '/client/update_client', { new_client_type: newClientType });
    await this.#update(instance.guid, { clientType: newClientType });
  }

  async statusOf(instance: InstanceRecord): Promise<ClientStatus> {
    const status = instance.runState === 'stopped'
      ? CLIENT_STATUS.stopped
      : instance.loginWxid ? CLIENT_STATUS.online : CLIENT_STATUS.running;
    return {
      status,
      guid: instance.guid,
      client_type: instance.clientType,
      login_wxid: instance.loginWxid ?? '',
      notify_url: instance.notifyUrl,
      bridge: instance.bridge,
      proxy: maskProxy(instance.proxy),
      rate_limit: await this.quota.status(instance.guid),
    };
  }

  versionOf(instance: InstanceRecord) {
    return {
      client_type: instance.clientType,
      server_version: WXGATE_VERSION,
      driver: this.driver.name,
      capabilities: [...this.driver.capabilities()],
    };
  }

  /** The running instance's driver session, opened on first use (also after a restart). */
  session(instance: InstanceRecord): Promise<DriverSession> {
    if (instance.runState !== 'running') return Promise.reject(new ApiError('INSTANCE_STOPPED'));
    let session = this.#sessions.get(instance.guid);
    if (!session) {
      session = this.driver.open(instance, this.sink);
      this.#sessions.set(instance.guid, session);
      session.catch(() => this.#sessions.delete(instance.guid));
    }
    return session;
  }

  /**
   * At start: reopen the sessions of every instance that was running when the server stopped, unless the driver opens
   * them on first use (then a start costs nothing per instance).
   */
  async resumeAll(): Promise<number> {
    if (this.driver.lazySessions) return 0;
    const running = (await this.store.instances.listAll()).filter((i) => i.runState === 'running');
    await Promise.all(running.map((i) => this.session(i)));
    return running.length;
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#sessions.keys()].map((guid) => this.#closeSession(guid)));
  }

  async #closeSession(guid: string): Promise<void> {
    const session = this.#sessions.get(guid);
    if (!session) return;
    this.#sessions.delete(guid);
    await session.then((s) => s.close(), () => undefined);
  }
}
