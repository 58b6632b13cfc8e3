// A 1010 message rendered by kind (the SDK's parseMessageContent): text, image thumbnail (on request), a voice player
// (MP3 from download_voice), links, and one-line summaries for the rest.
import { parseMessageContent, type CloudCdnDownloadResponse, type MessageContent, type NewMessage, type WxgateClient } from '@wxgate/sdk';
import { useState } from 'preact/hooks';
import { MSG_NAMES } from '../notify.ts';
import { useAction } from '../use-action.ts';

/**
 * Where the player or picture loads a download from: wxgate's sandbox answers the content itself (base64), a relayed
 * vendor service only a link to it.
 */
function mediaSource(file: CloudCdnDownloadResponse, mime: string): string {
  if (file.base64) return `data:${mime};base64,${file.base64}`;
  const link = file.url || file.download_url;
  if (!link) throw new Error('the download answer has neither the content nor a link to it');
  return link;
}

/** One line for the kinds that need no player or picture. */
export function describe(c: MessageContent): string {
  switch (c.kind) {
    case 'text': return c.text;
    case 'system': return c.text;
    case 'revoke': return c.replaceMsg;
    case 'pat': return c.template;
    case 'image': return '[image]';
    case 'voice': return `[voice ${(c.voiceLength / 1000).toFixed(1)} s]`;
    case 'video': return `[video ${c.playLength} s]`;
    case 'emoji': return '[emoji]';
    case 'location': return `Location: ${c.poiName || c.label} (${c.latitude}, ${c.longitude})`;
    case 'card': return `Contact card: ${c.nickname} (${c.username})`;
    case 'friend_request': return `Friend request from ${c.fromNickname}: “${c.content}”`;
    case 'link': return `[link] ${c.title}`;
    case 'file': return `File: ${c.title} (${c.totalLen} bytes)`;
    case 'mini_program': return `Mini-program: ${c.title}`;
    case 'finder': return `Channels post by ${c.nickname}: ${c.desc}`;
    case 'quote': return `${c.title} (quoting ${c.refer.displayName}: ${c.refer.content})`;
    case 'app': return `App message (type ${c.appType}): ${c.title}`;
    case 'unknown': return c.content;
  }
}

export function MessageView({ client, guid, msg }: { client: WxgateClient; guid: string; msg: NewMessage }) {
  const content = parseMessageContent(msg);
  const action = useAction();
  const [media, setMedia] = useState('');
  const from = msg.chatroom_sender ? `${msg.chatroom_sender} in ${msg.from_username}` : msg.from_username;

  // Downloads count against the instance's quota (100 calls/min), so they happen on a click, not for every message.
  const thumbnail = () => action.run(async () => {
    if (content.kind !== 'image') return;
    const file = await client.call('/cloud/cdn_download', {
      guid, file_type: 3, file_id: content.cdnThumbUrl, aes_key: content.cdnThumbAesKey || content.aesKey, file_size: content.thumbLength,
    });
    setMedia(mediaSource(file, 'image/jpeg'));
  });
  const voice = () => action.run(async () => {
    if (content.kind !== 'voice') return;
    // NewMessage types every field but msg_type and content as optional; download_voice finds the voice by its id.
    if (!msg.msg_id) throw new Error('this message has no msg_id to download its voice by');
    // The sandbox stores SILK, which browsers cannot play: the server converts it (silk-wasm + ffmpeg).
    const file = await client.call('/cloud/download_voice', {
      guid, msg_id: msg.msg_id, length: content.voiceLength, room_username: msg.chatroom_sender ? msg.from_username : '', to_mp3: true,
    });
    setMedia(mediaSource(file, 'audio/mpeg'));
  });

  return (
    <div class="message" data-msg-type={msg.msg_type}>
      <p class="muted small">{MSG_NAMES[msg.msg_type] ?? `type ${msg.msg_type}`} from {from} to {msg.to_username}</p>
      {content.kind === 'image' ? (media ? <img class="thumb" src={media} alt="image thumbnail" /> : <button class="small" onClick={thumbnail} disabled={action.busy}>Show thumbnail</button>)
        : content.kind === 'voice' ? (
          <p>Voice, {(content.voiceLength / 1000).toFixed(1)} s{' '}
            {media ? <audio controls src={media} /> : <button class="small" onClick={voice} disabled={action.busy}>Play</button>}
          </p>)
        : content.kind === 'link' ? (
          <p><a href={content.url} target="_blank" rel="noopener noreferrer">{content.title || content.url}</a>{content.des && <span class="muted"> — {content.des}</span>}</p>)
        : content.kind === 'unknown' ? <pre class="small">{content.content}</pre>
        : <p class={`text ${content.kind === 'text' ? '' : 'muted'}`}>{describe(content)}</p>}
      {action.error && <p class="error small">{action.error}</p>}
    </div>
  );
}
