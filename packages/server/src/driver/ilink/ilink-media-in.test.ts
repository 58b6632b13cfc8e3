// Incoming iLink media through the ilink driver, from a scripted iLink server on a loopback socket: both aes_key
// encodings (base64 of the 16 bytes, of their 32 hex characters) and an image's hex aeskey, the CDN base URL and
// full_url, voice by message id, quotes; a CDN that fails holds the cursor (the poll is asked again, nothing published
// twice) until the object comes, or until MEDIA_ATTEMPTS, when the message is published as WeChat's summary text.
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { FakeIlink } from '../../../test/fake-ilink.ts';
import { ilinkRig, type IlinkRig } from '../../../test/ilink-driver-rig.ts';
import { encodeSilkVoice, sineTonePcm } from '../../wechat/silk.ts';
import { parse } from '../conformance/msg.ts';
import { MEDIA_ATTEMPTS } from './ilink-media-in.ts';

const ME = 'me@im.wechat';
const ALICE = 'alice@im.wechat';
const encrypt = (plain: Buffer, key: Buffer) => {
  const cipher = createCipheriv('aes-128-ecb', key, null);
  return Buffer.concat([cipher.update(plain), cipher.final()]);
};
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const bytesOf = (answer: { base64?: string }) => Buffer.from(answer.base64 ?? '', 'base64');

function png(): Buffer {
  const image = new PNG({ width: 40, height: 30 });
  for (let i = 0; i < image.data.length; i += 4) image.data.set([200, (i / 4) % 256, 40, 255], i);
  return PNG.sync.write(image);
}

/** A message from Alice with one item. */
const from = (id: number, item: Record<string, unknown>) => ({
  seq: id, message_id: String(7_000_000 + id), from_user_id: ALICE, to_user_id: 'bot@im.bot', create_time_ms: 1_767_258_000_000 + id, message_type: 1, item_list: [item], context_token: `ctx-${id}`,
});

describe('incoming iLink media into the ilink driver', () => {
  let fake: FakeIlink;
  let rig: IlinkRig;
  /** Stores `plain` on the fake CDN under `param`, encrypted with a new key; answers the key. */
  const put = (param: string, plain: Buffer) => {
    const key = randomBytes(16);
    fake.cdn.set(param, { body: encrypt(plain, key) });
    return key;
  };
  const newMsgs = () => rig.events().filter((e) => e.notifyType === 1010).map((e) => e.data as { msg_id: string; msg_type: number; content: string; from_username: string });
  const logIn = async () => {
    fake.qrStatuses.push({ status: 'confirmed', bot_token: 'fake-token', ilink_bot_id: 'bot@im.bot', ilink_user_id: ME, baseurl: fake.url });
    await rig.call('/login/get_login_qrcode', {});
    await rig.until('the login', () => rig.loginOf() === ME);
  };

  beforeEach(async () => {
    fake = new FakeIlink();
    rig = await ilinkRig(await fake.start(), `${fake.url}/c2c`);
  });
  afterEach(async () => {
    await rig.close();
    await fake.close();
  });

  test('image, file and voice in both key encodings, by CDN base URL and by full_url; a quote; all downloadable', async () => {
    const image = png();
    const doc = Buffer.from('quarterly figures\n'.repeat(30));
    const { silk } = await encodeSilkVoice(sineTonePcm(1200, 440));
    const rawKey = put('img-1', image);
    const hexKey = put('file-1', doc);
    const voiceKey = put('voice-1', silk);
    const fullKey = put('img-2', image);
    fake.updates.set('', { next: 'buf-1', msgs: [
      from(1, { type: 2, image_item: { media: { encrypt_query_param: 'img-1', aes_key: rawKey.toString('base64') } } }),
      from(2, { type: 4, file_item: { media: { encrypt_query_param: 'file-1', aes_key: Buffer.from(hexKey.toString('hex')).toString('base64') }, file_name: 'figures.txt', len: String(doc.length) } }),
      from(3, { type: 3, voice_item: { media: { encrypt_query_param: 'voice-1', aes_key: Buffer.from(voiceKey.toString('hex')).toString('base64') }, encode_type: 6, playtime: 1200 } }),
      from(4, { type: 2, image_item: { aeskey: fullKey.toString('hex'), media: { full_url: `${fake.url}/c2c/download?encrypted_query_param=img-2` } } }),
      from(5, { type: 1, text_item: { text: 'agreed' }, ref_msg: { svr_id: '6000001', title: 'shall we?', message_item: { type: 1, text_item: { text: 'shall we?' } } } }),
    ] });
    await logIn();
    await rig.until('five messages', () => newMsgs().length === 5);
    const [pic, file, voice, pic2, quote] = newMsgs();

    assert.deepEqual([pic!.msg_type, pic!.msg_id, pic!.from_username], [3, '7000001', ALICE]);
    const img = parse(pic!.content).msg.img;
    assert.deepEqual(bytesOf(await rig.call('/cloud/cdn_download', { file_type: 1, file_id: img.cdnbigimgurl, aes_key: img.aeskey, file_size: 0 })), image);
    const img2 = parse(pic2!.content).msg.img;
    assert.equal(img2.md5, md5(image), 'full_url and the hex aeskey');

    assert.equal(file!.msg_type, 49);
    const appmsg = parse(file!.content).msg.appmsg;
    assert.deepEqual([String(appmsg.type), appmsg.title, appmsg.md5], ['6', 'figures.txt', md5(doc)]);
    assert.deepEqual(bytesOf(await rig.call('/cloud/cdn_download', { file_type: 5, file_id: appmsg.appattach.cdnattachurl, aes_key: appmsg.appattach.aeskey, file_size: doc.length })), doc);

    assert.equal(voice!.msg_type, 34);
    const voicemsg = parse(voice!.content).msg.voicemsg;
    assert.ok(Math.abs(Number(voicemsg.voicelength) - 1200) <= 100, voicemsg.voicelength);
    assert.deepEqual(bytesOf(await rig.call('/cloud/download_voice', { msg_id: voice!.msg_id, length: Number(voicemsg.voicelength) })), silk, 'the SILK as sent');

    assert.equal(quote!.msg_type, 49);
    const quoted = parse(quote!.content).msg.appmsg;
    assert.deepEqual([String(quoted.type), quoted.title, String(quoted.refermsg.svrid), quoted.refermsg.content, String(quoted.refermsg.type)], ['57', 'agreed', '6000001', 'shall we?', '1']);
    assert.equal((await rig.store.ilinkLinks.get(rig.guid))?.updatesBuf, 'buf-1');
  });

  test('a CDN that fails holds the cursor: the answer is asked again and published once, when the object comes', async () => {
    fake.cdn.set('img-late', { status: 503 });
    const later = png();
    fake.updates.set('', { next: 'buf-1', msgs: [
      from(1, { type: 1, text_item: { text: 'look at this' } }),
      from(2, { type: 2, image_item: { media: { encrypt_query_param: 'img-late', aes_key: randomBytes(16).toString('base64') } } }),
    ] });
    await logIn();
    await rig.until('two failed polls', () => fake.polledBufs.filter((b) => b === '').length >= 2);
    assert.equal(newMsgs().length, 0, 'nothing published while an item cannot be fetched');
    assert.equal((await rig.store.ilinkLinks.get(rig.guid))?.updatesBuf, '', 'the cursor has not moved');
    const key = randomBytes(16);
    fake.cdn.set('img-late', { body: encrypt(later, key) });
    fake.updates.set('', { next: 'buf-1', msgs: [fake.updates.get('')!.msgs[0]!, from(2, { type: 2, image_item: { media: { encrypt_query_param: 'img-late', aes_key: key.toString('base64') } } })] });
    await rig.until('the published answer', () => newMsgs().length === 2);
    assert.deepEqual(newMsgs().map((m) => m.msg_type), [1, 3]);
    await rig.until('the next poll', () => fake.polledBufs.includes('buf-1'));
    assert.equal(newMsgs().length, 2, 'each message once');
  });

  test(`an item that cannot be fetched ${MEDIA_ATTEMPTS} times is published as WeChat's summary text, and the account moves on`, async () => {
    fake.cdn.set('gone', { status: 404 });
    fake.updates.set('', { next: 'buf-1', msgs: [
      from(1, { type: 4, file_item: { media: { encrypt_query_param: 'gone', aes_key: randomBytes(16).toString('base64') }, file_name: 'lost.pdf' } }),
      from(2, { type: 5, video_item: { media: { encrypt_query_param: 'gone' } } }),
    ] });
    fake.updates.set('buf-1', { next: 'buf-2', msgs: [from(3, { type: 1, text_item: { text: 'did it arrive?' } })] });
    await logIn();
    await rig.until('the messages', () => newMsgs().length === 3);
    assert.deepEqual(newMsgs().map((m) => [m.msg_type, m.content]), [[1, '[文件] lost.pdf'], [1, '[视频]'], [1, 'did it arrive?']]);
    assert.equal(fake.polledBufs.filter((b) => b === '').length, MEDIA_ATTEMPTS, 'asked again until the last attempt');
  });
});
