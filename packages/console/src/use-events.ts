// An instance's events for the UI: the recent history from /events/list, then live ones from /events/stream.
import type { WxgateClient } from '@wxgate/sdk';
import { useEffect, useState } from 'preact/hooks';
import { followStream } from './sse.ts';

export interface LiveEvent {
  readonly event_id: string;
  readonly sn: number;
  readonly notify_type: number;
  readonly data: unknown;
  /** Present for events read from /events/list (the stream carries only the callback itself). */
  readonly created_at?: number;
  readonly webhook?: { state: string; attempts: number };
}

export type StreamState = 'connecting' | 'open' | 'closed';

/** How many events the panel keeps: enough to follow a login and a conversation, small enough to render cheaply. */
const KEEP = 300;
const HISTORY = 50;

export function useInstanceEvents(client: WxgateClient, guid: string): { events: LiveEvent[]; state: StreamState; detail: string } {
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
        const head = (await client.request('/events/list', { guid, after_sn: 0, limit: 1 })) as { last_sn: number };
        from = head.last_sn;
        const recent = (await client.request('/events/list', { guid, after_sn: Math.max(0, from - HISTORY), limit: HISTORY })) as { events: LiveEvent[] };
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
        onMessage(message) {
          if (message.event !== 'callback') return;
          const body = JSON.parse(message.data) as Omit<LiveEvent, 'sn'>;
          add([{ ...body, sn: Number(message.id), created_at: Math.floor(Date.now() / 1000) }]);
        },
        onState(next, why) {
          setState(next);
          setDetail(why ?? '');
        },
      });
    })();
    return () => abort.abort();
  }, [client, guid]);

  return { events, state, detail };
}
