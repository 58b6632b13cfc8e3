// The private CDN served by wxgate itself: /cdn/get_cdn_info issues base_request (cdn_info valid 3 hours), and the
// /cloud/* private-CDN paths upload and download with it, counting against that instance's rate limit; forged, foreign or expired cdn_info is refused (401).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTenant, startHarness, type Harness } from '../../harness.ts';
import { ok } from '../../sandbox-helpers.ts';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

describe('private CDN', () => {
  let h: Harness;
  let guid: string;

  before(async () => {
    h = await startHarness();
    guid = await h.createInstance();
    const { wxid } = await ok(h.direct('/sandbox/people/create', { nickname: 'Cdn' }));
    await ok(h.direct('/login/get_login_qrcode', { guid }));
    await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan', wxid }));
    await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm' }));
  });
  after(() => h.close());

  test('get_cdn_info → upload → download, all with base_request; get_cdn_file names wxgate itself', async () => {
    const base = await ok(h.direct('/cdn/get_cdn_info', { guid }));
    assert.deepEqual(Object.keys(base).sort(), ['cdn_info', 'client_version', 'device_type', 'username']);
    const content = Buffer.from('private cdn file');
    const up = await ok(h.direct('/cloud/upload', { base_request: base, file_type: 5, url: `data:text/plain;base64,${content.toString('base64')}` }));
    assert.equal(up.file_md5, md5(content));
    const down = await h.direct('/cloud/download', { base_request: base, file_id: up.file_id, aes_key: up.aes_key, file_name: 'a.txt', file_type: 5 });
    assert.equal(down.status, 200);
    assert.deepEqual([down.body.errcode, typeof down.body.data.url], [0, 'string']);
    assert.deepEqual(Buffer.from(down.body.data.base64, 'base64'), content);
    const big = await ok(h.direct('/cloud/upload_big', { base_request: base, file_type: 7, url: content.toString('base64') }));
    const fav = await ok(h.direct('/cloud/download_fav', { base_request: base, file_id: big.file_id, aes_key: big.aes_key, file_name: 'b', file_size: 1, file_type: 10001 }));
    assert.equal(fav.file_md5, md5(content));
    // the URL-addressed downloads find the file id in the URL; the key comes as aes_key, key or decode_key
    const viaUrl = `https://cdn.example/download?filekey=${big.file_id}`;
    for (const [path, body] of [
      ['/cloud/download_wx_emotion', { aes_key: big.aes_key }], ['/cloud/download_ww_file', { aes_key: big.aes_key, auth_key: 'k' }],
      ['/cloud/download_wx_image', { key: big.aes_key, token: 't', enc_idx: '1' }], ['/cloud/download_wx_video', { decode_key: big.aes_key }],
    ] as const) {
      const got = await ok(h.direct(path, { base_request: base, url: viaUrl, file_name: 'f', ...body }));
      assert.equal(got.file_md5, md5(content), path);
    }
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');
    const sns = await ok(h.direct('/cloud/upload_sns_image', { base_request: base, url: `data:image/png;base64,${png.toString('base64')}` }));
    assert.deepEqual([sns.md5, sns.width, sns.height], [md5(png), 1, 1]);
    const file = await ok(h.direct('/cdn/get_cdn_file', {}));
    assert.equal(file.self_hosted, true);
  });

  test('as on the vendor\'s private CDN, base_request alone authenticates: no app credentials needed', async () => {
    const base = await ok(h.direct('/cdn/get_cdn_info', { guid }));
    const content = Buffer.from('no app key here');
    const up = await h.direct('/cloud/upload', { base_request: base, file_type: 5, url: content.toString('base64') }, null);
    assert.equal(up.status, 200, up.text);
    const down = await h.direct('/cloud/download', { base_request: base, file_id: up.body.data.file_id, aes_key: up.body.data.aes_key, file_name: 'n.txt', file_type: 5 }, null);
    assert.deepEqual(Buffer.from(down.body.data.base64, 'base64'), content);
    const forged = await h.direct('/cloud/upload', { base_request: { ...base, cdn_info: base.cdn_info.slice(0, -2) + 'xx' }, file_type: 5, url: 'eA==' }, null);
    assert.equal(forged.status, 401);
    const none = await h.direct('/cloud/upload', { base_request: { ...base, cdn_info: 1 }, file_type: 5, url: 'eA==' }, null);
    assert.equal(none.status, 401, 'no usable cdn_info and no credentials');
  });

  test('forged, foreign-app and expired cdn_info are refused with 401', async () => {
    const base = await ok(h.direct('/cdn/get_cdn_info', { guid }));
    const body = (cdn_info: string) => ({ base_request: { ...base, cdn_info }, file_id: 'x', aes_key: 'y', file_name: 'a', file_type: 5 });
    const forged = await h.direct('/cloud/download', body(base.cdn_info.slice(0, -2) + 'AA'));
    assert.deepEqual([forged.status, forged.body.code], [401, 40150]);
    const junk = await h.direct('/cloud/download', body('nonsense'));
    assert.equal(junk.body.code, 40150);
    const other = await createTenant(h);
    const foreign = await h.direct('/cloud/download', body(base.cdn_info), other);
    assert.equal(foreign.body.code, 40150);
    h.clock.advance(3 * 3600 * 1000 + 1);
    const expired = await h.direct('/cloud/download', body(base.cdn_info));
    assert.deepEqual([expired.status, expired.body.code], [401, 40151]);
  });
});

test('private-CDN calls count against the instance named by cdn_info', async () => {
  const h = await startHarness({ rateLimit: { maxCalls: 6, windowSeconds: 60, lockSeconds: 60 } });
  try {
    const guid = await h.createInstance();
    const { wxid } = await ok(h.direct('/sandbox/people/create', { nickname: 'Quota' }));
    await ok(h.direct('/login/get_login_qrcode', { guid }));
    await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan', wxid }));
    await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm' }));
    const base = await ok(h.direct('/cdn/get_cdn_info', { guid })); // call 2 (get_login_qrcode was 1)
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await h.direct('/cloud/upload', { base_request: base, file_type: 5, url: Buffer.from(`file ${i}`).toString('base64') })).status);
    }
    assert.deepEqual(statuses.slice(0, 4), [200, 200, 200, 200]);
    assert.ok(statuses.slice(4).every((s) => s === 429), statuses.join(','));
  } finally {
    await h.close();
  }
});
