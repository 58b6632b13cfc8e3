// `wxgate events tail <guid>`: follows GET /events/stream (SSE, the SDK's stream client), one line per event, resuming by sn after a drop.
import type { Command } from 'commander';
import { NOTIFY_TYPES } from '@wxgate/contract';
import { followEvents, WxgateError } from '@wxgate/sdk';
import { action } from '../context.ts';
import { m } from '../i18n/index.ts';
import { emit, usage } from '../output.ts';

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
      // SSE, not the WebSocket: a tail only watches, it must not move a consumer's acknowledged cursor.
      await followEvents({
        source: client,
        guid,
        transport: 'sse',
        ...(lastSn !== undefined ? { afterSn: lastSn } : {}),
        signal: stop.signal,
        failIfUnreachable: true,
        // The server's retry advice (3 s by default), longer after each failure in a row, at most 30 s.
        backoff: (attempt, serverRetryMs) => Math.min(30_000, (serverRetryMs ?? 3000) * attempt),
        onEvent({ eventId, sn, event }) {
          lastSn = sn;
          emit(ctx.json, { sn, event_id: eventId, ...event }, () => formatEvent(String(sn), event));
        },
        onStatus(status) {
          if (status.state === 'open' && !ctx.json) {
            const line = status.reconnect
              ? (status.afterSn !== undefined ? m.events.reconnectedAfter(guid, status.afterSn) : m.events.reconnected(guid))
              : (status.afterSn !== undefined ? m.events.followingAfter(guid, status.afterSn) : m.events.following(guid));
            process.stderr.write(`${line}\n`);
          } else if (status.state === 'retrying') {
            const seconds = Math.round(status.delayMs / 1000);
            if (!status.wasOpen) process.stderr.write(`${m.errors.prefix(m.events.retrying(status.reason ?? '', seconds))}\n`);
            else if (status.reason && !status.reason.startsWith('connection closed')) process.stderr.write(`${m.errors.prefix(m.events.streamBroke(status.reason))}\n`);
            if (status.wasOpen) {
              process.stderr.write(`${m.errors.prefix(status.afterSn !== undefined ? m.events.streamClosedFrom(status.afterSn, seconds) : m.events.streamClosed(seconds))}\n`);
            }
          }
        },
      }).catch((err: unknown) => {
        // The SDK says "no answer from <origin>: <reason>"; the CLI says it in the user's language (exit 3).
        if (err instanceof WxgateError && err.status === 0) {
          throw new WxgateError(-1, m.events.noAnswer(new URL(client.baseUrl).origin, err.message.replace(/^no answer from \S+: /, '')), 0);
        }
        throw err;
      });
      return 0;
    }));
}
