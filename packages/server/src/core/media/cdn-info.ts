// cdn_info, the credential of the private-CDN calls (base_request): a token naming the app, the instance and the
// account, HMAC-signed with a server secret and valid 3 hours, as /cdn/get_cdn_info promises ("每3小时更新一次").
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '@wxgate/contract';

/** How long a cdn_info works. */
export const CDN_INFO_TTL_MS = 3 * 3600 * 1000;
/** What get_cdn_info answers besides cdn_info (the device the private CDN acts as). */
export const CDN_DEVICE_TYPE = 'UnifiedPCWindows 11 x86_64';
export const CDN_CLIENT_VERSION = 0x63090c11;

export interface CdnInfoClaims {
  readonly appId: string;
  readonly guid: string;
  readonly username: string;
  /** unix ms */
  readonly expiresAt: number;
}

export class CdnInfoTokens {
  readonly #key: Buffer;

  constructor(secret: string, private readonly now: () => number) {
    this.#key = createHmac('sha256', 'wxgate-cdn-info').update(secret).digest();
  }

  #mac(payload: string): Buffer {
    return createHmac('sha256', this.#key).update(payload).digest();
  }

  issue(appId: string, guid: string, username: string): { cdnInfo: string; expiresAt: number } {
    const expiresAt = this.now() + CDN_INFO_TTL_MS;
    const payload = Buffer.from(JSON.stringify({ a: appId, g: guid, u: username, e: expiresAt })).toString('base64url');
    return { cdnInfo: `${payload}.${this.#mac(payload).toString('base64url')}`, expiresAt };
  }

  /** The claims of a cdn_info issued here and not expired; a catalog error (401) otherwise. */
  verify(cdnInfo: string): CdnInfoClaims {
    const [payload, mac, extra] = cdnInfo.split('.');
    const given = Buffer.from(mac ?? '', 'base64url');
    const expected = payload ? this.#mac(payload) : Buffer.alloc(0);
    if (!payload || extra !== undefined || given.length !== expected.length || !timingSafeEqual(given, expected)) throw new ApiError('CDN_INFO_INVALID');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { a: string; g: string; u: string; e: number };
    if (claims.e <= this.now()) throw new ApiError('CDN_INFO_EXPIRED', undefined, { expired_at: Math.floor(claims.e / 1000) });
    return { appId: claims.a, guid: claims.g, username: claims.u, expiresAt: claims.e };
  }
}
