// The instance's callbacks as they happen, newest first.
import type { WxgateClient } from '@wxgate/sdk';
import type { LiveEvent, StreamState } from '../use-events.ts';
import { EventItem } from './EventItem.tsx';

interface Props {
  client: WxgateClient;
  guid: string;
  events: LiveEvent[];
  state: StreamState;
  detail: string;
}

export function EventsPanel({ client, guid, events, state, detail }: Props) {
  return (
    <section class="card events">
      <div class="row spread">
        <h2>Live events</h2>
        <span class={`stream stream-${state}`} data-testid="stream-state" title={detail}>{state === 'open' ? 'live' : state}</span>
      </div>
      {events.length === 0 ? <p class="muted">No events yet.</p> : (
        <ol class="event-list" data-testid="events">
          {[...events].reverse().map((e) => <EventItem key={e.sn} client={client} guid={guid} event={e} />)}
        </ol>
      )}
    </section>
  );
}
