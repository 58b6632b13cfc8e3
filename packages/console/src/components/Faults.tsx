// Fault injection: make the instance's session fail the ways WeChat sessions do. Styled as danger: they break things.
import type { RequestOf, WxgateClient } from '@wxgate/sdk';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/use-i18n.tsx';
import { useAction } from '../use-action.ts';

type Fault = RequestOf<'/sandbox/faults/inject'>['fault'];

/** What each fault needs before the sandbox accepts it. */
const NEEDS: Readonly<Record<Fault, 'login' | 'login_in_progress'>> = {
  logout: 'login',
  heartbeat_error: 'login',
  session_timeout: 'login',
  sync_failed: 'login',
  login_failed: 'login_in_progress',
};

interface Props {
  client: WxgateClient;
  guid: string;
  online: boolean;
  loginInProgress: boolean;
}

export function Faults({ client, guid, online, loginInProgress }: Props) {
  const { t } = useI18n();
  const action = useAction();
  const [note, setNote] = useState('');
  const inject = (fault: Fault) => action.run(async () => {
    const { notify_types } = await client.call('/sandbox/faults/inject', { guid, fault });
    setNote(notify_types.length ? t.faults.result({ callbacks: notify_types.join(', ') }) : t.faults.noCallbacks);
  });
  return (
    <div class="faults">
      <h3>{t.faults.title}</h3>
      <p class="muted small">{t.faults.hint}</p>
      <div class="row wrap">
        {(Object.keys(NEEDS) as Fault[]).map((fault) => {
          const possible = NEEDS[fault] === 'login' ? online : loginInProgress;
          const why = possible ? '' : NEEDS[fault] === 'login' ? t.faults.needsLogin : t.faults.needsLoginInProgress;
          return (
            <button key={fault} type="button" class="small fault" data-fault={fault} onClick={() => inject(fault)} disabled={action.busy || !possible}
              title={why ? t.faults.unavailable({ what: t.faults.describe[fault], why }) : t.faults.describe[fault]}>
              <span aria-hidden="true">⚠ </span>{t.faults.names[fault]}
            </button>
          );
        })}
      </div>
      {note && <p class="muted small">{note}</p>}
      {action.error && <p class="error small" role="alert">{action.error}</p>}
    </div>
  );
}
