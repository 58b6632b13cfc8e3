// An event's webhook delivery attempts as a table, scrolling sideways inside its box on a narrow screen.
import type { EventsAttemptsResponse } from '@wxgate/sdk';
import { useI18n } from '../i18n/use-i18n.tsx';

export function AttemptsTable({ attempts }: { attempts: EventsAttemptsResponse['attempts'] }) {
  const { t, locale } = useI18n();
  const c = t.events.column;
  return (
    <div class="table-scroll">
      <table class="small">
        <thead><tr><th>{c.attempt}</th><th>{c.time}</th><th>{c.status}</th><th>{c.ms}</th><th>{c.error}</th></tr></thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.attempt}>
              <td>{a.attempt}</td><td>{new Date(a.started_at).toLocaleTimeString(locale)}</td><td>{a.status_code ?? t.events.none}</td><td>{a.duration_ms}</td><td class="wrap-anywhere">{a.error ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
