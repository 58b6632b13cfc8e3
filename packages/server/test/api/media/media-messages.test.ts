// Media messages end to end: Alice uploads an image, a video and a file, sends each to Bob; Bob's webhook gets the
// 1010, parses WeChat's XML and downloads with the XML's fields alone; the bytes equal the original. Sends refuse
// unknown file ids and wrong keys.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import { startHarness, type Harness } from '../../harness.ts';
import { Receiver } from '../../receiver.ts';
import { friendsAliceAndBob, ok } from '../../sandbox-helpers.ts';
import { ffmpeg, NEEDS, testVideo } from '../../system-programs.ts';

const FAST = { webhook: { timeoutMs: 2000, retrySchedule: [0, 0.05, 0.1], maxInFlight: 64 } };
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: true });
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
/** A well-formed id naming another object: one uuid character (byte 52, ASCII hex) changed to another hex character. */
const otherUuid = (fileId: string) => fileId.slice(0, 105) + (fileId[105] === '1' ? '2' : '1') + fileId.slice(106);
const dataUrl = (b: Buffer) => `data:application/octet-stream;base64,${b.toString('base64')}`;

describe('media messages round trip', () => {
  let h: Harness;
  let receiver: Receiver;
  let a: { guid: string; wxid: string };
  let b: { guid: string; wxid: string };

  const received = async (msgId: string): Promise<any> => (await receiver.newMsg(b.guid, msgId)).json.data;
  const download = async (fileType: number, fileId: string, aesKey: string, size: number): Promise<Buffer> => {
    const got = await ok(h.direct('/cloud/cdn_download', { guid: b.guid, file_type: fileType, file_id: fileId, aes_key: aesKey, file_size: size }));
    return Buffer.from(got.base64, 'base64');
  };

  before(async () => {
    h = await startHarness(FAST, undefined, { realTime: true });
    receiver = await new Receiver().start();
    ({ a, b } = await friendsAliceAndBob(h, receiver.url));
  });
  after(async () => {
    await h.close();
    await receiver.close();
  });

  test('image: <img> carries everything to download original, mid and thumbnail', async () => {
    const jpeg = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#3366cc' } }).jpeg().toBuffer();
    const up = await ok(h.direct('/cloud/cdn_upload', { guid: a.guid, file_type: 2, url: dataUrl(jpeg) }));
    const sent = await ok(h.direct('/msg/send_image', { guid: a.guid, to_username: b.wxid, ...up }));
    assert.equal(sent.baseResponse.ret, 0);
    const msg = await received(sent.newMsgId);
    assert.equal(msg.msg_type, 3);
    const img = xml.parse(msg.content).msg.img;
    assert.equal(img.cdnmidimgurl, up.file_id);
    assert.equal(md5(await download(1, img.cdnbigimgurl, img.aeskey, Number(img.hdlength))), md5(jpeg));
    assert.equal(img.md5, md5(jpeg));
    const mid = await download(2, img.cdnmidimgurl, img.aeskey, Number(img.length));
    assert.equal(mid.length, Number(img.length));
    const thumb = await download(3, img.cdnthumburl, img.cdnthumbaeskey, Number(img.cdnthumblength));
    assert.deepEqual([(await sharp(thumb).metadata()).width, thumb.length], [Number(img.cdnthumbwidth), Number(img.cdnthumblength)]);
  });

  test('file: appmsg type 6 <appattach> downloads byte-equal', async () => {
    const content = Buffer.from('%PDF-1.4 pretend document\n'.repeat(100));
    const up = await ok(h.direct('/cloud/cdn_upload', { guid: a.guid, file_type: 5, url: dataUrl(content) }));
    const sent = await ok(h.direct('/msg/send_file', { guid: a.guid, to_username: b.wxid, ...up, file_name: '报告.pdf' }));
    const msg = await received(sent.newMsgId);
    assert.equal(msg.msg_type, 49);
    const appmsg = xml.parse(msg.content).msg.appmsg;
    assert.deepEqual([appmsg.type, appmsg.title, appmsg.appattach.fileext, appmsg.md5], ['6', '报告.pdf', 'pdf', md5(content)]);
    const bytes = await download(5, appmsg.appattach.cdnattachurl, appmsg.appattach.aeskey, Number(appmsg.appattach.totallen));
    assert.deepEqual(bytes, content);
  });

  test('video: <videomsg> downloads the video and its thumbnail', async (t) => {
    const video = testVideo();
    if (!video) return t.skip(NEEDS.ffmpeg);
    const up = await ok(h.direct('/cloud/cdn_upload', { guid: a.guid, file_type: 4, url: dataUrl(video) }));
    const sent = await ok(h.direct('/msg/send_video', { guid: a.guid, to_username: b.wxid, ...up }));
    const msg = await received(sent.newMsgId);
    assert.equal(msg.msg_type, 43);
    const v = xml.parse(msg.content).msg.videomsg;
    assert.equal(v.playlength, '1');
    assert.equal(md5(await download(4, v.cdnvideourl, v.aeskey, Number(v.length))), md5(video));
    assert.equal((await download(3, v.cdnthumburl, v.cdnthumbaeskey, Number(v.cdnthumblength))).length, Number(v.cdnthumblength));
  });

  test('a simulated person\'s SILK voice downloads as SILK and as MP3 (decodable)', async (t) => {
    const sent = await ok(h.direct('/sandbox/messages/send_media', { from_wxid: a.wxid, to_username: b.wxid, kind: 'voice', duration_ms: 1500 }));
    const msg = await received(sent.msg_id);
    assert.equal(msg.msg_type, 34);
    const voice = xml.parse(msg.content).msg.voicemsg;
    assert.ok(Math.abs(Number(voice.voicelength) - 1500) <= 60, voice.voicelength);
    const silk = await ok(h.direct('/cloud/download_voice', { guid: b.guid, msg_id: sent.msg_id, length: Number(voice.voicelength) }));
    const silkBytes = Buffer.from(silk.base64, 'base64');
    assert.equal(silkBytes.subarray(0, 10).toString('latin1'), '\x02#!SILK_V3');
    assert.equal(silkBytes.length, Number(voice.length));
    const mp3 = await ok(h.direct('/cloud/download_voice', { guid: b.guid, msg_id: sent.msg_id, length: 1500, to_mp3: true, file_name: 'v' }));
    assert.equal(mp3.file_name, 'v.mp3');
    const pcm = ffmpeg(['-f', 'mp3', '-i', 'pipe:0', '-f', 's16le', '-ac', '1', '-ar', '24000', 'pipe:1'], { input: Buffer.from(mp3.base64, 'base64') });
    if (!pcm) return t.skip(NEEDS.ffmpeg);
    assert.ok(Math.abs(pcm.length / 48 - 1500) < 200, `decoded ${pcm.length / 48} ms`);
    const stranger = await h.direct('/cloud/download_voice', { guid: b.guid, msg_id: '123456789', length: 1 });
    assert.equal(stranger.body.code, 40452);
  });

  test('a simulated person sends an image, a file and an emoji; the bot downloads each from the XML', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 4, background: '#00ff0080' } }).png().toBuffer();
    const image = await ok(h.direct('/sandbox/messages/send_media', { from_wxid: a.wxid, to_username: b.wxid, kind: 'image', url: dataUrl(png) }));
    const img = xml.parse((await received(image.msg_id)).content).msg.img;
    assert.equal(md5(await download(1, img.cdnbigimgurl, img.aeskey, 0)), md5(png));
    const doc = Buffer.from('hello file');
    const file = await ok(h.direct('/sandbox/messages/send_media', { from_wxid: a.wxid, to_username: b.wxid, kind: 'file', url: dataUrl(doc), file_name: 'n.txt' }));
    const attach = xml.parse((await received(file.msg_id)).content).msg.appmsg.appattach;
    assert.deepEqual(await download(5, attach.cdnattachurl, attach.aeskey, 0), doc);
    const gif = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#ff0000' } }).gif().toBuffer();
    const emoji = await ok(h.direct('/sandbox/messages/send_media', { from_wxid: a.wxid, to_username: b.wxid, kind: 'emoji', url: dataUrl(gif) }));
    const e = xml.parse((await received(emoji.msg_id)).content).msg.emoji;
    const got = await ok(h.direct('/cloud/download_wxemotion', { guid: b.guid, url: e.cdnurl, aes_key: e.aeskey, file_name: 'e.gif' }));
    assert.equal(got.file_md5, md5(gif));
    assert.equal(e.md5, md5(gif));
  });

  test('link-card and mini-program thumbs and emoji from this CDN must exist and open with their key', async () => {
    const jpeg = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#888888' } }).jpeg().toBuffer();
    const up = await ok(h.direct('/cloud/cdn_upload', { guid: a.guid, file_type: 1, url: dataUrl(jpeg) }));
    const thumb = { thumb_file_id: up.file_id, thumb_aes_key: up.aes_key, thumb_file_size: up.thumb_file_size, thumb_file_md5: up.file_md5 };
    const link = await ok(h.direct('/msg/send_link_card_cdn', { guid: a.guid, to_username: b.wxid, title: 'T', desc: 'D', url: 'https://e.example', ...thumb }));
    const attach = xml.parse((await received(link.newMsgId)).content).msg.appmsg.appattach;
    assert.ok((await download(3, attach.cdnthumburl, attach.cdnthumbaeskey, 0)).length > 0);
    const badLink = await h.direct('/msg/send_link_card_cdn', { guid: a.guid, to_username: b.wxid, title: 'T', desc: 'D', url: 'https://e.example', ...thumb, thumb_aes_key: '0'.repeat(32) });
    assert.equal(badLink.body.code, 40350);
    const cover = { file_id: up.file_id, aes_key: up.aes_key, file_size: up.thumb_file_size, file_md5: up.file_md5 };
    assert.equal((await h.direct('/msg/send_mini_app', { guid: a.guid, to_username: b.wxid, username: 'gh_x@app', appid: 'wx1', ...cover })).status, 200);
    const badMini = await h.direct('/msg/send_mini_app', { guid: a.guid, to_username: b.wxid, username: 'gh_x@app', appid: 'wx1', ...cover, file_id: otherUuid(up.file_id) });
    assert.equal(badMini.body.code, 40450);
    const badEmoji = await h.direct('/msg/send_emoji', { guid: a.guid, to_username: b.wxid, ...cover, aes_key: 'a'.repeat(32) });
    assert.equal(badEmoji.body.code, 40350);
  });

  test('sends refuse unknown file ids, wrong keys and the wrong kind of object', async () => {
    const up = await ok(h.direct('/cloud/cdn_upload', { guid: a.guid, file_type: 5, url: dataUrl(Buffer.from('just a file')) }));
    const wrongKey = await h.direct('/msg/send_file', { guid: a.guid, to_username: b.wxid, ...up, aes_key: 'f'.repeat(32), file_name: 'x.txt' });
    assert.equal(wrongKey.body.code, 40350);
    const unknown = await h.direct('/msg/send_file', { guid: a.guid, to_username: b.wxid, ...up, file_id: otherUuid(up.file_id), file_name: 'x.txt' });
    assert.equal(unknown.body.code, 40450);
    const notImage = await h.direct('/msg/send_image', { guid: a.guid, to_username: b.wxid, ...up });
    assert.equal(notImage.body.code, 40450);
  });
});
