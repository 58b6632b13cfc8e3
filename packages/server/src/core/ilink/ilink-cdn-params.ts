// The iLink CDN's parameters (upload_param, x-encrypted-param, encrypt_query_param): what wxgate needs to serve an
// upload or a download, sealed (AES-256-GCM) so the client carries it and cannot read, alter or reuse it elsewhere.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** What a download serves: a CDN object's rendition (/cloud/cdn_download), or a voice message (/cloud/download_voice). */
export type IlinkMediaSource =
  | { readonly kind: 'cdn'; readonly fileType: number; readonly fileId: string; readonly aesKey: string; readonly fileSize: number }
  | { readonly kind: 'voice'; readonly msgId: string; readonly length: number; readonly room?: string };

/**
 * What a send of an object takes: its upload media_type, and its CDN fields in the shape of a /cloud/cdn_upload answer
 * (file_id, aes_key, file_size, file_md5, thumb_*, play_length, file_name), which become the /msg/send_* fields.
 */
export interface IlinkSendable {
  readonly mediaType: number;
  readonly cdn: Readonly<Record<string, unknown>>;
}

/** A download parameter: the object, and the key (32 hex) its bytes are encrypted with for this client. */
export interface IlinkDownloadParam {
  readonly botId: string;
  readonly guid: string;
  readonly source: IlinkMediaSource;
  readonly key: string;
  /** What an upload left for sendmessage: the instance's /cloud/cdn_upload answer; `thumb` for a thumbnail's upload. */
  readonly uploaded?: IlinkSendable & { readonly thumb?: boolean };
  /** A received item's CDN fields, from its message's XML: sendmessage sends the same object on (WeChat's forward). */
  readonly received?: IlinkSendable;
}

/** An upload parameter: what getuploadurl was told, checked against the bytes the CDN receives. */
export interface IlinkUploadParam {
  readonly botId: string;
  readonly guid: string;
  readonly filekey: string;
  readonly mediaType: number;
  readonly rawsize: number;
  readonly rawfilemd5: string;
  readonly filesize: number;
  readonly aeskey: string;
  /** A thumbnail's upload: stored as an image; a sent image or video item names it in thumb_media. */
  readonly thumb: boolean;
  /** unix ms */
  readonly expiresAt: number;
}

type Purpose = 'upload' | 'download';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class IlinkCdnParams {
  readonly #key: Buffer;

  constructor(secret: Buffer) {
    this.#key = createHmac('sha256', secret).update('wxgate ilink cdn params').digest();
  }

  /** The AES key (32 hex) of an incoming item for a bot: derived, so every delivery of the item carries the same key. */
  itemKey(botId: string, seed: string): string {
    return createHmac('sha256', this.#key).update(`item-key\0${botId}\0${seed}`).digest().subarray(0, 16).toString('hex');
  }

  sealUpload(param: IlinkUploadParam): string {
    return this.#seal('upload', param);
  }

  openUpload(text: string): IlinkUploadParam | undefined {
    return this.#open('upload', text) as IlinkUploadParam | undefined;
  }

  sealDownload(param: IlinkDownloadParam): string {
    return this.#seal('download', param);
  }

  openDownload(text: string): IlinkDownloadParam | undefined {
    return this.#open('download', text) as IlinkDownloadParam | undefined;
  }

  #seal(purpose: Purpose, value: object): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(JSON.stringify(value)), cipher.final()]);
    return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The sealed value, or undefined for anything this server did not seal for this purpose. */
  #open(purpose: Purpose, text: string): unknown {
    if (typeof text !== 'string' || !/^[A-Za-z0-9_-]{40,8000}$/.test(text)) return undefined;
    const raw = Buffer.from(text, 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES + 2) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, NONCE_BYTES));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
      return JSON.parse(plain.toString());
    } catch {
      return undefined;
    }
  }
}
