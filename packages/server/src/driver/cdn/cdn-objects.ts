// The CDN as WeChat runs it: objects encrypted under a per-upload aes_key, named by a file_id, several renditions per
// file_id (an image's HD/mid/thumb, a video and its thumb); storing checks nothing twice, opening checks key and md5.
import { ApiError } from '@wxgate/contract';
import type { BlobStore } from '../../storage/blob-ports.ts';
import { BlobTooLargeError } from '../../storage/blob-ports.ts';
import type { CdnMediaKind, CdnObjectRecord, CdnRendition, Store } from '../../storage/ports.ts';
import { aesKeyFromBytes, aesKeyVerifier, CdnDecryptError, decryptCdnObject, encryptCdnObject, fileMd5, isAesKey } from '../../wechat/cdn-crypto.ts';
import { crc32 } from '../../wechat/crc32.ts';
import { formatFileId, objectUuidFromBytes, parseFileId } from '../../wechat/file-id.ts';

/** Marker byte in the file id per media kind (WeChat packs a type there too). */
const KIND_BYTE: Record<CdnMediaKind, number> = { cover: 1, image: 2, voice: 3, video: 4, file: 5, emoji: 6, sns_image: 7, sns_video: 8 };

export interface RenditionInput {
  readonly rendition: CdnRendition;
  readonly plain: Buffer;
  readonly width?: number;
  readonly height?: number;
  readonly durationMs?: number;
}

export interface CdnUploaded {
  readonly fileId: string;
  readonly aesKey: string;
  readonly objects: ReadonlyMap<CdnRendition, CdnObjectRecord>;
}

export interface CdnObjectsDeps {
  readonly store: Store;
  readonly blobs: BlobStore;
  readonly random: (size: number) => Uint8Array;
  readonly now: () => number;
}

export class CdnObjects {
  constructor(private readonly deps: CdnObjectsDeps) {}

  /**
   * Encrypts and stores every rendition under one new file_id and key. Blobs are written first and indexed after, in
   * one transaction: a crash in between leaves unreferenced ciphertext, never a visible half-uploaded object.
   */
  async put(input: { appId: string; ownerGuid: string | null; mediaKind: CdnMediaKind; fileName: string; renditions: readonly RenditionInput[] }): Promise<CdnUploaded> {
    const { random, now, blobs, store } = this.deps;
    const aesKey = aesKeyFromBytes(random(16));
    const createdAt = now();
    const fileId = formatFileId({
      uin: Buffer.from(random(4)).readUInt32BE(0), createdAt: Math.floor(createdAt / 1000), objectUuid: objectUuidFromBytes(random(16)),
      kind: KIND_BYTE[input.mediaKind], salt: Buffer.from(random(7)).toString('hex'),
    });
    const keyVerifier = aesKeyVerifier(aesKey);
    const records: CdnObjectRecord[] = [];
    for (const r of input.renditions) {
      const cipher = encryptCdnObject(r.plain, aesKey);
      let stored;
      try {
        stored = await blobs.put(cipher);
      } catch (error) {
        if (error instanceof BlobTooLargeError) throw new ApiError('CDN_FILE_TOO_LARGE', undefined, { limit: error.limit });
        throw error;
      }
      records.push({
        fileId, rendition: r.rendition, appId: input.appId, ownerGuid: input.ownerGuid, mediaKind: input.mediaKind, blobId: stored.blobId,
        keyVerifier, md5: fileMd5(r.plain), size: r.plain.length, cipherSize: cipher.length, crc32: crc32(r.plain), width: r.width ?? 0,
        height: r.height ?? 0, durationMs: r.durationMs ?? 0, fileName: input.fileName, createdAt,
      });
    }
    await store.transaction(async (tx) => {
      for (const record of records) await tx.media.insert(record);
    });
    return { fileId, aesKey, objects: new Map(records.map((r) => [r.rendition, r])) };
  }

  /** The renditions under a file_id of this app, refusing unknown ids and keys that do not open them. */
  async check(appId: string, fileId: string, aesKey: string): Promise<CdnObjectRecord[]> {
    if (!parseFileId(fileId)) throw new ApiError('CDN_OBJECT_NOT_FOUND', 'file_id is not a CDN file id (hex beginning 3057020100044b3049…)');
    const records = (await this.deps.store.media.renditions(fileId)).filter((r) => r.appId === appId);
    if (records.length === 0) throw new ApiError('CDN_OBJECT_NOT_FOUND');
    if (!isAesKey(aesKey) || aesKeyVerifier(aesKey.toLowerCase()) !== records[0]!.keyVerifier) throw new ApiError('CDN_KEY_MISMATCH');
    return records;
  }

  /** Loads and decrypts the first of `wanted` renditions that exists; the md5 check catches corrupted storage. */
  async open(appId: string, fileId: string, aesKey: string, wanted: readonly CdnRendition[]): Promise<{ record: CdnObjectRecord; plain: Buffer }> {
    const records = await this.check(appId, fileId, aesKey);
    const record = wanted.map((w) => records.find((r) => r.rendition === w)).find((r) => r !== undefined);
    if (!record) throw new ApiError('CDN_OBJECT_NOT_FOUND', `this file_id has no ${wanted.join('/')} rendition; use the file_type of what was uploaded`);
    const cipher = await this.deps.blobs.get(record.blobId);
    if (!cipher) throw new Error(`CDN blob ${record.blobId} of ${fileId} is missing from the blob store`);
    let plain: Buffer;
    try {
      plain = decryptCdnObject(cipher, aesKey.toLowerCase());
    } catch (error) {
      if (error instanceof CdnDecryptError) throw new ApiError('CDN_KEY_MISMATCH');
      throw error;
    }
    if (fileMd5(plain) !== record.md5) throw new Error(`CDN object ${fileId}/${record.rendition} does not match its md5 (corrupted storage)`);
    return { record, plain };
  }
}
