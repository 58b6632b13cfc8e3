// Incoming iLink media into the instance's own CDN: an image, voice, file or video item is downloaded from the iLink
// CDN, decrypted with its aes_key and stored as wxgate CDN objects, so its 1010 carries WeChat's XML (the sandbox's
// builders) and clients download it with /cloud/cdn_download or /cloud/download_voice, as with every driver.
import { MSG_TYPES } from '@wxgate/contract';
import { decryptCdnObject } from '../../wechat/cdn-crypto.ts';
import { aesKeyOfMedia, cdnDownloadUrl, ILINK_ITEM, paddedSize } from '../../wechat/ilink-protocol.ts';
import { toWeChatVoice } from '../cdn/voice-transcode.ts';
import { requireMedia, uploadImage, uploadVideo, type SandboxMedia } from '../sandbox/cloud.ts';
import { fileXml, voiceXml } from '../sandbox/msg/msg-media-xml.ts';
import { mediaContent } from '../sandbox/msg/msg-media.ts';
import type { IlinkVoice } from '../../storage/ports.ts';
import type { IlinkClient, IlinkMessageItem } from './ilink-client.ts';

/** A media message's 1010 fields, and the voice it stored (download_voice finds it by the message id). */
export interface IncomingContent {
  readonly msgType: number;
  readonly content: string;
  readonly voice?: IlinkVoice;
}

/** What storing incoming media needs: the iLink client (its CDN calls), the CDN base URL, the instance's CDN. */
export interface MediaInDeps {
  readonly client: IlinkClient;
  readonly cdnBaseUrl: string;
  readonly media: SandboxMedia | undefined;
}

/**
 * How many polls in a row may fail on one media item before its message is published without it (as WeChat's summary
 * text, e.g. `[图片]`): an object the CDN never serves must not hold the account's messages back forever.
 */
export const MEDIA_ATTEMPTS = 5;

/** What WeChat shows for a message it cannot display: the 1010 of a media item that could not be fetched. */
const SUMMARY: Readonly<Record<number, string>> = { [ILINK_ITEM.IMAGE]: '[图片]', [ILINK_ITEM.VOICE]: '[语音]', [ILINK_ITEM.FILE]: '[文件]', [ILINK_ITEM.VIDEO]: '[视频]' };
const FIELD: Readonly<Record<number, string>> = { [ILINK_ITEM.IMAGE]: 'image_item', [ILINK_ITEM.VOICE]: 'voice_item', [ILINK_ITEM.FILE]: 'file_item', [ILINK_ITEM.VIDEO]: 'video_item' };

type Node = Record<string, unknown>;
const node = (v: unknown): Node => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Node : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The media item a message is delivered as: its first image, voice, file or video item. */
export function mediaItemOf(items: readonly IlinkMessageItem[]): IlinkMessageItem | undefined {
  return items.find((item) => typeof item?.type === 'number' && item.type in FIELD);
}

/** The 1010 of a media item that could not be fetched: the summary WeChat shows, as a text (a file keeps its name). */
export function unavailableContent(item: IlinkMessageItem): IncomingContent {
  const name = item.type === ILINK_ITEM.FILE ? str(node(item.file_item).file_name).slice(0, 255) : '';
  return { msgType: MSG_TYPES.Text, content: name ? `${SUMMARY[item.type!]} ${name}` : SUMMARY[item.type!]! };
}

/**
 * The item's key as 32 hex characters: an image's `aeskey` (hex) first, as the plugin reads it, else `media.aes_key` in
 * either encoding (base64 of the 16 bytes, or of their 32 hex characters); undefined for an unencrypted object.
 */
function keyOf(item: IlinkMessageItem, field: Node): string | undefined {
  const hex = str(field.aeskey);
  if (item.type === ILINK_ITEM.IMAGE && /^[0-9a-fA-F]{32}$/.test(hex)) return hex.toLowerCase();
  const aesKey = str(node(field.media).aes_key);
  if (!aesKey) return undefined;
  const key = aesKeyOfMedia(aesKey);
  if (!key) throw new Error('media.aes_key is neither base64 of 16 bytes nor of 32 hex characters');
  return key;
}

/** The item's plaintext: from `full_url`, else from the CDN base URL with `encrypt_query_param`; bounded in size. */
async function fetchPlain(deps: MediaInDeps, item: IlinkMessageItem, field: Node, maxBytes: number): Promise<Buffer> {
  const media = node(field.media);
  const fullUrl = str(media.full_url);
  const param = str(media.encrypt_query_param);
  if (!/^https?:\/\//.test(fullUrl) && !param) throw new Error('the media item names no CDN object (no full_url, no encrypt_query_param)');
  const url = /^https?:\/\//.test(fullUrl) ? fullUrl : cdnDownloadUrl(deps.cdnBaseUrl, param);
  const key = keyOf(item, field);
  const body = await deps.client.cdnDownload(url, key ? paddedSize(maxBytes) : maxBytes);
  return key ? decryptCdnObject(body, key) : body;
}

/**
 * Downloads one media item into the instance's CDN and answers its 1010 fields (msg_type 3, 34, 49 with appmsg type 6,
 * or 43). Throws when the object cannot be fetched, decrypted or read: the caller retries the poll.
 */
export async function storeIncomingMedia(deps: MediaInDeps, appId: string, guid: string, sender: string, item: IlinkMessageItem): Promise<IncomingContent> {
  const media = requireMedia(deps.media);
  const field = node(item[FIELD[item.type!]!]);
  const plain = await fetchPlain(deps, item, field, media.maxObjectBytes);
  if (item.type === ILINK_ITEM.IMAGE) {
    const up = await uploadImage(media, appId, guid, plain, 'image', '');
    return { msgType: MSG_TYPES.Image, content: mediaContent.image([...up.objects.values()], up.fileId, up.aesKey) };
  }
  if (item.type === ILINK_ITEM.VIDEO) {
    const up = await uploadVideo(media, appId, guid, plain, 'video', 'video.mp4');
    return { msgType: MSG_TYPES.Video, content: mediaContent.video([...up.objects.values()], up.fileId, up.aesKey, sender) };
  }
  if (item.type === ILINK_ITEM.FILE) {
    const fileName = str(field.file_name).slice(0, 255) || 'file';
    const up = await media.cdn.put({ appId, ownerGuid: guid, mediaKind: 'file', fileName, renditions: [{ rendition: 'main', plain }] });
    const file = up.objects.get('main')!;
    return { msgType: MSG_TYPES.App, content: fileXml({ fileId: up.fileId, aesKey: up.aesKey, md5: file.md5, size: file.size, fileName, fromUsername: sender }) };
  }
  // A voice is stored as WeChat keeps it (SILK, measured), whatever encode_type the server sent (SILK, MP3, WAV, AMR).
  const voice = await toWeChatVoice(plain, 'voice_item');
  const up = await media.cdn.put({ appId, ownerGuid: guid, mediaKind: 'voice', fileName: 'voice.silk', renditions: [{ rendition: 'main', plain: voice.silk, durationMs: voice.durationMs }] });
  const content = voiceXml({
    fromUsername: sender, voiceLengthMs: voice.durationMs, size: voice.silk.length, aesKey: up.aesKey, voiceUrl: up.fileId, clientMsgId: '', bufId: '0',
  });
  return { msgType: MSG_TYPES.Voice, content, voice: { fileId: up.fileId, aesKey: up.aesKey } };
}
