// The iLink wire's refusals through the app object: junk bodies on every call never answer a 5xx nor an internal
// error; bad tokens are ret -14; wrong item shapes, foreign or forged media references and bad uploads are refused with
// the field named; the CDN refuses a wrong upload with a 4xx and x-error-message, and opens nothing it did not issue.
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import sharp from 'sharp';
import { createTenant, startHarness, type Harness } from '../../harness.ts';
import { ilinkApi } from '../../ilink-client.ts';
import { friendOf, loggedIn, ok, type Creds } from '../../sandbox-helpers.ts';

const INTERNAL = 50001;
const aesEcb = (plain: Buffer, key: Buffer) => {
  const c = createCipheriv('aes-128-ecb', key, null);
  return Buffer.concat([c.update(plain), c.final()]);
};
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const FIELDS = [
  'get_updates_buf', 'msg', 'item_list', 'to_user_id', 'context_token', 'ilink_user_id', 'typing_ticket', 'status', 'filekey', 'media_type',
  'rawsize', 'rawfilemd5', 'filesize', 'aeskey', 'no_need_thumb', 'thumb_rawsize', 'thumb_rawfilemd5', 'thumb_filesize', 'local_token_list', 'base_info',
];

describe('iLink refusals', () => {
  let h: Harness;
  let token: string;
  let otherToken: string;
  let alice: string;
  let me: string;
  const api = () => ilinkApi(h);

  const bind = async (creds?: Creds): Promise<{ token: string; wxid: string }> => {
    const { guid, wxid } = await loggedIn(h, { nickname: 'Agent' }, creds);
    const qrcode = await api().newQr();
    await ok(h.direct('/ilink/scan_qrcode', { guid, qrcode, action: 'scan' }, creds));
    await ok(h.direct('/ilink/scan_qrcode', { guid, qrcode, action: 'confirm' }, creds));
    return { token: (await api().qrStatus(qrcode)).bot_token, wxid };
  };
  /** getuploadurl for `plain` as a file (or another media_type); answers the upload URL and the key. */
  const uploadUrl = async (plain: Buffer, bot = token, mediaType = 3) => {
    const key = randomBytes(16);
    const answer = await api().post('/ilink/bot/getuploadurl', {
      filekey: 'fk1', media_type: mediaType, to_user_id: alice, rawsize: plain.length, rawfilemd5: md5(plain), filesize: aesEcb(plain, key).length, no_need_thumb: true, aeskey: key.toString('hex'),
    }, bot);
    assert.equal(answer.ret, 0, JSON.stringify(answer));
    return { url: new URL(answer.upload_full_url).pathname + new URL(answer.upload_full_url).search, key };
  };
  const cdnPost = (url: string, body: Buffer) => h.app.http.inject({ method: 'POST', url, payload: body, headers: { 'content-type': 'application/octet-stream' } });
  const fileItem = (media: object) => ({ type: 4, file_item: { media, file_name: 'a.txt' } });
  const sendItem = (item: unknown, bot = token) => api().post('/ilink/bot/sendmessage', { msg: { to_user_id: alice, item_list: [item] } }, bot);

  before(async () => {
    h = await startHarness({ rateLimit: { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 1800 } });
    ({ token, wxid: me } = await bind());
    alice = await friendOf(h, me, 'Alice');
    otherToken = (await bind(await createTenant(h))).token;
  });
  after(async () => h?.close());

  test('junk bodies on every call: HTTP 200, the protocol\'s error, never an internal error', async () => {
    // A message waits, so a getupdates that gets through answers at once instead of holding.
    await ok(h.direct('/sandbox/messages/send', { from_wxid: alice, path: '/msg/send_text', body: { to_username: me, content: 'hi' } }));
    const paths = ['getupdates', 'sendmessage', 'getuploadurl', 'getconfig', 'sendtyping', 'msg/notifystart', 'get_bot_qrcode'].map((p) => `/ilink/bot/${p}`);
    const value = fc.oneof(fc.anything({ maxDepth: 3 }), fc.string(), fc.integer(), fc.constant(alice), fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }));
    const media = fc.oneof(value, fc.record({ media: value, thumb_media: value, file_name: value }, { requiredKeys: [] }));
    const item = fc.record({
      type: fc.oneof(fc.integer({ min: -1, max: 13 }), fc.anything()), text_item: value, image_item: media, voice_item: media, file_item: media, video_item: media, ref_msg: value,
    }, { requiredKeys: [] });
    const shaped = fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 6 });
    const message = fc.record({ msg: fc.record({ to_user_id: value, context_token: value, item_list: fc.oneof(fc.array(item, { maxLength: 3 }), value) }, { requiredKeys: [] }) });
    const body = fc.oneof(shaped, message, fc.anything({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? ''), fc.string());
    await fc.assert(fc.asyncProperty(fc.constantFrom(...paths), body, fc.boolean(), async (path, junk, authorized) => {
      const answer = await api().post(path, junk, authorized ? token : undefined);
      assert.equal(typeof answer.ret, 'number', JSON.stringify(answer));
      if (answer.ret !== 0) {
        assert.notEqual(answer.errcode, INTERNAL, `${path} ${JSON.stringify(junk)} → ${JSON.stringify(answer)}`);
        assert.equal(typeof answer.errmsg, 'string');
      }
    }), { numRuns: 300 });
  });

  test('a missing or unknown token is ret -14 on every bot call', async () => {
    for (const path of ['getupdates', 'sendmessage', 'getuploadurl', 'getconfig', 'sendtyping', 'msg/notifystop']) {
      for (const bad of [undefined, 'ilt_not_a_token']) {
        const answer = await api().post(`/ilink/bot/${path}`, {}, bad);
        assert.deepEqual([answer.ret, answer.errcode], [-14, -14], `${path} with ${bad}`);
      }
    }
  });

  test('wrong item shapes and media references are refused, naming the field; nothing is sent', async () => {
    const expect = async (item: unknown, errcode: number, mentions?: string) => {
      const answer = await sendItem(item);
      assert.deepEqual([answer.ret, answer.errcode], [-1, errcode], JSON.stringify(answer));
      if (mentions) assert.ok(answer.errmsg.includes(mentions), answer.errmsg);
    };
    await expect({ type: 11, tool_call_start_item: {} }, 50102);
    await expect({ type: 2 }, 40984, 'image_item.media');
    await expect({ type: 4, file_item: { media: 'x' } }, 40984, 'file_item.media');
    await expect(fileItem({ encrypt_query_param: 'forged', aes_key: 'AAAA' }), 40986);
    await expect({ type: 1, text_item: { text: 'quote' }, ref_msg: { svr_id: 'not a number' } }, 40984, 'ref_msg.svr_id');
    const plain = Buffer.from('attachment bytes');
    const { url, key } = await uploadUrl(plain);
    const uploaded = await cdnPost(url, aesEcb(plain, key));
    assert.equal(uploaded.statusCode, 200, uploaded.body);
    const param = String(uploaded.headers['x-encrypted-param']);
    await expect({ type: 2, image_item: { media: { encrypt_query_param: param } } }, 40984, 'media_type 3');
    await expect(fileItem({ encrypt_query_param: param, aes_key: randomBytes(16).toString('base64') }), 40984, 'aes_key');
    const foreign = await sendItem(fileItem({ encrypt_query_param: param }), otherToken);
    assert.deepEqual([foreign.ret, foreign.errcode], [-1, 40986], 'another tenant\'s bot cannot send this upload');
    // A later bad item sends none of the items before it.
    const mixed = await api().post('/ilink/bot/sendmessage', { msg: { to_user_id: alice, item_list: [{ type: 1, text_item: { text: 'first' } }, { type: 11 }] } }, token);
    assert.equal(mixed.errcode, 50102);
    const forged = await api().post('/ilink/bot/sendmessage', { msg: { to_user_id: alice, item_list: [{ type: 1, text_item: { text: 'second' } }, fileItem({ encrypt_query_param: 'forged' })] } }, token);
    assert.equal(forged.errcode, 40986);
    const { messages } = await ok(h.direct('/sandbox/messages/list', { wxid: alice }));
    assert.ok(!messages.some((m: { content: string }) => m.content === 'first' || m.content === 'second'), 'nothing sent');
    assert.equal((await sendItem(fileItem({ encrypt_query_param: param }))).ret, 0, 'the upload itself sends');
  });

  test('thumb_media must be this bot\'s image upload: refused otherwise, naming the field; nothing is sent', async () => {
    const upload = async (plain: Buffer, mediaType: number, bot = token) => {
      const { url, key } = await uploadUrl(plain, bot, mediaType);
      const res = await cdnPost(url, aesEcb(plain, key));
      assert.equal(res.statusCode, 200, res.body);
      return { encrypt_query_param: String(res.headers['x-encrypted-param']), aes_key: key.toString('base64') };
    };
    const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#123456' } }).png().toBuffer();
    const [image, thumb, file, foreign] = [await upload(png, 1), await upload(png, 1), await upload(Buffer.from('not a thumbnail'), 3), await upload(png, 1, otherToken)];
    const { messages: before } = await ok(h.direct('/sandbox/messages/list', { wxid: alice }));
    const expect = async (thumbMedia: unknown, errcode: number, mentions?: string) => {
      const answer = await sendItem({ type: 2, image_item: { media: image, thumb_media: thumbMedia } });
      assert.deepEqual([answer.ret, answer.errcode], [-1, errcode], JSON.stringify(answer));
      if (mentions) assert.ok(answer.errmsg.includes(mentions), answer.errmsg);
    };
    await expect('x', 40984, 'image_item.thumb_media');
    await expect({ encrypt_query_param: 'forged' }, 40986);
    await expect({ encrypt_query_param: 7 }, 40986);
    await expect(foreign, 40986);
    await expect({ ...file, aes_key: undefined }, 40984, 'thumb_media');
    await expect({ ...thumb, aes_key: randomBytes(16).toString('base64') }, 40984, 'thumb_media.aes_key');
    const { messages: after } = await ok(h.direct('/sandbox/messages/list', { wxid: alice }));
    assert.equal(after.length, before.length, 'nothing sent');
    assert.equal((await sendItem({ type: 2, image_item: { media: image, thumb_media: thumb } })).ret, 0, 'the bot\'s own thumbnail sends');
    assert.equal((await sendItem({ type: 2, image_item: { media: image, thumb_media: null } })).ret, 0, 'a null thumb_media is none');
  });

  test('getuploadurl refuses what cannot be uploaded, naming the field', async () => {
    const good = { filekey: 'k', media_type: 3, rawsize: 10, rawfilemd5: 'a'.repeat(32), filesize: 16, aeskey: 'b'.repeat(32) };
    for (const [change, field] of [
      [{ filesize: 10 }, 'filesize'], [{ media_type: 9 }, 'media_type'], [{ aeskey: 'xyz' }, 'aeskey'], [{ rawfilemd5: 5 }, 'rawfilemd5'],
      [{ filekey: '../x' }, 'filekey'], [{ rawsize: -1 }, 'rawsize'], [{ media_type: 1, no_need_thumb: false, thumb_rawsize: 5, thumb_rawfilemd5: 'c'.repeat(32), thumb_filesize: 5 }, 'thumb_filesize'],
    ] as const) {
      const answer = await api().post('/ilink/bot/getuploadurl', { ...good, ...change }, token);
      assert.deepEqual([answer.ret, answer.errcode], [-1, 40984], JSON.stringify(change));
      assert.ok(answer.errmsg.includes(field), `${answer.errmsg} names ${field}`);
    }
  });

  test('the CDN refuses a wrong upload with a 4xx and x-error-message, and opens only what it issued', async () => {
    const plain = Buffer.from('0123456789abcdef0123');
    const { url, key } = await uploadUrl(plain);
    const refusals: Array<[string, Buffer, number]> = [
      ['/ilink/cdn/upload?encrypted_query_param=forged', aesEcb(plain, key), 404],
      [url, aesEcb(plain, key).subarray(16), 400],
      [url, aesEcb(plain, randomBytes(16)), 400],
      [url, aesEcb(Buffer.from('0123456789abcdef0124'), key), 400],
      [url.replace('filekey=fk1', 'filekey=other'), aesEcb(plain, key), 400],
    ];
    for (const [target, body, status] of refusals) {
      const res = await cdnPost(target, body);
      assert.equal(res.statusCode, status, `${target}: ${res.body}`);
      assert.ok(res.headers['x-error-message'], 'x-error-message says why');
      assert.equal(res.headers['x-encrypted-param'], undefined);
    }
    const download = (param: string) => h.app.http.inject({ method: 'GET', url: `/ilink/cdn/download?encrypted_query_param=${encodeURIComponent(param)}` });
    assert.equal((await download('forged')).statusCode, 404);
    assert.equal((await download(new URL(`http://x${url}`).searchParams.get('encrypted_query_param')!)).statusCode, 404, 'an upload_param is not a download parameter');
    h.clock.advance(3_600_000);
    assert.equal((await cdnPost(url, aesEcb(plain, key))).statusCode, 400, 'an upload_param expires');
  });
});
