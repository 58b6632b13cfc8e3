// The sandbox's phone on a login: scan as a chosen (or new) person, then confirm, confirm with verification, or cancel.
import type { RequestOf, WxgateClient } from '@wxgate/sdk';
import { useState } from 'preact/hooks';
import { useAction } from '../use-action.ts';
import type { Person } from '../use-people.ts';

interface Props {
  client: WxgateClient;
  guid: string;
  /** The QR status on screen: 0 offers scanning, 1 the phone's confirmation choices. */
  state: number;
  people: Person[];
  /** The pin the phone shows after "confirm with verification", filled into the pin field for convenience. */
  onPin: (pin: string) => void;
}

export function PhoneControls({ client, guid, state, people, onPin }: Props) {
  const action = useAction();
  const [wxid, setWxid] = useState('');
  const [note, setNote] = useState('');
  const phone = (body: Omit<RequestOf<'/sandbox/login/scan'>, 'guid'>) => action.run(async () => {
    const answer = await client.call('/sandbox/login/scan', { guid, ...body });
    if (answer.pin) {
      setNote(`The phone shows the verification code ${answer.pin}.`);
      onPin(answer.pin);
    } else setNote('');
  });
  // Someone logged in elsewhere would be moved here (one iPad per account): allowed, but listed after the free ones.
  const choices = [...people].filter((p) => !p.wxid.endsWith('@openim')).sort((a, b) => Number(!!a.logged_in_guid) - Number(!!b.logged_in_guid));

  if (state !== 0 && state !== 1) return null;
  return (
    <div class="phone">
      <h3>Sandbox phone</h3>
      {state === 0 && (
        <div class="row">
          <select value={wxid} onChange={(e) => setWxid(e.currentTarget.value)} aria-label="scan as">
            <option value="">a new person</option>
            {choices.map((p) => <option key={p.wxid} value={p.wxid}>{p.nickname} ({p.wxid}){p.logged_in_guid ? ' — logged in elsewhere' : ''}</option>)}
          </select>
          <button onClick={() => phone({ action: 'scan', ...(wxid ? { wxid } : {}) })} disabled={action.busy}>Scan as…</button>
        </div>
      )}
      {state === 1 && (
        <div class="row">
          <button onClick={() => phone({ action: 'confirm' })} disabled={action.busy}>Confirm</button>
          <button onClick={() => phone({ action: 'verify' })} disabled={action.busy}>Confirm with verification</button>
          <button onClick={() => phone({ action: 'cancel' })} disabled={action.busy}>Cancel</button>
        </div>
      )}
      {note && <p class="muted">{note}</p>}
      {action.error && <p class="error">{action.error}</p>}
    </div>
  );
}
