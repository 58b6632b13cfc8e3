// An instance's events for the UI: the recent history from /events/list, then live ones from /events/stream.
import { followEvents, type EventsListResponse, type WxgateClient } from '@wxgate/sdk';
import { useEffect, useState } from 'preact/hooks';
import type { Reachability } from './reachability.ts';

type ListedEvent = EventsListResponse['events'][number];

/** An event of /events/list or of the stream; created_at and webhook only for listed ones (the stream carries only the callback itself). */
export type LiveEvent = Readonly<Pick<ListedEvent, 'event_id' | 'sn' | 'notify_type' | 'data'> & Partial<Pick<ListedEvent, 'created_at' | 'webhook'>>>;

export type StreamState = 'connecting' | 'open' | 'closed';

/** How many events the panel keeps: enough to follow a login and a conversation, small enough to render cheaply. */
const KEEP = 300;
const HISTORY = 50;

export function useInstanceEvents(client: WxgateClient, guid: string, reachability?: Reachability): { events: LiveEvent[]; state: StreamState; detail: string } {
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [state, setState] = useState<StreamState>('connecting');
  const [detail, setDetail] = useState('');

  useEffect(() => {
    const abort = new AbortController();
    const add = (incoming: LiveEvent[]) =>
      setEvents((old) => {
        const bySn = new Map(old.map((e) => [e.sn, e]));
        for (const e of incoming) bySn.set(e.sn, { ...bySn.get(e.sn), ...e });
        return [...bySn.values()].sort((a, b) => a.sn - b.sn).slice(-KEEP);
      });
    setEvents([]);
    (async () => {
      let from = 0;
      try {
        const head = await client.call('/events/list', { guid, after_sn: 0, limit: 1 });
        from = head.last_sn;
        const recent = await client.call('/events/list', { guid, after_sn: Math.max(0, from - HISTORY), limit: HISTORY });
        add(recent.events);
      } catch (err) {
        setDetail(err instanceof Error ? err.message : String(err));
      }
      if (abort.signal.aborted) return;
      // Resuming from the sn the history ended at: nothing published in between is lost.
      // SSE (the SDK's stream client): the panel only watches, it must not move a bot's acknowledged cursor.
      try {
        await followEvents({
          source: client,
          guid,
          transport: 'sse',
          afterSn: from,
          signal: abort.signal,
          ...(reachability ? { fetch: reachability.fetch } : {}),
          backoff: (_attempt, serverRetryMs) => serverRetryMs ?? 3000,
          onEvent({ eventId, sn, event }) {
            add([{ event_id: eventId, sn, notify_type: event.notify_type, data: event.data, created_at: Math.floor(Date.now() / 1000) }]);
          },
          onStatus(status) {
            // A stream that broke off may mean the server is gone: the badges should say so without waiting for a poll.
            const why = status.state === 'retrying' ? status.reason : undefined;
            if (status.state === 'retrying' && why) reachability?.suspect();
            setState(status.state === 'retrying' ? 'connecting' : status.state);
            setDetail(why ?? '');
          },
        });
      } catch (err) {
        // Bad credentials or an unknown instance will not fix themselves by retrying.
        setState('closed');
        setDetail(err instanceof Error ? `HTTP ${(err as { status?: number }).status ?? ''} ${err.message}`.trim() : String(err));
      }
    })();
    return () => abort.abort();
  }, [client, guid]);

  return { events, state, detail };
}
