// The app's instances with their state; create one here.
import type { WxgateClient } from '@wxgate/sdk';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/use-i18n.tsx';
import { getStatus, statusWord, type StatusWord } from '../instances.ts';
import { useAction } from '../use-action.ts';
import { useReachable } from '../use-reachable.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { Who } from './Who.tsx';

interface Row {
  guid: string;
  word: StatusWord | 'unknown';
  wxid: string;
}

/** Status polls count against each instance's quota (100 calls/min): every 15 s is a small share of it. */
const POLL_MS = 15_000;

export function InstanceList({ client, selected, onSelect, version }: { client: WxgateClient; selected: string | null; onSelect: (guid: string) => void; version: number }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<Row[] | null>(null);
  const action = useAction();
  const reachable = useReachable();

  const load = async () => {
    const guids = await client.call('/client/all_clients', {});
    const next = await Promise.all(guids.map(async (guid): Promise<Row> => {
      try {
        const s = await getStatus(client, guid);
        return { guid, word: statusWord(s), wxid: s.login_wxid ?? '' };
      } catch {
        return { guid, word: 'unknown', wxid: '' };
      }
    }));
    setRows(next);
  };

  useEffect(() => {
    void action.run(load);
    const timer = setInterval(() => void load().catch(() => undefined), POLL_MS);
    return () => clearInterval(timer);
  }, [client, version]);

  const create = () => action.run(async () => {
    const { guid } = await client.call('/client/create_client', { auto_start: true });
    await load();
    onSelect(guid);
  });

  return (
    <section>
      <div class="row spread">
        <h2>{t.instances.title}</h2>
        <button onClick={create} disabled={action.busy || !reachable}>{t.instances.create}</button>
      </div>
      {action.error && <p class="error">{action.error}</p>}
      {rows === null ? <p class="muted">{t.instances.loading}</p> : rows.length === 0 ? <p class="muted">{t.instances.empty}</p> : (
        <ul class="instances">
          {rows.map((r) => (
            <li key={r.guid} class={r.guid === selected ? 'selected' : ''} data-guid={r.guid}>
              <button class="link instance" onClick={() => onSelect(r.guid)} title={r.guid}>
                <code>{r.guid.slice(0, 8)}</code> <StatusBadge word={r.word} />
                {r.wxid && <span class="muted small"><Who wxid={r.wxid} copy={false} /></span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
