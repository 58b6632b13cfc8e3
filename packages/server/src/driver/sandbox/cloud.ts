// The /cloud/* operations of one sandbox instance: uploads to and downloads from the simulated WeChat CDN (encrypted
// objects under a per-upload aes_key; see driver/cdn/), with the content fetched through the guarded MediaFetcher.
import { ApiError, invalidField, MSG_TYPES } from '@wxgate/contract';
import type { CdnRendition } from '../../storage/ports.ts';
import { decodeSilkVoice } from '../../wechat/silk.ts';
import { pcmToMp3 } from '../cdn/audio.ts';
import { CdnObjects, type RenditionInput } from '../cdn/cdn-objects.ts';
import { givenThumbnail, imageRenditions, probeVideo, type Picture } from '../cdn/media-probe.ts';
import { readUploadSource } from '../cdn/upload-source.ts';
import type { DriverOperations } from '../driver.ts';
import type { MediaServices } from '../media.ts';
import { requireAccount, type World } from './world.ts';

/** What the sandbox needs for media: the CDN and the services app.ts wires (absent in drivers built without media). */
export interface SandboxMedia {
  readonly cdn: CdnObjects;
  readonly services: MediaServices;
  /** Largest upload accepted (plaintext bytes). */
  readonly maxObjectBytes: number;
}

/** cdn_download file_type → the renditions it may return, best first (doc: 1 original, 2 mid, 3 thumb, 4 video, 5 file & GIF). */
const DOWNLOAD_RENDITIONS: Record<number, readonly CdnRendition[]> = {
  1: ['original', 'main'], 2: ['mid', 'original'], 3: ['thumb'], 4: ['main'], 5: ['main', 'original'],
  10001: ['main', 'original'], 10002: ['main'],
};

/** A CDN file id inside any string (a bare id, or a URL carrying it), as the emoji/WeCom downloads receive. */
const FILE_ID_IN_TEXT = /3057020100044b3049[0-9a-f]{160}/i;

export function requireMedia(media: SandboxMedia | undefined): SandboxMedia {
  if (!media) throw new ApiError('NOT_SUPPORTED', 'this wxgate was built without a media store');
  return media;
}

export function renditionsOf(fileType: number): readonly CdnRendition[] {
  const wanted = DOWNLOAD_RENDITIONS[fileType];
  if (!wanted) throw invalidField('file_type', 'use 1 original image, 2 mid image, 3 thumbnail, 4 video or 5 file & GIF');
  return wanted;
}

/**
 * Uploads one image with WeChat's three renditions; `mediaKind` says what it is for (chat image, cover, Moments).
 * `givenThumb` is the uploader's own thumbnail, kept instead of the one made from the image.
 */
export async function uploadImage(media: SandboxMedia, appId: string, guid: string | null, bytes: Buffer, mediaKind: 'image' | 'cover' | 'sns_image', fileName: string, givenThumb?: Picture) {
  const { original, mid, thumb: made } = await imageRenditions(bytes);
  const thumb = givenThumb ?? made;
  const renditions: RenditionInput[] = [
    { rendition: 'original', plain: original.bytes, width: original.width, height: original.height },
    { rendition: 'mid', plain: mid.bytes, width: mid.width, height: mid.height },
    { rendition: 'thumb', plain: thumb.bytes, width: thumb.width, height: thumb.height },
  ];
  return media.cdn.put({ appId, ownerGuid: guid, mediaKind, fileName, renditions });
}

export async function uploadVideo(media: SandboxMedia, appId: string, guid: string | null, bytes: Buffer, mediaKind: 'video' | 'sns_video', fileName: string, givenThumb?: Picture) {
  const { durationMs, thumb: made } = await probeVideo(bytes);
  const thumb = givenThumb ?? made;
  return media.cdn.put({
    appId, ownerGuid: guid, mediaKind, fileName,
    renditions: [
      { rendition: 'main', plain: bytes, durationMs, width: made.width, height: made.height },
      { rendition: 'thumb', plain: thumb.bytes, width: thumb.width, height: thumb.height },
    ],
  });
}

/** The download answer: a link wxgate serves for a while, and the content itself. */
export async function downloadAnswer(media: SandboxMedia, appId: string, fileId: string, aesKey: string, wanted: readonly CdnRendition[], fileName: string) {
  const { record, plain } = await media.cdn.open(appId, fileId, aesKey, wanted);
  const name = fileName || record.fileName || `${record.md5}${record.rendition === 'main' ? '' : '.jpg'}`;
  const link = media.services.links.downloadUrl({ fileId: record.fileId, aesKey: aesKey.toLowerCase(), fileName: name, rendition: record.rendition });
  return { url: link.url, download_url: link.url, expires_at: link.expiresAt, base64: plain.toString('base64'), file_size: plain.length, file_md5: record.md5, file_name: name };
}

/** The uploader's own thumbnail (cdn_upload's thumb_url), for an image or a video only. */
export async function uploadedThumbnail(media: SandboxMedia, fileType: number, thumbUrl: string): Promise<Picture | undefined> {
  if (!thumbUrl) return undefined;
  if (![1, 2, 4].includes(fileType)) throw invalidField('thumb_url', 'a thumbnail goes with an image (file_type 1 or 2) or a video (4)');
  const { bytes } = await readUploadSource(thumbUrl, media.services.fetcher, media.maxObjectBytes, 'thumb_url');
  return givenThumbnail(bytes, 'thumb_url');
}

/** cdn_upload's answer once the bytes are read: file_type 1 or 2 an image's renditions, 4 a video and its thumbnail, 5 a file. */
export async function uploadAnswer(media: SandboxMedia, appId: string, guid: string, fileType: number, bytes: Buffer, suggestedName: string, thumbnail?: Picture) {
  if (fileType === 1 || fileType === 2) {
    const up = await uploadImage(media, appId, guid, bytes, fileType === 1 ? 'cover' : 'image', suggestedName, thumbnail);
    const original = up.objects.get('original')!;
    const mid = up.objects.get('mid')!;
    const thumb = up.objects.get('thumb')!;
    return {
      file_id: up.fileId, aes_key: up.aesKey, file_size: original.size, file_md5: original.md5, file_crc: original.crc32, file_key: '',
      big_file_size: original.size, mid_file_size: mid.size, thumb_file_size: thumb.size, thumb_width: thumb.width, thumb_height: thumb.height,
      width: original.width, height: original.height,
    };
  }
  if (fileType === 4) {
    const up = await uploadVideo(media, appId, guid, bytes, 'video', suggestedName || 'video.mp4', thumbnail);
    const video = up.objects.get('main')!;
    const thumb = up.objects.get('thumb')!;
    return {
      file_id: up.fileId, aes_key: up.aesKey, file_size: video.size, file_md5: video.md5, file_crc: video.crc32, file_key: '',
      thumb_file_size: thumb.size, thumb_width: thumb.width, thumb_height: thumb.height, play_length: Math.max(1, Math.round(video.durationMs / 1000)),
    };
  }
  const up = await media.cdn.put({ appId, ownerGuid: guid, mediaKind: 'file', fileName: suggestedName, renditions: [{ rendition: 'main', plain: bytes }] });
  const file = up.objects.get('main')!;
  return { file_id: up.fileId, aes_key: up.aesKey, file_size: file.size, file_md5: file.md5, file_crc: file.crc32, file_key: '' };
}

/** download_voice's answer for a voice's CDN object: the SILK, or (to_mp3) an MP3 stored beside it. */
export async function voiceDownloadAnswer(media: SandboxMedia, appId: string, guid: string, voice: { fileId: string; aesKey: string }, req: { msg_id: string; file_name?: string; to_mp3?: boolean }) {
  const baseName = (req.file_name || `${req.msg_id}`).replace(/\.(silk|mp3|amr)$/i, '');
  if (!req.to_mp3) return downloadAnswer(media, appId, voice.fileId, voice.aesKey, ['main'], `${baseName}.silk`);
  const { plain } = await media.cdn.open(appId, voice.fileId, voice.aesKey, ['main']);
  const { pcm } = await decodeSilkVoice(plain);
  const mp3 = await pcmToMp3(pcm);
  const up = await media.cdn.put({ appId, ownerGuid: guid, mediaKind: 'voice', fileName: `${baseName}.mp3`, renditions: [{ rendition: 'main', plain: mp3 }] });
  return downloadAnswer(media, appId, up.fileId, up.aesKey, ['main'], `${baseName}.mp3`);
}

/**
 * The CDN reference of a voice message (34) the account on `guid` sent or received (`VOICE_NOT_FOUND` otherwise), for
 * download_voice and for voice transcription.
 */
export async function findVoiceMessage(world: World, appId: string, guid: string, msgId: string, roomUsername = ''): Promise<{ fileId: string; aesKey: string }> {
  const voice = await world.change(appId, async (change) => {
    const me = await requireAccount(change, guid);
    const message = await change.world.messages.get(appId, msgId);
    const mine = message && (message.fromWxid === me.wxid || message.toUsername === me.wxid || (message.chatroom !== '' && message.chatroom === (roomUsername || message.chatroom)));
    if (!message || !mine || message.msgType !== MSG_TYPES.Voice) throw new ApiError('VOICE_NOT_FOUND');
    return message;
  });
  const attr = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(voice.content)?.[1] ?? '';
  return { fileId: attr('voiceurl'), aesKey: attr('aeskey') };
}

export function cloudOperations(world: World, mediaOption: SandboxMedia | undefined, appId: string, guid: string): DriverOperations {
  const loggedIn = () => world.change(appId, (change) => requireAccount(change, guid));
  const source = async (url: string) => {
    const media = requireMedia(mediaOption);
    await loggedIn();
    return { media, ...(await readUploadSource(url, media.services.fetcher, media.maxObjectBytes)) };
  };
  return {
    '/cloud/download_voice': async (req) => {
      const media = requireMedia(mediaOption);
      return voiceDownloadAnswer(media, appId, guid, await findVoiceMessage(world, appId, guid, req.msg_id, req.room_username), req);
    },
    '/cloud/update_cdn_dns': async () => {
      await loggedIn();
      return {};
    },
    '/cloud/cdn_upload': (req) => upload(req.file_type, req.url, req.thumb_url ?? ''),
    '/cloud/upload': (req) => upload(req.file_type, req.url),
    // 4 big video, 7 big file: the same objects, without the gateway's body limit on the way in
    '/cloud/upload_big': (req) => {
      if (req.file_type !== 4 && req.file_type !== 7) throw invalidField('file_type', 'use 4 big video or 7 big file');
      return upload(req.file_type === 4 ? 4 : 5, req.url);
    },
    '/cloud/cdn_upload_sns_image': (req) => uploadSnsImage(req.url),
    '/cloud/upload_sns_image': (req) => uploadSnsImage(req.url),
    '/cloud/cdn_upload_sns_video': (req) => uploadSnsVideo(req.url),
    '/cloud/upload_sns_video': (req) => uploadSnsVideo(req.url),
    '/cloud/cdn_download': (req) => download(req.file_id, req.aes_key, renditionsOf(req.file_type), req.file_name ?? ''),
    '/cloud/download': (req) => download(req.file_id, req.aes_key, renditionsOf(req.file_type), req.file_name),
    '/cloud/cdn_download_fav': (req) => downloadFav(req.file_type, req.file_id, req.aes_key, req.file_name ?? ''),
    '/cloud/download_fav': (req) => downloadFav(req.file_type, req.file_id, req.aes_key, req.file_name),
    '/cloud/cdn_download_wwfile': (req) => downloadByUrl(req.url, req.aes_key, req.file_name ?? ''),
    '/cloud/download_ww_file': (req) => downloadByUrl(req.url, req.aes_key, req.file_name),
    '/cloud/download_wxemotion': (req) => downloadByUrl(req.url, req.aes_key, req.file_name),
    '/cloud/download_wx_emotion': (req) => downloadByUrl(req.url, req.aes_key, req.file_name),
    // https image URLs of the XML carry the file id in this network; `key` is its aes_key
    '/cloud/download_wx_image': (req) => downloadByUrl(req.url, req.key, req.file_name),
    // the sandbox encrypts Channels videos like every object: decode_key is the aes_key
    '/cloud/download_wx_video': (req) => downloadByUrl(req.url, req.decode_key, req.file_name),
  };

  async function upload(fileType: number, url: string, thumbUrl = '') {
    if (![1, 2, 4, 5].includes(fileType)) throw invalidField('file_type', 'use 1 mini-program cover, 2 image, 4 video or 5 file & GIF');
    const { media, bytes, suggestedName } = await source(url);
    return uploadAnswer(media, appId, guid, fileType, bytes, suggestedName, await uploadedThumbnail(media, fileType, thumbUrl));
  }

  async function uploadSnsImage(url: string) {
    const { media, bytes, suggestedName } = await source(url);
    const up = await uploadImage(media, appId, guid, bytes, 'sns_image', suggestedName);
    const original = up.objects.get('original')!;
    const links = media.services.links;
    return {
      url: links.downloadUrl({ fileId: up.fileId, aesKey: up.aesKey, fileName: 'image.jpg', rendition: 'mid', permanent: true }).url,
      thumb_url: links.downloadUrl({ fileId: up.fileId, aesKey: up.aesKey, fileName: 'thumb.jpg', rendition: 'thumb', permanent: true }).url,
      md5: original.md5, size: original.size, width: original.width, height: original.height, file_id: up.fileId, aes_key: up.aesKey,
    };
  }

  async function uploadSnsVideo(url: string) {
    const { media, bytes, suggestedName } = await source(url);
    const up = await uploadVideo(media, appId, guid, bytes, 'sns_video', suggestedName || 'video.mp4');
    const video = up.objects.get('main')!;
    const links = media.services.links;
    return {
      url: links.downloadUrl({ fileId: up.fileId, aesKey: up.aesKey, fileName: 'video.mp4', rendition: 'main', permanent: true }).url,
      thumb_url: links.downloadUrl({ fileId: up.fileId, aesKey: up.aesKey, fileName: 'thumb.jpg', rendition: 'thumb', permanent: true }).url,
      md5: video.md5, size: video.size, width: video.width, height: video.height, file_id: up.fileId, aes_key: up.aesKey,
    };
  }

  async function download(fileId: string, aesKey: string, wanted: readonly CdnRendition[], fileName: string) {
    const media = requireMedia(mediaOption);
    await loggedIn();
    return downloadAnswer(media, appId, fileId, aesKey, wanted, fileName);
  }

  function downloadFav(fileType: number, fileId: string, aesKey: string, fileName: string) {
    if (fileType !== 10001 && fileType !== 10002) throw invalidField('file_type', 'use 10001 file or image, 10002 video');
    return download(fileId, aesKey, renditionsOf(fileType), fileName);
  }

  function downloadByUrl(url: string, aesKey: string, fileName: string) {
    const fileId = FILE_ID_IN_TEXT.exec(url)?.[0];
    if (!fileId) throw new ApiError('CDN_OBJECT_NOT_FOUND', 'url names no CDN object of this network (pass the file id, or the URL from the message XML)');
    return download(fileId, aesKey, ['main', 'original'], fileName);
  }
}
