// Two nodes over one PostgreSQL schema: an iLink QR code issued by node A is scanned and confirmed through node B while
// a long poll waits on A, and its token is collected on A and used on B; a file uploaded through A's iLink CDN
// downloads and sends through B (real PostgreSQL; skipped without it).
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Config } from '../../../src/config.ts';
import { startNodeBeside } from '../../cluster.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { ilinkApi } from '../../ilink-client.ts';
import { POSTGRES_SKIP_REASON, TEST_DATABASE_URL } from '../../postgres.ts';
import { friendOf, loggedIn, ok } from '../../sandbox-helpers.ts';

const media = (): Config['media'] => ({ maxObjectBytes: 1 << 20, fetchTimeoutMs: 30_000, linkTtlSeconds: 3600, store: 'postgres' });
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const aes = (cipher: ReturnType<typeof createCipheriv> | ReturnType<typeof createDecipheriv>, data: Buffer) => Buffer.concat([cipher.update(data), cipher.final()]);

describe('cluster: iLink QR codes and CDN references any node answers', { skip: TEST_DATABASE_URL ? false : POSTGRES_SKIP_REASON }, () => {
  let a: Harness;
  let b: Harness;
  let guid: string;
  let alice: string;
  let token: string;

  before(async () => {
    const secretKey = randomBytes(32).toString('hex');
    a = await startHarness({ secretKey, media: media() });
    b = await startNodeBeside(a, secretKey, { media: media() });
    const me = await loggedIn(a, { nickname: 'Agent' });
    guid = me.guid;
    alice = await friendOf(a, me.wxid, 'Alice');
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  test('a code issued on A, scanned and confirmed on B, collected on A; the token works on B', async () => {
    const qrcode = await ilinkApi(a).newQr();
    assert.equal((await ilinkApi(a).qrStatus(qrcode)).status, 'wait');
    const held = ilinkApi(a).qrStatus(qrcode); // nothing changed yet: a long poll on A
    await ok(b.direct('/ilink/scan_qrcode', { guid, qrcode, action: 'scan' }));
    assert.equal((await held).status, 'scaned', 'A\'s waiting poll sees B\'s change');
    await ok(b.direct('/ilink/scan_qrcode', { guid, qrcode, action: 'confirm' }));
    const confirmed = await ilinkApi(a).qrStatus(qrcode);
    assert.equal(confirmed.status, 'confirmed');
    token = confirmed.bot_token;
    assert.equal((await ilinkApi(b).qrStatus(qrcode)).status, 'expired', 'collected once across nodes');
    assert.equal((await ilinkApi(b).post('/ilink/bot/msg/notifystart', {}, token)).ret, 0);
  });

  test('a file uploaded through A\'s CDN downloads and sends through B', async () => {
    const plain = Buffer.from('shared between nodes\n'.repeat(40));
    const key = randomBytes(16);
    const cipherText = aes(createCipheriv('aes-128-ecb', key, null), plain);
    const upload = await ilinkApi(a).post('/ilink/bot/getuploadurl', {
      filekey: 'fk', media_type: 3, to_user_id: alice, rawsize: plain.length, rawfilemd5: md5(plain), filesize: cipherText.length, no_need_thumb: true, aeskey: key.toString('hex'),
    }, token);
    const url = new URL(upload.upload_full_url);
    const stored = await a.app.http.inject({ method: 'POST', url: url.pathname + url.search, payload: cipherText, headers: { 'content-type': 'application/octet-stream' } });
    assert.equal(stored.statusCode, 200, stored.body);
    const param = String(stored.headers['x-encrypted-param']);
    const got = await b.app.http.inject({ method: 'GET', url: `/ilink/cdn/download?encrypted_query_param=${encodeURIComponent(param)}` });
    assert.equal(got.statusCode, 200, got.body);
    assert.deepEqual(aes(createDecipheriv('aes-128-ecb', key, null), got.rawPayload), plain);
    const sent = await ilinkApi(b).post('/ilink/bot/sendmessage', { msg: { to_user_id: alice, item_list: [{ type: 4, file_item: { media: { encrypt_query_param: param }, file_name: 'n.txt' } }] } }, token);
    assert.equal(sent.ret, 0, JSON.stringify(sent));
  });
});
