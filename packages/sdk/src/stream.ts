// One client for wxgate's event streams — WebSocket /ws (acknowledged) and SSE /events/stream — resuming by sn; browser-safe.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { WxgateError } from './errors.ts';
import type { CallbackEvent } from './webhook.ts';

export type StreamTransport = 'ws' | 'sse';

/** One event as the stream carries it: the callback body plus its place in the instance's log. */
export interface StreamedEvent {
  readonly eventId: string;
  readonly sn: number;
  readonly event: CallbackEvent;
}

/** What the stream is doing, for logs and status badges. */
export type StreamStatus =
  | { readonly state: 'connecting'; readonly transport: StreamTransport }
  | { readonly state: 'open'; readonly transport: StreamTransport; readonly reconnect: boolean; readonly afterSn: number | undefined }
  | { readonly state: 'retrying'; readonly transport: StreamTransport; readonly wasOpen: boolean; readonly reason: string | undefined; readonly delayMs: number; readonly afterSn: number | undefined }
  | { readonly state: 'closed' };

/** Where the stream is and who asks: a WxgateClient fits. */
export interface StreamSource {
  readonly baseUrl: string;
  authHeaders(): Record<string, string>;
}

export interface FollowEventsOptions {
  readonly source: StreamSource;
  readonly guid: string;
  /** `auto` (default): WebSocket, and SSE when no WebSocket can be opened (none in the runtime, a proxy that refuses upgrades). */
  readonly transport?: 'auto' | StreamTransport;
  /** Resume after this sn. Without it the WebSocket resumes the consumer's server-side cursor, SSE starts with new events. */
  readonly afterSn?: number;
  /** The WebSocket consumer name whose cursor the server keeps (default `default`). */
  readonly consumer?: string;
  readonly signal: AbortSignal;
  readonly fetch?: typeof fetch;
  /**
   * Called once per event, in sn order, one at a time. The WebSocket acknowledges an event only after this resolves;
   * a rejection drops the connection, which resumes after the last event that resolved (so the event comes again).
   */
  onEvent(event: StreamedEvent): void | Promise<void>;
  onStatus?(status: StreamStatus): void;
  /** Milliseconds before reconnect attempt `attempt` (1, 2, …; reset once a connection opens). Default: exponential from 500 ms to 30 s, with jitter. */
  readonly backoff?: (attempt: number, serverRetryMs: number | undefined) => number;
  /** Reject when the very first connection gets no answer at all, instead of retrying (a CLI's "cannot reach the server"). */
  readonly failIfUnreachable?: boolean;
}

/** The default reconnect delay: doubling from 500 ms up to 30 s, each between half and all of that (so many bots do not reconnect in step). */
export function reconnectDelay(attempt: number, serverRetryMs?: number): number {
  const ceiling = Math.min(30_000, Math.max(serverRetryMs ?? 0, 500 * 2 ** Math.min(attempt - 1, 16)));
  return Math.round(ceiling * (0.5 + Math.random() * 0.5));
}

/** Why one connection ended: `unopened` when it never got as far as receiving (the transport may be unavailable). */
interface Ended {
  readonly opened: boolean;
  readonly reason: string | undefined;
  readonly serverRetryMs?: number;
}

interface Cursor {
  afterSn: number | undefined;
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  if (signal.aborted) return resolve();
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

const messageOf = (err: unknown): string => {
  const e = err as Error & { cause?: Error };
  return e?.cause?.message ?? e?.message ?? String(err);
};

/**
 * Follows an instance's events until `signal` aborts (resolves) or the server refuses the credentials or the guid
 * (rejects with WxgateError). Reconnects after drops and server restarts, resuming after the last handled sn.
 */
export async function followEvents(options: FollowEventsOptions): Promise<void> {
  const cursor: Cursor = { afterSn: options.afterSn };
  const backoff = options.backoff ?? reconnectDelay;
  let transport: StreamTransport = options.transport === 'sse' ? 'sse' : 'ws';
  let everOpened = false;
  let attempt = 0;
  while (!options.signal.aborted) {
    options.onStatus?.({ state: 'connecting', transport });
    let ended = transport === 'ws' ? await followWebSocket(options, cursor, everOpened) : await followSse(options, cursor, everOpened);
    if (!ended.opened && transport === 'ws' && options.transport !== 'ws' && !options.signal.aborted) {
      // No WebSocket here (or none gets through): SSE serves the same events, so stay on it from now on.
      const viaSse = await followSse(options, cursor, everOpened);
      if (viaSse.opened) transport = 'sse';
      ended = viaSse.opened ? viaSse : ended;
    }
    if (options.signal.aborted) break;
    if (ended.opened) {
      everOpened = true;
      attempt = 0;
    } else if (!everOpened && options.failIfUnreachable) {
      throw new WxgateError(-1, `no answer from ${new URL(options.source.baseUrl).origin}: ${ended.reason ?? 'connection failed'}`, 0);
    }
    attempt++;
    const delayMs = backoff(attempt, ended.serverRetryMs);
    options.onStatus?.({ state: 'retrying', transport, wasOpen: ended.opened, reason: ended.reason, delayMs, afterSn: cursor.afterSn });
    await sleep(delayMs, options.signal);
  }
  options.onStatus?.({ state: 'closed' });
}

/** A refused stream request as the client would have raised it; 4xx other than 408/429 do not fix themselves. */
async function refusal(res: Response): Promise<WxgateError> {
  const text = await res.text().catch(() => '');
  try {
    const b = JSON.parse(text) as { code?: number; errcode?: number; message?: string; errmsg?: string; data?: unknown; errors?: []; detail?: [] };
    return new WxgateError(b.errcode ?? b.code ?? -1, b.errmsg ?? b.message ?? `HTTP ${res.status}`, res.status, b.data ?? null, b.errors ?? b.detail ?? [], res.headers.get('x-request-id') ?? undefined);
  } catch {
    return new WxgateError(-1, `HTTP ${res.status}`, res.status);
  }
}

function toStreamed(eventId: string, sn: number, body: { guid: string; notify_type: number; data: unknown }): StreamedEvent {
  return { eventId, sn, event: { guid: body.guid, notify_type: body.notify_type, data: body.data } as CallbackEvent };
}

async function followSse(options: FollowEventsOptions, cursor: Cursor, reconnect: boolean): Promise<Ended> {
  const url = new URL('/events/stream', options.source.baseUrl);
  url.searchParams.set('guid', options.guid);
  const headers: Record<string, string> = { ...options.source.authHeaders(), accept: 'text/event-stream' };
  if (cursor.afterSn !== undefined) {
    url.searchParams.set('last_sn', String(cursor.afterSn));
    headers['last-event-id'] = String(cursor.afterSn);
  }
  let response: Response;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, { headers, signal: options.signal, cache: 'no-store' });
  } catch (err) {
    return { opened: false, reason: messageOf(err) };
  }
  if (!response.ok || !response.body) {
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) throw await refusal(response);
    return { opened: false, reason: `HTTP ${response.status}` };
  }
  options.onStatus?.({ state: 'open', transport: 'sse', reconnect, afterSn: cursor.afterSn });
  const pending: EventSourceMessage[] = [];
  let serverRetryMs: number | undefined;
  const parser = createParser({ onEvent: (m) => pending.push(m), onRetry: (ms) => { serverRetryMs = ms; } });
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
      for (const message of pending.splice(0)) {
        if (message.event !== 'callback' || !message.id || !/^\d+$/.test(message.id)) continue;
        const sn = Number(message.id);
        if (cursor.afterSn !== undefined && sn <= cursor.afterSn) continue;
        const body = JSON.parse(message.data) as { event_id: string; guid: string; notify_type: number; data: unknown };
        await options.onEvent(toStreamed(body.event_id, sn, body));
        cursor.afterSn = sn;
        if (options.signal.aborted) return { opened: true, reason: undefined };
      }
    }
    return { opened: true, reason: undefined, serverRetryMs };
  } catch (err) {
    return { opened: true, reason: options.signal.aborted ? undefined : messageOf(err), serverRetryMs };
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/** The browser's, Deno's or Node 22's WebSocket, else the `ws` package (loaded only now, so SSE-only users need not have it). */
type SocketLike = {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: { data?: unknown; code?: number; reason?: string; message?: string }) => void): void;
};
type SocketConstructor = new (url: string) => SocketLike;

/** How often the WebSocket is pinged; two intervals without any frame close it. */
const KEEPALIVE_MS = 30_000;

let socketConstructor: Promise<SocketConstructor | undefined> | undefined;
function loadWebSocket(): Promise<SocketConstructor | undefined> {
  socketConstructor ??= (async () => {
    const global = (globalThis as { WebSocket?: SocketConstructor }).WebSocket;
    if (global) return global;
    // A variable specifier keeps bundlers from pulling a Node package into browser builds.
    const specifier = 'ws';
    try {
      const mod = (await import(/* @vite-ignore */ specifier)) as { default?: SocketConstructor; WebSocket?: SocketConstructor };
      return mod.WebSocket ?? mod.default;
    } catch {
      return undefined;
    }
  })();
  return socketConstructor;
}

function credentials(source: StreamSource): { app_key?: string; app_secret?: string } {
  const h = source.authHeaders();
  return { app_key: h['x-app-key'], app_secret: h['x-app-secret'] };
}

async function followWebSocket(options: FollowEventsOptions, cursor: Cursor, reconnect: boolean): Promise<Ended> {
  const WebSocketImpl = await loadWebSocket();
  if (!WebSocketImpl) return { opened: false, reason: 'no WebSocket in this runtime (install the ws package)' };
  const url = new URL('/ws', options.source.baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return new Promise<Ended>((resolve, reject) => {
    let socket: SocketLike;
    try {
      socket = new WebSocketImpl(url.toString());
    } catch (err) {
      resolve({ opened: false, reason: messageOf(err) });
      return;
    }
    let opened = false;
    let refused: string | undefined;
    let failure: string | undefined;
    // Events are handled one at a time in arrival (sn) order; each link acks its event once the handler resolved.
    let chain: Promise<void> = Promise.resolve();
    const stopping = () => options.signal.aborted || failure !== undefined;
    const onAbort = () => { chain = chain.then(() => socket.close(1000, 'stopped')); };
    // A connection that went silent (a half-open TCP link after a network change) is noticed by its missing pong.
    let heardAt = Date.now();
    const keepalive = setInterval(() => {
      if (Date.now() - heardAt > 2 * KEEPALIVE_MS) {
        failure ??= 'no answer to pings';
        socket.close(4000, 'silent');
      } else if (socket.readyState === 1) {
        socket.send('{"type":"ping"}');
      }
    }, KEEPALIVE_MS);
    (keepalive as { unref?: () => void }).unref?.();
    options.signal.addEventListener('abort', onAbort, { once: true });
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({
        type: 'auth', ...credentials(options.source), guid: options.guid,
        ...(options.consumer ? { consumer: options.consumer } : {}),
        ...(cursor.afterSn !== undefined ? { last_sn: cursor.afterSn } : {}),
      }));
    });
    socket.addEventListener('message', (e) => {
      heardAt = Date.now();
      let msg: { type?: string; message?: string; resume_from?: number; event_id?: string; sn?: number; event?: { guid: string; notify_type: number; data: unknown } };
      try {
        msg = JSON.parse(String(e.data)) as typeof msg;
      } catch {
        return;
      }
      if (msg.type === 'auth_success') {
        opened = true;
        cursor.afterSn ??= msg.resume_from;
        options.onStatus?.({ state: 'open', transport: 'ws', reconnect, afterSn: cursor.afterSn });
      } else if (msg.type === 'error') {
        if (!opened) refused = msg.message ?? 'refused';
      } else if (msg.type === 'callback' && typeof msg.event_id === 'string' && typeof msg.sn === 'number' && msg.event) {
        const { event_id: eventId, sn, event } = msg;
        chain = chain.then(async () => {
          if (stopping()) return;
          if (cursor.afterSn === undefined || sn > cursor.afterSn) {
            await options.onEvent(toStreamed(eventId, sn, event));
            cursor.afterSn = sn;
          }
          if (socket.readyState === 1) socket.send(JSON.stringify({ type: 'ack', event_id: eventId, success: true }));
        }).catch((err: unknown) => {
          // Not acknowledged: the event comes again on the next connection, which resumes after the last handled sn.
          failure ??= `handler failed: ${messageOf(err)}`;
          socket.close(1000, 'handler failed');
        });
      }
    });
    socket.addEventListener('error', (e) => { failure ??= e.message ?? 'WebSocket error'; });
    socket.addEventListener('close', (e) => {
      clearInterval(keepalive);
      void chain.then(() => {
        options.signal.removeEventListener('abort', onAbort);
        if (refused !== undefined) {
          reject(new WxgateError(-1, refused, e.code === 1008 ? 401 : 0));
          return;
        }
        const reason = options.signal.aborted ? undefined : failure ?? `connection closed (${e.code ?? '?'}${e.reason ? ` ${e.reason}` : ''})`;
        resolve({ opened, reason });
      });
    });
  });
}
