// SSRF protection for URLs wxgate calls on a tenant's behalf: no loopback, private, link-local or metadata addresses
// unless allowlisted, checked when the URL is set and again, after DNS resolution, right before connecting.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const BLOCKED_V4: Array<[string, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24],
  ['224.0.0.0', 4], ['240.0.0.0', 4],
];
const BLOCKED_V6: Array<[string, number]> = [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]];
const BLOCKED_NAMES = /^(localhost|.*\.localhost|metadata\.google\.internal|metadata)$/i;

export class BlockedUrlError extends Error {
  override readonly name = 'BlockedUrlError';
}

/** Strips brackets and maps IPv4-mapped IPv6 (::ffff:1.2.3.4) to its IPv4 address. */
function normalizeAddress(address: string): { address: string; family: 'ipv4' | 'ipv6' } {
  const bare = address.replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return { address: mapped[1]!, family: 'ipv4' };
  return { address: bare, family: isIP(bare) === 6 ? 'ipv6' : 'ipv4' };
}

export class UrlGuard {
  readonly #blocked = new BlockList();
  readonly #allowedNets = new BlockList();
  readonly #allowedHosts = new Set<string>();

  /** `allow`: hostnames, IP addresses or CIDRs (e.g. `127.0.0.1`, `10.0.0.0/8`, `hooks.internal`). */
  constructor(allow: readonly string[] = []) {
    for (const [net, prefix] of BLOCKED_V4) this.#blocked.addSubnet(net, prefix, 'ipv4');
    for (const [net, prefix] of BLOCKED_V6) this.#blocked.addSubnet(net, prefix, 'ipv6');
    for (const entry of allow) {
      const [net, prefix] = entry.split('/');
      const family = isIP(net ?? '');
      if (family && prefix !== undefined) this.#allowedNets.addSubnet(net!, Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
      else if (family) this.#allowedNets.addAddress(net!, family === 6 ? 'ipv6' : 'ipv4');
      else this.#allowedHosts.add(entry.toLowerCase());
    }
  }

  #addressProblem(raw: string): string | null {
    const { address, family } = normalizeAddress(raw);
    if (this.#allowedNets.check(address, family)) return null;
    if (this.#blocked.check(address, family)) return `${address} is a loopback, private, link-local or reserved address`;
    return null;
  }

  /** Checks what can be checked without DNS: scheme, credentials, literal addresses and reserved names. */
  check(url: URL): string | null {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme ${url.protocol.replace(':', '')} is not allowed; use http or https`;
    const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
    if (this.#allowedHosts.has(host)) return null;
    if (isIP(host)) return this.#addressProblem(host);
    if (BLOCKED_NAMES.test(host)) return `${host} is a local name`;
    return null;
  }

  /** Checks what a name resolved to (at connect time); null when every address may be reached. */
  addressesProblem(host: string, addresses: readonly string[]): string | null {
    if (this.#allowedHosts.has(host.toLowerCase())) return null;
    if (addresses.length === 0) return `${host} has no address`;
    for (const address of addresses) {
      const bad = this.#addressProblem(address);
      if (bad) return `${host} resolves to ${bad}`;
    }
    return null;
  }

  /**
   * Resolves the host and checks every address it has; returns the one to connect to, so the request cannot be
   * re-pointed by a second DNS answer (rebinding).
   */
  async resolve(url: URL): Promise<{ address: string; family: 4 | 6 }> {
    const problem = this.check(url);
    if (problem) throw new BlockedUrlError(problem);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host)) return { address: host, family: isIP(host) as 4 | 6 };
    const addresses = await lookup(host, { all: true, verbatim: true });
    const bad = this.addressesProblem(host, addresses.map((a) => a.address));
    if (bad) throw new BlockedUrlError(bad);
    const first = addresses[0]!;
    return { address: first.address, family: first.family as 4 | 6 };
  }
}
