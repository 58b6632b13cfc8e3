// The bot QR login of one instance: iLink's get_bot_qrcode and its status long poll, watched in the background and
// mapped to the vendor's QR statuses (0 waiting, 1 scanned, 2 confirmed, 4 cancelled or expired) with a 1002 per change.
import { randomBytes } from 'node:crypto';
import { ApiError, NOTIFY_TYPES } from '@wxgate/contract';
import type { IlinkQrStatus } from './ilink-client.ts';
import { describeError, pause, startLink, type IlinkDeps } from './ilink-link.ts';

/** How long a code is watched (iLink's own codes expire about as fast; its `expired` may come first). */
export const ILINK_QR_LIFETIME_MS = 300_000;

/** What /login/verify_login_url's ticket is carried in: auth_url, as WeChat's device verification has it. */
const VERIFY_URL = 'wxgate://ilink/verify_code';

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The vendor's status for iLink's; undefined for one the protocol document does not name (the watch goes on). */
function vendorStatus(status: string): 0 | 1 | 4 | 'confirmed' | undefined {
  switch (status) {
    case 'wait': return 0;
    case 'scaned':
    case 'scaned_but_redirect':
    case 'need_verifycode':
      return 1;
    case 'confirmed': return 'confirmed';
    // binded_redirect answers a local_token_list, and wxgate sends none: no bot of ours can be bound already.
    case 'expired':
    case 'verify_code_blocked':
    case 'binded_redirect':
      return 4;
    default: return undefined;
  }
}

export class IlinkQrLogin {
  status: 0 | 1 | 2 | 4 = 0;
  wxid: string | undefined;
  #verifyTicket: string | undefined;
  #pin: string | undefined;
  #pollBase: string;
  readonly #abort = new AbortController();
  /** Aborts the current status poll only (a pin to send, or the watch ending). */
  #poll = new AbortController();
  #done: Promise<void> = Promise.resolve();

  constructor(
    private readonly guid: string,
    readonly qrcode: string,
    readonly content: string,
    readonly createdAt: number,
    private readonly deps: IlinkDeps,
    /** Called once the link is stored (the updates loop starts). */
    private readonly linked: () => void,
  ) {
    this.#pollBase = deps.baseUrl;
  }

  /** Tells the instance about the new code (1002, status 0), then watches it. */
  async start(): Promise<void> {
    await this.deps.sink.emit(this.guid, [{ notifyType: NOTIFY_TYPES.LoginQRCodeChange, data: this.state() }]);
    this.#done = this.#watch();
  }

  get expiresAt(): number {
    return this.createdAt + ILINK_QR_LIFETIME_MS;
  }

  /** check_login_qrcode's answer and the 1002 payload. */
  state(): Record<string, unknown> {
    return {
      status: this.status,
      uuid: this.qrcode,
      qrcode_content: this.content,
      expired_time: seconds(this.expiresAt),
      ...(this.status === 1 && this.#verifyTicket ? { auth_url: `${VERIFY_URL}?ticket=${this.#verifyTicket}` } : {}),
      ...(this.status === 2 && this.wxid ? { wxid: this.wxid } : {}),
    };
  }

  /** The code past its lifetime while still open: 4, told with a 1002, and the watch ends. */
  async expireIfDue(): Promise<void> {
    if ((this.status === 0 || this.status === 1) && this.deps.now() >= this.expiresAt) await this.#change(4);
  }

  /** /login/verify_login_url: the code the phone shows goes with the next status poll. */
  verify(ticket: string, pin: string): void {
    if (this.status !== 1 || !this.#verifyTicket) throw new ApiError('NO_LOGIN_IN_PROGRESS', 'no verification code is asked for on this instance\'s login');
    if (ticket !== this.#verifyTicket) throw new ApiError('LOGIN_TICKET_INVALID');
    this.#pin = pin;
    this.#poll.abort();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.#poll.abort();
    await this.#done;
  }

  async #change(status: 0 | 1 | 4): Promise<void> {
    if (status === this.status) return;
    this.status = status;
    if (status === 4) {
      this.#abort.abort();
      this.#poll.abort();
    }
    await this.deps.sink.emit(this.guid, [{ notifyType: NOTIFY_TYPES.LoginQRCodeChange, data: this.state() }]);
  }

  async #watch(): Promise<void> {
    const signal = this.#abort.signal;
    let failures = 0;
    while (!signal.aborted && (this.status === 0 || this.status === 1)) {
      try {
        await this.expireIfDue();
        if (signal.aborted || (this.status as number) === 4) break;
        this.#poll = new AbortController();
        const pin = this.#pin;
        this.#pin = undefined;
        let answer: IlinkQrStatus;
        try {
          answer = await this.deps.client.qrcodeStatus(this.#pollBase, this.qrcode, pin, AbortSignal.any([signal, this.#poll.signal]));
        } catch (err) {
          // A pin arrived while the poll was held: poll again with it.
          if (this.#poll.signal.aborted && !signal.aborted) continue;
          throw err;
        }
        if (signal.aborted) break;
        failures = 0;
        await this.#apply(answer);
      } catch (err) {
        if (signal.aborted) break;
        this.deps.log?.warn({ guid: this.guid, err: describeError(err) }, 'ilink: QR status poll failed; retrying');
        await pause(this.deps.retryDelaysMs[Math.min(failures++, this.deps.retryDelaysMs.length - 1)] ?? 1000, signal);
      }
    }
  }

  async #apply(answer: IlinkQrStatus): Promise<void> {
    if (answer.status === 'scaned_but_redirect' && answer.redirect_host && /^[\w.-]+(:\d+)?$/.test(answer.redirect_host)) {
      // The other data centre is reached the way the configured server is (https at Tencent's; http on a test loopback).
      this.#pollBase = `${new URL(this.#pollBase).protocol}//${answer.redirect_host}`;
    }
    if (answer.status === 'need_verifycode') this.#verifyTicket = randomBytes(16).toString('hex');
    const status = vendorStatus(answer.status);
    if (status === undefined) return;
    if (status !== 'confirmed') {
      // A new verification ticket on an already scanned code is still news for the poller.
      if (answer.status === 'need_verifycode' && this.status === 1) {
        await this.deps.sink.emit(this.guid, [{ notifyType: NOTIFY_TYPES.LoginQRCodeChange, data: this.state() }]);
      }
      await this.#change(status);
      return;
    }
    const { bot_token: botToken, ilink_bot_id: ilinkBotId, ilink_user_id: ilinkUserId } = answer;
    if (!botToken || !ilinkBotId || !ilinkUserId) {
      this.deps.log?.warn({ guid: this.guid }, 'ilink: the QR was confirmed without bot_token, ilink_bot_id and ilink_user_id; the login is void');
      await this.#change(4);
      return;
    }
    const baseUrl = answer.baseurl && /^https?:\/\//.test(answer.baseurl) ? answer.baseurl : this.deps.baseUrl;
    this.wxid = ilinkUserId;
    await startLink(this.deps, {
      guid: this.guid, botToken, ilinkBotId, ilinkUserId, baseUrl, updatesBuf: '', createdAt: this.deps.now(),
    }, { uuid: this.qrcode, qrcode_content: this.content, expired_time: seconds(this.expiresAt) });
    this.status = 2;
    this.#verifyTicket = undefined;
    this.linked();
  }
}
