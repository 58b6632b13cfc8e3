// WxgateBot: receives an instance's events (WebSocket, SSE fallback, or webhooks), calls typed handlers, acks after them.
import type { WxgateClient } from './client.ts';
import { dispatchOf, type AccountChange, type BotDispatch, type RoomMembersChange } from './bot-events.ts';
import { FileCursorStore, MemoryCursorStore, type CursorStore } from './cursor-store.ts';
import { FriendRequest, Message } from './message.ts';
import { webhookHandler, type NodeRequest, type NodeResponse, type WebhookHandlerOptions } from './bot-webhook.ts';
import { followEvents, type StreamStatus, type StreamTransport, type StreamedEvent } from './stream.ts';
import type { CallbackEvent } from './webhook.ts';

export { Message, FriendRequest, type CdnFile, type DownloadedMedia, type ReplyContent } from './message.ts';
export { MemoryCursorStore, FileCursorStore, type CursorStore } from './cursor-store.ts';
export type { AccountChange, RoomMembersChange } from './bot-events.ts';
export type { WebhookHandlerOptions, NodeRequest, NodeResponse } from './bot-webhook.ts';

/** A handler that failed every attempt, or a stream that failed for good (bad credentials, unknown guid). */
export class BotError extends Error {
  override readonly name = 'BotError';
  constructor(message: string, override readonly cause: unknown, readonly event?: StreamedEvent) {
    super(message);
  }
}

export interface BotHandlers {
  message: (message: Message) => unknown;
  'friend-request': (request: FriendRequest) => unknown;
  'room-join': (change: RoomMembersChange) => unknown;
  'room-leave': (change: RoomMembersChange) => unknown;
  login: (change: AccountChange) => unknown;
  logout: (change: AccountChange) => unknown;
  /** Every callback, whatever its type, before the named handlers. */
  event: (event: CallbackEvent, meta: { eventId: string; sn: number }) => unknown;
  error: (error: BotError) => unknown;
  status: (status: StreamStatus) => unknown;
}
export type BotEventName = keyof BotHandlers;

export interface BotOptions {
  readonly client: WxgateClient;
  readonly guid: string;
  /** Names this bot's cursor, on the server (WebSocket consumer) and in the store; default `wxgate-bot`. Two bots with one name share a position. */
  readonly consumer?: string;
  /** Where the handled sn is kept; default a FileCursorStore at `.wxgate/bot-cursors.json` under the working directory in Node, memory elsewhere. */
  readonly cursorStore?: CursorStore;
  /** `auto` (default) WebSocket with SSE fallback, or one of them. */
  readonly transport?: 'auto' | StreamTransport;
  /** Attempts per event before it is given up (reported to `error` handlers, then acknowledged); default 3. */
  readonly attempts?: number;
  /** Delay before retry n of a failed handler: default 500 ms × 2^(n-1). */
  readonly retryDelayMs?: (attempt: number) => number;
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A bot on one instance. A class beside the client rather than a client method: it owns long-lived state (the
 * connection, the cursor, the handlers) and a process may run several bots over one client.
 *
 * ```ts
 * const bot = new WxgateBot({ client, guid });
 * bot.on('message', (m) => { if (!m.self() && m.text() === 'ping') return m.reply('pong'); });
 * await bot.start();
 * ```
 */
export class WxgateBot {
  readonly client: WxgateClient;
  readonly guid: string;
  readonly consumer: string;
  readonly #options: BotOptions;
  readonly #store: CursorStore;
  readonly #handlers: { [K in BotEventName]: Array<BotHandlers[K]> } = {
    message: [], 'friend-request': [], 'room-join': [], 'room-leave': [], login: [], logout: [], event: [], error: [], status: [],
  };
  #selfWxid = '';
  #abort: AbortController | undefined;
  #running: Promise<void> | undefined;
  /** Serializes handling, so a webhook delivery and a stream event never run handlers at once. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: BotOptions) {
    if (!options.guid) throw new TypeError('guid is required');
    this.#options = options;
    this.client = options.client;
    this.guid = options.guid;
    this.consumer = options.consumer ?? 'wxgate-bot';
    this.#store = options.cursorStore ?? (isNode ? new FileCursorStore(`${process.cwd()}/.wxgate/bot-cursors.json`) : new MemoryCursorStore());
  }

  /** The wxid of the account logged in on the instance ('' until known). */
  get selfWxid(): string {
    return this.#selfWxid;
  }

  on<K extends BotEventName>(name: K, handler: BotHandlers[K]): this {
    this.#handlers[name].push(handler);
    return this;
  }

  get #cursorKey(): string {
    return `${this.guid}/${this.consumer}`;
  }

  /**
   * Connects and resolves once the stream runs (rejects with WxgateError when the server refuses the credentials or
   * the guid); events are handled until `stop()`. Resumes after the sn this bot
   * handled last (its cursor store), else after the server's cursor for its consumer.
   */
  async start(): Promise<void> {
    if (this.#running) return;
    await this.#learnSelf();
    const afterSn = await this.#store.load(this.#cursorKey);
    const abort = new AbortController();
    this.#abort = abort;
    let opened!: () => void;
    let refused: unknown;
    const open = new Promise<void>((resolve) => { opened = resolve; });
    this.#running = followEvents({
      source: this.client,
      guid: this.guid,
      consumer: this.consumer,
      transport: this.#options.transport ?? 'auto',
      ...(afterSn !== undefined ? { afterSn } : {}),
      signal: abort.signal,
      onEvent: (event) => this.#enqueue(event),
      onStatus: (status) => {
        if (status.state === 'open') opened();
        void this.#emit('status', status);
      },
    }).catch((err: unknown) => {
      refused = err;
      void this.#emit('error', new BotError(`the event stream stopped: ${(err as Error).message}`, err));
    }).finally(() => opened());
    await open;
    if (refused !== undefined) {
      // Refused before it ever opened (bad credentials, unknown guid): the caller of start() must hear it.
      this.#running = undefined;
      throw refused;
    }
  }

  /** Stops receiving: the handler in progress finishes and its event is saved and acknowledged first. */
  async stop(): Promise<void> {
    this.#abort?.abort();
    await this.#running;
    await this.#queue.catch(() => undefined);
    this.#running = undefined;
  }

  /** Handles one event (the stream's or a webhook's): named handlers with retries, then the cursor; resolves when it may be acked. */
  handle(event: StreamedEvent): Promise<void> {
    return this.#enqueue(event);
  }

  #enqueue(event: StreamedEvent): Promise<void> {
    const run = this.#queue.catch(() => undefined).then(() => this.#handleWithRetries(event));
    this.#queue = run;
    return run;
  }

  async #handleWithRetries(event: StreamedEvent): Promise<void> {
    const attempts = Math.max(1, this.#options.attempts ?? 3);
    const delay = this.#options.retryDelayMs ?? ((n: number) => 500 * 2 ** (n - 1));
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#dispatch(event);
        break;
      } catch (err) {
        if (attempt >= attempts) {
          // Given up and acknowledged: one poisonous event must not stop every later one.
          await this.#emit('error', new BotError(`handler failed ${attempts} times on event ${event.eventId} (sn ${event.sn}): ${(err as Error)?.message ?? String(err)}`, err, event));
          break;
        }
        await sleep(delay(attempt));
      }
    }
    await this.#store.save(this.#cursorKey, event.sn);
  }

  async #dispatch(event: StreamedEvent): Promise<void> {
    for (const h of this.#handlers.event) await h(event.event, { eventId: event.eventId, sn: event.sn });
    for (const d of dispatchOf(event.event)) await this.#dispatchOne(d);
  }

  async #dispatchOne(d: BotDispatch): Promise<void> {
    const context = { client: this.client, guid: this.guid, selfWxid: () => this.#selfWxid };
    switch (d.name) {
      case 'message':
        for (const h of this.#handlers.message) await h(new Message(d.message, context));
        return;
      case 'friend-request':
        for (const h of this.#handlers['friend-request']) await h(new FriendRequest(new Message(d.message, context)));
        return;
      case 'room-join':
      case 'room-leave':
        for (const h of this.#handlers[d.name]) await h(d.change);
        return;
      case 'login':
      case 'logout':
        if (d.name === 'login') this.#selfWxid = d.change.wxid;
        for (const h of this.#handlers[d.name]) await h(d.change);
    }
  }

  async #emit<K extends 'error' | 'status'>(name: K, value: Parameters<BotHandlers[K]>[0]): Promise<void> {
    const handlers = this.#handlers[name] as Array<(v: typeof value) => unknown>;
    if (name === 'error' && handlers.length === 0) {
      console.error(`[wxgate bot ${this.guid}] ${(value as BotError).message}`);
      return;
    }
    for (const h of handlers) {
      try {
        await h(value);
      } catch {
        // an error or status handler that throws has nobody left to tell
      }
    }
  }

  /** A receiver for webhook deliveries (set the instance's notify_url to it), dispatching like the stream. */
  webhookHandler(options?: WebhookHandlerOptions): (req: NodeRequest, res: NodeResponse) => Promise<void> {
    return webhookHandler({
      guid: this.guid,
      handle: (event) => this.#handleOnce(event),
      signingSecrets: async () => (await this.client.call('/events/get_signing_secrets', {})).secrets.map((s) => s.secret),
    }, options);
  }

  /** A webhook retry of an event already handled (its sn at or before the cursor) is answered without handling it again. */
  async #handleOnce(event: StreamedEvent): Promise<void> {
    const handled = await this.#store.load(this.#cursorKey);
    if (event.sn > 0 && handled !== undefined && event.sn <= handled) return;
    return this.#enqueue(event);
  }

  /** The account on the instance, so `self()` works before any login event arrives. */
  async #learnSelf(): Promise<void> {
    try {
      const status = await this.client.call('/client/get_client_status', { guid: this.guid });
      this.#selfWxid = status.login_wxid ?? '';
    } catch {
      // not logged in or unreachable: the login event (1003) will tell
    }
  }
}
