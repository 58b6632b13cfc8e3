// The instance's callbacks as they happen, newest first.
import type { WxgateClient } from '@wxgate/sdk';
import { useI18n } from '../i18n/use-i18n.tsx';
import type { LiveEvent, StreamState } from '../use-events.ts';
import { EventItem } from './EventItem.tsx';

interface Props {
  client: WxgateClient;
  guid: string;
  events: LiveEvent[];
  state: StreamState;
  detail: string;
  /** Replay delivers to the notify URL: without one there is nothing to replay to. */
  canReplay: boolean;
}

export function EventsPanel({ client, guid, events, state, detail, canReplay }: Props) {
  const { t } = useI18n();
  return (
    <section class="card events">
      <div class="row spread">
        <h2>{t.events.title}</h2>
        <span class={`stream stream-${state}`} data-testid="stream-state" data-state={state} title={detail || undefined}>{t.events.stream[state]}</span>
      </div>
      {events.length === 0 ? <p class="muted">{t.events.empty}</p> : (
        <ol class="event-list" data-testid="events">
          {[...events].reverse().map((e) => <EventItem key={e.sn} client={client} guid={guid} event={e} canReplay={canReplay} />)}
        </ol>
      )}
    </section>
  );
}
