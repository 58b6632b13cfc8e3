// The media items of iLink's sendmessage as /msg/send_* calls of the bot's instance: an upload of this bot, or an item
// this bot received, sent on as it is (WeChat's forward: the same CDN object, by file id and key); a thumbnail the bot
// uploaded (thumb_media) goes with its image or video as the CDN upload's thumbnail rendition.
import { ApiError } from '@wxgate/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { IlinkDownloadParam, IlinkSendable } from '../../core/ilink/ilink-cdn-params.ts';
import type { Services } from '../../handlers/handler.ts';
import type { IlinkBotRecord } from '../../storage/ports.ts';
import { aesKeyOfMedia, ILINK_ITEM, ILINK_UPLOAD_MEDIA, type CdnMedia } from '../../wechat/ilink-protocol.ts';
import { asBot, fetchSource, UPLOAD_FILE_TYPE } from './ilink-media.ts';

type Body = Record<string, unknown>;
const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (what: string) => new ApiError('ILINK_BAD_REQUEST', `the iLink request is malformed: ${what}`);

/** Per item type: its field, the upload media_type its media must be, and the send. */
const ITEM_MEDIA: Readonly<Record<number, { field: 'image_item' | 'voice_item' | 'file_item' | 'video_item'; media: number; send: string }>> = {
  [ILINK_ITEM.IMAGE]: { field: 'image_item', media: ILINK_UPLOAD_MEDIA.IMAGE, send: '/msg/send_image' },
  [ILINK_ITEM.VOICE]: { field: 'voice_item', media: ILINK_UPLOAD_MEDIA.VOICE, send: '/msg/send_voice' },
  [ILINK_ITEM.FILE]: { field: 'file_item', media: ILINK_UPLOAD_MEDIA.FILE, send: '/msg/send_file' },
  [ILINK_ITEM.VIDEO]: { field: 'video_item', media: ILINK_UPLOAD_MEDIA.VIDEO, send: '/msg/send_video' },
};

/** Whether an item type is one mediaSendOf sends. */
export const isMediaItemType = (type: unknown): boolean => typeof type === 'number' && type in ITEM_MEDIA;

/** The message id a send answered (newMsgId, at the top or in its list). */
export function newMsgIdOf(answer: Body): string | undefined {
  const list = Array.isArray(answer.list) ? answer.list as Body[] : [];
  const id = answer.newMsgId ?? list[0]?.newMsgId;
  return id === undefined || id === null || id === '' ? undefined : String(id);
}

/** A media item's send: checked when built; `fields` may still upload (a thumbnail), so it runs before any send. */
export interface MediaSend {
  readonly path: string;
  readonly fields: () => Promise<Body>;
}

/**
 * A reference of this bot that it may send: its own upload, or an item it received (a download reference of getupdates).
 * Anything else — forged, another bot's, a thumbnail of a received item — is 40986. `media.aes_key`, when given, must
 * be the reference's key (either form the protocol uses).
 */
function sendableOf(services: Services, bot: IlinkBotRecord, media: CdnMedia, where: string): { param: IlinkDownloadParam; sendable: IlinkSendable } {
  const param = typeof media.encrypt_query_param === 'string' ? services.ilink.cdn.openDownload(media.encrypt_query_param) : undefined;
  const sendable = param?.uploaded ?? param?.received;
  if (!param || param.botId !== bot.id || !sendable) throw new ApiError('ILINK_MEDIA_UNKNOWN');
  if (media.aes_key !== undefined && (typeof media.aes_key !== 'string' || aesKeyOfMedia(media.aes_key) !== param.key)) {
    throw bad(`${where}.aes_key is not the key of its reference`);
  }
  return { param, sendable };
}

/**
 * The bot's own thumbnail upload named by an image's or video's thumb_media, if any. A received item's thumbnail
 * (an echo sends the whole item back) is left out: the forward keeps the thumbnail the object already has.
 */
function thumbnailOf(services: Services, bot: IlinkBotRecord, thumb: unknown, where: string): IlinkDownloadParam | undefined {
  // Clients fill absent fields with null as often as they leave them out.
  if (thumb === undefined || thumb === null) return undefined;
  if (!isObject(thumb)) throw bad(`${where} must be an object`);
  if (thumb.encrypt_query_param === undefined) return undefined;
  const param = typeof thumb.encrypt_query_param === 'string' ? services.ilink.cdn.openDownload(thumb.encrypt_query_param) : undefined;
  if (!param || param.botId !== bot.id) throw new ApiError('ILINK_MEDIA_UNKNOWN');
  if (thumb.aes_key !== undefined && (typeof thumb.aes_key !== 'string' || aesKeyOfMedia(thumb.aes_key) !== param.key)) {
    throw bad(`${where}.aes_key is not the key of its reference`);
  }
  if (!param.uploaded) return undefined;
  if (param.uploaded.mediaType !== ILINK_UPLOAD_MEDIA.IMAGE) throw bad(`${where} was uploaded as media_type ${param.uploaded.mediaType}, not 1 (an image)`);
  return param;
}

/** The /msg/send_* fields of an item from its object's CDN fields (a /cloud/cdn_upload answer, or a received message's). */
function sendFields(itemType: number, cdn: Readonly<Record<string, unknown>>, fileName: string | undefined): Body {
  const pick = (...names: string[]) => Object.fromEntries(names.filter((n) => cdn[n] !== undefined && cdn[n] !== null).map((n) => [n, cdn[n]]));
  if (itemType === ILINK_ITEM.IMAGE) return pick('file_id', 'aes_key', 'file_size', 'big_file_size', 'thumb_file_size', 'file_md5', 'thumb_width', 'thumb_height', 'file_crc');
  if (itemType === ILINK_ITEM.VIDEO) {
    const duration = cdn.play_length === undefined ? {} : { video_duration: cdn.play_length };
    return { ...pick('file_id', 'aes_key', 'file_size', 'file_md5', 'thumb_file_size', 'file_crc'), ...duration };
  }
  if (itemType === ILINK_ITEM.FILE) {
    const name = fileName || (typeof cdn.file_name === 'string' ? cdn.file_name : '') || 'file';
    return { ...pick('file_id', 'aes_key', 'file_size', 'file_md5', 'file_crc', 'file_key'), file_name: name };
  }
  return pick('file_id', 'aes_key', 'file_size');
}

/** The send of one media item of sendmessage: checked now (nothing is sent or stored), its fields made later. */
export function mediaSendOf(services: Services, bot: IlinkBotRecord, item: Body, index: number, log: FastifyBaseLogger): MediaSend {
  const itemType = item.type as number;
  const kind = ITEM_MEDIA[itemType]!;
  const field = item[kind.field];
  const where = `msg.item_list[${index}].${kind.field}`;
  if (!isObject(field) || !isObject(field.media)) throw bad(`${where}.media must be an object`);
  const { param, sendable } = sendableOf(services, bot, field.media as CdnMedia, `${where}.media`);
  if (sendable.mediaType !== kind.media) throw bad(`${where}.media is media_type ${sendable.mediaType}, not ${kind.media}`);
  const name = field.file_name;
  if (itemType === ILINK_ITEM.FILE && name !== undefined && (typeof name !== 'string' || name.length > 255)) throw bad(`${where}.file_name must be a name`);
  const fileName = typeof name === 'string' ? name : undefined;
  const thumb = itemType === ILINK_ITEM.IMAGE || itemType === ILINK_ITEM.VIDEO ? thumbnailOf(services, bot, field.thumb_media, `${where}.thumb_media`) : undefined;
  if (!thumb) return { path: kind.send, fields: async () => sendFields(itemType, sendable.cdn, fileName) };
  // WeChat keeps a thumbnail as a rendition of its image's or video's CDN object, uploaded with it: the object goes to
  // the instance's CDN again, with this thumbnail (the upload that came first had one made for it).
  return {
    path: kind.send,
    fields: async () => {
      const [content, thumbnail] = await Promise.all([fetchSource(services, bot, param.source, log), fetchSource(services, bot, thumb.source, log)]);
      const cdn = await asBot(services, bot, '/cloud/cdn_upload', {
        guid: bot.guid, file_type: UPLOAD_FILE_TYPE[kind.media], url: content.toString('base64'), thumb_url: thumbnail.toString('base64'),
      }, log);
      return sendFields(itemType, cdn, fileName);
    },
  };
}
