// The CDN over HTTP: uploads of every file type (data: URLs and fetched URLs) come back byte-equal through
// cdn_download and the served link; objects are encrypted at rest (openssl, or Node's OpenSSL where the program is
// missing, decrypts them); wrong keys, unknown ids, SSRF targets and oversized files are refused, leaving nothing behind.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { startHarness, type Harness } from '../../harness.ts';
import { ok } from '../../sandbox-helpers.ts';
import { NEEDS, runs, testVideo } from '../../system-programs.ts';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const dataUrl = (b: Buffer, type = 'application/octet-stream') => `data:${type};base64,${b.toString('base64')}`;

const OPENSSL = runs('openssl', ['version']);
/**
 * A stored object decrypted as an operator would: the openssl program, or where it is missing (a machine with only
 * Node), the same OpenSSL cipher inside Node. Throws for an object under another key.
 */
function decryptStored(file: string, aesKey: string): Buffer {
  if (OPENSSL) return execFileSync('openssl', ['enc', '-d', '-aes-128-ecb', '-K', aesKey, '-in', file], { stdio: ['ignore', 'pipe', 'ignore'] });
  const decipher = createDecipheriv('aes-128-ecb', Buffer.from(aesKey, 'hex'), null);
  return Buffer.concat([decipher.update(readFileSync(file)), decipher.final()]);
}

function storedObjects(dataDir: string): string[] {
  const root = join(dataDir, 'media', 'objects');
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('CDN upload and download', () => {
  let h: Harness;
  let guid: string;
  let png: Buffer;
  let server: Server;
  let origin: string;

  before(async () => {
    // Loopback only where allowlisted (the harness's 127.0.0.1 for the origin below), so localhost is still refused. The
    // local media store: these tests read the stored objects' files.
    h = await startHarness({ allowLoopbackUrls: false, media: { maxObjectBytes: 200_000, fetchTimeoutMs: 2000, linkTtlSeconds: 3600, store: 'local' } });
    guid = await h.createInstance();
    const { wxid } = await ok(h.direct('/sandbox/people/create', { nickname: 'Uploader' }));
    await ok(h.direct('/login/get_login_qrcode', { guid }));
    await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan', wxid }));
    await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm' }));
    png = await sharp({ create: { width: 1600, height: 900, channels: 3, background: { r: 200, g: 30, b: 90 } } }).png().toBuffer();
    server = createServer((req, res) => {
      if (req.url === '/pic.png') return res.end(png);
      if (req.url === '/big.bin') return res.end(Buffer.alloc(300_000, 7));
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/pic.png' });
        return res.end();
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.close();
    await h.close();
  });

  test('an image gets three renditions with real sizes; each downloads byte-equal; the link serves it', async () => {
    const up = await ok(h.direct('/cloud/cdn_upload', { guid, file_type: 2, url: `${origin}/pic.png` }));
    assert.match(up.file_id, /^3057020100044b3049[0-9a-f]{160}$/);
    assert.match(up.aes_key, /^[0-9a-f]{32}$/);
    assert.equal(up.file_md5, md5(png));
    assert.equal(up.file_size, png.length);
    assert.ok(up.thumb_width <= 240 && up.thumb_height <= 240 && up.thumb_width > 0);
    const original = await ok(h.direct('/cloud/cdn_download', { guid, file_type: 1, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size }));
    assert.equal(md5(Buffer.from(original.base64, 'base64')), md5(png));
    const mid = await ok(h.direct('/cloud/cdn_download', { guid, file_type: 2, file_id: up.file_id, aes_key: up.aes_key, file_size: 0 }));
    assert.deepEqual(Object.values(await sharp(Buffer.from(mid.base64, 'base64')).metadata()).length > 0, true);
    const midMeta = await sharp(Buffer.from(mid.base64, 'base64')).metadata();
    assert.deepEqual([midMeta.width, midMeta.height, midMeta.format], [1080, 608, 'jpeg']);
    const thumb = await ok(h.direct('/cloud/cdn_download', { guid, file_type: 3, file_id: up.file_id, aes_key: up.aes_key, file_size: 0 }));
    const thumbMeta = await sharp(Buffer.from(thumb.base64, 'base64')).metadata();
    assert.deepEqual([thumbMeta.width, thumbMeta.height], [up.thumb_width, up.thumb_height]);
    // the link wxgate serves
    const link = new URL(original.url);
    const path = link.pathname + link.search;
    const served = await h.app.http.inject({ method: 'GET', url: path });
    assert.equal(served.statusCode, 200);
    assert.equal(served.headers['content-type'], 'image/png');
    assert.equal(md5(served.rawPayload), md5(png));
    const tampered = await h.app.http.inject({ method: 'GET', url: path.replace(/\?t=(.)/, (_m, c: string) => `?t=${c === 'A' ? 'B' : 'A'}`) });
    assert.equal(tampered.statusCode, 404);
  });

  test('a link serves only under the file name it was minted for; path-like names never reach the disk or the URL', async () => {
    const content = Buffer.from('named content');
    const up = await ok(h.direct('/cloud/cdn_upload', { guid, file_type: 5, url: dataUrl(content) }));
    const down = await ok(h.direct('/cloud/cdn_download', { guid, file_type: 5, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_name: 'a.jpg' }));
    const link = new URL(down.url);
    assert.equal(link.pathname, '/cdn/files/a.jpg');
    const served = await h.app.http.inject({ method: 'GET', url: link.pathname + link.search });
    assert.deepEqual([served.statusCode, served.rawPayload], [200, content]);
    for (const name of ['b.jpg', 'a.jpg.html', '..%2F..%2Fetc%2Fpasswd', '..%5Ca.jpg', 'a.jpg%00']) {
      const other = await h.app.http.inject({ method: 'GET', url: `/cdn/files/${name}${link.search}` });
      assert.equal(other.statusCode, 404, name);
      assert.equal(other.json().errcode, 40451, name);
      assert.ok(!other.rawPayload.includes(content), name);
    }
    const traversal = await ok(h.direct('/cloud/cdn_download', { guid, file_type: 5, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_name: '../../etc/passwd' }));
    const safe = new URL(traversal.url);
    assert.equal(safe.pathname, '/cdn/files/passwd');
    const got = await h.app.http.inject({ method: 'GET', url: safe.pathname + safe.search });
    assert.equal(got.statusCode, 200);
    assert.equal(got.headers['content-disposition'], "attachment; filename*=UTF-8''passwd");
    const raw = await h.app.http.inject({ method: 'GET', url: `/cdn/files/..%2F..%2Fetc%2Fpasswd${safe.search}` });
    assert.equal(raw.statusCode, 404, 'not under the name it was asked with either');
  });

  test('files (data: URL and base64) round-trip; stored objects are ciphertext that openssl decrypts', async () => {
    const content = Buffer.from('PDF-ish content, repeated. '.repeat(500));
    const up = await ok(h.direct('/cloud/cdn_upload', { guid, file_type: 5, url: dataUrl(content) }));
    assert.equal(up.file_md5, md5(content));
    assert.equal(up.file_crc, zlibCrc32(content));
    const again = await ok(h.direct('/cloud/cdn_upload', { guid, file_type: 5, url: content.toString('base64') }));
    assert.notEqual(again.aes_key, up.aes_key);
    const down = await ok(h.direct('/cloud/cdn_download', { guid, file_type: 5, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_name: 'a.pdf' }));
    assert.deepEqual(Buffer.from(down.base64, 'base64'), content);
    assert.equal(down.file_name, 'a.pdf');
    const needle = content.subarray(0, 27);
    let decryptedOne = false;
    for (const file of storedObjects(h.dataDir)) {
      const bytes = readFileSync(file);
      assert.ok(!bytes.includes(needle), 'plaintext found on disk');
      try {
        const plain = decryptStored(file, up.aes_key);
        if (plain.equals(content)) decryptedOne = true;
      } catch {
        // other objects are under other keys
      }
    }
    assert.ok(decryptedOne, `${OPENSSL ? 'openssl' : 'Node\'s OpenSSL'} decrypts the stored object with the aes_key`);
  });

  test('wrong key, unknown id and wrong file_type are refused without content', async () => {
    const up = await ok(h.direct('/cloud/cdn_upload', { guid, file_type: 5, url: dataUrl(Buffer.from('secret bytes here')) }));
    const wrongKey = await h.direct('/cloud/cdn_download', { guid, file_type: 5, file_id: up.file_id, aes_key: '0'.repeat(32), file_size: 1 });
    assert.equal(wrongKey.status, 403);
    assert.equal(wrongKey.body.code, 40350);
    assert.ok(!wrongKey.text.includes(Buffer.from('secret bytes here').toString('base64')));
    const unknown = await h.direct('/cloud/cdn_download', { guid, file_type: 5, file_id: up.file_id.replace(/.{8}$/, '00000000'), aes_key: up.aes_key, file_size: 1 });
    assert.equal(unknown.status, 404);
    const noThumb = await h.direct('/cloud/cdn_download', { guid, file_type: 3, file_id: up.file_id, aes_key: up.aes_key, file_size: 1 });
    assert.equal(noThumb.body.code, 40450);
    const junk = await h.direct('/cloud/cdn_download', { guid, file_type: 5, file_id: 'abc', aes_key: up.aes_key, file_size: 1 });
    assert.equal(junk.body.code, 40450);
  });

  test('SSRF targets, redirects and oversized files are refused; nothing partial is stored', async () => {
    const before = storedObjects(h.dataDir).length;
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://10.0.0.1/x.png', 'http://localhost:1/x', 'file:///etc/passwd']) {
      const r = await h.direct('/cloud/cdn_upload', { guid, file_type: 5, url });
      assert.ok([403, 422].includes(r.status), `${url}: ${r.text}`);
      if (r.status === 403) assert.equal(r.body.code, 40351);
    }
    // IPv6 forms that carry a private IPv4 address, site-local, and a local name with a trailing dot: refused before any fetch.
    for (const url of ['http://[::a9fe:a9fe]/x.png', 'http://[2002:a9fe:a9fe::]/x.png', 'http://[64:ff9b::a00:1]/x.png', 'http://[fec0::1]/x.png', 'http://localhost./x.png']) {
      const r = await h.direct('/cloud/cdn_upload', { guid, file_type: 5, url });
      assert.deepEqual([r.status, r.body.code], [403, 40351], `${url}: ${r.text}`);
    }
    const redirect = await h.direct('/cloud/cdn_upload', { guid, file_type: 2, url: `${origin}/redirect` });
    assert.equal(redirect.body.code, 40970);
    const big = await h.direct('/cloud/cdn_upload', { guid, file_type: 5, url: `${origin}/big.bin` });
    assert.equal(big.status, 413);
    assert.equal(big.body.code, 41350);
    const bigInline = await h.direct('/cloud/cdn_upload', { guid, file_type: 5, url: dataUrl(Buffer.alloc(250_000, 1)) });
    assert.equal(bigInline.body.code, 41350);
    const notImage = await h.direct('/cloud/cdn_upload', { guid, file_type: 2, url: dataUrl(Buffer.from('not an image at all')) });
    assert.equal(notImage.body.code, 40971);
    assert.equal(storedObjects(h.dataDir).length, before);
    assert.deepEqual(readdirSync(join(h.dataDir, 'media', 'incoming')), []);
  });

  test('a video gets a thumbnail and its duration (ffmpeg); it downloads byte-equal', async (t) => {
    const video = testVideo(2, '320x240');
    if (!video) return t.skip(NEEDS.ffmpeg);
    const up = await ok(h.direct('/cloud/cdn_upload', { guid, file_type: 4, url: dataUrl(video, 'video/mp4') }));
    assert.equal(up.file_md5, md5(video));
    assert.equal(up.play_length, 2);
    assert.deepEqual([up.thumb_width, up.thumb_height], [240, 180]);
    const down = await ok(h.direct('/cloud/cdn_download', { guid, file_type: 4, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size }));
    assert.equal(md5(Buffer.from(down.base64, 'base64')), md5(video));
    const thumb = await ok(h.direct('/cloud/cdn_download', { guid, file_type: 3, file_id: up.file_id, aes_key: up.aes_key, file_size: 0 }));
    assert.equal((await sharp(Buffer.from(thumb.base64, 'base64')).metadata()).format, 'jpeg');
  });

  test('thumb_url (wxgate extension): the uploader\'s own thumbnail is kept byte for byte; refused, naming the field, where it does not fit', async () => {
    const thumb = await sharp({ create: { width: 50, height: 20, channels: 3, background: '#00aa00' } }).jpeg({ quality: 93 }).toBuffer();
    const up = await ok(h.direct('/cloud/cdn_upload', { guid, file_type: 2, url: `${origin}/pic.png`, thumb_url: dataUrl(thumb, 'image/jpeg') }));
    assert.deepEqual([up.thumb_width, up.thumb_height, up.thumb_file_size], [50, 20, thumb.length]);
    const stored = await ok(h.direct('/cloud/cdn_download', { guid, file_type: 3, file_id: up.file_id, aes_key: up.aes_key, file_size: 0 }));
    assert.deepEqual(Buffer.from(stored.base64, 'base64'), thumb);
    const original = await ok(h.direct('/cloud/cdn_download', { guid, file_type: 1, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size }));
    assert.equal(md5(Buffer.from(original.base64, 'base64')), md5(png), 'the image itself is unchanged');
    const forFile = await h.direct('/cloud/cdn_upload', { guid, file_type: 5, url: dataUrl(Buffer.from('a file')), thumb_url: dataUrl(thumb) });
    assert.equal(forFile.status, 422, forFile.text);
    assert.ok(forFile.text.includes('thumb_url'), forFile.text);
    const notImage = await h.direct('/cloud/cdn_upload', { guid, file_type: 2, url: `${origin}/pic.png`, thumb_url: dataUrl(Buffer.from('not an image at all')) });
    assert.ok(notImage.status >= 400 && notImage.status < 500 && notImage.text.includes('thumb_url'), notImage.text);
  });

  test('moments image upload answers urls served by wxgate', async () => {
    const up = await ok(h.direct('/cloud/cdn_upload_sns_image', { guid, url: dataUrl(png, 'image/png') }));
    assert.equal(up.md5, md5(png));
    const served = await h.app.http.inject({ method: 'GET', url: new URL(up.thumb_url).pathname + new URL(up.thumb_url).search });
    assert.equal(served.statusCode, 200);
    assert.equal(served.headers['content-type'], 'image/jpeg');
  });
});
