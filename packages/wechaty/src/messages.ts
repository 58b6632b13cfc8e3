// Messages both ways: text and files sent through the CDN, received files downloaded, old messages found in the archive.
import { FileBox, type FileBoxInterface } from 'file-box';
import type { WxgateInstancePort as InstancePort } from './instance-port.ts';
import { appMsgType, isRoomId, parseXml, type RawMessage } from './payloads.ts';

type Port = InstancePort;

/** The id of a send's message: every send answers NewSendMsg's list (docs/sandbox.md#messages). */
function sentId(answer: unknown): string | undefined {
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

/** Uploads the FileBox's bytes to the instance's CDN, then sends them as an image or a file. */
export async function sendFile(port: Port, to: string, file: FileBoxInterface): Promise<string | undefined> {
  const base64 = await file.toBase64();
  const image = IMAGE.test(file.name) || (file.mediaType ?? '').startsWith('image/');
  const upload = await port.call('/cloud/cdn_upload', { file_type: image ? 2 : 5, url: base64 });
  const object = upload;
  if (image) {
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

/** A received image, video or file as a FileBox of its bytes (cdn_download answers them as base64). */
export async function downloadMessageFile(message: RawMessage, port: Port): Promise<FileBoxInterface> {
  const ref = cdnReference(message);
  if (!ref) throw new Error(`wxgate: message ${message.msg_id} (type ${message.msg_type}) carries no file`);
  const answer = await port.call('/cloud/cdn_download', {
    file_type: ref.fileType, file_id: ref.fileId, aes_key: ref.aesKey, file_size: ref.size, file_name: ref.name,
  }) as { base64?: string; file_name?: string };
  if (!answer.base64) throw new Error(`wxgate: the CDN answered no content for message ${message.msg_id}`);
  return FileBox.fromBase64(answer.base64, ref.name);
}

/** A message of the account's archive by id, newest pages first being the likely place is not assumed: read in order. */
export async function findArchived(port: Port, msgId: string): Promise<RawMessage | undefined> {
  let after = 0;
  for (;;) {
    const page = await port.call('/events/messages', { after_seq: after, limit: 500 }) as { messages: RawMessage[]; next_seq: number };
    const found = page.messages.find((m) => m.msg_id === msgId);
    if (found) return found;
    if (page.messages.length < 500) return undefined;
    after = page.next_seq;
  }
}
