// Talk to the instance as a simulated person: text, image upload, voice, a friend request, a room invitation.
import { parseMessageContent, type SandboxMessagesListResponse, type WxgateClient } from '@wxgate/sdk';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useAction } from '../use-action.ts';
import type { LiveEvent } from '../use-events.ts';
import type { Person } from '../use-people.ts';
import { describe } from './MessageView.tsx';

type ArchivedMessage = SandboxMessagesListResponse['messages'][number];

interface Props {
  client: WxgateClient;
  person: Person;
  account: string;
  events: LiveEvent[];
}

const readAsDataUrl = (file: File) => new Promise<string>((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve(String(reader.result));
  reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
  reader.readAsDataURL(file);
});

const line = (m: ArchivedMessage): string => describe(parseMessageContent(m));

/** How often the open chat re-reads the conversation besides on events. */
const REFRESH_MS = 4000;

export function ChatView({ client, person, account, events }: Props) {
  const action = useAction();
  const [messages, setMessages] = useState<ArchivedMessage[]>([]);
  const [text, setText] = useState('');
  const [greeting, setGreeting] = useState('');
  const [note, setNote] = useState('');

  const latest = useRef(0);

  const reload = async () => {
    // Reloads overlap (a send and the events it causes): only the newest request's answer may land.
    const ticket = ++latest.current;
    const page = await client.call('/sandbox/messages/list', { wxid: person.wxid, talker: account, limit: 1000 });
    if (ticket === latest.current) setMessages(page.messages.slice(-50));
  };
  // The account's replies arrive as events too; re-read the conversation when they do.
  useEffect(() => void reload().catch(() => undefined), [person.wxid, account, events.length]);
  // And every few seconds: the phone's side changes without an event on this instance (another tab, a test, the
  // API), and a stream that reconnected may have skipped a render. /sandbox/* calls do not count against the quota.
  useEffect(() => {
    const timer = setInterval(() => void reload().catch(() => undefined), REFRESH_MS);
    return () => clearInterval(timer);
  }, [person.wxid, account]);

  const after = async (work: () => Promise<unknown>) => action.run(async () => {
    await work();
    await reload();
  });
  const send = (e: Event) => {
    e.preventDefault();
    const content = text.trim();
    if (!content) return;
    void after(() => client.call('/sandbox/messages/send', { from_wxid: person.wxid, path: '/msg/send_text', body: { to_username: account, content } })).then(() => setText(''));
  };
  const sendMedia = (kind: 'image' | 'voice', file?: File) => after(async () => {
    const url = file ? await readAsDataUrl(file) : undefined;
    await client.call('/sandbox/messages/send_media', { from_wxid: person.wxid, to_username: account, kind, ...(url ? { url } : {}) });
  });
  const onFile = (kind: 'image' | 'voice') => (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) void sendMedia(kind, file);
  };
  const friendRequest = () => after(async () => {
    const { status } = await client.call('/sandbox/friend/request', { from_wxid: person.wxid, to_wxid: account, verify_content: greeting });
    setNote(`friend request ${status}`);
  });
  // The sandbox has no "invite" for simulated people: they bring the account into a new room they create, with a
  // helper friend as the required second member (WeChat needs two others).
  const roomInvite = () => after(async () => {
    const helper = await client.call('/sandbox/people/create', { friends: [person.wxid] });
    const room = await client.call('/sandbox/room/create', { owner_wxid: person.wxid, member_wxids: [account, helper.wxid], name: `${person.nickname}'s room` });
    setNote(`room ${room.room_username} created with ${account} in it`);
  });

  return (
    <div class="chat">
      <h3>Chat as {person.nickname}</h3>
      <ol class="bubbles" data-testid="chat">
        {messages.map((m) => (
          <li key={m.seq} class={m.from_username === person.wxid ? 'mine' : 'theirs'}>{line(m)}{m.revoked && <span class="muted small"> (revoked)</span>}</li>
        ))}
      </ol>
      <form class="row" onSubmit={send}>
        <input placeholder={`message to ${account}`} value={text} onInput={(e) => setText(e.currentTarget.value)} aria-label="message text" />
        <button type="submit" disabled={action.busy}>Send</button>
      </form>
      <div class="row wrap">
        <label class="button small">Image…<input type="file" accept="image/*" hidden onChange={onFile('image')} /></label>
        <button class="small" onClick={() => sendMedia('voice')} disabled={action.busy}>Voice (2 s tone)</button>
        <label class="button small">Voice file…<input type="file" accept="audio/*" hidden onChange={onFile('voice')} /></label>
        <button class="small" onClick={roomInvite} disabled={action.busy}>Invite into a new room</button>
      </div>
      <div class="row">
        <input placeholder="greeting" value={greeting} onInput={(e) => setGreeting(e.currentTarget.value)} aria-label="friend request greeting" />
        <button class="small" onClick={friendRequest} disabled={action.busy}>Send friend request</button>
      </div>
      {note && <p class="muted small">{note}</p>}
      {action.error && <p class="error">{action.error}</p>}
    </div>
  );
}
