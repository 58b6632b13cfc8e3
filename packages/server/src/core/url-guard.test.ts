// Unit tests of the SSRF guard: reserved ranges, mapped addresses, names, allowlists.
import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { test } from 'node:test';
import { BlockedUrlError, UrlGuard } from './url-guard.ts';

test('reserved addresses and local names are refused; public ones pass', () => {
  const guard = new UrlGuard();
  for (const url of ['http://127.0.0.1/', 'http://127.1.2.3:80/', 'http://10.0.0.1/', 'http://172.20.1.1/', 'http://192.168.0.10/',
    'http://169.254.169.254/', 'http://100.64.0.1/', 'http://0.0.0.0/', 'http://[::1]/', 'http://[fe80::1]/', 'http://[fd00::1]/',
    'http://[::ffff:10.0.0.1]/', 'http://localhost/', 'http://api.localhost/', 'http://metadata.google.internal/']) {
    assert.ok(guard.check(new URL(url)), url);
  }
  for (const url of ['https://93.184.216.34/hook', 'http://[2606:4700::1111]/', 'https://hooks.example.com/x']) {
    assert.equal(guard.check(new URL(url)), null, url);
  }
  assert.match(guard.check(new URL('ftp://93.184.216.34/'))!, /scheme ftp/);
});

test('allowlists take hosts, addresses and CIDRs', () => {
  const guard = new UrlGuard(['127.0.0.1', '10.1.0.0/16', 'hooks.internal']);
  assert.equal(guard.check(new URL('http://127.0.0.1:9/')), null);
  assert.ok(guard.check(new URL('http://127.0.0.2:9/')), 'only the listed address');
  assert.equal(guard.check(new URL('http://10.1.200.3/')), null);
  assert.ok(guard.check(new URL('http://10.2.0.1/')));
  assert.equal(guard.addressesProblem('hooks.internal', ['10.9.9.9']), null);
  assert.match(guard.addressesProblem('evil.example', ['93.184.216.34', '192.168.1.1'])!, /evil\.example resolves to 192\.168\.1\.1/);
  assert.match(guard.addressesProblem('empty.example', [])!, /no address/);
});

test('a name that resolves to loopback is refused at resolution time', async (t) => {
  const name = hostname();
  const addresses = await lookup(name, { all: true }).catch(() => []);
  if (!addresses.some((a) => a.address.startsWith('127.'))) return t.skip(`${name} does not resolve to loopback on this machine`);
  await assert.rejects(new UrlGuard().resolve(new URL(`http://${name}:9/`)), BlockedUrlError);
  assert.ok(await new UrlGuard([name]).resolve(new URL(`http://${name}:9/`)));
});
