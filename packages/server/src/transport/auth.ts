// Who is calling: app credentials from the gateway body or the direct headers, and the admin bearer token.
import { ApiError } from '@wxgate/contract';
import type { IncomingHttpHeaders } from 'node:http';
import { digest, sameDigest } from '../core/secrets/secrets.ts';

export interface Credentials {
  readonly appKey: string;
  readonly appSecret: string;
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Direct transport: X-App-Key/X-App-Secret, or Authorization: Bearer <app_key>:<app_secret>; null when absent. */
export function credentialsFromHeaders(headers: IncomingHttpHeaders): Credentials | null {
  const appKey = header(headers, 'x-app-key');
  const appSecret = header(headers, 'x-app-secret');
  if (appKey && appSecret) return { appKey, appSecret };
  const auth = header(headers, 'authorization');
  const match = auth && /^Bearer\s+([^:\s]+):(\S+)$/i.exec(auth);
  if (match) return { appKey: match[1]!, appSecret: match[2]! };
  return null;
}

/** The admin API exists only when a token is configured; the comparison takes the same time whatever is sent. */
export function checkAdminToken(headers: IncomingHttpHeaders, configured: string | undefined): void {
  if (!configured) throw new ApiError('ADMIN_DISABLED');
  const auth = header(headers, 'authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(auth);
  if (!match || !sameDigest(digest(match[1]!), digest(configured))) throw new ApiError('BAD_ADMIN_TOKEN');
}
