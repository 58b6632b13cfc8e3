// The iLink bridge's bots: the bot QR flow (a QR any iLink client asks for, bound when an instance's phone confirms
// it) and the bot tokens it issues, stored as SHA-256 hashes and shown once.
import { ApiError } from '@wxgate/contract';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IlinkBotRecord, InstanceRecord, Store } from '../storage/ports.ts';
import type { Clock } from './clock.ts';
import type { EventService } from './events.ts';
import { IlinkCdnParams } from './ilink-cdn-params.ts';
import { hashToken } from './wechaty-tokens.ts';

/** How long a bot QR code can be scanned and confirmed (iLink's own codes live about as long). */
export const ILINK_QR_TTL_MS = 300_000;
/** QR codes are asked for without credentials (the protocol's QR call is unauthenticated): bound the memory they take. */
const MAX_PENDING_QRS = 1000;
/** What `qrcode_img_content` carries: the text a phone would scan; /ilink/scan_qrcode takes it or the bare code. */
const QR_CONTENT_PREFIX = 'wxgate://ilink/bind?qrcode=';

export type QrStatus = 'wait' | 'scaned' | 'confirmed' | 'expired';

export interface IlinkCredentials {
  readonly bot_token: string;
  readonly ilink_bot_id: string;
  readonly ilink_user_id: string;
}

interface PendingQr {
  readonly createdAt: number;
  status: QrStatus;
  /** The status last answered to a poller (null before the first): a poll waits only while nothing changed since. */
  reported: QrStatus | null;
  scannedBy?: { readonly appId: string; readonly guid: string };
  credentials?: IlinkCredentials;
  readonly waiters: Set<() => void>;
}

/** The bot's id on the iLink wire: what its messages are addressed to. */
export const ilinkBotId = (bot: Pick<IlinkBotRecord, 'id'>): string => `${bot.id}@im.bot`;

/** The event-log consumer (stream cursor) of a bot: what its client acknowledged, surviving restarts. */
export const ilinkConsumer = (botId: string): string => `ilink:${botId}`;

export class IlinkBots {
  readonly #pending = new Map<string, PendingQr>();

  /** The iLink CDN's sealed parameters. */
  readonly cdn: IlinkCdnParams;

  constructor(private readonly store: Store, private readonly clock: Clock, private readonly events: EventService, private readonly secret: Buffer) {
    this.cdn = new IlinkCdnParams(secret);
  }

  /** A new QR code for get_bot_qrcode; bound to no instance until one's phone scans it. */
  issueQr(): { qrcode: string; content: string } {
    this.#purge();
    if (this.#pending.size >= MAX_PENDING_QRS) this.#pending.delete(this.#pending.keys().next().value!);
    const qrcode = `ilq_${randomBytes(18).toString('base64url')}`;
    const now = this.clock.now();
    this.#pending.set(qrcode, { createdAt: now, status: 'wait', reported: null, waiters: new Set() });
    return { qrcode, content: `${QR_CONTENT_PREFIX}${qrcode}` };
  }

  /**
   * get_qrcode_status: answers at once when the status changed since the last answer, else when it changes or after
   * `holdMs` (a long poll). Confirmed credentials are answered once; the code is forgotten with them.
   */
  async pollQr(qrcode: string, holdMs: number, signal: AbortSignal): Promise<{ status: QrStatus; credentials?: IlinkCredentials }> {
    let qr = this.#live(qrcode);
    if (qr && qr.status === qr.reported && !signal.aborted) {
      const entry = qr;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          entry.waiters.delete(done);
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, holdMs);
        entry.waiters.add(done);
        signal.addEventListener('abort', done);
      });
      qr = this.#live(qrcode);
    }
    if (!qr) return { status: 'expired' };
    qr.reported = qr.status;
    if (qr.status === 'confirmed' || qr.status === 'expired') this.#pending.delete(qrcode);
    return qr.credentials ? { status: qr.status, credentials: qr.credentials } : { status: qr.status };
  }

  /** The instance's phone acts on a QR code (/ilink/scan_qrcode). */
  async scan(instance: InstanceRecord, code: string, action: 'scan' | 'confirm' | 'cancel'): Promise<{ status: Exclude<QrStatus, 'wait'>; botId: string | null }> {
    const qrcode = code.startsWith(QR_CONTENT_PREFIX) ? code.slice(QR_CONTENT_PREFIX.length) : code;
    const qr = this.#live(qrcode);
    const mine = qr?.scannedBy?.guid === instance.guid && qr.scannedBy.appId === instance.appId;
    if (!qr || qr.status === 'confirmed' || (qr.scannedBy && !mine)) throw new ApiError('ILINK_QRCODE_UNKNOWN');
    if (!instance.loginWxid) throw new ApiError('NOT_LOGGED_IN');
    if (action === 'scan') {
      if (qr.status !== 'wait') throw new ApiError('ILINK_QRCODE_STEP');
      qr.scannedBy = { appId: instance.appId, guid: instance.guid };
      this.#change(qrcode, qr, 'scaned');
      return { status: 'scaned', botId: null };
    }
    if (qr.status !== 'scaned') throw new ApiError('ILINK_QRCODE_STEP');
    if (action === 'cancel') {
      this.#change(qrcode, qr, 'expired');
      return { status: 'expired', botId: null };
    }
    const token = `ilt_${randomBytes(32).toString('base64url')}`;
    const bot: IlinkBotRecord = {
      id: `ilb_${randomBytes(8).toString('hex')}`, appId: instance.appId, guid: instance.guid, tokenHash: hashToken(token),
      userWxid: instance.loginWxid, createdAt: this.clock.now(),
    };
    await this.store.ilinkBots.insert(bot);
    // A new bot starts with the messages after its binding: its cursor is set here.
    await this.events.saveCursor(instance.guid, ilinkConsumer(bot.id), await this.events.lastSn(instance.guid));
    qr.credentials = { bot_token: token, ilink_bot_id: ilinkBotId(bot), ilink_user_id: bot.userWxid };
    this.#change(qrcode, qr, 'confirmed');
    return { status: 'confirmed', botId: bot.id };
  }

  list(instance: InstanceRecord): Promise<IlinkBotRecord[]> {
    return this.store.ilinkBots.listByGuid(instance.guid);
  }

  revoke(instance: InstanceRecord, botId: string): Promise<boolean> {
    return this.store.ilinkBots.remove(instance.guid, botId);
  }

  /** The bot of a bot_token; ILINK_TOKEN_INVALID when it is unknown or revoked. */
  async resolve(token: string): Promise<IlinkBotRecord> {
    const bot = token ? await this.store.ilinkBots.findByHash(hashToken(token)) : undefined;
    if (!bot) throw new ApiError('ILINK_TOKEN_INVALID');
    return bot;
  }

  /** The bot of an id on an instance while it is bound (what a CDN parameter names), else undefined. */
  async bound(botId: string, guid: string): Promise<IlinkBotRecord | undefined> {
    return (await this.store.ilinkBots.listByGuid(guid)).find((b) => b.id === botId);
  }

  /** Still bound (not revoked meanwhile); ILINK_TOKEN_INVALID otherwise. */
  async ensure(bot: IlinkBotRecord): Promise<void> {
    if (!(await this.store.ilinkBots.findByHash(bot.tokenHash))) throw new ApiError('ILINK_TOKEN_INVALID');
  }

  /** `context_token` of a conversation (a person or a room) of a bot: the peer, sealed so only this bot can use it. */
  contextToken(bot: IlinkBotRecord, peer: string): string {
    const named = Buffer.from(peer).toString('base64url');
    return `ctx1.${named}.${this.#mac('context', bot.id, peer)}`;
  }

  /** The conversation a context_token names, or undefined when this bot was not given it. */
  peerOf(bot: IlinkBotRecord, contextToken: string): string | undefined {
    const [version, named, mac] = contextToken.split('.');
    if (version !== 'ctx1' || !named || !mac) return undefined;
    const peer = Buffer.from(named, 'base64url').toString();
    return sameText(mac, this.#mac('context', bot.id, peer)) ? peer : undefined;
  }

  /** getconfig's `typing_ticket` for a user: base64, as the protocol says; sendtyping checks it. */
  typingTicket(bot: IlinkBotRecord, user: string): string {
    return Buffer.from(this.#mac('typing', bot.id, user), 'base64url').toString('base64');
  }

  #mac(purpose: string, botId: string, subject: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}\0${botId}\0${subject}`).digest().subarray(0, 16).toString('base64url');
  }

  #live(qrcode: string): PendingQr | undefined {
    const qr = this.#pending.get(qrcode);
    if (qr && qr.status !== 'confirmed' && this.clock.now() - qr.createdAt >= ILINK_QR_TTL_MS) qr.status = 'expired';
    return qr;
  }

  #change(qrcode: string, qr: PendingQr, status: QrStatus): void {
    qr.status = status;
    this.#pending.set(qrcode, qr);
    for (const wake of [...qr.waiters]) wake();
  }

  #purge(): void {
    const now = this.clock.now();
    for (const [code, qr] of this.#pending) if (now - qr.createdAt >= 2 * ILINK_QR_TTL_MS) this.#pending.delete(code);
  }
}

const sameText = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
