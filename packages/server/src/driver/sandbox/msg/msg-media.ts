// The media sends of one instance (send_image, send_video, send_file, send_voice, and send_link_card, whose thumbnail
// is fetched): a referenced CDN object must exist in this app's CDN and open with the given key; fetched or transcoded
// content goes to the CDN first, outside the world's transaction. The message carries WeChat's XML, from which the
// receiver can download.
import { ApiError, invalidField, MAX_VOICE_MESSAGE_MS, MSG_TYPES, type Contract, type RequestOf } from '@wxgate/contract';
import type { CdnObjectRecord, CdnRendition, NewSandboxMessage, SandboxPerson } from '../../../storage/ports.ts';
import { readUploadSource } from '../../cdn/upload-source.ts';
import { toWeChatVoice } from '../../cdn/voice-transcode.ts';
import type { DriverOperations } from '../../driver.ts';
import { requireMedia, uploadImage, type SandboxMedia } from '../cloud.ts';
import { deliver, openConversation } from './msg-delivery.ts';
import { fileXml, imageXml, videoXml, voiceXml } from './msg-media-xml.ts';
import { MESSAGE_SENDS, sendAppMsgResponse } from './msg.ts';
import { OK_BASE_RESPONSE, skString } from '../wechat-objects.ts';
import { requireAccount, type World, type WorldChange } from '../world.ts';

const seconds = (ms: number) => Math.floor(ms / 1000);

function rendition(records: readonly CdnObjectRecord[], which: CdnRendition, what: string): CdnObjectRecord {
  const found = records.find((r) => r.rendition === which);
  if (!found) throw new ApiError('CDN_OBJECT_NOT_FOUND', `this file_id is not ${what}; upload it with the matching cdn_upload file_type`);
  return found;
}

/** The content of a media message from the CDN records under one file id (shared with the /sandbox control). */
export const mediaContent = {
  image(records: readonly CdnObjectRecord[], fileId: string, aesKey: string): string {
    const hd = rendition(records, 'original', 'an image (file_type 2)');
    const mid = rendition(records, 'mid', 'an image (file_type 2)');
    const thumb = rendition(records, 'thumb', 'an image (file_type 2)');
    return imageXml({
      fileId, aesKey, md5: hd.md5, hd: { size: hd.size, width: hd.width, height: hd.height }, mid: { size: mid.size, width: mid.width, height: mid.height },
      thumb: { size: thumb.size, width: thumb.width, height: thumb.height },
    });
  },
  video(records: readonly CdnObjectRecord[], fileId: string, aesKey: string, fromUsername: string): string {
    const video = rendition(records, 'main', 'a video (file_type 4)');
    if (video.mediaKind !== 'video' && video.mediaKind !== 'sns_video') throw new ApiError('CDN_OBJECT_NOT_FOUND', 'this file_id is not a video (file_type 4)');
    const thumb = rendition(records, 'thumb', 'a video (file_type 4)');
    return videoXml({
      fileId, aesKey, md5: video.md5, size: video.size, playLengthSeconds: Math.max(1, Math.round(video.durationMs / 1000)), fromUsername,
      thumb: { size: thumb.size, width: thumb.width, height: thumb.height },
    });
  },
  file(records: readonly CdnObjectRecord[], fileId: string, aesKey: string, fileName: string, fromUsername: string): string {
    const file = records.find((r) => r.rendition === 'main') ?? rendition(records, 'original', 'a file (file_type 5)');
    return fileXml({ fileId, aesKey, md5: file.md5, size: file.size, fileName: fileName || file.fileName || file.md5, fromUsername });
  },
};

/** A voice on the CDN (its SILK under one file id), as a 34 carries it. */
export interface StoredVoice {
  readonly fileId: string;
  readonly aesKey: string;
  readonly size: number;
  readonly durationMs: number;
}

/** Sends a voice message (34) with WeChat's <voicemsg> (shared with /sandbox/messages/send_media). */
export async function deliverVoice(change: WorldChange, sender: SandboxPerson, toUsername: string, voice: StoredVoice): Promise<{ message: NewSandboxMessage; clientMsgId: string }> {
  const conversation = await openConversation(change, sender, toUsername);
  const clientMsgId = `${sender.wxid}${change.now}`;
  const content = voiceXml({
    fromUsername: sender.wxid, voiceLengthMs: voice.durationMs, size: voice.size, aesKey: voice.aesKey, voiceUrl: voice.fileId, clientMsgId, bufId: '0',
  });
  return { message: await deliver(change, sender, conversation, { msgType: MSG_TYPES.Voice, content }), clientMsgId };
}

/** How far a caller's voice_length may be from the measured length: clients round to whole seconds. */
const VOICE_LENGTH_TOLERANCE_MS = 1000;

type SendVoiceRequest = RequestOf<Contract['/msg/send_voice']>;

/** Exactly one source: `url`, or `file_id` with its `aes_key` ('' counts as absent, as vendor clients send every field). */
export function voiceSource(req: SendVoiceRequest): { url: string } | { fileId: string; aesKey: string; size: number } {
  const url = req.url ?? '';
  const fileId = req.file_id ?? '';
  if (url && fileId) throw invalidField('url', 'pass the audio either as url or as file_id with aes_key, not both');
  if (url) return { url };
  if (!fileId) throw invalidField('url', 'pass the audio as url (http(s), data: URL or base64), or as file_id with aes_key', 'missing');
  if (!req.aes_key) throw invalidField('aes_key', 'file_id needs the aes_key it was uploaded with', 'missing');
  if ((req.file_size ?? 0) < 0) throw invalidField('file_size', 'a file size is not negative; 0 skips the check');
  return { fileId, aesKey: req.aes_key, size: req.file_size ?? 0 };
}

/** The audio's bytes, and the request field they came in (what a 422 about them names). */
export async function readVoiceSource(media: SandboxMedia, appId: string, source: ReturnType<typeof voiceSource>): Promise<{ bytes: Buffer; field: string }> {
  if ('url' in source) return { bytes: (await readUploadSource(source.url, media.services.fetcher, media.maxObjectBytes)).bytes, field: 'url' };
  const { record, plain } = await media.cdn.open(appId, source.fileId, source.aesKey, ['main', 'original']);
  if (source.size > 0 && source.size !== record.size) throw invalidField('file_size', `file_id holds ${record.size} bytes, not ${source.size}`);
  return { bytes: plain, field: 'file_id' };
}

/** What can be said of a caller's voice_length before the audio is read. */
export function plausibleVoiceLength(given: number): void {
  if (given < 0) throw invalidField('voice_length', 'voice_length is in ms and not negative; 0 (or leaving it out) means measured');
  if (given > MAX_VOICE_MESSAGE_MS) throw invalidField('voice_length', `a WeChat voice message lasts at most ${MAX_VOICE_MESSAGE_MS} ms`);
}

export function checkVoiceLength(given: number, measured: number): void {
  if (given !== 0 && Math.abs(given - measured) > VOICE_LENGTH_TOLERANCE_MS) {
    throw invalidField('voice_length', `the audio lasts ${measured} ms, not ${given} (voice_length is in ms); leave it out to use the measured length`);
  }
}

export function mediaSendOperations(world: World, mediaOption: SandboxMedia | undefined, appId: string, guid: string): DriverOperations {
  // Media sends only add a message and read the rest of the world: they run side by side (World.addMessages).
  const asAccount = <T>(work: (change: WorldChange, me: SandboxPerson) => Promise<T>) =>
    world.addMessages(appId, async (change) => work(change, await requireAccount(change, guid)));
  // the CDN is checked before the world's transaction opens (the store answers plain calls only between transactions)
  const checked = (fileId: string, aesKey: string) => requireMedia(mediaOption).cdn.check(appId, fileId, aesKey);
  // Checked before anything is fetched or stored, so a refusal (logged out, not a friend, no such room) leaves nothing behind.
  const canSendTo = (toUsername: string) => asAccount((change, me) => openConversation(change, me, toUsername));
  return {
    '/msg/send_link_card': async (req) => {
      if (req.title.trim() === '') throw invalidField('title', 'WeChat does not send an empty message; pass some text');
      const media = requireMedia(mediaOption);
      await canSendTo(req.to_username);
      const { bytes, suggestedName } = await readUploadSource(req.image_url, media.services.fetcher, media.maxObjectBytes, 'image_url');
      // a mini-program cover's renditions (file_type 1): the card's thumbnail is the thumb rendition
      const up = await uploadImage(media, appId, guid, bytes, 'cover', suggestedName);
      const thumb = up.objects.get('thumb')!;
      const cdnReq = {
        to_username: req.to_username, title: req.title, desc: req.desc ?? '', url: req.url,
        thumb_file_id: up.fileId, thumb_aes_key: up.aesKey, thumb_file_size: thumb.size, thumb_file_md5: thumb.md5,
      };
      return asAccount(async (change, me) => (await MESSAGE_SENDS['/msg/send_link_card_cdn'](change, me, cdnReq)).response);
    },
    '/msg/send_voice': async (req) => {
      const source = voiceSource(req);
      const given = req.voice_length ?? 0;
      plausibleVoiceLength(given);
      const media = requireMedia(mediaOption);
      await canSendTo(req.to_username);
      const audio = await readVoiceSource(media, appId, source);
      const voice = await toWeChatVoice(audio.bytes, audio.field);
      checkVoiceLength(given, voice.durationMs);
      const up = await media.cdn.put({ appId, ownerGuid: guid, mediaKind: 'voice', fileName: 'voice.silk', renditions: [{ rendition: 'main', plain: voice.silk, durationMs: voice.durationMs }] });
      return asAccount(async (change, me) => {
        const stored = { fileId: up.fileId, aesKey: up.aesKey, size: voice.silk.length, durationMs: voice.durationMs };
        const { message, clientMsgId } = await deliverVoice(change, me, req.to_username, stored);
        return {
          baseResponse: OK_BASE_RESPONSE, fromUserName: me.wxid, toUserName: message.toUsername, offset: stored.size, length: stored.size,
          createTime: seconds(message.createdAt), clientMsgId, msgId: message.localId, voiceLength: stored.durationMs, endFlag: 1, cancelFlag: 0,
          newMsgId: message.msgId,
        };
      });
    },
    '/msg/send_image': async (req) => {
      const records = await checked(req.file_id, req.aes_key);
      const content = mediaContent.image(records, req.file_id.toLowerCase(), req.aes_key.toLowerCase());
      return asAccount(async (change, me) => {
        const conversation = await openConversation(change, me, req.to_username);
        const message = await deliver(change, me, conversation, { msgType: MSG_TYPES.Image, content });
        const size = rendition(records, 'mid', 'an image').size;
        return {
          baseResponse: OK_BASE_RESPONSE, msgId: message.localId, newMsgId: message.msgId, clientImgId: skString(String(message.clientMsgId)),
          fromUserName: skString(me.wxid), toUserName: skString(message.toUsername), totalLen: size, startPos: size, dataLen: size,
          createTime: seconds(message.createdAt),
        };
      });
    },
    '/msg/send_video': async (req) => {
      const records = await checked(req.file_id, req.aes_key);
      return asAccount(async (change, me) => {
        const content = mediaContent.video(records, req.file_id.toLowerCase(), req.aes_key.toLowerCase(), me.wxid);
        const conversation = await openConversation(change, me, req.to_username);
        const message = await deliver(change, me, conversation, { msgType: MSG_TYPES.Video, content });
        const video = rendition(records, 'main', 'a video');
        const thumb = rendition(records, 'thumb', 'a video');
        return {
          baseResponse: OK_BASE_RESPONSE, clientMsgId: String(message.clientMsgId), msgId: message.localId, newMsgId: message.msgId,
          startPos: video.size, thumbStartPos: thumb.size,
        };
      });
    },
    '/msg/send_file': async (req) => {
      const records = await checked(req.file_id, req.aes_key);
      return asAccount(async (change, me) => {
        const content = mediaContent.file(records, req.file_id.toLowerCase(), req.aes_key.toLowerCase(), req.file_name, me.wxid);
        const conversation = await openConversation(change, me, req.to_username);
        const message = await deliver(change, me, conversation, { msgType: MSG_TYPES.App, appType: 6, content, pushDetail: req.file_name });
        return sendAppMsgResponse(message, me, '');
      });
    },
  };
}
