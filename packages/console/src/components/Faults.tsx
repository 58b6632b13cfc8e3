// Fault injection: make the instance's session fail the ways WeChat sessions do.
import type { RequestOf, WxgateClient } from '@wxgate/sdk';
import { useState } from 'preact/hooks';
import { useAction } from '../use-action.ts';

type Fault = RequestOf<'/sandbox/faults/inject'>['fault'];

const FAULTS: ReadonlyArray<readonly [Fault, string]> = [
  ['logout', 'Logged out from the phone (1004)'],
  ['heartbeat_error', 'Long link dropped (1006)'],
  ['session_timeout', 'Session timed out (1007, 1004)'],
  ['sync_failed', 'Message sync broke (2006); restore to recover'],
  ['login_failed', 'The login in progress fails (1008)'],
];

export function Faults({ client, guid }: { client: WxgateClient; guid: string }) {
  const action = useAction();
  const [note, setNote] = useState('');
  const inject = (fault: Fault) => action.run(async () => {
    const { notify_types } = await client.call('/sandbox/faults/inject', { guid, fault });
    setNote(`${fault}: ${notify_types.join(', ') || 'no callbacks'}`);
  });
  return (
    <div class="faults">
      <h3>Faults</h3>
      <div class="row wrap">
        {FAULTS.map(([fault, title]) => <button key={fault} class="small" title={title} onClick={() => inject(fault)} disabled={action.busy}>{fault}</button>)}
      </div>
      {note && <p class="muted small">{note}</p>}
      {action.error && <p class="error small">{action.error}</p>}
    </div>
  );
}
