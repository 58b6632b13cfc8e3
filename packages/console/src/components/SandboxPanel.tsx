// The simulated world around the instance: its people, a chat as one of them, and faults to inject.
import type { WxgateClient } from '@wxgate/sdk';
import { useContext, useState } from 'preact/hooks';
import { useI18n } from '../i18n/use-i18n.tsx';
import { useAction } from '../use-action.ts';
import type { LiveEvent } from '../use-events.ts';
import { PeopleContext, type People } from '../use-people.ts';
import { ChatView } from './ChatView.tsx';
import { Faults } from './Faults.tsx';
import { CopyWxid } from './Who.tsx';

interface Props {
  client: WxgateClient;
  guid: string;
  /** The logged-in account's wxid, "" while offline. */
  account: string;
  /** A QR login waits for a scan or a confirmation (the login-failure fault needs one). */
  loginInProgress: boolean;
  people: People;
  events: LiveEvent[];
}

export function SandboxPanel({ client, guid, account, loginInProgress, people, events }: Props) {
  const { t } = useI18n();
  const names = useContext(PeopleContext);
  const action = useAction();
  const [nickname, setNickname] = useState('');
  const [asFriend, setAsFriend] = useState(true);
  const [selected, setSelected] = useState('');
  const others = people.list.filter((p) => p.wxid !== account);
  const person = others.find((p) => p.wxid === selected);

  const create = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      const created = await client.call('/sandbox/people/create', {
        ...(nickname.trim() ? { nickname: nickname.trim() } : {}),
        // A friend of the account from the start, so messages reach it without a request first.
        ...(asFriend && account ? { friends: [account] } : {}),
      });
      setNickname('');
      await people.reload();
      setSelected(created.wxid);
    });
  };

  return (
    <section class="card sandbox">
      <h2>{t.sandbox.title}</h2>
      <form class="row wrap" onSubmit={create}>
        <input placeholder={t.sandbox.nicknamePlaceholder} value={nickname} onInput={(e) => setNickname(e.currentTarget.value)} aria-label={t.sandbox.nicknameLabel} />
        <button type="submit" disabled={action.busy}>{t.sandbox.create}</button>
        {account && (
          <label class="small check">
            <input type="checkbox" checked={asFriend} onChange={(e) => setAsFriend(e.currentTarget.checked)} /> {t.sandbox.friendOf({ name: names.label(account) })}
          </label>
        )}
      </form>
      {action.error && <p class="error" role="alert">{action.error}</p>}
      {others.length === 0 ? <p class="muted">{t.sandbox.empty}</p> : (
        <ul class="people" data-testid="people">
          {others.map((p) => (
            <li key={p.wxid} class={p.wxid === selected ? 'selected' : ''}>
              <button class="link person" onClick={() => setSelected(p.wxid)} data-wxid={p.wxid} title={p.wxid}>
                <span class="who-name">{names.label(p.wxid)}</span>
                <span class="muted small"> · {t.sandbox.kind[p.kind]}{p.logged_in_guid ? ` · ${t.sandbox.loggedIn}` : ''}</span>
              </button>
              <CopyWxid wxid={p.wxid} />
            </li>
          ))}
        </ul>
      )}
      {person && account && <ChatView key={person.wxid} client={client} person={person} account={account} events={events} />}
      {person && !account && <p class="muted">{t.sandbox.logInToChat({ name: names.label(person.wxid) })}</p>}
      <Faults client={client} guid={guid} online={!!account} loginInProgress={loginInProgress} />
    </section>
  );
}
