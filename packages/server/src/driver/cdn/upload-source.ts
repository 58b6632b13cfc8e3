// Where cdn_upload's bytes come from: a data: URL or bare base64 (local use, no fetch), else an http(s) URL fetched
// through the injected, SSRF-guarded MediaFetcher.
import { ApiError, invalidField } from '@wxgate/contract';
import { MediaFetchError, type MediaFetcher } from '../media.ts';

export interface UploadSource {
  readonly bytes: Buffer;
  /** A file name suggested by the URL's last path segment, '' if none. */
  readonly suggestedName: string;
  readonly contentType: string;
}

const DATA_URL = /^data:([^;,]*)(;[^,]*)?,(.*)$/s;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** Decodes inline content without any network access, or null when `url` is not inline. */
export function inlineContent(url: string): { bytes: Buffer; contentType: string } | null {
  const data = DATA_URL.exec(url);
  if (data) {
    const isBase64 = (data[2] ?? '').split(';').includes('base64');
    const payload = data[3] ?? '';
    return { bytes: isBase64 ? Buffer.from(payload, 'base64') : Buffer.from(decodeURIComponent(payload), 'utf8'), contentType: data[1] ?? '' };
  }
  const compact = url.replace(/\s+/g, '');
  // a bare base64 body: long enough not to be a typo'd URL, and no scheme
  if (compact.length >= 8 && !compact.includes(':') && BASE64.test(compact)) return { bytes: Buffer.from(compact, 'base64'), contentType: '' };
  return null;
}

/** The bytes behind `url`; a 422 for a malformed one names `field` (the request field the URL came in). */
export async function readUploadSource(url: string, fetcher: MediaFetcher, maxBytes: number, field = 'url'): Promise<UploadSource> {
  const inline = inlineContent(url);
  if (inline) {
    if (inline.bytes.length === 0) throw invalidField(field, 'the inline content is empty');
    if (inline.bytes.length > maxBytes) throw new ApiError('CDN_FILE_TOO_LARGE', undefined, { limit: maxBytes });
    return { ...inline, suggestedName: '' };
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidField(field, 'not a URL, data: URL or base64 content');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw invalidField(field, 'use an http(s) URL, a data: URL or base64 content');
  try {
    const fetched = await fetcher.fetch(url, maxBytes);
    const last = decodeURIComponent(parsed.pathname.split('/').pop() ?? '');
    return { bytes: fetched.bytes, contentType: fetched.contentType, suggestedName: last };
  } catch (error) {
    if (!(error instanceof MediaFetchError)) throw error;
    if (error.reason === 'forbidden') throw new ApiError('CDN_URL_FORBIDDEN', undefined, { reason: error.message });
    if (error.reason === 'too_large') throw new ApiError('CDN_FILE_TOO_LARGE', undefined, { limit: maxBytes });
    throw new ApiError('CDN_FETCH_FAILED', undefined, { reason: error.message });
  }
}
