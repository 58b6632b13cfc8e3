// What drivers need for media besides the store: blob storage, a guarded URL fetcher and signed download links.
// The implementations live outside the driver layer (core/media/media-fetcher.ts, core/media/media-links.ts); app.ts wires them.
import type { BlobStore } from '../storage/blob-ports.ts';
import type { CdnRendition } from '../storage/ports.ts';

/** Why a fetch for upload failed; the driver maps each to its catalog error. */
export class MediaFetchError extends Error {
  constructor(readonly reason: 'forbidden' | 'too_large' | 'failed', message: string) {
    super(message);
  }
}

export interface FetchedMedia {
  readonly bytes: Buffer;
  /** Content-Type the server sent, '' if none. */
  readonly contentType: string;
}

/** Fetches a tenant-supplied URL server-side: SSRF-guarded, bounded in size and time, no redirects. */
export interface MediaFetcher {
  fetch(url: string, maxBytes: number): Promise<FetchedMedia>;
}

/** One object a link serves: the rendition under a file_id, opened with its key, under a file name. */
export interface MediaLinkTarget {
  readonly fileId: string;
  readonly aesKey: string;
  readonly fileName: string;
  readonly rendition: CdnRendition;
  /** Moments media URLs stay valid (they are embedded in posts); download links expire. */
  readonly permanent?: boolean;
}

/** Issues links under which wxgate itself serves a decrypted object. */
export interface MediaLinks {
  downloadUrl(target: MediaLinkTarget): { url: string; expiresAt: number | undefined };
}

export interface MediaServices {
  readonly blobs: BlobStore;
  readonly fetcher: MediaFetcher;
  readonly links: MediaLinks;
}
