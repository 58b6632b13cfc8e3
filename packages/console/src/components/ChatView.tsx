// Talk to the instance as a simulated person: text, image upload, voice, a friend request, a room invitation.
import { parseMessageContent, type SandboxMessagesListResponse, type WxgateClient } from '@wxgate/sdk';
import { useContext, useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/use-i18n.tsx';
import { useAction } from '../use-action.ts';
import type { LiveEvent } from '../use-events.ts';
import { PeopleContext, type Person } from '../use-people.ts';
import { describe } from './MessageView.tsx';
import { Who } from './Who.tsx';

type ArchivedMessage = SandboxMessagesListResponse['messages'][number];

interface Props {
  client: WxgateClient;
  person: Person;
  account: string;
  events: LiveEvent[];
}

const readAsDataUrl = (file: File, failed: string) => new Promise<string>((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve(String(reader.result));
  reader.onerror = () => reject(new Error(failed));
  reader.readAsDataURL(file);
});

/** How often the open chat re-reads the conversation besides on events. */
const REFRESH_MS = 4000;

export function ChatView({ client, person, account, events }: Props) {
  const { t } = useI18n();
  const names = useContext(PeopleContext);
  const action = useAction();
  const [messages, setMessages] = useState<ArchivedMessage[]>([]);
  const [text, setText] = useState('');
  const [greeting, setGreeting] = useState('');
  const [note, setNote] = useState('');

  const latest = useRef(0);
  const list = useRef<HTMLOListElement>(null);
  // The newest message is at the bottom of the scrolling list: keep it in view as messages arrive.
  const newest = messages[messages.length - 1]?.seq;
  useEffect(() => {
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [newest]);

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
    setNote('');
    await work();
    await reload();
    return true;
  });
  const send = (e: Event) => {
    e.preventDefault();
    const content = text.trim();
    if (!content) return;
    void after(() => client.call('/sandbox/messages/send', { from_wxid: person.wxid, path: '/msg/send_text', body: { to_username: account, content } }))
      .then((ok) => ok && setText(''));
  };
  const sendMedia = (kind: 'image' | 'voice', file?: File) => after(async () => {
    const url = file ? await readAsDataUrl(file, t.chat.readFailed) : undefined;
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
    setNote(t.chat.friendRequestStatus[status]);
  });
  // The sandbox has no "invite" for simulated people: they bring the account into a new room they create, with a
  // helper friend as the required second member (WeChat needs two others).
  const roomInvite = () => after(async () => {
    const helper = await client.call('/sandbox/people/create', { friends: [person.wxid] });
    const room = await client.call('/sandbox/room/create', { owner_wxid: person.wxid, member_wxids: [account, helper.wxid], name: t.chat.roomName({ name: person.nickname }) });
    setNote(t.chat.roomCreated({ room: room.room_username }));
  });
  const name = names.label(person.wxid);

  return (
    <div class="chat">
      <h3>{t.chat.title({ name })}</h3>
      <p class="muted small"><Who wxid={person.wxid} /> → <Who wxid={account} /></p>
      {messages.length === 0 ? <p class="muted small">{t.chat.empty}</p> : (
        <ol class="bubbles" data-testid="chat" ref={list}>
          {messages.map((m) => (
            <li key={m.seq} class={m.from_username === person.wxid ? 'mine' : 'theirs'}>
              {describe(parseMessageContent(m), t)}{m.revoked && <span class="muted small"> {t.chat.revoked}</span>}
            </li>
          ))}
        </ol>
      )}
      <form class="row" onSubmit={send}>
        <input placeholder={t.chat.placeholder({ name: names.label(account) })} value={text} onInput={(e) => setText(e.currentTarget.value)} aria-label={t.chat.textLabel} />
        <button type="submit" disabled={action.busy || text.trim() === ''}>{t.chat.send}</button>
      </form>
      <div class="row wrap">
        <label class="button small secondary">{t.chat.image}<input type="file" accept="image/*" hidden onChange={onFile('image')} /></label>
        <button class="small secondary" onClick={() => sendMedia('voice')} disabled={action.busy}>{t.chat.voiceTone}</button>
        <label class="button small secondary">{t.chat.voiceFile}<input type="file" accept="audio/*" hidden onChange={onFile('voice')} /></label>
        <button class="small secondary" onClick={roomInvite} disabled={action.busy}>{t.chat.roomInvite}</button>
      </div>
      <div class="row wrap">
        <input placeholder={t.chat.greetingPlaceholder} value={greeting} onInput={(e) => setGreeting(e.currentTarget.value)} aria-label={t.chat.greetingLabel} />
        <button class="small secondary" onClick={friendRequest} disabled={action.busy}>{t.chat.friendRequest}</button>
      </div>
      {note && <p class="muted small">{note}</p>}
      {action.error && <p class="error" role="alert">{action.error}</p>}
    </div>
  );
}
