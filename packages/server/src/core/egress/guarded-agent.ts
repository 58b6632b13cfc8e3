// An undici agent that connects only to addresses the SSRF guard approves, checked at connect time after DNS, so a
// second DNS answer cannot re-point a request (webhooks and media fetches share it).
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { Agent } from 'undici';
import { BlockedUrlError, type UrlGuard } from './url-guard.ts';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** Literal IP addresses never reach the lookup: callers check `guard.check(url)` before each request. */
export function guardedAgent(guard: UrlGuard, options: { keepAliveTimeoutMs: number; connections: number }): Agent {
  const lookup = (hostname: string, lookupOptions: LookupOptions, callback: LookupCallback) => {
    dnsLookup(hostname, { ...lookupOptions, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      const problem = guard.addressesProblem(hostname, addresses.map((a) => a.address));
      if (problem) return callback(Object.assign(new BlockedUrlError(problem), { code: 'EBLOCKED' }), []);
      if (lookupOptions.all) return callback(null, addresses);
      return callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
  return new Agent({ connect: { lookup } as never, keepAliveTimeout: options.keepAliveTimeoutMs, connections: options.connections } as never);
}
