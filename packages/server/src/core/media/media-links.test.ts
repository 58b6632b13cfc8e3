// Unit tests of sealed download links: the name is sealed with the target, unsafe names never make or open a link.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkFileName, SealedMediaLinks } from './media-links.ts';

const target = { fileId: '3057020100044b3049' + 'ab'.repeat(80), aesKey: '0123456789abcdef0123456789abcdef', rendition: 'main' as const };

function mint(fileName: string, now = 1_700_000_000_000) {
  const links = new SealedMediaLinks('server secret', { baseUrl: 'http://wx.example/', ttlSeconds: 60, now: () => now });
  const url = new URL(links.downloadUrl({ ...target, fileName }).url);
  return { links, name: decodeURIComponent(url.pathname.split('/').pop()!), token: url.searchParams.get('t')! };
}

test('a link opens under the name it was minted for, and under no other', () => {
  const { links, name, token } = mint('a.jpg');
  assert.equal(name, 'a.jpg');
  assert.deepEqual(links.open(token, 'a.jpg'), { ...target, fileName: 'a.jpg', expiresAt: 1_700_000_060, permanent: false });
  for (const other of ['b.jpg', 'A.jpg', 'a.jpg.exe', 'a.jpg ', '../a.jpg', 'x/a.jpg', '']) {
    assert.equal(links.open(token, other), null, JSON.stringify(other));
  }
});

test('path-like, dot-only and control-character names are reduced to a safe last segment before sealing', () => {
  const cases: Array<[string, string]> = [
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\report.pdf', 'report.pdf'],
    ['dir/', 'file'],
    ['..', 'file'],
    ['.', 'file'],
    ['', 'file'],
    ['a\u0000b\r\nc.txt', 'abc.txt'],
    ['  spaced.png  ', 'spaced.png'],
    ['年度报告.pdf', '年度报告.pdf'],
    ['.hidden', '.hidden'],
  ];
  for (const [given, expected] of cases) {
    assert.equal(linkFileName(given), expected, JSON.stringify(given));
    const { links, name, token } = mint(given);
    assert.equal(name, expected, `the URL carries the safe name for ${JSON.stringify(given)}`);
    assert.equal(links.open(token, expected)?.fileName, expected);
    if (given !== expected) assert.equal(links.open(token, given), null, `never under ${JSON.stringify(given)}`);
  }
});

test('a name longer than the router takes keeps its extension and fits', () => {
  const long = `${'名'.repeat(150)}.docx`;
  const safe = linkFileName(long);
  assert.equal(safe.length, 100);
  assert.ok(safe.endsWith('.docx'));
  const { links, name, token } = mint(long);
  assert.equal(name, safe);
  assert.ok(links.open(token, safe));
  assert.equal(linkFileName(`${'😀'.repeat(60)}`).length % 2, 0, 'no surrogate pair is cut');
});

test('an altered or expired token opens nothing', () => {
  const { links, token } = mint('a.jpg');
  const flipped = (token[5] === 'A' ? 'B' : 'A');
  assert.equal(links.open(token.slice(0, 5) + flipped + token.slice(6), 'a.jpg'), null);
  const later = new SealedMediaLinks('server secret', { baseUrl: 'http://wx.example', ttlSeconds: 60, now: () => 1_700_000_061_000 });
  assert.equal(later.open(token, 'a.jpg'), null);
  const otherServer = new SealedMediaLinks('another secret', { baseUrl: 'http://wx.example', ttlSeconds: 60, now: () => 1_700_000_000_000 });
  assert.equal(otherServer.open(token, 'a.jpg'), null);
});
