// The media payloads of the CDN calls: the private-CDN credential, what an upload answers (everything a send needs
// back) and what a download answers. Re-exported from wechat.ts.
import { Type } from '@sinclair/typebox';
import { EXAMPLE_FILE, EXAMPLE_URL } from './cdn-fields.ts';
import { EXAMPLE } from './ids.ts';
import { UInt32, UnixSeconds } from './integers.ts';

/** `base_request` of the private-CDN endpoints, obtained from /cdn/get_cdn_info. */
export const CdnBaseRequest = Type.Object({
  cdn_info: Type.String({ examples: ['eyJhIjoiYXBwXzEiLCJnIjoiNzA5MjQ1N2YiLCJ1Ijoid3hpZF9rM205cTJ4N2MxdjhiNCIsImUiOjE3NjcyNjg4MDB9.o2Hq9Zt1cXvBn4Lr8Ws0dYf3KpMa6JgE'] }),
  client_version: UInt32({ examples: [1661537297] }),
  device_type: Type.String({ examples: ['UnifiedPCWindows 11 x86_64'] }),
  username: Type.String({ examples: [EXAMPLE.self] }),
}, { title: 'CdnBaseRequest', description: 'from /cdn/get_cdn_info (refreshes every 3 hours)' });

/** cdn_upload, private /cloud/upload and /cloud/upload_big: everything send_image / send_video / send_file need. */
export const CdnUploadResult = Type.Object({
  file_id: Type.String({ description: 'CDN file id: hex string beginning 3057020100044b3049…', examples: [EXAMPLE_FILE.fileId] }),
  aes_key: Type.String({ description: 'AES-128 key, 32 hex chars', examples: [EXAMPLE_FILE.aesKey] }),
  file_size: UInt32({ description: 'size of the plaintext in bytes', examples: [EXAMPLE_FILE.size] }),
  file_md5: Type.String({ description: 'md5 of the plaintext (hex)', examples: [EXAMPLE_FILE.md5] }),
  big_file_size: Type.Optional(UInt32({ description: 'size of the HD/original image', examples: [EXAMPLE_FILE.size] })),
  thumb_file_size: Type.Optional(UInt32({ examples: [EXAMPLE_FILE.thumbSize] })),
  thumb_width: Type.Optional(UInt32({ examples: [120] })),
  thumb_height: Type.Optional(UInt32({ examples: [90] })),
  file_crc: Type.Optional(UInt32({ description: 'CRC32 of the plaintext (unsigned)', examples: [EXAMPLE_FILE.crc] })),
  file_key: Type.Optional(Type.String({ description: 'send_file.file_key; "" if none', examples: [''] })),
}, { title: 'CdnUploadResult', description: 'an uploaded CDN file, ready to be sent' });

/** Every download call: where the decrypted file can be fetched. */
export const CdnDownloadResult = Type.Object({
  url: Type.Optional(Type.String({ description: 'where the decrypted file can be fetched', examples: [EXAMPLE_URL.download] })),
  download_url: Type.Optional(Type.String({ description: 'the same, under the other name clients probe', examples: [EXAMPLE_URL.download] })),
  base64: Type.Optional(Type.String({ description: 'wxgate: the decrypted content itself, base64' })),
  file_size: Type.Optional(UInt32({ description: 'wxgate: size of the decrypted content in bytes', examples: [EXAMPLE_FILE.size] })),
  file_md5: Type.Optional(Type.String({ description: 'wxgate: md5 of the decrypted content (hex)', examples: [EXAMPLE_FILE.md5] })),
  file_name: Type.Optional(Type.String({ description: 'wxgate: the file name the link serves the content under', examples: ['9f3c2a1b7e6d4c5b8a09.jpg'] })),
  expires_at: Type.Optional(UnixSeconds('wxgate: unix seconds after which url stops working (call again for a new one)', { examples: [1767268800] })),
}, { title: 'CdnDownloadResult', description: 'a downloaded file; clients read url, then download_url' });

/** SNS-type uploads (gateway and private CDN): a media item for a TimelineObject. */
export const SnsMediaUploadResult = Type.Object({
  url: Type.Optional(Type.String({ description: 'media URL to put in the TimelineObject', examples: ['http://szmmsns.qpic.cn/mmsns/PiajxSqBRaEIQxYnE3dKib0ZQfv2vmicsRw0X9fjbG1nLQ/0'] })),
  thumb_url: Type.Optional(Type.String({ examples: ['http://szmmsns.qpic.cn/mmsns/PiajxSqBRaEIQxYnE3dKib0ZQfv2vmicsRw0X9fjbG1nLQ/150'] })),
  md5: Type.Optional(Type.String({ examples: [EXAMPLE_FILE.md5] })),
  size: Type.Optional(UInt32({ description: 'bytes', examples: [EXAMPLE_FILE.size] })),
  file_id: Type.Optional(Type.String({ description: 'wxgate: the CDN file id behind url', examples: [EXAMPLE_FILE.fileId] })),
  aes_key: Type.Optional(Type.String({ description: 'wxgate: its AES key (32 hex chars)', examples: [EXAMPLE_FILE.aesKey] })),
  width: Type.Optional(UInt32({ examples: [1080] })),
  height: Type.Optional(UInt32({ examples: [1440] })),
}, { title: 'SnsMediaUploadResult', description: 'an uploaded moments image or video (field names inferred)' });
