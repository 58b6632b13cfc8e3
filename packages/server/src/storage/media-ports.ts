// The CDN object index: which file_id names which stored blob, under which key (only a verifier of it), for whom.

/** What was uploaded (one file_id); WeChat's CDN keeps several renditions under it, picked by download file_type. */
export type CdnMediaKind = 'image' | 'video' | 'file' | 'cover' | 'emoji' | 'voice' | 'sns_image' | 'sns_video';
/** One stored rendition under a file_id: an image's original (HD), mid and thumbnail; a video and its thumbnail. */
export type CdnRendition = 'original' | 'mid' | 'thumb' | 'main';

export interface CdnObjectRecord {
  /** Lowercase hex, as wechat/file-id.ts writes it. */
  readonly fileId: string;
  /** Tenant that uploaded it; objects are visible across the tenant's instances (they are one WeChat network). */
  readonly appId: string;
  /** Instance that uploaded it, or null for objects made by the sandbox world (simulated people). */
  readonly ownerGuid: string | null;
  readonly mediaKind: CdnMediaKind;
  readonly rendition: CdnRendition;
  /** The blob holding the ciphertext (sha256 of it). */
  readonly blobId: string;
  /** sha256 over the key (see wechat/cdn-crypto.ts `aesKeyVerifier`): checks a presented key without storing it. */
  readonly keyVerifier: string;
  /** md5 of the plaintext, lowercase hex. */
  readonly md5: string;
  /** Plaintext size in bytes. */
  readonly size: number;
  /** Ciphertext size in bytes (PKCS#7 padded). */
  readonly cipherSize: number;
  /** CRC32 of the plaintext, unsigned. */
  readonly crc32: number;
  readonly width: number;
  readonly height: number;
  readonly durationMs: number;
  readonly fileName: string;
  /** unix ms */
  readonly createdAt: number;
}

export interface CdnObjectRepository {
  insert(record: CdnObjectRecord): Promise<void>;
  get(fileId: string, rendition: CdnRendition): Promise<CdnObjectRecord | undefined>;
  /** Every rendition stored under a file_id. */
  renditions(fileId: string): Promise<CdnObjectRecord[]>;
  /** How many index rows point at a blob (a blob may be deleted when none do). */
  blobReferences(blobId: string): Promise<number>;
  /** Removes a file_id with all its renditions. */
  delete(fileId: string): Promise<void>;
  /** A named server secret (e.g. for signed download URLs): the stored one, or `candidate` stored now if none. */
  secret(name: string, candidate: string, now: number): Promise<string>;
}
