// The ilink driver: each instance is a WeChat account through Tencent's official bot API (iLink), logged in by the bot
// QR flow; incoming texts arrive by long poll into the durable outbox, sends go out by sendmessage.
import { randomBytes } from 'node:crypto';
import type { InstanceRecord, Store } from '../../storage/ports.ts';
import { CdnObjects } from '../cdn/cdn-objects.ts';
import type { Driver, DriverEventSink, DriverPath, DriverSession } from '../driver.ts';
import type { MediaServices } from '../media.ts';
import { IlinkClient } from './ilink-client.ts';
import { IlinkQrLogin } from './ilink-login.ts';
import type { IlinkDeps, IlinkLog } from './ilink-link.ts';
import { ILINK_CAPABILITIES, ilinkSession } from './ilink-session.ts';
import { IlinkUpdatesLoop } from './ilink-updates.ts';

export const DEFAULT_ILINK_BASE_URL = 'https://ilinkai.weixin.qq.com';
/** Tencent's iLink CDN (the plugin's CDN_BASE_URL). */
export const DEFAULT_ILINK_CDN_URL = 'https://novac2c.cdn.weixin.qq.com/c2c';

export interface IlinkDriverOptions {
  readonly store: Store;
  readonly clock: { now(): number };
  /** Core's sink: callbacks and login changes. */
  readonly sink: DriverEventSink;
  /** The iLink server (Tencent's by default). */
  readonly baseUrl: string;
  /** Budget of an ordinary call (QR code, send); long polls get the server's hold plus a margin. */
  readonly timeoutMs: number;
  readonly version: string;
  /** The iLink CDN for media without a full URL (Tencent's by default). */
  readonly cdnBaseUrl?: string;
  /** Blob store, URL fetcher and download links for the instance's CDN; media paths answer 501 without them. */
  readonly media?: MediaServices & { readonly maxObjectBytes: number };
  readonly log?: IlinkLog;
  /** Waits between failed long polls (ms); the last one repeats. */
  readonly retryDelaysMs?: readonly number[];
}

export class IlinkDriver implements Driver {
  readonly name = 'ilink';
  readonly #deps: IlinkDeps;
  readonly #loops = new Map<string, IlinkUpdatesLoop>();
  readonly #logins = new Map<string, IlinkQrLogin>();
  /** The newest session of each instance: an older one's close leaves the instance's loop alone. */
  readonly #owners = new Map<string, symbol>();
  /** Each open instance's app: received media is stored in that app's CDN. */
  readonly #apps = new Map<string, string>();

  constructor(options: IlinkDriverOptions) {
    this.#deps = {
      store: options.store,
      sink: options.sink,
      client: new IlinkClient({ timeoutMs: options.timeoutMs, version: options.version }),
      now: () => options.clock.now(),
      baseUrl: options.baseUrl,
      cdnBaseUrl: (options.cdnBaseUrl ?? DEFAULT_ILINK_CDN_URL).replace(/\/+$/, ''),
      media: options.media && {
        cdn: new CdnObjects({ store: options.store, blobs: options.media.blobs, random: (n) => randomBytes(n), now: () => options.clock.now() }),
        services: options.media,
        maxObjectBytes: options.media.maxObjectBytes,
      },
      ...(options.log ? { log: options.log } : {}),
      retryDelaysMs: options.retryDelaysMs ?? [1_000, 2_000, 5_000, 10_000, 30_000],
    };
  }

  capabilities(): readonly DriverPath[] {
    return ILINK_CAPABILITIES;
  }

  /** The login state follows the stored link (the source of truth across restarts); a linked instance resumes polling. */
  async open(instance: InstanceRecord, _sink: DriverEventSink): Promise<DriverSession> {
    const { guid } = instance;
    const owner = Symbol(guid);
    this.#owners.set(guid, owner);
    this.#apps.set(guid, instance.appId);
    const link = await this.#deps.store.ilinkLinks.get(guid);
    if ((link?.ilinkUserId ?? null) !== instance.loginWxid) await this.#deps.sink.loginChanged(guid, link?.ilinkUserId ?? null);
    if (link) this.#startUpdates(guid);
    return ilinkSession(guid, instance.appId, this.#deps, {
      login: (id) => this.#logins.get(id),
      startLogin: (id) => this.#startLogin(id),
      stopUpdates: (id) => this.#stopUpdates(id),
    }, async () => {
      if (this.#owners.get(guid) !== owner) return;
      this.#owners.delete(guid);
      await Promise.all([this.#stopUpdates(guid), this.#stopLogin(guid)]);
    });
  }

  /** The QR login of an instance as the driver sees it (for operators and tests; the code is a credential of sorts). */
  pendingLogin(guid: string): { readonly qrcode: string; readonly status: number } | undefined {
    const login = this.#logins.get(guid);
    return login && { qrcode: login.qrcode, status: login.status };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#loops.keys()].map((guid) => this.#stopUpdates(guid)));
    await Promise.all([...this.#logins.keys()].map((guid) => this.#stopLogin(guid)));
    await this.#deps.client.close();
  }

  #startUpdates(guid: string): void {
    if (this.#loops.get(guid)?.running) return;
    this.#loops.set(guid, new IlinkUpdatesLoop(guid, this.#apps.get(guid) ?? '', this.#deps));
  }

  async #stopUpdates(guid: string): Promise<void> {
    const loop = this.#loops.get(guid);
    this.#loops.delete(guid);
    await loop?.stop();
  }

  async #startLogin(guid: string): Promise<IlinkQrLogin> {
    await this.#stopLogin(guid);
    const code = await this.#deps.client.getBotQrcode(this.#deps.baseUrl);
    const login = new IlinkQrLogin(guid, code.qrcode, code.qrcode_img_content, this.#deps.now(), this.#deps, () => this.#startUpdates(guid));
    this.#logins.set(guid, login);
    await login.start();
    return login;
  }

  async #stopLogin(guid: string): Promise<void> {
    const login = this.#logins.get(guid);
    this.#logins.delete(guid);
    await login?.stop();
  }
}
