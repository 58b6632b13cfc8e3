// The iLink bot QR flow: codes any iLink client asks for, kept in the store (a restart keeps them, any node of a
// cluster answers them), bound when an instance's phone confirms — with a verification code, or redirected to a bot the
// client already holds — and the bot_token answered once.
import { ApiError } from '@wxgate/contract';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IlinkBotRecord, IlinkQrRecord, IlinkQrStatus, InstanceRecord, Store } from '../../storage/ports.ts';
import type { Clock } from '../clock.ts';
import type { EventService } from '../events.ts';
import { hashToken } from '../wechaty-tokens.ts';

/** How long a bot QR code can be scanned and confirmed (iLink's own codes live about as long). */
export const ILINK_QR_TTL_MS = 300_000;
/** QR codes are asked for without credentials (the protocol's QR call is unauthenticated): bound the rows they take. */
const MAX_PENDING_QRS = 1000;
/** What `qrcode_img_content` carries: the text a phone would scan; /ilink/scan_qrcode takes it or the bare code. */
const QR_CONTENT_PREFIX = 'wxgate://ilink/bind?qrcode=';
/** Wrong verification codes a QR code takes before it answers verify_code_blocked. */
export const MAX_VERIFY_FAILURES = 5;
/** The most local_token_list entries looked at (the plugin sends at most ten). */
const MAX_LOCAL_TOKENS = 10;
/** A waiting poll reads the store this often, for changes made on another node. */
const STORE_RECHECK_MS = 1000;

export interface IlinkCredentials {
  readonly bot_token: string;
  readonly ilink_bot_id: string;
  readonly ilink_user_id: string;
}

export interface QrAnswer {
  readonly status: IlinkQrStatus;
  /** confirmed: the new bot's credentials, answered once. */
  readonly credentials?: IlinkCredentials;
  /** binded_redirect: the bot the client already holds. */
  readonly bound?: { readonly ilink_bot_id: string; readonly ilink_user_id: string };
  /** scaned_but_redirect: the host the client polls from then on. */
  readonly redirectHost?: string;
}

/** The bot's id on the iLink wire: what its messages are addressed to. */
export const ilinkBotId = (bot: Pick<IlinkBotRecord, 'id'>): string => `${bot.id}@im.bot`;

/** The event-log consumer (stream cursor) of a bot: what its client acknowledged, surviving restarts. */
export const ilinkConsumer = (botId: string): string => `ilink:${botId}`;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const sameText = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
/** Statuses after which the phone has nothing more to do. */
const SETTLED: ReadonlySet<IlinkQrStatus> = new Set(['confirmed', 'binded_redirect', 'expired', 'verify_code_blocked']);

export class IlinkQrFlow {
  /** Polls waiting on this node, by code hash: woken by this node's changes (other nodes' are read every second). */
  readonly #waiters = new Map<string, Set<() => void>>();

  constructor(private readonly store: Store, private readonly clock: Clock, private readonly events: EventService, private readonly secret: Buffer) {}

  /** get_bot_qrcode: a new code, bound to no instance until a phone scans it; `localTokens` are the client's tokens. */
  async issue(localTokens: readonly string[]): Promise<{ qrcode: string; content: string }> {
    const now = this.clock.now();
    await this.store.ilinkQrCodes.prune(now - 2 * ILINK_QR_TTL_MS, MAX_PENDING_QRS - 1);
    const presented: string[] = [];
    for (const token of localTokens.slice(0, MAX_LOCAL_TOKENS)) {
      const bot = token ? await this.store.ilinkBots.findByHash(hashToken(token)) : undefined;
      if (bot) presented.push(bot.id);
    }
    const qrcode = `ilq_${randomBytes(18).toString('base64url')}`;
    await this.store.ilinkQrCodes.insert({
      codeHash: sha256(qrcode), createdAt: now, status: 'wait', reported: null, appId: null, guid: null, botId: null, tokenNonce: null,
      verifyCodeHash: null, verifyFailures: 0, redirectHost: null, presentedBotIds: presented,
    });
    return { qrcode, content: `${QR_CONTENT_PREFIX}${qrcode}` };
  }

  /**
   * get_qrcode_status: answers at once when the status changed since the last answer (or a verify_code came), else when
   * it changes or after `holdMs` (a long poll). Credentials are answered once; the code is forgotten with them.
   */
  async poll(qrcode: string, holdMs: number, signal: AbortSignal, verifyCode?: string): Promise<QrAnswer> {
    const hash = sha256(qrcode);
    let qr = await this.#live(hash);
    if (qr && verifyCode !== undefined && qr.status === 'need_verifycode') qr = await this.#verify(qr, verifyCode);
    else {
      const deadline = Date.now() + holdMs;
      while (qr && qr.status === qr.reported && !signal.aborted && Date.now() < deadline) {
        await this.#wait(hash, Math.min(STORE_RECHECK_MS, deadline - Date.now()), signal);
        qr = await this.#live(hash);
      }
      // A poll whose client went away (a client that aborts its held poll to send a verify_code) answers nobody: what
      // the code settled on meanwhile is left for the client's next poll, not consumed here.
      if (signal.aborted) return { status: qr?.status ?? 'expired' };
    }
    if (!qr) return { status: 'expired' };
    const { status } = qr;
    if (SETTLED.has(status)) {
      // Only the poll that removes the code answers what it settled on: credentials go out once.
      if (!(await this.store.ilinkQrCodes.remove(hash, status))) return { status: 'expired' };
      if (status === 'confirmed') {
        const credentials = await this.#credentials(qr);
        return credentials ? { status, credentials } : { status: 'expired' };
      }
      if (status === 'binded_redirect') {
        const bot = qr.guid ? (await this.store.ilinkBots.listByGuid(qr.guid)).find((b) => b.id === qr.botId) : undefined;
        return bot ? { status, bound: { ilink_bot_id: ilinkBotId(bot), ilink_user_id: bot.userWxid } } : { status: 'expired' };
      }
      return { status };
    }
    await this.store.ilinkQrCodes.update(hash, status, { reported: status });
    return status === 'scaned_but_redirect' && qr.redirectHost ? { status, redirectHost: qr.redirectHost } : { status };
  }

  /**
   * The instance's phone acts on a code (/ilink/scan_qrcode): `scan`, then `confirm` (with `verifyCode`: the client must
   * type the code the phone shows) or `cancel`. A confirm by the instance of a bot the client already holds redirects.
   * A scan with `redirectHost` plays another data centre: the client is told to poll that host (scaned_but_redirect);
   * any node answers every code, so the host need only be another listener of the same store.
   */
  async scan(
    instance: InstanceRecord, code: string, action: 'scan' | 'confirm' | 'cancel', verifyCode?: string, redirectHost?: string,
  ): Promise<{ status: IlinkQrStatus; botId: string | null }> {
    const qrcode = code.startsWith(QR_CONTENT_PREFIX) ? code.slice(QR_CONTENT_PREFIX.length) : code;
    const hash = sha256(qrcode);
    const qr = await this.#live(hash);
    const mine = qr?.guid === instance.guid && qr.appId === instance.appId;
    if (!qr || SETTLED.has(qr.status) || (qr.guid && !mine)) throw new ApiError('ILINK_QRCODE_UNKNOWN');
    if (!instance.loginWxid) throw new ApiError('NOT_LOGGED_IN');
    if (action === 'scan') {
      if (qr.status !== 'wait') throw new ApiError('ILINK_QRCODE_STEP');
      const status = redirectHost ? 'scaned_but_redirect' : 'scaned';
      await this.#change(hash, 'wait', { status, appId: instance.appId, guid: instance.guid, ...(redirectHost ? { redirectHost } : {}) });
      return { status, botId: null };
    }
    // A redirected code is scanned all the same: the phone confirms or cancels it from there.
    const from = qr.status;
    if (from !== 'scaned' && from !== 'scaned_but_redirect') throw new ApiError('ILINK_QRCODE_STEP');
    if (action === 'cancel') {
      await this.#change(hash, from, { status: 'expired' });
      return { status: 'expired', botId: null };
    }
    const held = (await this.store.ilinkBots.listByGuid(instance.guid)).find((b) => qr.presentedBotIds.includes(b.id));
    if (held) {
      await this.#change(hash, from, { status: 'binded_redirect', botId: held.id });
      return { status: 'binded_redirect', botId: held.id };
    }
    if (verifyCode !== undefined) {
      await this.#change(hash, from, { status: 'need_verifycode', verifyCodeHash: this.#codeMac(hash, verifyCode) });
      return { status: 'need_verifycode', botId: null };
    }
    const botId = await this.#bind(qr, instance, from);
    return { status: 'confirmed', botId };
  }

  /**
   * A verify_code from the client: the right one binds the bot; wrong ones count, and too many block the code. The
   * count is read and written under a lock on the code, so guesses sent in parallel each count.
   */
  async #verify(qr: IlinkQrRecord, verifyCode: string): Promise<IlinkQrRecord | undefined> {
    const { codeHash: hash } = qr;
    const right = qr.verifyCodeHash !== null && sameText(this.#codeMac(hash, verifyCode), qr.verifyCodeHash);
    if (right) {
      const instance = qr.guid ? await this.store.instances.get(qr.guid) : undefined;
      if (!instance?.loginWxid) return { ...qr, status: 'expired' };
      // Other polls of the code are not woken: the one that carried the code answers what it settled (a client that
      // aborted its held poll to send the code would otherwise lose its credentials to that poll).
      await this.#bind(qr, instance, 'need_verifycode', false).catch((err: unknown) => {
        if (!(err instanceof ApiError && err.error === 'ILINK_QRCODE_STEP')) throw err;
      });
      return this.#live(hash);
    }
    await this.store.transaction(async (tx) => {
      const current = await tx.ilinkQrCodes.find(hash);
      if (current?.status !== 'need_verifycode') return;
      const failures = current.verifyFailures + 1;
      await tx.ilinkQrCodes.update(hash, 'need_verifycode', { verifyFailures: failures, ...(failures >= MAX_VERIFY_FAILURES ? { status: 'verify_code_blocked' } : {}) });
    }, { serializeOn: `ilink-qr:${hash}` });
    return this.#live(hash);
  }

  /**
   * Binds a new bot to the instance (the code moves `from` → confirmed in the same transaction); its id. `wake`: the
   * code's waiting polls are told at once (else they see it at their next read of the store).
   */
  async #bind(qr: IlinkQrRecord, instance: InstanceRecord, from: IlinkQrStatus, wake = true): Promise<string> {
    const botId = `ilb_${randomBytes(8).toString('hex')}`;
    const tokenNonce = randomBytes(16).toString('base64url');
    const bot: IlinkBotRecord = {
      id: botId, appId: instance.appId, guid: instance.guid, tokenHash: hashToken(this.#token(botId, tokenNonce)), userWxid: instance.loginWxid!,
      createdAt: this.clock.now(),
    };
    await this.store.transaction(async (tx) => {
      if (!(await tx.ilinkQrCodes.update(qr.codeHash, from, { status: 'confirmed', botId, tokenNonce }))) throw new ApiError('ILINK_QRCODE_STEP');
      await tx.ilinkBots.insert(bot);
    });
    // A new bot starts with the messages after its binding: its cursor is set here.
    await this.events.saveCursor(instance.guid, ilinkConsumer(botId), await this.events.lastSn(instance.guid));
    if (wake) this.#wake(qr.codeHash);
    return botId;
  }

  async #credentials(qr: IlinkQrRecord): Promise<IlinkCredentials | undefined> {
    const bot = qr.guid ? (await this.store.ilinkBots.listByGuid(qr.guid)).find((b) => b.id === qr.botId) : undefined;
    if (!bot || !qr.tokenNonce) return undefined;
    return { bot_token: this.#token(bot.id, qr.tokenNonce), ilink_bot_id: ilinkBotId(bot), ilink_user_id: bot.userWxid };
  }

  /** The bot_token: derived from a nonce kept only until it is answered, so the store never holds the token itself. */
  #token(botId: string, nonce: string): string {
    return `ilt_${createHmac('sha256', this.secret).update(`bot-token\0${botId}\0${nonce}`).digest('base64url')}`;
  }

  #codeMac(hash: string, verifyCode: string): string {
    return createHmac('sha256', this.secret).update(`verify-code\0${hash}\0${verifyCode}`).digest('hex');
  }

  /** The code as it stands now: one past its time answers expired (a confirmed one still hands out its token). */
  async #live(hash: string): Promise<IlinkQrRecord | undefined> {
    const qr = await this.store.ilinkQrCodes.find(hash);
    if (!qr || SETTLED.has(qr.status) || this.clock.now() - qr.createdAt < ILINK_QR_TTL_MS) return qr;
    await this.store.ilinkQrCodes.update(hash, qr.status, { status: 'expired' });
    return { ...qr, status: 'expired' };
  }

  async #change(hash: string, from: IlinkQrStatus, change: Parameters<Store['ilinkQrCodes']['update']>[2]): Promise<void> {
    if (!(await this.store.ilinkQrCodes.update(hash, from, change))) throw new ApiError('ILINK_QRCODE_STEP');
    this.#wake(hash);
  }

  #wake(hash: string): void {
    for (const wake of [...(this.#waiters.get(hash) ?? [])]) wake();
  }

  #wait(hash: string, ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(hash) ?? new Set();
      this.#waiters.set(hash, waiters);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        if (waiters.size === 0) this.#waiters.delete(hash);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(ms, 0));
      waiters.add(done);
      signal.addEventListener('abort', done);
    });
  }
}
