// The CDN and media fields (file ids, AES keys, md5s, sizes, names, URLs), declared once with examples in WeChat's
// formats, so the upload answers and the sends and downloads that take them show the same file.
import { Type, type IntegerOptions, type StringOptions } from '@sinclair/typebox';
import { UInt32 } from './integers.ts';

/** One uploaded image, as /cloud/cdn_upload answers it and /msg/send_image takes it back. */
export const EXAMPLE_FILE = {
  /** 89 bytes of hex in WeChat's layout (3057020100044b3049…, an object uuid inside). */
  fileId: '3057020100044b30490201000204a956a32502032f4f5502045e6f3a1c020469563790042436663164326333622d386134372d346535392d396230632d3264376534663661386231330204011402020201000405009d2b4700',
  thumbFileId: '3057020100044b30490201000204a956a32502032f4f550204a41c7e2d020469563790042430623765396332342d356431332d346136662d386532312d3763396433623561316636300204011401020201000405009f0b3600',
  aesKey: 'c4f1e8a2b7d94e6f8a3b5c7d9e1f2a4b',
  md5: '9e107d9d372bb6826bd81d3542a419d6',
  thumbMd5: 'e4d909c290d0fb1ca068ffaddf22cbd0',
  size: 184320,
  thumbSize: 8192,
  crc: 2874151032,
} as const;

/** As in ids.ts: a field with a default takes no example unless `options` gives one (callers may leave it out). */
const string = (example: string, description: string, options: StringOptions) =>
  Type.String({ description, ...(options.default === undefined ? { examples: [example] } : {}), ...options });

/** A CDN object's id: hex beginning 3057020100044b3049…, from an upload answer or a message's XML. */
export const FileId = (description = 'CDN file id (hex string starting 30..., from upload or from the message XML)', options: StringOptions = {}) =>
  string(EXAMPLE_FILE.fileId, description, options);

/** The id of a thumbnail uploaded on its own (link cards). */
export const ThumbFileId = (description = 'CDN file id of the thumbnail', options: StringOptions = {}) =>
  string(EXAMPLE_FILE.thumbFileId, description, options);

/** The AES-128 key a CDN object is encrypted under: 32 hex digits. */
export const AesKey = (description = 'CDN AES key (32 hex chars)', options: StringOptions = {}) => string(EXAMPLE_FILE.aesKey, description, options);

/** The md5 of a file's plaintext, hex. */
export const FileMd5 = (description = 'md5 of the file (hex)', options: StringOptions = {}) => string(EXAMPLE_FILE.md5, description, options);

/** Bytes of a file's plaintext. */
export const FileSize = (description = 'file size in bytes', options: IntegerOptions = {}) =>
  UInt32({ description, examples: [EXAMPLE_FILE.size], ...options });

/** A file name as shown in the chat or saved under. */
export const FileName = (
  description = 'file name (for send_file: displayed name; for download APIs: name to save as)',
  options: StringOptions = {},
  example = '2026年度计划.pdf',
) => string(example, description, options);

/** A URL field; `example` says what it points at, since one description ('URL') covers images, videos and pages. */
export const Url = (example: string, description = 'URL', options: StringOptions = {}) => string(example, description, options);

/** Example URLs of the kinds of things the media calls fetch. */
export const EXAMPLE_URL = {
  image: 'https://example.com/images/product.jpg',
  video: 'https://example.com/videos/demo.mp4',
  file: 'https://example.com/files/report.pdf',
  voice: 'https://example.com/audio/greeting.mp3',
  page: 'https://mp.weixin.qq.com/s/3kQ9ZrXnT2bYwLmF8vJc1A',
  emoji: 'https://emoji.qpic.cn/wx_emoji/4Nh2Yxq0hJpQYvTmQ8kLcA/',
  download: 'https://wxgate.example.com/media/dl/9f3c2a1b7e6d4c5b8a09.jpg',
} as const;

/** A media type of the upload and download calls (its description lists the values). */
export const FileType = (description: string, example: number) => UInt32({ description, examples: [example] });
