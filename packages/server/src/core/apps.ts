// Apps (tenants): creation, credentials, verification with a per-process cache, enable/disable, response mode.
import { ApiError } from '@wxgate/contract';
import type { AppRecord, ResponseModeName, Store } from '../storage/ports.ts';
import type { Clock, IdSource } from './clock.ts';
import { NO_PEERS, type Peers } from './peers.ts';
import { digest, generateAppKey, generateAppSecret, hashSecret, sameSecret, verifySecret } from './secrets/secrets.ts';

export interface NewCredentials {
  readonly app: AppRecord;
  readonly appSecret: string;
}

/** Failed (key, secret digest) pairs remembered so a wrong secret cannot make us run scrypt over and over. */
const REJECTED_CACHE_LIMIT = 10_000;

export class AppDirectory {
  /** app_key → record and the secret that verified; scrypt runs once per key per process. */
  readonly #verified = new Map<string, { app: AppRecord; secret: Buffer }>();
  readonly #rejected = new Set<string>();
  #decoyHash: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly ids: IdSource,
    /** The mode of apps created without one (WXGATE_RESPONSE_MODE). */
    private readonly defaultMode: ResponseModeName = 'raw',
    /** The other nodes of a cluster: a change here makes them forget the app too. */
    private readonly peers: Peers = NO_PEERS,
  ) {
    peers.onNotice((notice) => {
      if (notice.kind === 'app') this.#forget(notice.appKey);
    });
    peers.onResync(() => {
      this.#verified.clear();
      this.#rejected.clear();
    });
  }

  /** Verifies app credentials; throws BAD_CREDENTIALS (same answer for unknown key and wrong secret) or APP_DISABLED. */
  async authenticate(appKey: string, appSecret: string): Promise<AppRecord> {
    const cached = this.#verified.get(appKey);
    // Hot path: a constant-time comparison with the secret verified before (secrets have a fixed, public length).
    if (cached && sameSecret(cached.secret, appSecret)) return this.#usable(cached.app);
    const rejectKey = appKey + '\0' + digest(appSecret).toString('base64');
    if (this.#rejected.has(rejectKey)) throw new ApiError('BAD_CREDENTIALS');
    const app = await this.store.apps.findByKey(appKey);
    // An unknown key costs the same scrypt run as a wrong secret, so timing does not tell which keys exist.
    const verified = await verifySecret(appSecret, app?.secretHash ?? (this.#decoyHash ??= await hashSecret(generateAppSecret())));
    if (!app || !verified) {
      if (this.#rejected.size >= REJECTED_CACHE_LIMIT) this.#rejected.clear();
      this.#rejected.add(rejectKey);
      throw new ApiError('BAD_CREDENTIALS');
    }
    this.#verified.set(appKey, { app, secret: Buffer.from(appSecret) });
    return this.#usable(app);
  }

  #usable(app: AppRecord): AppRecord {
    if (app.disabled) throw new ApiError('APP_DISABLED');
    return app;
  }

  async create(name: string, mode: ResponseModeName = this.defaultMode, given?: { appKey: string; appSecret: string }): Promise<NewCredentials> {
    const appKey = given?.appKey ?? generateAppKey();
    if (await this.store.apps.findByKey(appKey)) throw new ApiError('VALIDATION', `app_key ${appKey} already exists`);
    const appSecret = given?.appSecret ?? generateAppSecret();
    const app: AppRecord = {
      id: this.ids.uuid(), appKey, name, secretHash: await hashSecret(appSecret), mode, disabled: false, createdAt: this.clock.now(),
    };
    await this.store.apps.insert(app);
    return { app, appSecret };
  }

  list(): Promise<AppRecord[]> {
    return this.store.apps.list();
  }

  async findByKey(appKey: string): Promise<AppRecord> {
    const app = await this.store.apps.findByKey(appKey);
    if (!app) throw new ApiError('UNKNOWN_APP', `no app with app_key ${appKey}`);
    return app;
  }

  async setDisabled(appKey: string, disabled: boolean): Promise<void> {
    const app = await this.findByKey(appKey);
    await this.store.apps.update(app.id, { disabled });
    this.#changed(appKey);
  }

  async setMode(appKey: string, mode: ResponseModeName): Promise<void> {
    const app = await this.findByKey(appKey);
    await this.store.apps.update(app.id, { mode });
    this.#changed(appKey);
  }

  async rotateSecret(appKey: string, newSecret = generateAppSecret()): Promise<NewCredentials> {
    const app = await this.findByKey(appKey);
    const secretHash = await hashSecret(newSecret);
    await this.store.apps.update(app.id, { secretHash });
    this.#changed(appKey);
    return { app: { ...app, secretHash }, appSecret: newSecret };
  }

  /**
   * Start-up seeding: WXGATE_APP_KEY/SECRET create (or re-key) that app; with none configured and no app at all,
   * a first app is created and its credentials returned so main can show them once.
   */
  async seed(configured?: { appKey: string; appSecret: string }): Promise<NewCredentials | null> {
    if (configured) {
      const existing = await this.store.apps.findByKey(configured.appKey);
      if (!existing) {
        await this.create('default', this.defaultMode, configured);
      } else if (!(await verifySecret(configured.appSecret, existing.secretHash))) {
        await this.rotateSecret(configured.appKey, configured.appSecret);
      }
      return null;
    }
    if ((await this.store.apps.list()).length > 0) return null;
    return this.create('default');
  }

  /** An app by its internal id, for credentials that name it indirectly (a signed cdn_info); refused when disabled. */
  async byId(id: string): Promise<AppRecord> {
    const app = await this.store.apps.findById(id);
    if (!app) throw new ApiError('BAD_CREDENTIALS');
    return this.#usable(app);
  }

  /** The app that unauthenticated direct calls act as (private networks only): the configured one, else the oldest. */
  async defaultApp(configuredKey?: string): Promise<AppRecord> {
    const app = configuredKey ? await this.store.apps.findByKey(configuredKey) : (await this.store.apps.list())[0];
    if (!app) throw new ApiError('MISSING_CREDENTIALS');
    return this.#usable(app);
  }

  /** After a committed change: this node and every other one verify the app afresh. */
  #changed(appKey: string): void {
    this.#forget(appKey);
    void this.peers.announce({ kind: 'app', appKey });
  }

  #forget(appKey: string): void {
    this.#verified.delete(appKey);
    for (const key of this.#rejected) if (key.startsWith(appKey + '\0')) this.#rejected.delete(key);
  }
}
