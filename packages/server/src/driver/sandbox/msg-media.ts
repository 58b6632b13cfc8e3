// The media sends of one instance (send_image, send_video, send_file): the referenced CDN object must exist in this
// app's CDN and open with the given key; the message carries WeChat's XML, from which the receiver can download.
import { ApiError, MSG_TYPES } from '@wxgate/contract';
import type { CdnObjectRecord, CdnRendition, SandboxPerson } from '../../storage/ports.ts';
import type { DriverOperations } from '../driver.ts';
import { requireMedia, type SandboxMedia } from './cloud.ts';
import { deliver, openConversation } from './msg-delivery.ts';
import { fileXml, imageXml, videoXml } from './msg-media-xml.ts';
import { sendAppMsgResponse } from './msg.ts';
import { OK_BASE_RESPONSE, skString } from './wechat-objects.ts';
import { requireAccount, type World, type WorldChange } from './world.ts';

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

export function mediaSendOperations(world: World, mediaOption: SandboxMedia | undefined, appId: string, guid: string): DriverOperations {
  const asAccount = <T>(work: (change: WorldChange, me: SandboxPerson) => Promise<T>) =>
    world.change(appId, async (change) => work(change, await requireAccount(change, guid)));
  // the CDN is checked before the world's transaction opens (the store answers plain calls only between transactions)
  const checked = (fileId: string, aesKey: string) => requireMedia(mediaOption).cdn.check(appId, fileId, aesKey);
  return {
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
