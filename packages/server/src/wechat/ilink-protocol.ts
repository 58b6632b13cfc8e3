// Tencent's iLink bot protocol (the OpenClaw Weixin plugin's docs/protocol.md and src/api/types.ts): its message shapes,
// numbers and CDN key encodings, shared by the iLink server (transport/ilink/ilink*.ts) and the ilink driver.

/** proto MessageItemType. */
export const ILINK_ITEM = { TEXT: 1, IMAGE: 2, VOICE: 3, FILE: 4, VIDEO: 5 } as const;
/** proto UploadMediaType (getuploadurl's media_type). */
export const ILINK_UPLOAD_MEDIA = { IMAGE: 1, VIDEO: 2, FILE: 3, VOICE: 4 } as const;
/** proto MessageType / MessageState. */
export const ILINK_MESSAGE_TYPE = { USER: 1, BOT: 2 } as const;
export const ILINK_MESSAGE_STATE = { NEW: 0, GENERATING: 1, FINISH: 2 } as const;
/** VoiceItem.encode_type values this server uses (WeChat's voice is SILK). */
export const ILINK_VOICE_ENCODING = { SILK: 6, MP3: 7 } as const;

/** A CDN reference: the download parameter, its AES key (base64) and optionally the complete download URL. */
export interface CdnMedia {
  encrypt_query_param?: string;
  aes_key?: string;
  /** 0: only the file id is encrypted; 1: thumbnails and the like packed in (what the plugin sends). */
  encrypt_type?: number;
  full_url?: string;
}

export interface TextItem { text?: string }

export interface ImageItem {
  media?: CdnMedia;
  thumb_media?: CdnMedia;
  /** The AES key as 32 hex characters; preferred over media.aes_key by clients. */
  aeskey?: string;
  url?: string;
  mid_size?: number;
  thumb_size?: number;
  thumb_height?: number;
  thumb_width?: number;
  hd_size?: number;
}

export interface VoiceItem {
  media?: CdnMedia;
  encode_type?: number;
  bits_per_sample?: number;
  sample_rate?: number;
  /** ms */
  playtime?: number;
  text?: string;
}

export interface FileItem {
  media?: CdnMedia;
  file_name?: string;
  md5?: string;
  /** Plaintext size, as a decimal string. */
  len?: string;
}

export interface VideoItem {
  media?: CdnMedia;
  video_size?: number;
  /** seconds */
  play_length?: number;
  video_md5?: string;
  thumb_media?: CdnMedia;
  thumb_size?: number;
  thumb_height?: number;
  thumb_width?: number;
}

/** A quoted message. */
export interface RefMessage {
  message_item?: MessageItem;
  title?: string;
  svr_id?: string;
}

export interface MessageItem {
  type?: number;
  create_time_ms?: number;
  update_time_ms?: number;
  is_completed?: boolean;
  msg_id?: string;
  ref_msg?: RefMessage;
  text_item?: TextItem;
  image_item?: ImageItem;
  voice_item?: VoiceItem;
  file_item?: FileItem;
  video_item?: VideoItem;
}

export interface WeixinMessage {
  seq: number;
  /** uint64 on the wire, as a decimal string. */
  message_id: string;
  from_user_id: string;
  to_user_id: string;
  client_id: string;
  create_time_ms: number;
  session_id: string;
  group_id?: string;
  message_type: number;
  message_state: number;
  item_list: MessageItem[];
  context_token: string;
}

export interface GetUploadUrlRequest {
  filekey: string;
  media_type: number;
  to_user_id: string;
  rawsize: number;
  rawfilemd5: string;
  filesize: number;
  thumb_rawsize?: number;
  thumb_rawfilemd5?: string;
  thumb_filesize?: number;
  no_need_thumb?: boolean;
  aeskey: string;
}

export interface GetUploadUrlResponse {
  upload_param?: string;
  thumb_upload_param?: string;
  upload_full_url?: string;
}

/** The CDN's two paths under its base URL: `<base>/upload?encrypted_query_param=…&filekey=…`, `<base>/download?encrypted_query_param=…`. */
export const cdnUploadUrl = (cdnBase: string, uploadParam: string, filekey: string): string =>
  `${cdnBase}/upload?encrypted_query_param=${encodeURIComponent(uploadParam)}&filekey=${encodeURIComponent(filekey)}`;
export const cdnDownloadUrl = (cdnBase: string, downloadParam: string): string =>
  `${cdnBase}/download?encrypted_query_param=${encodeURIComponent(downloadParam)}`;

/** AES-128-ECB with PKCS#7 padding always adds 1–16 bytes. */
export const paddedSize = (plainSize: number): number => (Math.floor(plainSize / 16) + 1) * 16;

/**
 * The 16-byte key of a CdnMedia.aes_key, as 32 hex characters, or undefined. Two encodings are in use: base64 of the
 * 16 raw bytes (images), and base64 of the 32 hex characters (what the plugin sends, and file, voice and video).
 */
export function aesKeyOfMedia(aesKey: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(aesKey)) return undefined;
  const decoded = Buffer.from(aesKey, 'base64');
  if (decoded.length === 16) return decoded.toString('hex');
  const text = decoded.toString('latin1');
  return decoded.length === 32 && /^[0-9a-fA-F]{32}$/.test(text) ? text.toLowerCase() : undefined;
}

/** CdnMedia.aes_key for a key of 32 hex characters: base64 of the raw bytes for images, of the hex text otherwise. */
export const mediaAesKey = (hexKey: string, itemType: number): string =>
  itemType === ILINK_ITEM.IMAGE ? Buffer.from(hexKey, 'hex').toString('base64') : Buffer.from(hexKey).toString('base64');
