// iLink media on wxgate: getuploadurl and the CDN the protocol's clients upload to and download from (under
// `<baseurl>/ilink/cdn`, AES-128-ECB ciphertext both ways), through the instance's own CDN (/cloud/cdn_upload,
// /cloud/cdn_download, /cloud/download_voice) as the bot's app. Media items of sendmessage: ilink-media-sends.ts.
import { ApiError, findEndpoint } from '@wxgate/contract';
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { IlinkDownloadParam, IlinkMediaSource } from '../../core/ilink/ilink-cdn-params.ts';
import type { CdnReferrer } from '../../core/ilink/ilink-incoming-items.ts';
import type { Services } from '../../handlers/handler.ts';
import type { IlinkBotRecord } from '../../storage/ports.ts';
import { CdnDecryptError, decryptCdnObject, encryptCdnObject, fileMd5 } from '../../wechat/cdn-crypto.ts';
import { cdnDownloadUrl, cdnUploadUrl, ILINK_UPLOAD_MEDIA, mediaAesKey, paddedSize } from '../../wechat/ilink-protocol.ts';
import { callAs } from '../dispatch.ts';
import { errorText, languageOf } from '../language.ts';

/** The CDN's base URL below the iLink base URL: `<cdn>/upload` and `<cdn>/download`, as the protocol builds them. */
export const ILINK_CDN_PATH = '/ilink/cdn';
/** How long an upload_param can be used (the plugin uploads right after getuploadurl). */
const UPLOAD_PARAM_TTL_MS = 3_600_000;
/** /cloud/cdn_upload's file_type per upload media_type (thumbnails are images). */
export const UPLOAD_FILE_TYPE: Readonly<Record<number, number>> = { [ILINK_UPLOAD_MEDIA.IMAGE]: 2, [ILINK_UPLOAD_MEDIA.VIDEO]: 4, [ILINK_UPLOAD_MEDIA.FILE]: 5, [ILINK_UPLOAD_MEDIA.VOICE]: 5 };
/** /cloud/cdn_download's file_type of what was uploaded: the original image, the video, the file. */
const DOWNLOAD_FILE_TYPE: Readonly<Record<number, number>> = { [ILINK_UPLOAD_MEDIA.IMAGE]: 1, [ILINK_UPLOAD_MEDIA.VIDEO]: 4, [ILINK_UPLOAD_MEDIA.FILE]: 5, [ILINK_UPLOAD_MEDIA.VOICE]: 5 };

type Body = Record<string, unknown>;
const bad = (what: string) => new ApiError('ILINK_BAD_REQUEST', `the iLink request is malformed: ${what}`);
const size = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const MD5 = /^[0-9a-fA-F]{32}$/;

/** The base URL an answer names: the configured public URL, else the host the client called. */
export const baseUrlOf = (services: Services, request: FastifyRequest): string =>
  services.config.publicUrl ?? `${request.protocol}://${request.headers.host ?? request.hostname}`;

/** The bot's app as the caller of an instance call: its validation, rate limit and pacing apply. */
export async function asBot(services: Services, bot: Pick<IlinkBotRecord, 'appId'>, path: string, body: Body, log: FastifyBaseLogger): Promise<Body> {
  const app = await services.apps.byId(bot.appId);
  return await callAs(app, { spec: findEndpoint(path)!, body, headers: {}, requestId: `ilink-${randomUUID()}`, log }, services) as Body;
}

/** getuploadurl: checks what the client says it will upload, and answers where (a sealed upload_param). */
export function getUploadUrl(services: Services, bot: IlinkBotRecord, body: Body, baseUrl: string): Body {
  const { filekey, media_type: mediaType, rawsize, rawfilemd5, filesize, aeskey } = body;
  if (typeof filekey !== 'string' || !/^[\w.-]{1,128}$/.test(filekey)) throw bad('filekey must be 1 to 128 letters, digits, "_", "-" or "."');
  if (typeof mediaType !== 'number' || !(mediaType in UPLOAD_FILE_TYPE)) throw bad('media_type must be 1 (image), 2 (video), 3 (file) or 4 (voice)');
  if (!size(rawsize) || rawsize > services.config.media.maxObjectBytes) throw bad(`rawsize must be a size in bytes, at most ${services.config.media.maxObjectBytes}`);
  if (typeof rawfilemd5 !== 'string' || !MD5.test(rawfilemd5)) throw bad('rawfilemd5 must be 32 hex characters');
  if (filesize !== paddedSize(rawsize)) throw bad(`filesize must be the AES-128-ECB ciphertext size of rawsize (${paddedSize(rawsize)})`);
  if (typeof aeskey !== 'string' || !MD5.test(aeskey)) throw bad('aeskey must be 16 bytes as 32 hex characters');
  if (body.to_user_id !== undefined && typeof body.to_user_id !== 'string') throw bad('to_user_id must be a string');
  const expiresAt = services.clock.now() + UPLOAD_PARAM_TTL_MS;
  const sealed = { botId: bot.id, guid: bot.guid, filekey, mediaType, rawsize, rawfilemd5: rawfilemd5.toLowerCase(), filesize, aeskey: aeskey.toLowerCase(), expiresAt };
  const uploadParam = services.ilink.cdn.sealUpload({ ...sealed, thumb: false });
  const answer: Body = { upload_param: uploadParam, upload_full_url: cdnUploadUrl(`${baseUrl}${ILINK_CDN_PATH}`, uploadParam, filekey) };
  const wantsThumb = body.no_need_thumb !== true && (mediaType === ILINK_UPLOAD_MEDIA.IMAGE || mediaType === ILINK_UPLOAD_MEDIA.VIDEO);
  if (wantsThumb && body.thumb_rawsize !== undefined) {
    const { thumb_rawsize: thumbRaw, thumb_rawfilemd5: thumbMd5, thumb_filesize: thumbSize } = body;
    if (!size(thumbRaw) || thumbRaw > services.config.media.maxObjectBytes) throw bad('thumb_rawsize must be a size in bytes');
    if (typeof thumbMd5 !== 'string' || !MD5.test(thumbMd5)) throw bad('thumb_rawfilemd5 must be 32 hex characters');
    if (thumbSize !== paddedSize(thumbRaw)) throw bad(`thumb_filesize must be the ciphertext size of thumb_rawsize (${paddedSize(thumbRaw)})`);
    answer.thumb_upload_param = services.ilink.cdn.sealUpload({
      ...sealed, mediaType: ILINK_UPLOAD_MEDIA.IMAGE, rawsize: thumbRaw, rawfilemd5: thumbMd5.toLowerCase(), filesize: thumbSize, thumb: true,
    });
  }
  return answer;
}

/** The CDN references of a bot's incoming media: a sealed download parameter and a key derived per item. */
export function cdnReferrer(services: Services, bot: IlinkBotRecord, baseUrl: string): CdnReferrer {
  return (source, itemType, seed, received) => {
    const key = services.ilink.cdn.itemKey(bot.id, seed);
    const param = services.ilink.cdn.sealDownload({ botId: bot.id, guid: bot.guid, source, key, ...(received ? { received } : {}) });
    return { encrypt_query_param: param, aes_key: mediaAesKey(key, itemType), encrypt_type: 1, full_url: cdnDownloadUrl(`${baseUrl}${ILINK_CDN_PATH}`, param) };
  };
}

/** The plaintext of a download's source, from the instance's CDN. */
export async function fetchSource(services: Services, bot: IlinkBotRecord, source: IlinkMediaSource, log: FastifyBaseLogger): Promise<Buffer> {
  const answer = source.kind === 'voice'
    ? await asBot(services, bot, '/cloud/download_voice', { guid: bot.guid, msg_id: source.msgId, length: source.length, ...(source.room ? { room_username: source.room } : {}) }, log)
    : await asBot(services, bot, '/cloud/cdn_download', { guid: bot.guid, file_type: source.fileType, file_id: source.fileId, aes_key: source.aesKey, file_size: source.fileSize }, log);
  return Buffer.from(String(answer.base64 ?? ''), 'base64');
}

/** A CDN failure as the protocol's CDN answers it: a 4xx with `x-error-message`. */
class CdnRefusal extends Error {
  constructor(readonly status: number, readonly error: ApiError) {
    super(error.message);
  }
}

export function registerIlinkCdn(http: FastifyInstance, services: Services): void {
  http.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: paddedSize(services.config.media.maxObjectBytes) }, (_req, body, done) => done(null, body));

    const refuse = (request: FastifyRequest, err: unknown): { status: number; message: string } => {
      let refusal: CdnRefusal;
      if (err instanceof CdnRefusal) refusal = err;
      // What the instance's CDN answered keeps its status (a 404 for a gone object, 501 where a driver has no CDN).
      else if (err instanceof ApiError) refusal = new CdnRefusal(err.spec.http, err);
      else {
        request.log.error({ err }, 'ilink cdn: request failed');
        refusal = new CdnRefusal(500, new ApiError('INTERNAL'));
      }
      const text = errorText(refusal.error, languageOf(request.headers['accept-language'], services.config.language));
      return { status: refusal.status, message: text };
    };
    const notFound = () => new CdnRefusal(404, bad('encrypted_query_param is not a parameter of a bot bound on this server'));

    // The upload: the ciphertext is decrypted with the key getuploadurl was given, checked, and stored on the
    // instance's CDN; x-encrypted-param is then what sendmessage (and a download) takes.
    scope.post<{ Querystring: Record<string, string | undefined> }>(`${ILINK_CDN_PATH}/upload`, { logLevel: 'warn' }, async (request, reply) => {
      try {
        const param = services.ilink.cdn.openUpload(request.query.encrypted_query_param ?? '');
        if (!param) throw notFound();
        if (param.expiresAt <= services.clock.now()) throw new CdnRefusal(400, bad('the upload_param expired; ask getuploadurl again'));
        if (request.query.filekey !== undefined && request.query.filekey !== param.filekey) throw new CdnRefusal(400, bad('filekey is not the one given to getuploadurl'));
        const bot = await services.ilink.bound(param.botId, param.guid);
        if (!bot) throw notFound();
        const cipherText = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        if (cipherText.length !== param.filesize) throw new CdnRefusal(400, bad(`the body must be the ${param.filesize} bytes of ciphertext getuploadurl was told (filesize), not ${cipherText.length}`));
        let plain: Buffer;
        try {
          plain = decryptCdnObject(cipherText, param.aeskey);
        } catch (err) {
          if (err instanceof CdnDecryptError) throw new CdnRefusal(400, bad('the body does not decrypt with the aeskey given to getuploadurl (AES-128-ECB, PKCS#7)'));
          throw err;
        }
        if (plain.length !== param.rawsize || fileMd5(plain) !== param.rawfilemd5) throw new CdnRefusal(400, bad('the decrypted content is not rawsize bytes with md5 rawfilemd5'));
        const cdn = await asBot(services, bot, '/cloud/cdn_upload', { guid: bot.guid, file_type: UPLOAD_FILE_TYPE[param.mediaType], url: plain.toString('base64') }, request.log);
        const fileSize = Number(param.mediaType === ILINK_UPLOAD_MEDIA.IMAGE ? cdn.big_file_size ?? cdn.file_size : cdn.file_size);
        const source: IlinkMediaSource = { kind: 'cdn', fileType: DOWNLOAD_FILE_TYPE[param.mediaType]!, fileId: String(cdn.file_id), aesKey: String(cdn.aes_key), fileSize };
        const uploaded = { mediaType: param.mediaType, cdn, ...(param.thumb ? { thumb: true } : {}) };
        const download: IlinkDownloadParam = { botId: bot.id, guid: bot.guid, source, key: param.aeskey, uploaded };
        return reply.code(200).header('x-encrypted-param', services.ilink.cdn.sealDownload(download)).send();
      } catch (err) {
        const { status, message } = refuse(request, err);
        return reply.code(status).header('x-error-message', encodeURIComponent(message)).send(message);
      }
    });

    // The download: the object's plaintext from the instance's CDN, encrypted with the key its reference carries.
    scope.get<{ Querystring: Record<string, string | undefined> }>(`${ILINK_CDN_PATH}/download`, { logLevel: 'warn' }, async (request, reply) => {
      try {
        const param = services.ilink.cdn.openDownload(request.query.encrypted_query_param ?? '');
        const bot = param && await services.ilink.bound(param.botId, param.guid);
        if (!param || !bot) throw notFound();
        const plain = await fetchSource(services, bot, param.source, request.log);
        return reply.code(200).header('content-type', 'application/octet-stream').send(encryptCdnObject(plain, param.key));
      } catch (err) {
        const { status, message } = refuse(request, err);
        return reply.code(status).header('x-error-message', encodeURIComponent(message)).send(message);
      }
    });
  });
}
