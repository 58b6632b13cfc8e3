// Media messages end to end: Alice uploads an image, a video and a file, sends each to Bob; Bob's webhook gets the
// 1010, parses WeChat's XML and downloads with the XML's fields alone; the bytes equal the original. Sends refuse
// unknown file ids and wrong keys.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import { startHarness, type Harness } from '../harness.ts';
import { Receiver, type Received } from '../receiver.ts';

const FAST = { webhook: { timeoutMs: 2000, retrySchedule: [0, 0.05, 0.1], maxInFlight: 64 } };
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: true });
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
/** The same id shape naming another object (a hex digit of the uuid changed). */
const otherUuid = (fileId: string) => fileId.slice(0, 100) + (fileId[100] === '3' ? '4' : '3') + fileId.slice(101);
const dataUrl = (b: Buffer) => `data:application/octet-stream;base64,${b.toString('base64')}`;

async function ok(res: Promise<{ status: number; body: any; text: string }>): Promise<any> {
  const r = await res;
  assert.equal(r.status, 200, r.text);
  return r.body.data;
}

function ffmpegVideo(): Buffer | null {
  try {
    return execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=1:size=160x120:rate=10',
      '-pix_fmt', 'yuv420p', '-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov', 'pipe:1'], { maxBuffer: 10 << 20 });
  } catch {
    return null;
  }
}

describe('media messages round trip', () => {
  let h: Harness;
  let receiver: Receiver;
  let a: { guid: string; wxid: string };
  let b: { guid: string; wxid: string };

  async function loggedIn(nickname: string): Promise<{ guid: string; wxid: string }> {
    const guid = await h.createInstance();
    const { wxid } = await ok(h.direct('/sandbox/people/create', { nickname }));
    await ok(h.direct('/login/get_login_qrcode', { guid }));
    await ok(h.direct('/sandbox/login/scan', { guid, action: 'scan', wxid }));
    await ok(h.direct('/sandbox/login/scan', { guid, action: 'confirm' }));
    return { guid, wxid };
  }
  const received = async (msgId: string): Promise<any> => {
    const match = (r: Received) => r.json.guid === b.guid && r.json.notify_type === 1010 && r.json.data.msg_id === msgId;
    await receiver.until((all) => all.some(match));
    return receiver.received.find(match)!.json.data;
  };
  const download = async (fileType: number, fileId: string, aesKey: string, size: number): Promise<Buffer> => {
    const got = await ok(h.direct('/cloud/cdn_download', { guid: b.guid, file_type: fileType, file_id: fileId, aes_key: aesKey, file_size: size }));
    return Buffer.from(got.base64, 'base64');
  };

  before(async () => {
    h = await startHarness(FAST, undefined, { realTime: true });
    receiver = await new Receiver().start();
    a = await loggedIn('Alice');
    b = await loggedIn('Bob');
    await ok(h.direct('/client/set_notify_url', { guid: b.guid, notify_url: receiver.url }));
    await ok(h.direct('/sandbox/friend/request', { from_wxid: a.wxid, to_wxid: b.wxid }));
    await ok(h.direct('/sandbox/friend/accept', { from_wxid: a.wxid, to_wxid: b.wxid }));
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
    const video = ffmpegVideo();
    if (!video) return t.skip('ffmpeg not installed');
    const up = await ok(h.direct('/cloud/cdn_upload', { guid: a.guid, file_type: 4, url: dataUrl(video) }));
    const sent = await ok(h.direct('/msg/send_video', { guid: a.guid, to_username: b.wxid, ...up }));
    const msg = await received(sent.newMsgId);
    assert.equal(msg.msg_type, 43);
    const v = xml.parse(msg.content).msg.videomsg;
    assert.equal(v.playlength, '1');
    assert.equal(md5(await download(4, v.cdnvideourl, v.aeskey, Number(v.length))), md5(video));
    assert.equal((await download(3, v.cdnthumburl, v.cdnthumbaeskey, Number(v.cdnthumblength))).length, Number(v.cdnthumblength));
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
