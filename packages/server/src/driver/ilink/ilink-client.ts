// The HTTP client towards an iLink server (Tencent's bot API, or any server of the same protocol): its headers and
// base_info, a time budget per call, long polls that end on abort, and every failure turned into a catalog error.
import { randomBytes } from 'node:crypto';
import { ApiError } from '@wxgate/contract';
import { Agent, request } from 'undici';

/** iLink's ret (and errcode) for a bot_token that is no longer valid: the bot was unbound or its session expired. */
export const ILINK_SESSION_EXPIRED = -14;

/** The bot session ended on the iLink side (ret -14): the instance is logged out. */
export class IlinkSessionExpired extends Error {
  constructor() {
    super('the iLink bot session expired or the bot was unbound (ret -14)');
  }
}

export interface IlinkQrCode {
  readonly qrcode: string;
  readonly qrcode_img_content: string;
}

/** get_qrcode_status: the statuses of the protocol document, credentials with `confirmed`. */
export interface IlinkQrStatus {
  readonly status: string;
  readonly bot_token?: string;
  readonly ilink_bot_id?: string;
  readonly baseurl?: string;
  readonly ilink_user_id?: string;
  readonly redirect_host?: string;
}

export interface IlinkMessageItem {
  readonly type?: number;
  readonly text_item?: { readonly text?: string };
  readonly [key: string]: unknown;
}

/** proto WeixinMessage, as far as the driver reads it. */
export interface IlinkWeixinMessage {
  readonly seq?: number;
  readonly message_id?: string | number;
  readonly from_user_id?: string;
  readonly to_user_id?: string;
  readonly create_time_ms?: number;
  readonly session_id?: string;
  readonly group_id?: string;
  readonly message_type?: number;
  readonly item_list?: readonly IlinkMessageItem[];
  readonly context_token?: string;
}

export interface IlinkUpdates {
  readonly msgs: readonly IlinkWeixinMessage[];
  readonly get_updates_buf: string;
  readonly longpolling_timeout_ms?: number;
}

/** What a bot call needs: where the bot lives and its token. */
export interface IlinkBotAccess {
  readonly baseUrl: string;
  readonly botToken: string;
}

export interface IlinkClientOptions {
  /** Budget of an ordinary call (QR code, send). */
  readonly timeoutMs: number;
  /** wxgate's version, sent as base_info.channel_version. */
  readonly version: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** How much longer than the server's own hold a long poll may take before it counts as a timeout. */
const LONG_POLL_MARGIN_MS = 10_000;
/** The protocol's default hold of getupdates and get_qrcode_status when the server suggests none. */
export const DEFAULT_LONG_POLL_MS = 35_000;

/** A CDN transfer carries a whole object: it gets at least this long, whatever the budget of an ordinary call. */
const CDN_MIN_TIMEOUT_MS = 60_000;

/** A CDN answer other than 200: a 4xx is a refusal (its x-error-message says why), anything else a failure. */
async function cdnRefusal(what: string, res: { statusCode: number; headers: Record<string, string | string[] | undefined>; body: { dump(): Promise<void> } }): Promise<ApiError> {
  await res.body.dump();
  const header = res.headers['x-error-message'];
  let reason = '';
  try {
    reason = typeof header === 'string' ? decodeURIComponent(header).slice(0, 500) : '';
  } catch {
    reason = '';
  }
  if (res.statusCode >= 400 && res.statusCode < 500) {
    return new ApiError('UPSTREAM_REFUSED', `the iLink CDN refused the ${what}: HTTP ${res.statusCode}${reason ? `, ${reason}` : ''}`,
      { upstream_errcode: res.statusCode, upstream_errmsg: reason });
  }
  return new ApiError('UPSTREAM_FAILED', `the iLink CDN answered the ${what} with HTTP ${res.statusCode}`, { upstream_status: res.statusCode });
}

export class IlinkClient {
  /** Its own connections, so that closing the driver closes them (a kept-alive one would hold a server's close up). */
  readonly #agent = new Agent({ keepAliveTimeout: 30_000 });

  constructor(private readonly options: IlinkClientOptions) {}

  close(): Promise<void> {
    return this.#agent.close();
  }

  getBotQrcode(baseUrl: string): Promise<IlinkQrCode> {
    return this.#call(baseUrl, 'ilink/bot/get_bot_qrcode?bot_type=3', { local_token_list: [] }, { timeoutMs: this.options.timeoutMs }).then((body) => {
      // Bounded: the code goes into a query string and its content into a QR symbol (which holds under 3 KB).
      if (typeof body.qrcode !== 'string' || !body.qrcode || body.qrcode.length > 512
        || typeof body.qrcode_img_content !== 'string' || !body.qrcode_img_content || body.qrcode_img_content.length > 1024) {
        throw new ApiError('UPSTREAM_FAILED', 'the iLink server answered get_bot_qrcode without a usable qrcode and qrcode_img_content');
      }
      return { qrcode: body.qrcode, qrcode_img_content: body.qrcode_img_content };
    });
  }

  /** A long poll: the server answers when the status changes or after its hold. */
  async qrcodeStatus(baseUrl: string, qrcode: string, verifyCode: string | undefined, signal: AbortSignal): Promise<IlinkQrStatus> {
    const query = `qrcode=${encodeURIComponent(qrcode)}${verifyCode ? `&verify_code=${encodeURIComponent(verifyCode)}` : ''}`;
    const body = await this.#call(baseUrl, `ilink/bot/get_qrcode_status?${query}`, undefined, { timeoutMs: DEFAULT_LONG_POLL_MS + LONG_POLL_MARGIN_MS, signal });
    if (typeof body.status !== 'string') throw new ApiError('UPSTREAM_FAILED', 'the iLink server answered get_qrcode_status without a status');
    return body as unknown as IlinkQrStatus;
  }

  /** A long poll for the messages after `buf`; IlinkSessionExpired when the bot is no longer valid. */
  async getUpdates(bot: IlinkBotAccess, buf: string, holdMs: number, signal: AbortSignal): Promise<IlinkUpdates> {
    const body = await this.#call(bot.baseUrl, 'ilink/bot/getupdates', { get_updates_buf: buf }, { token: bot.botToken, timeoutMs: holdMs + LONG_POLL_MARGIN_MS, signal });
    const msgs = Array.isArray(body.msgs) ? body.msgs.filter(isObject) as IlinkWeixinMessage[] : [];
    const next = typeof body.get_updates_buf === 'string' ? body.get_updates_buf : typeof body.sync_buf === 'string' ? body.sync_buf : buf;
    const hold = typeof body.longpolling_timeout_ms === 'number' && body.longpolling_timeout_ms > 0 ? body.longpolling_timeout_ms : undefined;
    return { msgs, get_updates_buf: next, ...(hold ? { longpolling_timeout_ms: hold } : {}) };
  }

  /** getuploadurl: where to upload one object (upload_full_url, else upload_param under the CDN base URL). */
  async getUploadUrl(bot: IlinkBotAccess, request: Json): Promise<{ uploadFullUrl?: string; uploadParam?: string }> {
    const body = await this.#call(bot.baseUrl, 'ilink/bot/getuploadurl', request, { token: bot.botToken, timeoutMs: this.options.timeoutMs });
    const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' && v.length <= 8192 ? v.trim() : undefined);
    const uploadFullUrl = text(body.upload_full_url);
    const uploadParam = text(body.upload_param);
    if (!uploadFullUrl && !uploadParam) throw new ApiError('UPSTREAM_FAILED', 'the iLink server answered getuploadurl without upload_full_url or upload_param');
    return { ...(uploadFullUrl ? { uploadFullUrl } : {}), ...(uploadParam ? { uploadParam } : {}) };
  }

  /** A CDN download: the ciphertext, at most `maxBytes` (a larger object is refused before it is all read). */
  async cdnDownload(url: string, maxBytes: number): Promise<Buffer> {
    const res = await this.#cdn(url, 'GET', undefined);
    if (res.statusCode !== 200) throw await cdnRefusal('download', res);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        res.body.destroy();
        throw new ApiError('CDN_FILE_TOO_LARGE', `the iLink CDN object is larger than this deployment stores (${maxBytes} bytes)`, { limit: maxBytes });
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  /** A CDN upload of ciphertext; answers the download reference the CDN gives back (x-encrypted-param). */
  async cdnUpload(url: string, cipherText: Buffer): Promise<string> {
    const res = await this.#cdn(url, 'POST', cipherText);
    if (res.statusCode !== 200) throw await cdnRefusal('upload', res);
    await res.body.dump();
    const param = res.headers['x-encrypted-param'];
    if (typeof param !== 'string' || !param) throw new ApiError('UPSTREAM_FAILED', 'the iLink CDN answered the upload without x-encrypted-param');
    return param;
  }

  async #cdn(url: string, method: 'GET' | 'POST', body: Buffer | undefined) {
    if (!/^https?:\/\//.test(url)) throw new ApiError('UPSTREAM_FAILED', 'the iLink server named a CDN URL that is not http(s)');
    const timeout = AbortSignal.timeout(Math.max(this.options.timeoutMs, CDN_MIN_TIMEOUT_MS));
    try {
      return await request(url, {
        method, signal: timeout, dispatcher: this.#agent,
        ...(body ? { body, headers: { 'Content-Type': 'application/octet-stream' } } : {}),
      });
    } catch (err) {
      if (timeout.aborted) throw new ApiError('UPSTREAM_TIMEOUT', `the iLink CDN did not answer the ${method === 'GET' ? 'download' : 'upload'} in time`);
      const code = (err as { code?: unknown })?.code;
      throw new ApiError('UPSTREAM_UNREACHABLE', `the iLink CDN could not be reached (${typeof code === 'string' ? code : 'connection failed'})`, { reason: typeof code === 'string' ? code : 'unknown' });
    }
  }

  /** Sends one message; answers iLink's message_id when it says one. */
  async sendMessage(bot: IlinkBotAccess, msg: Json): Promise<{ messageId?: string }> {
    const body = await this.#call(bot.baseUrl, 'ilink/bot/sendmessage', { msg }, { token: bot.botToken, timeoutMs: this.options.timeoutMs });
    const id = body.message_id;
    return typeof id === 'string' || typeof id === 'number' ? { messageId: String(id) } : {};
  }

  async #call(baseUrl: string, endpoint: string, payload: Json | undefined, how: { token?: string; timeoutMs: number; signal?: AbortSignal }): Promise<Json> {
    const url = new URL(endpoint, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    const headers: Record<string, string> = {
      AuthorizationType: 'ilink_bot_token',
      // The protocol's per-request random uint32, as the base64 of its decimal text.
      'X-WECHAT-UIN': Buffer.from(String(randomBytes(4).readUInt32BE(0))).toString('base64'),
      'iLink-App-Id': 'bot',
      ...(how.token ? { Authorization: `Bearer ${how.token}` } : {}),
      ...(payload ? { 'Content-Type': 'application/json' } : {}),
    };
    const body = payload && JSON.stringify({ ...payload, base_info: { channel_version: this.options.version, bot_agent: `wxgate/${this.options.version}` } });
    const timeout = AbortSignal.timeout(how.timeoutMs);
    const signal = how.signal ? AbortSignal.any([how.signal, timeout]) : timeout;
    const where = endpoint.replace(/\?.*$/, '');
    let status: number;
    let text: string;
    try {
      const res = await request(url, { method: payload ? 'POST' : 'GET', headers, ...(body ? { body } : {}), signal, dispatcher: this.#agent });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      if (how.signal?.aborted) throw err;
      if (timeout.aborted) throw new ApiError('UPSTREAM_TIMEOUT', `the iLink server did not answer ${where} within ${how.timeoutMs} ms`, { timeout_ms: how.timeoutMs });
      const code = (err as { code?: unknown })?.code;
      throw new ApiError('UPSTREAM_UNREACHABLE', `the iLink server could not be reached for ${where} (${typeof code === 'string' ? code : 'connection failed'})`, { reason: typeof code === 'string' ? code : 'unknown' });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (status !== 200 || !isObject(parsed)) {
      throw new ApiError('UPSTREAM_FAILED', `the iLink server answered ${where} with HTTP ${status}${isObject(parsed) ? '' : ' and no JSON object'}`, { upstream_status: status });
    }
    const ret = typeof parsed.ret === 'number' ? parsed.ret : 0;
    const errcode = typeof parsed.errcode === 'number' ? parsed.errcode : 0;
    if (ret === ILINK_SESSION_EXPIRED || errcode === ILINK_SESSION_EXPIRED) throw new IlinkSessionExpired();
    if (ret !== 0 || errcode !== 0) {
      // The server's text goes to the tenant: a token it might echo is masked first.
      let errmsg = typeof parsed.errmsg === 'string' ? parsed.errmsg.slice(0, 500) : '';
      if (how.token) errmsg = errmsg.split(how.token).join('***');
      throw new ApiError('UPSTREAM_REFUSED', `the iLink server refused ${where}: ret ${ret}, errcode ${errcode}${errmsg ? `, ${errmsg}` : ''}`,
        { upstream_errcode: errcode || ret, upstream_errmsg: errmsg });
    }
    return parsed;
  }
}
