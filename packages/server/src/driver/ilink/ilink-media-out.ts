// Media sends over iLink, and the instance's CDN they draw from: /cloud/cdn_upload and /cloud/cdn_download as the
// sandbox serves them; send_image|file|video|voice read the object (or the audio), upload it to the iLink CDN
// (getuploadurl, AES-128-ECB) and send its item; send_refer_msg is a text item with ref_msg.
import { createHash, randomBytes } from 'node:crypto';
import { ApiError, invalidField, MSG_TYPES } from '@wxgate/contract';
import { encryptCdnObject } from '../../wechat/cdn-crypto.ts';
import { cdnUploadUrl, ILINK_ITEM, ILINK_UPLOAD_MEDIA, ILINK_VOICE_ENCODING, paddedSize } from '../../wechat/ilink-protocol.ts';
import { VOICE_SAMPLE_RATE } from '../../wechat/silk.ts';
import { readUploadSource } from '../cdn/upload-source.ts';
import { toWeChatVoice } from '../cdn/voice-transcode.ts';
import type { DriverOperations } from '../driver.ts';
import { downloadAnswer, renditionsOf, requireMedia, uploadAnswer, uploadedThumbnail, voiceDownloadAnswer } from '../sandbox/cloud.ts';
import { checkVoiceLength, plausibleVoiceLength, readVoiceSource, voiceSource } from '../sandbox/msg/msg-media.ts';
import { OK_BASE_RESPONSE, skString } from '../sandbox/wechat-objects.ts';
import type { IlinkLinkRecord } from '../../storage/ports.ts';
import type { IlinkDeps } from './ilink-link.ts';
import type { IlinkSend } from './ilink-session.ts';

type Json = Record<string, unknown>;
const seconds = (ms: number) => Math.floor(ms / 1000);

/** An object uploaded to the iLink CDN: what a media item's `media` names, and the sizes items carry. */
interface IlinkUpload {
  readonly media: Json;
  readonly rawSize: number;
  readonly cipherSize: number;
}

/**
 * Uploads `plain` to the iLink CDN the way the plugin does: a random filekey and AES key, getuploadurl with the sizes
 * and md5 (no thumbnail: the receiving side makes its own), the ciphertext POSTed, its x-encrypted-param the reference.
 */
async function uploadToIlink(deps: IlinkDeps, link: IlinkLinkRecord, plain: Buffer, mediaType: number, toUser: string): Promise<IlinkUpload> {
  const filekey = randomBytes(16).toString('hex');
  const aesKey = randomBytes(16).toString('hex');
  const where = await deps.client.getUploadUrl(link, {
    filekey, media_type: mediaType, to_user_id: toUser, rawsize: plain.length, rawfilemd5: createHash('md5').update(plain).digest('hex'),
    filesize: paddedSize(plain.length), no_need_thumb: true, aeskey: aesKey,
  });
  const url = where.uploadFullUrl ?? cdnUploadUrl(deps.cdnBaseUrl, where.uploadParam!, filekey);
  const param = await deps.client.cdnUpload(url, encryptCdnObject(plain, aesKey));
  // aes_key as the plugin sends it: base64 of the key's hex text (servers read both encodings).
  return { media: { encrypt_query_param: param, aes_key: Buffer.from(aesKey).toString('base64'), encrypt_type: 1 }, rawSize: plain.length, cipherSize: paddedSize(plain.length) };
}

/** The answer of a send that WeChat answers with SendAppMsgResponse (a file, a quote), as the sandbox answers it. */
function appMsgAnswer(sent: { newMsgId: string; clientMsgId: string; at: number }, from: string, to: string) {
  const at = seconds(sent.at);
  return {
    baseResponse: OK_BASE_RESPONSE, appId: '', fromUserName: from, toUserName: to, msgId: 0, clientMsgId: sent.clientMsgId, createTime: at,
    type: MSG_TYPES.App, newMsgId: sent.newMsgId, count: 1,
    list: [{ ret: 0, toUserName: skString(to), msgId: 0, clientMsgId: at, createTime: at, serverTime: at, type: MSG_TYPES.App, newMsgId: sent.newMsgId }],
  };
}

export function mediaOperations(guid: string, appId: string, deps: IlinkDeps, send: IlinkSend): DriverOperations {
  const linked = async () => {
    const link = await deps.store.ilinkLinks.get(guid);
    if (!link) throw new ApiError('NOT_LOGGED_IN');
    return link;
  };
  const media = () => requireMedia(deps.media);
  /** The plaintext of an object of the instance's CDN that a send names (file_id and aes_key, as cdn_upload answered). */
  const object = async (fileId: string, aesKey: string, wanted: Parameters<typeof renditionsOf>[0], kind?: 'video') => {
    const records = await media().cdn.check(appId, fileId, aesKey);
    if (kind === 'video' && !records.some((r) => r.mediaKind === 'video' || r.mediaKind === 'sns_video')) {
      throw new ApiError('CDN_OBJECT_NOT_FOUND', 'this file_id is not a video (file_type 4)');
    }
    return media().cdn.open(appId, fileId, aesKey, renditionsOf(wanted));
  };

  return {
    '/cloud/cdn_upload': async (req) => {
      if (![1, 2, 4, 5].includes(req.file_type)) throw invalidField('file_type', 'use 1 mini-program cover, 2 image, 4 video or 5 file & GIF');
      await linked();
      const { bytes, suggestedName } = await readUploadSource(req.url, media().services.fetcher, media().maxObjectBytes);
      return uploadAnswer(media(), appId, guid, req.file_type, bytes, suggestedName, await uploadedThumbnail(media(), req.file_type, req.thumb_url ?? ''));
    },
    '/cloud/cdn_download': async (req) => {
      const wanted = renditionsOf(req.file_type);
      await linked();
      return downloadAnswer(media(), appId, req.file_id, req.aes_key, wanted, req.file_name ?? '');
    },
    '/cloud/download_voice': async (req) => {
      const voice = await deps.store.ilinkLinks.voice(guid, req.msg_id);
      if (!voice) throw new ApiError('VOICE_NOT_FOUND');
      return voiceDownloadAnswer(media(), appId, guid, voice, req);
    },
    '/msg/send_image': async (req) => {
      const link = await linked();
      const { record, plain } = await object(req.file_id, req.aes_key, 1);
      const up = await uploadToIlink(deps, link, plain, ILINK_UPLOAD_MEDIA.IMAGE, req.to_username);
      const sent = await send(link, req.to_username, { type: ILINK_ITEM.IMAGE, image_item: { media: up.media, mid_size: up.cipherSize } });
      return {
        baseResponse: OK_BASE_RESPONSE, msgId: 0, newMsgId: sent.newMsgId, clientImgId: skString(sent.clientMsgId), fromUserName: skString(link.ilinkUserId),
        toUserName: skString(req.to_username), totalLen: record.size, startPos: record.size, dataLen: record.size, createTime: seconds(sent.at),
      };
    },
    '/msg/send_video': async (req) => {
      const link = await linked();
      const { record, plain } = await object(req.file_id, req.aes_key, 4, 'video');
      const up = await uploadToIlink(deps, link, plain, ILINK_UPLOAD_MEDIA.VIDEO, req.to_username);
      const sent = await send(link, req.to_username, {
        type: ILINK_ITEM.VIDEO, video_item: { media: up.media, video_size: up.cipherSize, play_length: Math.max(1, Math.round(record.durationMs / 1000)), video_md5: record.md5 },
      });
      return { baseResponse: OK_BASE_RESPONSE, clientMsgId: sent.clientMsgId, msgId: 0, newMsgId: sent.newMsgId, startPos: record.size, thumbStartPos: 0 };
    },
    '/msg/send_file': async (req) => {
      const link = await linked();
      const { record, plain } = await object(req.file_id, req.aes_key, 5);
      const up = await uploadToIlink(deps, link, plain, ILINK_UPLOAD_MEDIA.FILE, req.to_username);
      const fileName = req.file_name || record.fileName || record.md5;
      const sent = await send(link, req.to_username, { type: ILINK_ITEM.FILE, file_item: { media: up.media, file_name: fileName, md5: record.md5, len: String(up.rawSize) } });
      return appMsgAnswer(sent, link.ilinkUserId, req.to_username);
    },
    '/msg/send_voice': async (req) => {
      const source = voiceSource(req);
      const given = req.voice_length ?? 0;
      plausibleVoiceLength(given);
      const link = await linked();
      const audio = await readVoiceSource(media(), appId, source);
      const voice = await toWeChatVoice(audio.bytes, audio.field);
      checkVoiceLength(given, voice.durationMs);
      const up = await uploadToIlink(deps, link, voice.silk, ILINK_UPLOAD_MEDIA.VOICE, req.to_username);
      const sent = await send(link, req.to_username, {
        type: ILINK_ITEM.VOICE,
        voice_item: { media: up.media, encode_type: ILINK_VOICE_ENCODING.SILK, bits_per_sample: 16, sample_rate: VOICE_SAMPLE_RATE, playtime: voice.durationMs },
      });
      // download_voice serves sent voices too, as WeChat's does: the SILK goes to the instance's CDN under the message id.
      const stored = await media().cdn.put({ appId, ownerGuid: guid, mediaKind: 'voice', fileName: 'voice.silk', renditions: [{ rendition: 'main', plain: voice.silk, durationMs: voice.durationMs }] });
      await deps.store.ilinkLinks.setVoice(guid, sent.newMsgId, { fileId: stored.fileId, aesKey: stored.aesKey }, deps.now());
      return {
        baseResponse: OK_BASE_RESPONSE, fromUserName: link.ilinkUserId, toUserName: req.to_username, offset: voice.silk.length, length: voice.silk.length,
        createTime: seconds(sent.at), clientMsgId: sent.clientMsgId, msgId: 0, voiceLength: voice.durationMs, endFlag: 1, cancelFlag: 0, newMsgId: sent.newMsgId,
      };
    },
    '/msg/send_refer_msg': async (req) => {
      if (req.content.trim() === '') throw invalidField('content', 'WeChat does not send an empty message; pass some text');
      const ref = req.refer_msg;
      if (!/^\d{1,20}$/.test(ref.msg_id)) throw invalidField('refer_msg', 'refer_msg.msg_id is the newMsgId (svrid) of the quoted message, a decimal number');
      const link = await linked();
      // iLink names the quoted message by its id; its text (and kind) go along for a server that does not have it.
      const quotedType = ({ [MSG_TYPES.Image]: ILINK_ITEM.IMAGE, [MSG_TYPES.Voice]: ILINK_ITEM.VOICE, [MSG_TYPES.Video]: ILINK_ITEM.VIDEO, [MSG_TYPES.App]: ILINK_ITEM.FILE } as Record<number, number>)[ref.msg_type] ?? ILINK_ITEM.TEXT;
      const messageItem = quotedType === ILINK_ITEM.TEXT
        ? { type: ILINK_ITEM.TEXT, msg_id: ref.msg_id, text_item: { text: ref.content ?? '' } }
        : { type: quotedType, msg_id: ref.msg_id };
      const sent = await send(link, req.to_username, {
        type: ILINK_ITEM.TEXT, text_item: { text: req.content }, ref_msg: { svr_id: ref.msg_id, title: ref.content ?? '', message_item: messageItem },
      });
      return appMsgAnswer(sent, link.ilinkUserId, req.to_username);
    },
  };
}
