// SSRF protection for URLs wxgate calls on a tenant's behalf: only public unicast addresses unless allowlisted, checked
// when the URL is set and again, after DNS resolution, right before connecting.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Net = [Address, number];

const BLOCKED_NAMES = /^(localhost|.*\.localhost|metadata\.google\.internal|metadata)$/i;

/** IANA allocates global unicast IPv6 only from 2000::/3; what ipaddr.js calls 'unicast' outside it is unallocated. */
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
/** NAT64's well-known prefix (RFC 6052): the IPv4 address is the last 32 bits. */
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

/** ipaddr.js range names in words, for messages; the words keep "loopback/private/local/reserved" greppable. */
const RANGE_WORDS: Record<string, string> = {
  unspecified: 'unspecified', broadcast: 'broadcast', multicast: 'multicast', linkLocal: 'link-local', loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT (private)', private: 'private', reserved: 'reserved', benchmarking: 'benchmarking (reserved)',
  uniqueLocal: 'unique-local (private)', deprecatedSiteLocal: 'site-local (private)', discard: 'discard-only (reserved)',
  rfc6052: 'local-use NAT64 (private)', unallocated: 'unallocated (reserved)',
};

const rangeWords = (range: string): string => {
  const words = RANGE_WORDS[range] ?? `special-purpose (${range})`;
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words} address`;
};

export class BlockedUrlError extends Error {
  override readonly name = 'BlockedUrlError';
}

/** `[::1]` → `::1`, `Example.COM.` → `example.com`: a trailing dot names the same host as the name without it. */
export function normalizeHost(host: string): string {
  return host.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.+$/, '');
}

const v4 = (bytes: readonly number[], at: number): ipaddr.IPv4 => new ipaddr.IPv4([bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!]);

/**
 * The IPv4 addresses a packet to this IPv6 address really goes to, for the forms that embed one: mapped (::ffff:a.b.c.d),
 * translated (::ffff:0:a.b.c.d), compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d), 6to4 (2002:aabb:ccdd::) and Teredo
 * (server in bits 32–63, client in the last 32 bits, inverted). undefined when it embeds none.
 */
function embeddedIpv4(address: ipaddr.IPv6, range: string): ipaddr.IPv4[] | undefined {
  const bytes = address.toByteArray();
  switch (range) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return [v4(bytes, 12)];
    case '6to4':
      return [v4(bytes, 2)];
    case 'teredo':
      return [v4(bytes, 4), new ipaddr.IPv4(bytes.slice(12, 16).map((b) => b ^ 0xff))];
    case 'rfc6052':
      // The local-use prefix 64:ff9b:1::/48 (RFC 8215) puts the IPv4 address where its operator chose: not decodable.
      return address.match(NAT64_WELL_KNOWN) ? [v4(bytes, 12)] : undefined;
    case 'unicast':
      // IPv4-compatible (::a.b.c.d, deprecated by RFC 4291); :: and ::1 have their own ranges.
      return bytes.slice(0, 12).every((b) => b === 0) ? [v4(bytes, 12)] : undefined;
    default:
      return undefined;
  }
}

function parseAllowEntry(entry: string): Net | undefined {
  const bare = normalizeHost(entry);
  if (bare.includes('/')) {
    if (!ipaddr.isValidCIDR(bare)) throw new Error(`${entry} is not a valid CIDR (e.g. 10.0.0.0/8, fd00::/8)`);
    return ipaddr.parseCIDR(bare);
  }
  if (!isIP(bare)) return undefined;
  const address = ipaddr.parse(bare);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

/** What loopback access means to the guard: IPv4's 127/8, IPv6's ::1 and the name localhost. */
export const LOOPBACK_ALLOWANCE: readonly string[] = ['127.0.0.0/8', '::1/128', 'localhost'];

/** Whether a listen address accepts connections from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const name = normalizeHost(host);
  if (name === 'localhost') return true;
  const bare = name.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(bare) && ipaddr.process(bare).range() === 'loopback';
}

export class UrlGuard {
  readonly #allowedNets: Net[] = [];
  readonly #allowedHosts = new Set<string>();

  /** `allow`: hostnames, IP addresses or CIDRs (e.g. `127.0.0.1`, `10.0.0.0/8`, `hooks.internal`); config.ts checked the CIDRs. */
  constructor(allow: readonly string[] = []) {
    for (const entry of allow) {
      const net = parseAllowEntry(entry);
      if (net) this.#allowedNets.push(net);
      else this.#allowedHosts.add(normalizeHost(entry));
    }
  }

  #allowed(address: Address): boolean {
    return this.#allowedNets.some(([net, bits]) => net.kind() === address.kind() && address.match(net, bits));
  }

  /**
   * Allowed only when public unicast (an allow-list, not a list of bad ranges, so a range nobody thought of is refused);
   * the forms that carry an IPv4 address are judged by it, recursively. Answers what the address is when refused.
   */
  #verdict(address: Address): string | null {
    if (this.#allowed(address)) return null;
    if (address.kind() === 'ipv4') {
      const range = address.range();
      return range === 'unicast' ? null : `${address.toString()} is ${rangeWords(range)}`;
    }
    const v6 = address as ipaddr.IPv6;
    const range = v6.range();
    const embedded = embeddedIpv4(v6, range);
    if (embedded) {
      for (const inner of embedded) {
        const problem = this.#verdict(inner);
        if (problem) return `${v6.toString()} embeds ${problem.replace(' is ', ', ')}`;
      }
      return null;
    }
    if (range === 'unicast' && v6.match(GLOBAL_UNICAST_V6)) return null;
    return `${v6.toString()} is ${rangeWords(range === 'unicast' ? 'unallocated' : range)}`;
  }

  #addressProblem(raw: string): string | null {
    const bare = raw.replace(/^\[|\]$/g, '');
    if (!ipaddr.isValid(bare)) return `${bare} is not an IP address`;
    return this.#verdict(ipaddr.parse(bare));
  }

  /** Checks what can be checked without DNS: scheme, literal addresses and reserved names. */
  check(url: URL): string | null {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `scheme ${url.protocol.replace(':', '')} is not allowed; use http or https`;
    // WHATWG URL parsing already turned decimal, octal and hex IPv4 forms (2130706433, 0x7f.1) into dotted quads.
    const host = normalizeHost(url.hostname);
    if (this.#allowedHosts.has(host)) return null;
    if (isIP(host)) return this.#addressProblem(host);
    if (BLOCKED_NAMES.test(host)) return `${host} is a local name`;
    return null;
  }

  /** Checks what a name resolved to (at connect time); null when every address may be reached. */
  addressesProblem(host: string, addresses: readonly string[]): string | null {
    if (this.#allowedHosts.has(normalizeHost(host))) return null;
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
