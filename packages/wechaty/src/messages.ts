// Messages both ways: text and files (images, videos, voice, attachments) through the CDN, received media downloaded.
import { FileBox, type FileBoxInterface } from 'file-box';
import type { WxgateInstancePort as InstancePort } from './instance-port.ts';
import { appMsgType, isRoomId, parseXml, type RawMessage } from './payloads.ts';

type Port = InstancePort;

/** The id of a send's message: every send answers NewSendMsg's list (docs/sandbox.md#messages); videos and voice newMsgId. */
export function sentId(answer: unknown): string | undefined {
  return (answer as { list?: Array<{ newMsgId?: string }>; newMsgId?: string }).list?.[0]?.newMsgId
    ?? (answer as { newMsgId?: string }).newMsgId;
}

export async function sendText(port: Port, to: string, content: string, mentions: readonly string[] = []): Promise<string | undefined> {
  if (isRoomId(to) && mentions.length > 0) {
    return sentId(await port.call('/msg/send_room_at', { to_username: to, content, at_list: [...mentions] }));
  }
  return sentId(await port.call('/msg/send_text', { to_username: to, content }));
}

const IMAGE = /\.(jpe?g|png|gif|webp|bmp)$/i;
const VIDEO = /\.(mp4|mov|m4v)$/i;
const VOICE = /\.(silk|slk|mp3|amr|wav)$/i;

/** What a FileBox is sent as, by its name or media type. */
export function fileKind(name: string, mediaType = ''): 'image' | 'video' | 'voice' | 'file' {
  if (IMAGE.test(name) || mediaType.startsWith('image/')) return 'image';
  if (VIDEO.test(name) || mediaType.startsWith('video/')) return 'video';
  if (VOICE.test(name) || mediaType.startsWith('audio/')) return 'voice';
  return 'file';
}

/** Uploads the FileBox's bytes to the instance's CDN, then sends them as an image, a video, a file — or voice (transcoded to SILK). */
export async function sendFile(port: Port, to: string, file: FileBoxInterface): Promise<string | undefined> {
  const base64 = await file.toBase64();
  const kind = fileKind(file.name, file.mediaType);
  if (kind === 'voice') return sentId(await port.call('/msg/send_voice', { to_username: to, url: base64 }));
  const object = await port.call('/cloud/cdn_upload', { file_type: kind === 'image' ? 2 : kind === 'video' ? 4 : 5, url: base64 });
  if (kind === 'video') {
    return sentId(await port.call('/msg/send_video', {
      to_username: to, file_id: object.file_id, aes_key: object.aes_key, file_size: object.file_size, file_md5: object.file_md5,
    }));
  }
  if (kind === 'image') {
    return sentId(await port.call('/msg/send_image', {
      to_username: to, file_id: object.file_id, aes_key: object.aes_key, file_size: object.file_size, file_md5: object.file_md5,
    }));
  }
  return sentId(await port.call('/msg/send_file', {
    to_username: to, file_id: object.file_id, aes_key: object.aes_key, file_size: object.file_size, file_md5: object.file_md5, file_name: file.name,
  }));
}

/** The CDN reference a received image (3), video (43) or file (appmsg 6) carries in its XML. */
function cdnReference(message: RawMessage): { fileType: number; fileId: string; aesKey: string; size: number; name: string } | undefined {
  const msg = parseXml(message.content)?.msg;
  if (!msg) return undefined;
  if (message.msg_type === 3 && msg.img) {
    return { fileType: 1, fileId: String(msg.img.cdnbigimgurl || msg.img.cdnmidimgurl), aesKey: String(msg.img.aeskey), size: Number(msg.img.hdlength || msg.img.length || 0), name: `${message.msg_id}.jpg` };
  }
  if (message.msg_type === 43 && msg.videomsg) {
    return { fileType: 4, fileId: String(msg.videomsg.cdnvideourl), aesKey: String(msg.videomsg.aeskey), size: Number(msg.videomsg.length ?? 0), name: `${message.msg_id}.mp4` };
  }
  if (message.msg_type === 49 && appMsgType(message) === 6) {
    const attach = msg.appmsg?.appattach ?? {};
    return { fileType: 5, fileId: String(attach.cdnattachurl), aesKey: String(attach.aeskey), size: Number(attach.totallen ?? 0), name: String(msg.appmsg?.title ?? message.msg_id) };
  }
  return undefined;
}

/** A received voice (34) as a SILK FileBox, an emoticon (47) as its image: each has its own download path. */
async function downloadVoiceOrEmoticon(message: RawMessage, port: Port): Promise<FileBoxInterface | undefined> {
  const msg = parseXml(message.content)?.msg;
  let answer: { base64?: string } | undefined;
  let name = '';
  if (message.msg_type === 34 && msg?.voicemsg) {
    name = `${message.msg_id}.silk`;
    answer = await port.call('/cloud/download_voice', {
      msg_id: message.msg_id, length: Number(msg.voicemsg.length ?? 0), file_name: name, ...(isRoomId(message.from_username) ? { room_username: message.from_username } : {}),
    });
  } else if (message.msg_type === 47 && msg?.emoji) {
    name = `${message.msg_id}.gif`;
    answer = await port.call('/cloud/download_wxemotion', { url: String(msg.emoji.cdnurl), aes_key: String(msg.emoji.aeskey), file_name: name });
  } else {
    return undefined;
  }
  if (!answer?.base64) throw new Error(`wxgate: no content for message ${message.msg_id}`);
  return FileBox.fromBase64(answer.base64, name);
}

/** A received image, video, file, voice or emoticon as a FileBox of its bytes (the CDN answers them as base64). */
export async function downloadMessageFile(message: RawMessage, port: Port): Promise<FileBoxInterface> {
  const other = await downloadVoiceOrEmoticon(message, port);
  if (other) return other;
  const ref = cdnReference(message);
  if (!ref) throw new Error(`wxgate: message ${message.msg_id} (type ${message.msg_type}) carries no file`);
  const answer = await port.call('/cloud/cdn_download', {
    file_type: ref.fileType, file_id: ref.fileId, aes_key: ref.aesKey, file_size: ref.size, file_name: ref.name,
  }) as { base64?: string; file_name?: string };
  if (!answer.base64) throw new Error(`wxgate: the CDN answered no content for message ${message.msg_id}`);
  return FileBox.fromBase64(answer.base64, ref.name);
}
