// Download links wxgate serves itself: the target (file_id, key, rendition, name, expiry) sealed with AES-256-GCM under
// a server secret, so a link is tamper-proof and does not show the object's aes_key to whoever sees the URL.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { MediaLinks, MediaLinkTarget } from '../../driver/media.ts';
import type { CdnRendition } from '../../storage/ports.ts';

/** The path prefix of the route that serves links (transport/media-files.ts). */
export const MEDIA_FILES_PATH = '/cdn/files';

export interface OpenedLink extends MediaLinkTarget {
  /** unix seconds, or undefined for a permanent link */
  readonly expiresAt: number | undefined;
}

/** The router refuses longer path parameters (fastify's maxParamLength), so a longer name would make a dead link. */
const MAX_LINK_NAME = 100;

/**
 * The name a link serves its file under: the last segment of whatever path the caller or a fetched URL suggested, with
 * no control characters, never `.` or `..`, short enough for the route. Clients save downloads under this name, and
 * the link only opens under it.
 */
export function linkFileName(suggested: string): string {
  let name = (suggested.split(/[/\\]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (name === '' || /^\.+$/.test(name)) return 'file';
  if (name.length > MAX_LINK_NAME) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    // by code points, so no character is cut in half
    let stem = '';
    for (const char of name.slice(0, name.length - ext.length)) {
      if (stem.length + char.length > MAX_LINK_NAME - ext.length) break;
      stem += char;
    }
    name = stem + ext;
  }
  return name;
}

export class SealedMediaLinks implements MediaLinks {
  readonly #key: Buffer;

  constructor(secret: string, private readonly options: { baseUrl: string; ttlSeconds: number; now: () => number }) {
    this.#key = createHash('sha256').update('wxgate-media-links\0').update(secret).digest();
  }

  downloadUrl(target: MediaLinkTarget): { url: string; expiresAt: number | undefined } {
    const expiresAt = target.permanent ? undefined : Math.floor(this.options.now() / 1000) + this.options.ttlSeconds;
    const name = linkFileName(target.fileName);
    // The name is sealed with the target: the link opens only under the name it was minted for.
    const payload = JSON.stringify({ f: target.fileId, k: target.aesKey, r: target.rendition, n: name, e: expiresAt ?? 0 });
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const sealed = Buffer.concat([cipher.update(payload, 'utf8'), cipher.final()]);
    const token = Buffer.concat([iv, sealed, cipher.getAuthTag()]).toString('base64url');
    // the token goes in the query: path parameters are length-limited by the router
    return { url: `${this.options.baseUrl.replace(/\/$/, '')}${MEDIA_FILES_PATH}/${encodeURIComponent(name)}?t=${token}`, expiresAt };
  }

  /**
   * The target of a token requested under `name` (the link's path segment, decoded), or null when the token was not
   * sealed here, was altered, expired, or was minted for another name.
   */
  open(token: string, name: string): OpenedLink | null {
    // A name no link is minted under (a path, `..`, control characters) is refused before any decryption.
    if (linkFileName(name) !== name) return null;
    const raw = Buffer.from(token, 'base64url');
    if (raw.length < 12 + 16 + 2) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      const text = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
      const p = JSON.parse(text) as { f: string; k: string; r: CdnRendition; n: string; e: number };
      if (p.e !== 0 && p.e * 1000 <= this.options.now()) return null;
      if (p.n !== name) return null;
      return { fileId: p.f, aesKey: p.k, rendition: p.r, fileName: p.n, expiresAt: p.e === 0 ? undefined : p.e, permanent: p.e === 0 };
    } catch {
      return null;
    }
  }
}
