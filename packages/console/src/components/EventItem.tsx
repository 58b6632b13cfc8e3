// One callback: its type and name, what it says, its webhook delivery attempts and a replay button.
import type { EventsAttemptsResponse, NewMessage, WxgateClient } from '@wxgate/sdk';
import { useState } from 'preact/hooks';
import type { Messages } from '../i18n/en.ts';
import { useI18n } from '../i18n/use-i18n.tsx';
import { notifyDescription, notifyName } from '../notify.ts';
import { useAction } from '../use-action.ts';
import type { LiveEvent } from '../use-events.ts';
import { AttemptsTable } from './AttemptsTable.tsx';
import { MessageView } from './MessageView.tsx';

/** One line for the callbacks that are not messages: their telling fields, by the API's own names. */
function summary(event: LiveEvent): string {
  const d = (event.data ?? {}) as Record<string, unknown>;
  const parts = ['status', 'wxid', 'nick_name', 'reason', 'contact_count'].filter((k) => d[k] !== undefined && d[k] !== '').map((k) => `${k}: ${String(d[k])}`);
  return parts.join(', ');
}

type WebhookState = keyof Messages['events']['webhookStates'];

export function EventItem({ client, guid, event, canReplay }: { client: WxgateClient; guid: string; event: LiveEvent; canReplay: boolean }) {
  const { t, locale } = useI18n();
  const [attempts, setAttempts] = useState<EventsAttemptsResponse | null>(null);
  const [note, setNote] = useState('');
  const action = useAction();
  const messages = event.notify_type === 1010 ? [event.data as NewMessage] : event.notify_type === 1011 && Array.isArray(event.data) ? (event.data as NewMessage[]) : [];
  const stateWord = (state: string) => t.events.webhookStates[state as WebhookState] ?? state;

  const loadAttempts = () => action.run(async () => {
    if (attempts) return setAttempts(null);
    setAttempts(await client.call('/events/attempts', { guid, event_id: event.event_id }));
  });
  const replay = () => action.run(async () => {
    const { requeued } = await client.call('/events/replay', { guid, from_sn: event.sn, to_sn: event.sn });
    setNote(requeued ? t.events.replayQueued : t.events.replayNotQueued);
    if (attempts) setAttempts(await client.call('/events/attempts', { guid, event_id: event.event_id }));
  });
  const name = notifyName(event.notify_type);

  return (
    <li class="event" data-sn={event.sn} data-notify-type={event.notify_type}>
      <div class="row spread wrap">
        <span class="event-head">
          <span class="sn">#{event.sn}</span> <strong>{event.notify_type}</strong> {notifyDescription(event.notify_type, t)}
          {name && <> <code class="muted small">{name}</code></>}
          {event.created_at && <span class="muted small"> {new Date(event.created_at * 1000).toLocaleTimeString(locale)}</span>}
          {event.webhook && <span class="muted small"> · {t.events.webhook({ state: stateWord(event.webhook.state) })}</span>}
        </span>
        <span class="row">
          <button class="small secondary" onClick={loadAttempts} disabled={action.busy}>{attempts ? t.events.hideAttempts : t.events.attempts}</button>
          <button class="small secondary" onClick={replay} disabled={action.busy || !canReplay} title={canReplay ? undefined : t.events.replayNeedsUrl}>{t.events.replay}</button>
        </span>
      </div>
      {messages.length > 0
        ? messages.map((m) => <MessageView key={m.msg_id} client={client} guid={guid} msg={m} />)
        : summary(event) && <p class="small summary">{summary(event)}</p>}
      <details><summary class="muted small">{t.events.data}</summary><pre>{JSON.stringify(event.data, null, 2)}</pre></details>
      {note && <p class="muted small">{note}</p>}
      {attempts && (
        <div class="attempts">
          <p class="small">
            {t.events.attemptsSummary({ state: stateWord(attempts.event.webhook.state), count: attempts.event.webhook.attempts })}
            {attempts.event.webhook.next_attempt_at ? <> {t.events.nextAttempt({ time: new Date(attempts.event.webhook.next_attempt_at).toLocaleTimeString(locale) })}</> : null}
          </p>
          {attempts.attempts.length > 0 && <AttemptsTable attempts={attempts.attempts} />}
        </div>
      )}
      {action.error && <p class="error small" role="alert">{action.error}</p>}
    </li>
  );
}
