// CDN object index records from SQL rows, for every SQL store.
import type { CdnMediaKind, CdnObjectRecord, CdnRendition } from '../media-ports.ts';

type Row = Record<string, unknown>;

export const objectFromRow = (r: Row): CdnObjectRecord => ({
  fileId: r.file_id as string,
  appId: r.app_id as string,
  ownerGuid: (r.owner_guid as string | null) ?? null,
  mediaKind: r.media_kind as CdnMediaKind,
  rendition: r.rendition as CdnRendition,
  blobId: r.blob_id as string,
  keyVerifier: r.key_verifier as string,
  md5: r.md5 as string,
  size: r.size as number,
  cipherSize: r.cipher_size as number,
  crc32: r.crc32 as number,
  width: r.width as number,
  height: r.height as number,
  durationMs: r.duration_ms as number,
  fileName: r.file_name as string,
  createdAt: r.created_at as number,
});
