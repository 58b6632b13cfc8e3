// Vendor clients on the private-CDN paths of a fresh default server: uploads with only a guid, downloads with the
// base_request from get_cdn_info or with only a guid, the answer keys they read; what guid-only access does not open;
// and WXGATE_CDN_GUID_ACCESS=false.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startVendorServer, vendorSession, type Account, type VendorServer } from './vendor-server.ts';
import type { Clients } from './vendor-clients.ts';

const CONTENT = Buffer.from('a private-CDN object: 私有 CDN 的文件\n'.repeat(50));
const dataUrl = (bytes: Buffer) => `data:application/octet-stream;base64,${bytes.toString('base64')}`;

async function postPlain(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

describe('vendor clients: the private CDN', () => {
  let server: VendorServer;
  let c: Clients;
  let alice: Account;

  before(async () => {
    ({ server, c, alice } = await vendorSession({ nickname: 'Alice' }));
  });
  after(() => server.close());

  test('cdn_upload with only the guid (no credentials), then download with get_cdn_info\'s base_request, then by guid alone', async () => {
    const up = await c.strict.cdn('/cloud/cdn_upload', { guid: alice.guid, file_type: 5, url: dataUrl(CONTENT) });
    assert.ok(up.ok, JSON.stringify(up.body));
    assert.equal(up.status, 200);
    const { file_id: fileId, aes_key: aesKey, file_size: size } = up.payload;
    assert.equal(size, CONTENT.length);

    const info = await c.ts.call('/cdn/get_cdn_info', { guid: alice.guid });
    assert.ok(info.ok, JSON.stringify(info.body));
    const { cdn_info: cdnInfo, client_version: clientVersion, device_type: deviceType, username } = info.payload;
    assert.equal(typeof cdnInfo, 'string');
    assert.equal(typeof clientVersion, 'number');
    assert.equal(typeof deviceType, 'string');
    assert.equal(username, alice.wxid);

    const base = { base_request: { cdn_info: cdnInfo, client_version: clientVersion, device_type: deviceType, username } };
    const download = await c.ts.cdn('/cloud/download', { ...base, aes_key: aesKey, file_id: fileId, file_name: 'notes.txt', file_type: 5 });
    assert.ok(download.ok, JSON.stringify(download.body));
    const link: string = download.payload.url || download.payload.download_url;
    assert.deepEqual(Buffer.from(await (await fetch(link)).arrayBuffer()), CONTENT);

    const byGuid = await c.strict.cdn('/cloud/download', { guid: alice.guid, aes_key: aesKey, file_id: fileId, file_name: 'notes.txt', file_type: 5 });
    assert.ok(byGuid.ok, JSON.stringify(byGuid.body));
    assert.deepEqual(Buffer.from(byGuid.payload.base64, 'base64'), CONTENT);
  });

  test('guid-only calls count against the instance\'s rate limit and leave other paths and unknown guids closed', async () => {
    // get_client_status counts too (the vendor counts every /client/* call): the second read is one status and one upload on.
    const before = (await c.ts.call('/client/get_client_status', { guid: alice.guid })).payload.rate_limit.used;
    await c.strict.cdn('/cloud/cdn_upload', { guid: alice.guid, file_type: 5, url: dataUrl(CONTENT) });
    assert.equal((await c.ts.call('/client/get_client_status', { guid: alice.guid })).payload.rate_limit.used, before + 2);

    for (const path of ['/msg/send_text', '/client/get_client_status', '/contact/init_contact', '/cdn/get_cdn_info']) {
      const answer = await postPlain(`${server.baseUrl}${path}`, { guid: alice.guid, to_username: 'filehelper', content: 'x', contact_seq: 0, room_seq: 0 });
      assert.equal(answer.status, 200, path);
      assert.equal(answer.body.errcode, 40101, `${path} needs app credentials: ${JSON.stringify(answer.body)}`);
    }
    const unknown = await postPlain(`${server.baseUrl}/cloud/cdn_upload`, { guid: '00000000-0000-4000-8000-000000000000', file_type: 5, url: dataUrl(CONTENT) });
    assert.equal(unknown.body.errcode, 40402);
    const noGuid = await postPlain(`${server.baseUrl}/cloud/download`, { aes_key: 'x', file_id: 'y', file_name: 'z', file_type: 5 });
    assert.equal(noGuid.body.errcode, 40101);
  });

  test('WXGATE_CDN_GUID_ACCESS=false: a guid alone is refused, base_request still works', async () => {
    const closed = await startVendorServer({ WXGATE_CDN_GUID_ACCESS: 'false' });
    try {
      const { guid, wxid } = await closed.account({ nickname: 'Carol' });
      const refused = await postPlain(`${closed.baseUrl}/cloud/cdn_upload`, { guid, file_type: 5, url: dataUrl(CONTENT) });
      assert.equal(refused.status, 200);
      assert.equal(refused.body.errcode, 40101);
      const info = await closed.control('/cdn/get_cdn_info', { guid });
      assert.equal(info.username, wxid);
      const upload = await postPlain(`${closed.baseUrl}/cloud/upload`, { base_request: info, file_type: 5, url: dataUrl(CONTENT) });
      assert.equal(upload.body.errcode, 0, JSON.stringify(upload.body));
    } finally {
      await closed.close();
    }
  });
});
