// Unit tests of the SSRF guard: every special-purpose range and embedding form, names, allowlists.
import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { BlockedUrlError, isLoopbackHost, UrlGuard } from './url-guard.ts';

/** [url, why it must be refused] — each form once, as a URL as a tenant would send it. */
const REFUSED: ReadonlyArray<readonly [string, string]> = [
  ['http://127.0.0.1/', 'loopback'],
  ['http://127.1.2.3:80/', 'loopback, anywhere in 127/8'],
  ['http://2130706433/', 'loopback as a decimal number'],
  ['http://0x7f.1/', 'loopback in hex, short form'],
  ['http://017700000001/', 'loopback in octal'],
  ['http://0177.0.0.1/', 'loopback with an octal first part'],
  ['http://10.0.0.1/', 'private 10/8'],
  ['http://172.20.1.1/', 'private 172.16/12'],
  ['http://192.168.0.10/', 'private 192.168/16'],
  ['http://100.64.0.1/', 'carrier-grade NAT 100.64/10'],
  ['http://100.127.255.254/', 'carrier-grade NAT, top of the range'],
  ['http://169.254.169.254/', 'link-local: the cloud metadata address'],
  ['http://0.0.0.0/', 'unspecified'],
  ['http://0/', 'unspecified, as a number'],
  ['http://0.1.2.3/', '0.0.0.0/8 ("this network")'],
  ['http://255.255.255.255/', 'broadcast'],
  ['http://224.0.0.1/', 'multicast'],
  ['http://239.255.255.250/', 'multicast (SSDP)'],
  ['http://240.0.0.1/', 'reserved 240/4'],
  ['http://192.0.0.8/', 'IETF protocol assignments 192.0.0/24'],
  ['http://192.0.2.1/', 'documentation TEST-NET-1'],
  ['http://198.18.0.1/', 'benchmarking 198.18/15'],
  ['http://198.51.100.7/', 'documentation TEST-NET-2'],
  ['http://203.0.113.9/', 'documentation TEST-NET-3'],
  ['http://[::]/', 'IPv6 unspecified ::/128'],
  ['http://[::1]/', 'IPv6 loopback'],
  ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped loopback'],
  ['http://[::ffff:10.0.0.1]/', 'IPv4-mapped private'],
  ['http://[::ffff:169.254.169.254]/', 'IPv4-mapped metadata'],
  ['http://[::7f00:1]/', 'IPv4-compatible loopback (::127.0.0.1)'],
  ['http://[::a9fe:a9fe]/', 'IPv4-compatible metadata (::169.254.169.254)'],
  ['http://[::2]/', 'IPv4-compatible 0.0.0.2'],
  ['http://[::ffff:0:7f00:1]/', 'IPv4-translated loopback (::ffff:0:127.0.0.1)'],
  ['http://[64:ff9b::7f00:1]/', 'NAT64 well-known prefix, loopback inside'],
  ['http://[64:ff9b::a00:1]/', 'NAT64 well-known prefix, 10.0.0.1 inside'],
  ['http://[64:ff9b:1::7f00:1]/', 'NAT64 local-use prefix 64:ff9b:1::/48'],
  ['http://[64:ff9b:1::808:808]/', 'NAT64 local-use prefix: the IPv4 position is the operator\'s choice'],
  ['http://[2002:7f00:1::1]/', '6to4 of 127.0.0.1'],
  ['http://[2002:a9fe:a9fe::]/', '6to4 of the metadata address'],
  ['http://[2002:c0a8:101::1]/', '6to4 of 192.168.1.1'],
  ['http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/', 'Teredo whose client (obfuscated) is 127.0.0.1'],
  ['http://[2001:0:a00:1:8000:63bf:f7f7:f7f7]/', 'Teredo whose server is 10.0.0.1'],
  ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/', 'Teredo whose client is 192.0.2.45 (documentation)'],
  ['http://[fe80::1]/', 'IPv6 link-local'],
  ['http://[fec0::1]/', 'IPv6 site-local fec0::/10'],
  ['http://[feff::1]/', 'IPv6 site-local, top of fec0::/10'],
  ['http://[fd00::1]/', 'IPv6 unique-local'],
  ['http://[fc00::1]/', 'IPv6 unique-local, fc00::/8 half'],
  ['http://[ff02::1]/', 'IPv6 multicast'],
  ['http://[ff05::1:3]/', 'IPv6 site multicast'],
  ['http://[2001:db8::1]/', 'IPv6 documentation (reserved)'],
  ['http://[2001:2::1]/', 'IPv6 benchmarking'],
  ['http://[100::1]/', 'IPv6 discard-only'],
  ['http://[4000::1]/', 'IPv6 outside 2000::/3 (unallocated)'],
  ['http://[::ffff:ffff:ffff]/', 'IPv4-mapped broadcast'],
  ['http://localhost/', 'the loopback name'],
  ['http://localhost./', 'the loopback name with a trailing dot'],
  ['http://LOCALHOST../', 'the loopback name, upper case, two dots'],
  ['http://api.localhost/', 'a .localhost name'],
  ['http://api.localhost./', 'a .localhost name with a trailing dot'],
  ['http://metadata.google.internal/', 'the GCE metadata name'],
  ['http://metadata.google.internal./', 'the GCE metadata name with a trailing dot'],
];

const ALLOWED = [
  'https://93.184.216.34/hook', 'http://8.8.8.8/', 'http://1.1.1.1:8080/x', 'http://[2606:4700::1111]/',
  'http://[::ffff:8.8.8.8]/', // mapped public IPv4
  'http://[64:ff9b::808:808]/', // NAT64 (DNS64 answers this on IPv6-only networks) of a public IPv4
  'http://[2002:808:808::1]/', // 6to4 of a public IPv4
  'http://[2001:0:4136:e378:8000:63bf:f7f7:f7f7]/', // Teredo: public server 65.54.227.120, client 8.8.8.8
  'https://hooks.example.com/x', 'https://hooks.example.com./x',
];

test('every special-purpose address form is refused', () => {
  const guard = new UrlGuard();
  for (const [url, why] of REFUSED) {
    const problem = guard.check(new URL(url));
    assert.ok(problem, `${url} (${why}) must be refused`);
  }
});

test('public unicast addresses and names pass, including public IPv4 inside NAT64, 6to4, Teredo and mapped forms', () => {
  const guard = new UrlGuard();
  for (const url of ALLOWED) assert.equal(guard.check(new URL(url)), null, url);
  assert.match(guard.check(new URL('ftp://93.184.216.34/'))!, /scheme ftp/);
});

test('refusals say what the address is, naming an embedded IPv4 address', () => {
  const guard = new UrlGuard();
  assert.match(guard.check(new URL('http://2130706433/'))!, /^127\.0\.0\.1 is a loopback address/);
  assert.match(guard.check(new URL('http://[2002:a9fe:a9fe::]/'))!, /^2002:a9fe:a9fe:: embeds 169\.254\.169\.254, a link-local address/);
  assert.match(guard.check(new URL('http://100.64.0.1/'))!, /carrier-grade NAT/);
  assert.match(guard.check(new URL('http://[fec0::1]/'))!, /site-local/);
  assert.match(guard.check(new URL('http://localhost./'))!, /^localhost is a local name/);
});

test('resolved addresses are judged the same way (connect time, after DNS)', () => {
  const guard = new UrlGuard();
  for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '::7f00:1', '::ffff:0:7f00:1', '64:ff9b::a9fe:a9fe', '2002:a00:1::', 'fec0::1', '100.64.1.1', 'fe80::1%eth0']) {
    assert.ok(guard.addressesProblem('evil.example', [address]), address);
  }
  assert.equal(guard.addressesProblem('good.example', ['93.184.216.34', '2606:4700::1111', '64:ff9b::808:808']), null);
  assert.match(guard.addressesProblem('evil.example', ['93.184.216.34', '192.168.1.1'])!, /evil\.example resolves to 192\.168\.1\.1/);
  assert.match(guard.addressesProblem('empty.example', [])!, /no address/);
});

test('allowlists take hosts, addresses and CIDRs; a trailing dot names the same host', () => {
  const guard = new UrlGuard(['127.0.0.1', '10.1.0.0/16', 'hooks.internal', 'Dotted.Internal.', 'fd00:1::/32', '[fd00:2::5]']);
  assert.equal(guard.check(new URL('http://127.0.0.1:9/')), null);
  assert.equal(guard.check(new URL('http://2130706433:9/')), null, 'the same address in another notation');
  assert.equal(guard.check(new URL('http://[::ffff:127.0.0.1]:9/')), null, 'the allowed address, IPv4-mapped');
  assert.ok(guard.check(new URL('http://127.0.0.2:9/')), 'only the listed address');
  assert.equal(guard.check(new URL('http://10.1.200.3/')), null);
  assert.equal(guard.check(new URL('http://[2002:a01:c803::]/')), null, '6to4 of an allowed network (10.1.200.3)');
  assert.ok(guard.check(new URL('http://10.2.0.1/')));
  assert.equal(guard.check(new URL('http://[fd00:1:2::3]/')), null);
  assert.equal(guard.check(new URL('http://[fd00:2::5]/')), null, 'a bracketed IPv6 entry');
  assert.ok(guard.check(new URL('http://[fd00:3::1]/')));
  assert.equal(guard.addressesProblem('hooks.internal', ['10.9.9.9']), null);
  assert.equal(guard.addressesProblem('hooks.internal.', ['10.9.9.9']), null, 'the resolved name with a trailing dot');
  assert.equal(guard.check(new URL('http://hooks.internal./')), null);
  assert.equal(guard.check(new URL('http://dotted.internal/')), null, 'an entry written with a trailing dot');
  assert.equal(guard.addressesProblem('dotted.internal', ['10.9.9.9']), null);

  const localhost = new UrlGuard(['localhost']);
  assert.equal(localhost.check(new URL('http://localhost./')), null, 'allowlisted localhost covers localhost.');
  assert.equal(localhost.addressesProblem('localhost.', ['127.0.0.1']), null);
});

test('an allowlist entry that looks like a CIDR but is not one is refused, not taken for a host name', () => {
  assert.throws(() => new UrlGuard(['10.0.0.0/33']), /not a valid CIDR/);
  assert.throws(() => new UrlGuard(['fd00::/129']), /not a valid CIDR/);
});

test('a name that resolves to loopback is refused at resolution time', async (t) => {
  const name = hostname();
  const addresses = await lookup(name, { all: true }).catch(() => []);
  if (!addresses.some((a) => a.address.startsWith('127.'))) return t.skip(`${name} does not resolve to loopback on this machine`);
  await assert.rejects(new UrlGuard().resolve(new URL(`http://${name}:9/`)), BlockedUrlError);
  assert.ok(await new UrlGuard([name]).resolve(new URL(`http://${name}:9/`)));
});

test('listen addresses on loopback only: 127/8, ::1 and localhost; the wildcards and other addresses are not', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST.']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '::ffff:10.0.0.1']) assert.equal(isLoopbackHost(host), false, host);
});
