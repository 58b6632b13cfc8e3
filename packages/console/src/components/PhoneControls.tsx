// The sandbox's phone on a login: scan as a chosen (or new) person, then confirm, confirm with verification, or cancel.
import type { RequestOf, WxgateClient } from '@wxgate/sdk';
import { useContext, useState } from 'preact/hooks';
import { useI18n } from '../i18n/use-i18n.tsx';
import { useAction } from '../use-action.ts';
import { PeopleContext, type Person } from '../use-people.ts';

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
  const { t } = useI18n();
  const names = useContext(PeopleContext);
  const action = useAction();
  const [wxid, setWxid] = useState('');
  const [pin, setPin] = useState('');
  const phone = (body: Omit<RequestOf<'/sandbox/login/scan'>, 'guid'>) => action.run(async () => {
    const answer = await client.call('/sandbox/login/scan', { guid, ...body });
    setPin(answer.pin ?? '');
    if (answer.pin) onPin(answer.pin);
  });
  // Someone logged in elsewhere would be moved here (one iPad per account): allowed, but listed after the free ones.
  const choices = [...people].filter((p) => !p.wxid.endsWith('@openim')).sort((a, b) => Number(!!a.logged_in_guid) - Number(!!b.logged_in_guid));

  if (state !== 0 && state !== 1) return null;
  return (
    <div class="phone">
      <h3>{t.phone.title}</h3>
      {state === 0 && (
        <div class="row wrap">
          {/* Names only: a wxid beside each would make the widest option, and so the select, too wide for a phone. */}
          <select value={wxid} onChange={(e) => setWxid(e.currentTarget.value)} aria-label={t.phone.scanAsLabel} title={wxid || undefined}>
            <option value="">{t.phone.newPerson}</option>
            {choices.map((p) => (
              <option key={p.wxid} value={p.wxid} title={p.wxid}>
                {p.logged_in_guid ? t.phone.loggedInElsewhere({ name: names.label(p.wxid) }) : names.label(p.wxid)}
              </option>
            ))}
          </select>
          <button onClick={() => phone({ action: 'scan', ...(wxid ? { wxid } : {}) })} disabled={action.busy}>{t.phone.scanAs}</button>
        </div>
      )}
      {state === 1 && (
        <div class="row wrap">
          <button onClick={() => phone({ action: 'confirm' })} disabled={action.busy}>{t.phone.confirm}</button>
          <button onClick={() => phone({ action: 'verify' })} disabled={action.busy}>{t.phone.confirmWithVerification}</button>
          <button class="secondary" onClick={() => phone({ action: 'cancel' })} disabled={action.busy}>{t.phone.cancel}</button>
        </div>
      )}
      {pin && <p class="muted">{t.phone.showsPin({ pin })}</p>}
      {action.error && <p class="error" role="alert">{action.error}</p>}
    </div>
  );
}
