// One callback: its type and name, what it says, its webhook delivery attempts and a replay button.
import type { EventsAttemptsResponse, NewMessage, WxgateClient } from '@wxgate/sdk';
import { useState } from 'preact/hooks';
import { notifyName } from '../notify.ts';
import { useAction } from '../use-action.ts';
import type { LiveEvent } from '../use-events.ts';
import { MessageView } from './MessageView.tsx';

/** One line for the callbacks that are not messages. */
function summary(event: LiveEvent): string {
  const d = (event.data ?? {}) as Record<string, unknown>;
  const parts = ['status', 'wxid', 'nick_name', 'reason', 'contact_count'].filter((k) => d[k] !== undefined && d[k] !== '').map((k) => `${k}: ${String(d[k])}`);
  return parts.join(', ');
}

export function EventItem({ client, guid, event }: { client: WxgateClient; guid: string; event: LiveEvent }) {
  const [attempts, setAttempts] = useState<EventsAttemptsResponse | null>(null);
  const [note, setNote] = useState('');
  const action = useAction();
  const messages = event.notify_type === 1010 ? [event.data as NewMessage] : event.notify_type === 1011 && Array.isArray(event.data) ? (event.data as NewMessage[]) : [];

  const loadAttempts = () => action.run(async () => {
    if (attempts) return setAttempts(null);
    setAttempts(await client.call('/events/attempts', { guid, event_id: event.event_id }));
  });
  const replay = () => action.run(async () => {
    const { requeued } = await client.call('/events/replay', { guid, from_sn: event.sn, to_sn: event.sn });
    setNote(requeued ? 'queued for delivery again' : 'not queued (filtered, or no notify URL)');
    if (attempts) setAttempts(await client.call('/events/attempts', { guid, event_id: event.event_id }));
  });

  return (
    <li class="event" data-sn={event.sn} data-notify-type={event.notify_type}>
      <div class="row spread">
        <span>
          <span class="sn">#{event.sn}</span> <strong>{event.notify_type}</strong> {notifyName(event.notify_type)}
          {event.created_at && <span class="muted small"> {new Date(event.created_at * 1000).toLocaleTimeString()}</span>}
          {event.webhook && <span class="muted small"> · webhook {event.webhook.state}</span>}
        </span>
        <span class="row">
          <button class="small" onClick={loadAttempts} disabled={action.busy}>{attempts ? 'Hide attempts' : 'Attempts'}</button>
          <button class="small" onClick={replay} disabled={action.busy}>Replay</button>
        </span>
      </div>
      {messages.length > 0
        ? messages.map((m) => <MessageView key={m.msg_id} client={client} guid={guid} msg={m} />)
        : summary(event) && <p class="small">{summary(event)}</p>}
      <details><summary class="muted small">data</summary><pre>{JSON.stringify(event.data, null, 2)}</pre></details>
      {note && <p class="muted small">{note}</p>}
      {attempts && (
        <div class="attempts">
          <p class="small">webhook: {attempts.event.webhook.state}, {attempts.event.webhook.attempts} attempt(s)
            {attempts.event.webhook.next_attempt_at ? `, next at ${new Date(attempts.event.webhook.next_attempt_at).toLocaleTimeString()}` : ''}</p>
          {attempts.attempts.length > 0 && (
            <table class="small">
              <thead><tr><th>#</th><th>time</th><th>status</th><th>ms</th><th>error</th></tr></thead>
              <tbody>
                {attempts.attempts.map((a) => (
                  <tr key={a.attempt}><td>{a.attempt}</td><td>{new Date(a.started_at).toLocaleTimeString()}</td><td>{a.status_code ?? '—'}</td><td>{a.duration_ms}</td><td>{a.error ?? ''}</td></tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
      {action.error && <p class="error small">{action.error}</p>}
    </li>
  );
}
