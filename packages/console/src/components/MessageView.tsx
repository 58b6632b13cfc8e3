// A 1010 message rendered by kind (the SDK's parseMessageContent): text, image thumbnail (on request), a voice player
// (MP3 from download_voice), links, and one-line summaries for the rest.
import { parseMessageContent, type CloudCdnDownloadResponse, type MessageContent, type NewMessage, type WxgateClient } from '@wxgate/sdk';
import { useState } from 'preact/hooks';
import type { Messages } from '../i18n/en.ts';
import { useI18n } from '../i18n/use-i18n.tsx';
import { msgTypeDescription } from '../notify.ts';
import { useAction } from '../use-action.ts';
import { Who } from './Who.tsx';

/**
 * Where the player or picture loads a download from: wxgate's sandbox answers the content itself (base64), a relayed
 * vendor service only a link to it.
 */
function mediaSource(file: CloudCdnDownloadResponse, mime: string, t: Messages): string {
  if (file.base64) return `data:${mime};base64,${file.base64}`;
  const link = file.url || file.download_url;
  if (!link) throw new Error(t.message.noMedia);
  return link;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

/** One line for the kinds that need no player or picture. */
export function describe(c: MessageContent, t: Messages): string {
  const d = t.content;
  switch (c.kind) {
    case 'text': return c.text;
    case 'system': return c.text;
    case 'revoke': return c.replaceMsg;
    case 'pat': return c.template;
    case 'image': return d.image;
    case 'voice': return d.voice({ seconds: seconds(c.voiceLength) });
    case 'video': return d.video({ seconds: c.playLength });
    case 'emoji': return d.emoji;
    case 'location': return d.location({ place: c.poiName || c.label, latitude: c.latitude, longitude: c.longitude });
    case 'card': return d.card({ nickname: c.nickname, username: c.username });
    case 'friend_request': return d.friendRequest({ nickname: c.fromNickname, content: c.content });
    case 'link': return d.link({ title: c.title });
    case 'file': return d.file({ title: c.title, bytes: c.totalLen });
    case 'mini_program': return d.miniProgram({ title: c.title });
    case 'finder': return d.finder({ nickname: c.nickname, desc: c.desc });
    case 'quote': return d.quote({ title: c.title, name: c.refer.displayName, quoted: c.refer.content });
    case 'app': return d.app({ appType: c.appType, title: c.title });
    case 'unknown': return c.content;
  }
}

export function MessageView({ client, guid, msg }: { client: WxgateClient; guid: string; msg: NewMessage }) {
  const { t } = useI18n();
  const content = parseMessageContent(msg);
  const action = useAction();
  const [media, setMedia] = useState('');

  // Downloads count against the instance's quota (100 calls/min), so they happen on a click, not for every message.
  const thumbnail = () => action.run(async () => {
    if (content.kind !== 'image') return;
    const file = await client.call('/cloud/cdn_download', {
      guid, file_type: 3, file_id: content.cdnThumbUrl, aes_key: content.cdnThumbAesKey || content.aesKey, file_size: content.thumbLength,
    });
    setMedia(mediaSource(file, 'image/jpeg', t));
  });
  const voice = () => action.run(async () => {
    if (content.kind !== 'voice') return;
    // download_voice finds the voice by its id; an event that arrived without one cannot be fetched.
    if (!msg.msg_id) throw new Error(t.message.noMsgId);
    // The sandbox stores SILK, which browsers cannot play: the server converts it (silk-wasm + ffmpeg).
    const file = await client.call('/cloud/download_voice', {
      guid, msg_id: msg.msg_id, length: content.voiceLength, room_username: msg.chatroom_sender ? msg.from_username : '', to_mp3: true,
    });
    setMedia(mediaSource(file, 'audio/mpeg', t));
  });

  return (
    <div class="message" data-msg-type={msg.msg_type}>
      {/* Who wrote to whom as names with an arrow, not a sentence: each name keeps its wxid on hover and copy button. */}
      <p class="muted small msg-head">
        {msgTypeDescription(msg.msg_type, t)} · <Who wxid={msg.chatroom_sender || msg.from_username || ''} />
        {msg.chatroom_sender && <> · <span class="tag">{t.message.room}</span> <Who wxid={msg.from_username ?? ''} /></>}
        {' → '}<Who wxid={msg.to_username ?? ''} />
      </p>
      {content.kind === 'image' ? (media ? <img class="thumb" src={media} alt={t.message.thumbnailAlt} /> : <button class="small secondary" onClick={thumbnail} disabled={action.busy}>{t.message.showThumbnail}</button>)
        : content.kind === 'voice' ? (
          <p>{t.message.voice({ seconds: seconds(content.voiceLength) })}{' '}
            {media ? <audio controls src={media} /> : <button class="small secondary" onClick={voice} disabled={action.busy}>{t.message.play}</button>}
          </p>)
        : content.kind === 'link' ? (
          <p class="wrap-anywhere"><a href={content.url} target="_blank" rel="noopener noreferrer">{content.title || content.url}</a>{content.des && <span class="muted"> — {content.des}</span>}</p>)
        : content.kind === 'unknown' ? <pre class="small">{content.content}</pre>
        : <p class={`text ${content.kind === 'text' ? '' : 'muted'}`}>{describe(content, t)}</p>}
      {action.error && <p class="error small" role="alert">{action.error}</p>}
    </div>
  );
}
