// GET /cdn/files/<name>?t=<token>: wxgate serving decrypted CDN objects behind the links the download calls return.
// Outside the tenant contract: the sealed, expiring token is the authorization (core/media/media-links.ts).
import type { FastifyInstance } from 'fastify';
import type { OpenedLink } from '../core/media/media-links.ts';
import { MEDIA_FILES_PATH } from '../core/media/media-links.ts';
import type { BlobStore } from '../storage/blob-ports.ts';
import type { Store } from '../storage/ports.ts';
import { CdnDecryptError, decryptCdnObject, fileMd5 } from '../wechat/cdn-crypto.ts';

export interface MediaFilesDeps {
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly links: { open(token: string, name: string): OpenedLink | null };
}

/** Content types by leading bytes; the rest is served as octet-stream. */
function sniff(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === '\x89PNG') return 'image/png';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (bytes.subarray(4, 8).toString('latin1') === 'ftyp') return 'video/mp4';
  if (bytes.subarray(0, 3).toString('latin1') === 'ID3' || (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0)) return 'audio/mpeg';
  if (bytes.subarray(1, 10).toString('latin1') === '#!SILK_V3') return 'audio/silk';
  return 'application/octet-stream';
}

export function registerMediaFiles(app: FastifyInstance, deps: MediaFilesDeps): void {
  app.get<{ Params: { name: string }; Querystring: { t?: string } }>(`${MEDIA_FILES_PATH}/:name`, {
    // the token is a credential: keep the request line out of the info-level access log
    logLevel: 'warn',
  }, async (request, reply) => {
    const notFound = () => reply.code(404).send({ errcode: 40451, errmsg: 'this download link is unknown or expired; call the download endpoint again for a fresh url' });
    const link = typeof request.query.t === 'string' ? deps.links.open(request.query.t, request.params.name) : null;
    if (!link) return notFound();
    const record = await deps.store.media.get(link.fileId, link.rendition);
    const cipher = record && (await deps.blobs.get(record.blobId));
    if (!record || !cipher) return notFound();
    let plain: Buffer;
    try {
      plain = decryptCdnObject(cipher, link.aesKey);
    } catch (error) {
      if (error instanceof CdnDecryptError) return notFound();
      throw error;
    }
    if (fileMd5(plain) !== record.md5) return notFound();
    const name = link.fileName;
    return reply
      .header('content-type', sniff(plain))
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('cache-control', link.expiresAt === undefined ? 'public, max-age=86400, immutable' : 'private, no-store')
      .header('etag', `"${record.md5}"`)
      .send(plain);
  });
}
