// App credentials for this browser tab: kept in sessionStorage (gone with the tab), never put in a URL.
import { WxgateClient } from '@wxgate/sdk';
import type { Reachability } from './reachability.ts';

const KEY = 'wxgate.console.credentials';

export interface Credentials {
  readonly appKey: string;
  readonly appSecret: string;
}

export function loadCredentials(): Credentials | null {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Credentials | null;
    return parsed && typeof parsed.appKey === 'string' && typeof parsed.appSecret === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

export function saveCredentials(credentials: Credentials | null): void {
  if (credentials) sessionStorage.setItem(KEY, JSON.stringify(credentials));
  else sessionStorage.removeItem(KEY);
}

/**
 * A client for the wxgate that served this page (same origin: no CORS, no base URL to configure), whose requests
 * tell `reachability` whether the server answers.
 */
export function clientFor(credentials: Credentials, reachability?: Reachability): WxgateClient {
  return new WxgateClient({
    baseUrl: location.origin,
    appKey: credentials.appKey,
    appSecret: credentials.appSecret,
    ...(reachability ? { fetch: reachability.fetch } : {}),
  });
}
