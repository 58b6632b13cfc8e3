// `wxgate events tail <guid>`: follows GET /events/stream (SSE), one line per event, resuming by sn after a drop.
import type { Command } from 'commander';
import { NOTIFY_TYPES } from '@wxgate/contract';
import { WxgateError } from '@wxgate/sdk';
import { action } from '../context.ts';
import { m } from '../i18n/index.ts';
import { emit, usage } from '../output.ts';

interface SseMessage {
  id?: string;
  event?: string;
  data: string;
  retry?: number;
}

/** The SSE wire format (WHATWG), enough for wxgate's stream: id, event, data, retry, comments. */
export async function* parseSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  let current: SseMessage = { data: '' };
  let hasData = false;
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    const lines = buffer.split(/\r\n|\n|\r/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (hasData || current.retry !== undefined) yield current;
        current = { data: '' };
        hasData = false;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') {
        current.data = hasData ? `${current.data}\n${value}` : value;
        hasData = true;
      } else if (field === 'id') current.id = value;
      else if (field === 'event') current.event = value;
      else if (field === 'retry' && /^\d+$/.test(value)) current.retry = Number(value);
    }
  }
}

const NOTIFY_NAMES = new Map<number, string>(Object.entries(NOTIFY_TYPES).map(([name, type]) => [type, name]));

const clip = (text: string, max = 240) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** One terminal line: `#sn Name(type) summary`; messages read as `from → to: content`, anything else as compact JSON. */
export function formatEvent(sn: string, event: { notify_type: number; data: unknown }): string {
  const name = `${NOTIFY_NAMES.get(event.notify_type) ?? 'Unknown'}(${event.notify_type})`;
  const d = event.data as Record<string, unknown> | null;
  let summary: string;
  if (d && typeof d === 'object' && !Array.isArray(d) && typeof d.from_username === 'string' && typeof d.content === 'string') {
    const sender = d.chatroom_sender ? `${String(d.chatroom_sender)}@${String(d.from_username)}` : d.from_username;
    summary = `${sender} → ${String(d.to_username ?? '')} [${String(d.msg_type ?? '?')}]: ${clip(d.content.replace(/\s+/g, ' '))}`;
  } else {
    summary = clip(JSON.stringify(event.data) ?? '');
  }
  return `#${sn} ${name} ${summary}`;
}

/** The error body of a refused stream request, as the SDK would have raised it. */
async function refusal(res: Response): Promise<WxgateError> {
  const text = await res.text();
  try {
    const b = JSON.parse(text) as { code?: number; errcode?: number; message?: string; errmsg?: string; data?: unknown; errors?: []; detail?: [] };
    return new WxgateError(b.errcode ?? b.code ?? -1, b.errmsg ?? b.message ?? `HTTP ${res.status}`, res.status, b.data ?? null, b.errors ?? b.detail ?? [], res.headers.get('x-request-id') ?? undefined);
  } catch {
    return new WxgateError(-1, `HTTP ${res.status}`, res.status);
  }
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const timer = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
});

export function registerEvents(program: Command): void {
  const events = program.command('events').description(m.events.description);
  events
    .command('tail <guid>')
    .description(m.events.tailDescription)
    .option('--from <sn>', m.events.fromOption)
    .action(action(async (ctx, guid: string) => {
      let lastSn: number | undefined;
      if (ctx.opts.from !== undefined) {
        if (!/^\d+$/.test(String(ctx.opts.from))) throw usage(m.events.badFrom(JSON.stringify(ctx.opts.from)));
        lastSn = Number(ctx.opts.from);
      }
      const client = ctx.appClient();
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      let connected = false;
      let delayMs = 3000;
      let failures = 0;
      while (!stop.signal.aborted) {
        const url = new URL('/events/stream', client.baseUrl);
        url.searchParams.set('guid', guid);
        const headers: Record<string, string> = { ...client.authHeaders(), accept: 'text/event-stream' };
        // Last-Event-ID is what the server prefers on a reconnect; last_sn makes the first request resume too.
        if (lastSn !== undefined) {
          url.searchParams.set('last_sn', String(lastSn));
          headers['last-event-id'] = String(lastSn);
        }
        let res: Response;
        try {
          res = await fetch(url, { headers, signal: stop.signal });
        } catch (err) {
          if (stop.signal.aborted) break;
          const reason = (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message;
          // Never connected: the server is not there (exit 3). Once following, a restart is waited out.
          if (!connected) throw new WxgateError(-1, m.events.noAnswer(url.origin, reason), 0);
          failures++;
          const wait = Math.min(30_000, delayMs * failures);
          process.stderr.write(`${m.errors.prefix(m.events.retrying(reason, Math.round(wait / 1000)))}\n`);
          await sleep(wait, stop.signal);
          continue;
        }
        if (!res.ok || !res.body) throw await refusal(res);
        if (!ctx.json) {
          const line = connected
            ? (lastSn !== undefined ? m.events.reconnectedAfter(guid, lastSn) : m.events.reconnected(guid))
            : (lastSn !== undefined ? m.events.followingAfter(guid, lastSn) : m.events.following(guid));
          process.stderr.write(`${line}\n`);
        }
        connected = true;
        failures = 0;
        try {
          for await (const m of parseSse(res.body)) {
            if (m.retry !== undefined) delayMs = m.retry;
            if (!m.data) continue;
            const payload = JSON.parse(m.data) as { event_id: string; guid: string; notify_type: number; data: unknown };
            if (m.id !== undefined && /^\d+$/.test(m.id)) lastSn = Number(m.id);
            emit(ctx.json, { sn: lastSn, ...payload }, () => formatEvent(m.id ?? '?', payload));
          }
        } catch (err) {
          if (stop.signal.aborted) break;
          process.stderr.write(`${m.errors.prefix(m.events.streamBroke((err as Error).message))}\n`);
        }
        if (stop.signal.aborted) break;
        const seconds = Math.round(delayMs / 1000);
        process.stderr.write(`${m.errors.prefix(lastSn !== undefined ? m.events.streamClosedFrom(lastSn, seconds) : m.events.streamClosed(seconds))}\n`);
        await sleep(delayMs, stop.signal);
      }
      return 0;
    }));
}
