// The simulated world around the instance: its people, a chat as one of them, and faults to inject.
import type { WxgateClient } from '@wxgate/sdk';
import { useState } from 'preact/hooks';
import { useAction } from '../use-action.ts';
import type { LiveEvent } from '../use-events.ts';
import type { People } from '../use-people.ts';
import { ChatView } from './ChatView.tsx';
import { Faults } from './Faults.tsx';

interface Props {
  client: WxgateClient;
  guid: string;
  /** The logged-in account's wxid, "" while offline. */
  account: string;
  people: People;
  events: LiveEvent[];
}

export function SandboxPanel({ client, guid, account, people, events }: Props) {
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
      <h2>Sandbox</h2>
      <form class="row" onSubmit={create}>
        <input placeholder="nickname (optional)" value={nickname} onInput={(e) => setNickname(e.currentTarget.value)} aria-label="new person's nickname" />
        {account && <label class="small"><input type="checkbox" checked={asFriend} onChange={(e) => setAsFriend(e.currentTarget.checked)} /> friend of {account}</label>}
        <button type="submit" disabled={action.busy}>New person</button>
      </form>
      {action.error && <p class="error">{action.error}</p>}
      <ul class="people">
        {others.map((p) => (
          <li key={p.wxid} class={p.wxid === selected ? 'selected' : ''}>
            <button class="link" onClick={() => setSelected(p.wxid)} data-wxid={p.wxid}>
              {p.nickname} <span class="muted small">{p.wxid} · {p.kind}{p.logged_in_guid ? ' · logged in' : ''}</span>
            </button>
          </li>
        ))}
      </ul>
      {person && account && <ChatView key={person.wxid} client={client} person={person} account={account} events={events} />}
      {person && !account && <p class="muted">Log the instance in to chat with it as {person.nickname}.</p>}
      <Faults client={client} guid={guid} />
    </section>
  );
}
