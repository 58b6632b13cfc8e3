// An instance's events for the UI: the recent history from /events/list, then live ones from /events/stream.
import type { EventsListResponse, WxgateClient } from '@wxgate/sdk';
import { useEffect, useState } from 'preact/hooks';
import type { Reachability } from './reachability.ts';
import { followStream } from './sse.ts';

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
      await followStream({
        url: `${client.baseUrl}/events/stream?guid=${encodeURIComponent(guid)}`,
        headers: client.authHeaders(),
        lastEventId: String(from),
        signal: abort.signal,
        ...(reachability ? { fetch: reachability.fetch } : {}),
        onMessage(message) {
          if (message.event !== 'callback') return;
          const body = JSON.parse(message.data) as Omit<LiveEvent, 'sn'>;
          add([{ ...body, sn: Number(message.id), created_at: Math.floor(Date.now() / 1000) }]);
        },
        onState(next, why) {
          // A stream that broke off may mean the server is gone: the badges should say so without waiting for a poll.
          if (next === 'connecting' && why) reachability?.suspect();
          setState(next);
          setDetail(why ?? '');
        },
      });
    })();
    return () => abort.abort();
  }, [client, guid]);

  return { events, state, detail };
}
