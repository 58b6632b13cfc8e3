// Unit tests of proxy URL validation and masking.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskProxy, proxyProblem } from './proxy-url.ts';

test('accepts the vendor\'s proxy forms and "" for none', () => {
  for (const ok of ['', 'http://127.0.0.1:10807', 'socks4://1.2.3.4:1080', 'socks5://user:pass@10.10.1.10:3128']) {
    assert.equal(proxyProblem(ok), null, ok);
  }
});

test('refuses what cannot work, saying why', () => {
  assert.match(proxyProblem('10.0.0.1:8080')!, /scheme|URL/);
  assert.match(proxyProblem('ftp://h:21')!, /scheme ftp/);
  assert.match(proxyProblem('http://host')!, /port/);
  assert.match(proxyProblem('not a url')!, /not a URL/);
  assert.match(proxyProblem('http://h:1/path')!, /path/);
});

test('masks user and password, keeps host and port', () => {
  assert.equal(maskProxy('socks5://user:pass@10.10.1.10:3128'), 'socks5://***:***@10.10.1.10:3128');
  assert.equal(maskProxy('http://127.0.0.1:10807'), 'http://127.0.0.1:10807');
  assert.equal(maskProxy('socks5://onlyuser@h:1'), 'socks5://***@h:1');
  assert.equal(maskProxy('::garbage::pass'), '***');
  assert.equal(maskProxy(''), '');
});
