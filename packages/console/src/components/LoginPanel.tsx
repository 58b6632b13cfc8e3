// QR login: the code (from get_login_qrcode, or drawn from its qrcode_content when someone else issued it or the page
// was reloaded), its progress as 1002 callbacks report it, the device-verification pin, and the sandbox phone's buttons.
import type { WxgateClient } from '@wxgate/sdk';
import QRCode from 'qrcode';
import { useContext, useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/use-i18n.tsx';
import { useAction } from '../use-action.ts';
import { useReachable } from '../use-reachable.ts';
import type { LiveEvent } from '../use-events.ts';
import { PeopleContext, type Person } from '../use-people.ts';
import { PhoneControls } from './PhoneControls.tsx';

/** A login attempt as check_login_qrcode answers and 1002 callbacks carry it. */
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
  /** "" for a login pushed to the phone: there is no code to show. */
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

const drawn = (content: string) => QRCode.toDataURL(content, { margin: 2, width: 240 });

export function LoginPanel({ client, guid, running, events, people, onChanged }: Props) {
  const { t } = useI18n();
  const names = useContext(PeopleContext);
  const action = useAction();
  const reachable = useReachable();
  const [shown, setShown] = useState<Shown | null>(null);
  /** What check_login_qrcode said when the panel opened: the state until a newer 1002 arrives. */
  const [checked, setChecked] = useState<QrState | null>(null);
  const [pin, setPin] = useState('');
  const [now, setNow] = useState(() => Date.now() / 1000);
  const last = [...events].reverse().find((e) => e.notify_type === 1002)?.data as QrState | undefined;

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now() / 1000), 1000);
    return () => clearInterval(timer);
  }, []);

  // A login already under way (the page was reloaded, or another tab or a bot started it): show where it stands — a
  // code waiting for its scan, or scanned and waiting for the phone — rather than offering a fresh code.
  useEffect(() => {
    if (!running) return;
    let live = true;
    void (async () => {
      try {
        const state = (await client.call('/login/check_login_qrcode', { guid })) as QrState;
        if (!live || (state.status !== 0 && state.status !== 1) || !state.uuid) return;
        if (state.expired_time !== undefined && state.expired_time <= Date.now() / 1000) return;
        const content = state.qrcode_content ?? '';
        const image = content ? await drawn(content) : '';
        if (!live) return;
        setChecked(state);
        setShown((old) => old ?? { uuid: state.uuid, content, image, expires: state.expired_time ?? 0 });
      } catch {
        // No login in progress is the usual answer; anything else shows up with the next click.
      }
    })();
    return () => { live = false; };
  }, [guid, running]);

  // A fresh code announced by a 1002 (issued by a bot, or by us before the answer arrived): draw it from its content.
  useEffect(() => {
    if (!last || last.status !== 0 || !last.qrcode_content || last.uuid === shown?.uuid) return;
    if (last.expired_time !== undefined && last.expired_time <= Date.now() / 1000) return;
    const { uuid, qrcode_content: content, expired_time: expires = 0 } = last;
    void drawn(content).then((image) => setShown({ uuid, content, image, expires }));
  }, [last?.uuid, last?.status]);

  const getQr = () => action.run(async () => {
    if (!running) await client.call('/client/restore_client', { guid });
    const qr = await client.call('/login/get_login_qrcode', { guid });
    setShown({ uuid: qr.uuid ?? '', content: qr.qrcode_content, image: `data:image/png;base64,${qr.qrcode}`, expires: qr.expired_time ?? 0 });
    setPin('');
    if (!running) await onChanged();
  });

  // The state of the code on screen: its latest 1002, else what check_login_qrcode said, else "waiting".
  const state: QrState | null = !shown ? null
    : last && last.uuid === shown.uuid ? last
      : checked && checked.uuid === shown.uuid ? checked
        : { status: 0, uuid: shown.uuid };

  const verify = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      await client.call('/login/verify_login_url', { guid, ticket: ticketOf(state?.auth_url ?? ''), pin: pin.trim() });
    });
  };

  const expired = shown !== null && shown.expires > 0 && shown.expires <= now && state?.status !== 2;
  const statuses = t.login.qrStatus as Readonly<Record<number, string>>;
  const word = expired ? t.login.expired : state ? statuses[state.status] ?? t.login.qrStatusOther({ status: state.status }) : '';
  const waiting = state !== null && !expired && (state.status === 0 || state.status === 1);

  return (
    <section class="card login">
      <div class="row spread wrap">
        <h2>{t.login.title}</h2>
        <button onClick={getQr} disabled={action.busy || !reachable} class={waiting ? 'secondary' : ''}>{shown ? t.login.newQr : t.login.getQr}</button>
      </div>
      {!running && !shown && <p class="muted">{t.login.stoppedHint}</p>}
      {shown && state && (
        <div class="qr-area">
          {shown.image && (
            <div class={`qr ${state.status === 0 && !expired ? '' : 'qr-dim'}`}>
              <img src={shown.image} alt={t.login.qrAlt} data-testid="qr-image" data-content={shown.content} width={240} height={240} />
            </div>
          )}
          <div class="qr-side">
            <p class="qr-status" data-testid="qr-status" data-status={expired ? 'expired' : state.status}><strong>{word}</strong></p>
            {state.status === 0 && !expired && !shown.content && <p>{t.login.pushed}</p>}
            {state.status === 0 && !expired && shown.expires > 0 && <p class="muted">{t.login.expiresIn({ seconds: Math.max(0, Math.round(shown.expires - now)) })}</p>}
            {state.status === 1 && !expired && <p data-testid="qr-scanned">{state.nick_name ? t.login.scannedBy({ name: state.nick_name }) : t.login.scannedWaiting}</p>}
            {state.status === 2 && <p>{state.wxid ? t.login.loggedInAs({ name: names.label(state.wxid) }) : t.login.loggedIn}</p>}
            {state.status === 1 && state.auth_url && (
              <form class="row wrap" onSubmit={verify}>
                <label>{t.login.verifyCode} <input value={pin} onInput={(e) => setPin(e.currentTarget.value)} inputMode="numeric" aria-label={t.login.verifyLabel} /></label>
                <button type="submit" disabled={action.busy || pin.trim() === ''}>{t.login.verify}</button>
              </form>
            )}
            {people && !expired && <PhoneControls client={client} guid={guid} state={state.status} people={people} onPin={setPin} />}
          </div>
        </div>
      )}
      {action.error && <p class="error" role="alert">{action.error}</p>}
    </section>
  );
}
