// The iLink items of an incoming WeChat message: text (1), image (3), voice (34), video (43), file (49 type 6) and
// quote (49 type 57, a text item with ref_msg), media items pointing at wxgate's iLink CDN.
import { readXml } from '../../wechat/caller-xml.ts';
import { ILINK_ITEM, ILINK_UPLOAD_MEDIA, ILINK_VOICE_ENCODING, type CdnMedia, type MessageItem } from '../../wechat/ilink-protocol.ts';
import type { IlinkMediaSource, IlinkSendable } from './ilink-cdn-params.ts';

const WECHAT = { TEXT: 1, IMAGE: 3, VOICE: 34, VIDEO: 43, APP: 49 } as const;
const APPMSG_FILE = '6';
const APPMSG_QUOTE = '57';
/** How WeChat itself summarizes a quoted message that is not text. */
const QUOTED_SUMMARY: Readonly<Record<number, string>> = { [WECHAT.IMAGE]: '[图片]', [WECHAT.VOICE]: '[语音]', [WECHAT.VIDEO]: '[视频]', [WECHAT.APP]: '[文件]' };
/** /cloud/cdn_download's file_type per rendition. */
const RENDITION = { ORIGINAL: 1, THUMB: 3, VIDEO: 4, FILE: 5 } as const;

/**
 * A CDN reference for an object of this message; `seed` names the item, so the same item gets the same key. `sendable`
 * (the message's own CDN fields) lets sendmessage send the object on as it is; thumbnails have none.
 */
export type CdnReferrer = (source: IlinkMediaSource, itemType: number, seed: string, sendable?: IlinkSendable) => CdnMedia;

export interface IncomingMessage {
  readonly msgType: number;
  /** The content without a room's "sender:\n" prefix. */
  readonly content: string;
  readonly msgId: string;
  readonly room: string | undefined;
}

type Node = Record<string, unknown>;
const node = (v: unknown): Node => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Node : {});
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const int = (v: unknown): number => {
  const n = Number(text(v));
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
};
const hexKey = (v: unknown): string | undefined => {
  const key = text(v).toLowerCase();
  return /^[0-9a-f]{32}$/.test(key) ? key : undefined;
};

function parsed(content: string): Node | undefined {
  try {
    return node(readXml(content, 'content').msg);
  } catch {
    return undefined;
  }
}

/** The text of a quoted message: a text, or the reply of a quote (WeChat quotes a quote's reply, not its chain). */
function quotedTextOf(msgType: number, content: string): string | undefined {
  if (msgType === WECHAT.TEXT) return content;
  if (msgType !== WECHAT.APP) return undefined;
  const appmsg = node(parsed(content)?.appmsg);
  return text(appmsg.type) === APPMSG_QUOTE ? text(appmsg.title) : undefined;
}

/** The item an incoming message becomes, or undefined for what the bridge does not carry (cards, links, system…). */
export function incomingItem(m: IncomingMessage, refer: CdnReferrer): Omit<MessageItem, 'create_time_ms' | 'msg_id' | 'is_completed'> | undefined {
  if (m.msgType === WECHAT.TEXT) return { type: ILINK_ITEM.TEXT, text_item: { text: m.content } };
  const msg = parsed(m.content);
  if (!msg) return undefined;
  const seed = m.msgId;
  if (m.msgType === WECHAT.IMAGE) {
    const img = node(msg.img);
    const fileId = text(img.cdnbigimgurl) || text(img.cdnmidimgurl);
    const aesKey = hexKey(img.aeskey);
    if (!fileId || !aesKey) return undefined;
    const size = int(img.hdlength) || int(img.length);
    const thumbKey = hexKey(img.cdnthumbaeskey);
    const thumb = text(img.cdnthumburl) && thumbKey
      ? refer({ kind: 'cdn', fileType: RENDITION.THUMB, fileId: text(img.cdnthumburl), aesKey: thumbKey, fileSize: int(img.cdnthumblength) }, ILINK_ITEM.IMAGE, `${seed}/thumb`)
      : undefined;
    const cdn = {
      file_id: fileId, aes_key: aesKey, file_size: size, big_file_size: size, file_md5: text(img.md5), thumb_file_size: int(img.cdnthumblength),
      thumb_width: int(img.cdnthumbwidth), thumb_height: int(img.cdnthumbheight),
    };
    const media = refer({ kind: 'cdn', fileType: RENDITION.ORIGINAL, fileId, aesKey, fileSize: size }, ILINK_ITEM.IMAGE, seed, { mediaType: ILINK_UPLOAD_MEDIA.IMAGE, cdn });
    return {
      type: ILINK_ITEM.IMAGE,
      image_item: {
        media, aeskey: Buffer.from(media.aes_key!, 'base64').toString('hex'), hd_size: size, mid_size: int(img.length),
        ...(thumb ? { thumb_media: thumb, thumb_size: int(img.cdnthumblength), thumb_width: int(img.cdnthumbwidth), thumb_height: int(img.cdnthumbheight) } : {}),
      },
    };
  }
  if (m.msgType === WECHAT.VOICE) {
    const voice = node(msg.voicemsg);
    const length = int(voice.voicelength);
    const source: IlinkMediaSource = { kind: 'voice', msgId: m.msgId, length, ...(m.room ? { room: m.room } : {}) };
    // A voice downloads by its message (download_voice), and is sent on by its SILK's CDN object (voiceurl, aeskey).
    const fileId = text(voice.voiceurl);
    const aesKey = hexKey(voice.aeskey);
    const sendable = fileId && aesKey ? { mediaType: ILINK_UPLOAD_MEDIA.VOICE, cdn: { file_id: fileId, aes_key: aesKey, file_size: int(voice.length) } } : undefined;
    return { type: ILINK_ITEM.VOICE, voice_item: { media: refer(source, ILINK_ITEM.VOICE, seed, sendable), encode_type: ILINK_VOICE_ENCODING.SILK, playtime: length } };
  }
  if (m.msgType === WECHAT.VIDEO) {
    const video = node(msg.videomsg);
    const fileId = text(video.cdnvideourl);
    const aesKey = hexKey(video.aeskey);
    if (!fileId || !aesKey) return undefined;
    const thumbKey = hexKey(video.cdnthumbaeskey);
    const thumb = text(video.cdnthumburl) && thumbKey
      ? refer({ kind: 'cdn', fileType: RENDITION.THUMB, fileId: text(video.cdnthumburl), aesKey: thumbKey, fileSize: int(video.cdnthumblength) }, ILINK_ITEM.VIDEO, `${seed}/thumb`)
      : undefined;
    const cdn = {
      file_id: fileId, aes_key: aesKey, file_size: int(video.length), file_md5: text(video.md5), thumb_file_size: int(video.cdnthumblength),
      play_length: int(video.playlength),
    };
    return {
      type: ILINK_ITEM.VIDEO,
      video_item: {
        media: refer({ kind: 'cdn', fileType: RENDITION.VIDEO, fileId, aesKey, fileSize: int(video.length) }, ILINK_ITEM.VIDEO, seed, { mediaType: ILINK_UPLOAD_MEDIA.VIDEO, cdn }),
        video_size: int(video.length), play_length: int(video.playlength), video_md5: text(video.md5),
        ...(thumb ? { thumb_media: thumb, thumb_size: int(video.cdnthumblength), thumb_width: int(video.cdnthumbwidth), thumb_height: int(video.cdnthumbheight) } : {}),
      },
    };
  }
  if (m.msgType !== WECHAT.APP) return undefined;
  const appmsg = node(msg.appmsg);
  const kind = text(appmsg.type);
  if (kind === APPMSG_FILE) {
    const attach = node(appmsg.appattach);
    const fileId = text(attach.cdnattachurl);
    const aesKey = hexKey(attach.aeskey);
    if (!fileId || !aesKey) return undefined;
    const size = int(attach.totallen);
    const cdn = { file_id: fileId, aes_key: aesKey, file_size: size, file_md5: text(appmsg.md5), file_name: text(appmsg.title) };
    return {
      type: ILINK_ITEM.FILE,
      file_item: {
        media: refer({ kind: 'cdn', fileType: RENDITION.FILE, fileId, aesKey, fileSize: size }, ILINK_ITEM.FILE, seed, { mediaType: ILINK_UPLOAD_MEDIA.FILE, cdn }),
        file_name: text(appmsg.title), md5: text(appmsg.md5), len: String(size),
      },
    };
  }
  if (kind === APPMSG_QUOTE) {
    const quoted = node(appmsg.refermsg);
    const quotedText = quotedTextOf(int(quoted.type), text(quoted.content));
    // A quoted text (a quote's reply included) is carried whole; a quoted media message by its id only.
    const quotedItem: MessageItem | undefined = quotedText === undefined
      ? undefined
      : { type: ILINK_ITEM.TEXT, text_item: { text: quotedText }, msg_id: text(quoted.svrid) };
    // title is the quote's summary, as clients show it ("[引用: …]"): the quoted text, or what kind of message it was.
    const title = quotedText ?? QUOTED_SUMMARY[int(quoted.type)] ?? '[消息]';
    return {
      type: ILINK_ITEM.TEXT,
      text_item: { text: text(appmsg.title) },
      ref_msg: { svr_id: text(quoted.svrid), title, ...(quotedItem ? { message_item: quotedItem } : {}) },
    };
  }
  return undefined;
}
