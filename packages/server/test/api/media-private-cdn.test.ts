// The private CDN served by wxgate itself: /cdn/get_cdn_info issues base_request (cdn_info valid 3 hours), and the
// /cloud/* private-CDN paths upload and download with it; forged, foreign or expired cdn_info is refused (401).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTenant, startHarness, type Harness } from '../harness.ts';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

async function ok(res: Promise<{ status: number; body: any; text: string }>): Promise<any> {
  const r = await res;
  assert.equal(r.status, 200, r.text);
  return r.body.data;
}

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
    const file = await ok(h.direct('/cdn/get_cdn_file', {}));
    assert.equal(file.self_hosted, true);
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
