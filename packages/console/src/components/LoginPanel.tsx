// QR login: the code (from get_login_qrcode, or drawn from a 1002's qrcode_content when someone else issued it), its
// progress as 1002 callbacks report it, the device-verification pin, and in the sandbox the phone's buttons.
import type { WxgateClient } from '@wxgate/sdk';
import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';
import { QR_STATUS } from '../notify.ts';
import { useAction } from '../use-action.ts';
import type { LiveEvent } from '../use-events.ts';
import type { Person } from '../use-people.ts';
import { PhoneControls } from './PhoneControls.tsx';

interface QrState {
  status: number;
  uuid: string;
  qrcode_content?: string;
  expired_time?: number;
  nick_name?: string;
  auth_url?: string;
  wxid?: string;
}

interface Shown {
  uuid: string;
  content: string;
  image: string;
  expires: number;
}

interface Props {
  client: WxgateClient;
  guid: string;
  running: boolean;
  events: LiveEvent[];
  people: Person[] | null;
  onChanged: () => Promise<void>;
}

const ticketOf = (authUrl: string) => {
  try {
    return new URL(authUrl).searchParams.get('ticket') ?? '';
  } catch {
    return '';
  }
};

export function LoginPanel({ client, guid, running, events, people, onChanged }: Props) {
  const action = useAction();
  const [shown, setShown] = useState<Shown | null>(null);
  const [pin, setPin] = useState('');
  const [now, setNow] = useState(() => Date.now() / 1000);
  const last = [...events].reverse().find((e) => e.notify_type === 1002)?.data as QrState | undefined;

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() / 1000), 1000);
    return () => clearInterval(timer);
  }, []);

  // A fresh code announced by a 1002 (issued by a bot, or by us before the answer arrived): draw it from its content.
  useEffect(() => {
    if (!last || last.status !== 0 || !last.qrcode_content || last.uuid === shown?.uuid) return;
    if (last.expired_time !== undefined && last.expired_time <= Date.now() / 1000) return;
    const { uuid, qrcode_content: content, expired_time: expires = 0 } = last;
    void QRCode.toDataURL(content, { margin: 2, width: 240 }).then((image) => setShown({ uuid, content, image, expires }));
  }, [last?.uuid, last?.status]);

  const getQr = () => action.run(async () => {
    if (!running) await client.call('/client/restore_client', { guid });
    const qr = await client.call('/login/get_login_qrcode', { guid });
    setShown({ uuid: qr.uuid ?? '', content: qr.qrcode_content, image: `data:image/png;base64,${qr.qrcode}`, expires: qr.expired_time ?? 0 });
    setPin('');
    if (!running) await onChanged();
  });

  const verify = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      await client.call('/login/verify_login_url', { guid, ticket: ticketOf(state?.auth_url ?? ''), pin: pin.trim() });
    });
  };

  // The state of the code on screen: its latest 1002, or "waiting" until one arrives.
  const state: QrState | null = shown ? (last && last.uuid === shown.uuid ? last : { status: 0, uuid: shown.uuid }) : null;
  const expired = shown !== null && shown.expires > 0 && shown.expires <= now && state?.status !== 2;
  const word = expired ? 'expired' : state ? QR_STATUS[state.status] ?? `status ${state.status}` : '';

  return (
    <section class="card login">
      <div class="row spread">
        <h2>Login</h2>
        <button onClick={getQr} disabled={action.busy}>{shown ? 'New QR code' : 'Get login QR code'}</button>
      </div>
      {!running && !shown && <p class="muted">The instance is stopped: getting a QR code starts it.</p>}
      {shown && state && (
        <div class="qr-area">
          <div class={`qr ${state.status === 0 && !expired ? '' : 'qr-dim'}`}>
            <img src={shown.image} alt="login QR code" data-testid="qr-image" data-content={shown.content} width={240} height={240} />
          </div>
          <div>
            <p class="qr-status" data-testid="qr-status" data-status={expired ? 'expired' : state.status}><strong>{word}</strong></p>
            {state.status === 0 && !expired && shown.expires > 0 && <p class="muted">expires in {Math.max(0, Math.round(shown.expires - now))} s</p>}
            {state.status === 1 && state.nick_name && <p>Scanned by <strong>{state.nick_name}</strong>; waiting for confirmation on the phone.</p>}
            {state.status === 2 && <p>Logged in{state.wxid ? ` as ${state.wxid}` : ''}.</p>}
            {state.status === 1 && state.auth_url && (
              <form class="row" onSubmit={verify}>
                <label>Device verification code <input value={pin} onInput={(e) => setPin(e.currentTarget.value)} inputMode="numeric" aria-label="verification pin" /></label>
                <button type="submit" disabled={action.busy || pin.trim() === ''}>Verify</button>
              </form>
            )}
            {people && <PhoneControls client={client} guid={guid} state={state.status} people={people} onPin={setPin} />}
          </div>
        </div>
      )}
      {action.error && <p class="error">{action.error}</p>}
    </section>
  );
}
