// The ilink driver's media end to end, over the vendor HTTP API on both sides: a wxgate whose instance is a WeChat
// account through iLink, pointed at a SECOND wxgate serving iLink over its sandbox. A person there sends an image, a
// voice, a file and a video: each is a 1010 at the first wxgate that downloads through /cloud/cdn_download or
// /cloud/download_voice byte for byte; the first wxgate uploads and sends each kind (and a quote): the person receives
// the same bytes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import { eventually } from '../../eventually.ts';
import { startHarness, type Harness } from '../../harness.ts';
import { friendOf, loggedIn, ok, outbox } from '../../sandbox-helpers.ts';
import { ffmpeg, NEEDS, testVideo } from '../../system-programs.ts';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: true });
const dataUrl = (b: Buffer, type = 'application/octet-stream') => `data:${type};base64,${b.toString('base64')}`;
const bytesOf = (answer: { base64: string }) => Buffer.from(answer.base64, 'base64');

describe('the ilink driver\'s media over the vendor API', () => {
  let upstream: Harness;
  let first: Harness;
  let upGuid: string;
  let me: string;
  let alice: string;
  let guid: string;

  /** The 1010 the first wxgate publishes for a message the person sent (by its msg_id on the second). */
  const received = (msgId: string) => eventually(async () => (await outbox(first, guid)).find((e) => e.notifyType === 1010 && (e.data as { msg_id: string }).msg_id === msgId),
    (e) => e !== undefined, 20_000).then((e) => e!.data as { msg_type: number; content: string; msg_id: string; from_username: string });
  /** What the person's phone shows last from the account, of a type. */
  const aliceLast = async (msgType: number): Promise<any> => {
    const { messages } = await ok(upstream.direct('/sandbox/messages/list', { wxid: alice, talker: me }));
    const found = messages.filter((m: { msg_type: number; from_username: string }) => m.msg_type === msgType && m.from_username === me).at(-1);
    assert.ok(found, `Alice got no ${msgType}`);
    return xml.parse(found.content).msg;
  };
  /** A CDN object as the second wxgate's own instance downloads it (the person's network). */
  const upstreamBytes = async (fileType: number, fileId: string, aesKey: string) =>
    bytesOf(await ok(upstream.direct('/cloud/cdn_download', { guid: upGuid, file_type: fileType, file_id: fileId, aes_key: aesKey, file_size: 0 })));
  const send = (kind: string, body: Record<string, unknown>) => ok(upstream.direct('/sandbox/messages/send_media', { from_wxid: alice, to_username: me, kind, ...body }));
  const download = (body: Record<string, unknown>) => ok(first.direct('/cloud/cdn_download', { guid, file_size: 0, ...body }));

  before(async () => {
    const rateLimit = { maxCalls: 1_000_000, windowSeconds: 60, lockSeconds: 60 };
    upstream = await startHarness({ rateLimit }, undefined, { realTime: true });
    const url = await upstream.app.http.listen({ host: '127.0.0.1', port: 0 });
    ({ guid: upGuid, wxid: me } = await loggedIn(upstream, { nickname: 'Agent' }));
    alice = await friendOf(upstream, me, 'Alice');
    first = await startHarness({ driver: 'ilink', ilink: { baseUrl: url, timeoutMs: 5_000, cdnUrl: `${url}/ilink/cdn` }, rateLimit }, undefined, { realTime: true });
    guid = await first.createInstance({ auto_start: true });
    const qr = await ok(first.direct('/login/get_login_qrcode', { guid }));
    await ok(upstream.direct('/ilink/scan_qrcode', { guid: upGuid, qrcode: qr.uuid, action: 'scan' }));
    await eventually(() => ok(first.direct('/login/check_login_qrcode', { guid })), (s) => s.status === 1, 10_000);
    await ok(upstream.direct('/ilink/scan_qrcode', { guid: upGuid, qrcode: qr.uuid, action: 'confirm' }));
    await eventually(() => ok(first.direct('/login/check_login_qrcode', { guid })), (s) => s.status === 2, 10_000);
  });
  after(async () => {
    await first?.close();
    await upstream?.close();
  });

  test('a person\'s image, voice and file arrive as 1010s that download byte for byte through the vendor endpoints', { timeout: 60_000 }, async () => {
    const png = await sharp({ create: { width: 96, height: 64, channels: 3, background: '#3366cc' } }).png().toBuffer();
    const pic = await received((await send('image', { url: dataUrl(png, 'image/png') })).msg_id);
    assert.deepEqual([pic.msg_type, pic.from_username], [3, alice]);
    const img = xml.parse(pic.content).msg.img;
    assert.deepEqual(bytesOf(await download({ file_type: 1, file_id: img.cdnbigimgurl, aes_key: img.aeskey })), png);
    assert.ok(bytesOf(await download({ file_type: 3, file_id: img.cdnthumburl, aes_key: img.cdnthumbaeskey })).length > 0, 'the thumbnail');

    const voiceSent = await send('voice', { duration_ms: 1500 });
    const voice = await received(voiceSent.msg_id);
    assert.equal(voice.msg_type, 34);
    const voicemsg = xml.parse(voice.content).msg.voicemsg;
    const silk = bytesOf(await ok(first.direct('/cloud/download_voice', { guid, msg_id: voice.msg_id, length: Number(voicemsg.voicelength) })));
    const sentSilk = bytesOf(await ok(upstream.direct('/cloud/download_voice', { guid: upGuid, msg_id: voiceSent.msg_id, length: 1500 })));
    assert.deepEqual(silk, sentSilk, 'the SILK the person sent');

    const doc = Buffer.from('the agenda, item by item\n'.repeat(60));
    const file = await received((await send('file', { url: dataUrl(doc), file_name: 'agenda.txt' })).msg_id);
    const appmsg = xml.parse(file.content).msg.appmsg;
    assert.deepEqual([file.msg_type, appmsg.type, appmsg.title], [49, '6', 'agenda.txt']);
    assert.deepEqual(bytesOf(await download({ file_type: 5, file_id: appmsg.appattach.cdnattachurl, aes_key: appmsg.appattach.aeskey })), doc);
  });

  test('a person\'s video arrives as a 43 that downloads byte for byte', { timeout: 60_000 }, async (t) => {
    const video = testVideo();
    if (!video) return t.skip(NEEDS.ffmpeg);
    const clip = await received((await send('video', { url: dataUrl(video, 'video/mp4') })).msg_id);
    assert.equal(clip.msg_type, 43);
    const videomsg = xml.parse(clip.content).msg.videomsg;
    assert.deepEqual(bytesOf(await download({ file_type: 4, file_id: videomsg.cdnvideourl, aes_key: videomsg.aeskey })), video);
  });

  test('the account sends an image, a file, a video, a voice and a quote: the person receives the same bytes', { timeout: 60_000 }, async (t) => {
    const jpeg = await sharp({ create: { width: 200, height: 150, channels: 3, background: '#aa2244' } }).jpeg().toBuffer();
    const up = await ok(first.direct('/cloud/cdn_upload', { guid, file_type: 2, url: dataUrl(jpeg, 'image/jpeg') }));
    const sent = await ok(first.direct('/msg/send_image', { guid, to_username: alice, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_md5: up.file_md5 }));
    assert.match(sent.newMsgId, /^[1-9]\d*$/);
    const img = (await aliceLast(3)).img;
    assert.deepEqual(await upstreamBytes(1, img.cdnbigimgurl, img.aeskey), jpeg);

    const doc = Buffer.from('%PDF-1.4\n% minutes\n'.repeat(40));
    const upDoc = await ok(first.direct('/cloud/cdn_upload', { guid, file_type: 5, url: dataUrl(doc, 'application/pdf') }));
    await ok(first.direct('/msg/send_file', { guid, to_username: alice, file_id: upDoc.file_id, aes_key: upDoc.aes_key, file_size: upDoc.file_size, file_md5: upDoc.file_md5, file_name: 'minutes.pdf' }));
    const appmsg = (await aliceLast(49)).appmsg;
    assert.equal(appmsg.title, 'minutes.pdf');
    assert.deepEqual(await upstreamBytes(5, appmsg.appattach.cdnattachurl, appmsg.appattach.aeskey), doc);

    const question = await received((await ok(upstream.direct('/sandbox/messages/send', { from_wxid: alice, path: '/msg/send_text', body: { to_username: me, content: 'ready?' } }))).msg_id);
    await ok(first.direct('/msg/send_refer_msg', { guid, to_username: alice, content: 'ready', refer_msg: { msg_type: 1, msg_id: question.msg_id, from_username: alice, content: 'ready?' } }));
    const quote = (await aliceLast(49)).appmsg;
    assert.deepEqual([quote.type, quote.title, quote.refermsg.svrid], ['57', 'ready', question.msg_id]);

    const tone = ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-f', 'wav', 'pipe:1']);
    const video = testVideo();
    if (!tone || !video) return t.skip(NEEDS.ffmpeg);
    const voiceSent = await ok(first.direct('/msg/send_voice', { guid, to_username: alice, url: dataUrl(tone, 'audio/wav') }));
    const voicemsg = (await aliceLast(34)).voicemsg;
    assert.equal(Number(voicemsg.length), voiceSent.length);
    const mine = bytesOf(await ok(first.direct('/cloud/download_voice', { guid, msg_id: voiceSent.newMsgId, length: voiceSent.voiceLength })));
    const { messages } = await ok(upstream.direct('/sandbox/messages/list', { wxid: alice, talker: me }));
    const voiceId = messages.filter((m: { msg_type: number }) => m.msg_type === 34).at(-1).msg_id;
    assert.deepEqual(bytesOf(await ok(upstream.direct('/cloud/download_voice', { guid: upGuid, msg_id: voiceId, length: Number(voicemsg.voicelength) }))), mine, 'the same SILK');

    const upVideo = await ok(first.direct('/cloud/cdn_upload', { guid, file_type: 4, url: dataUrl(video, 'video/mp4') }));
    await ok(first.direct('/msg/send_video', { guid, to_username: alice, file_id: upVideo.file_id, aes_key: upVideo.aes_key, file_size: upVideo.file_size, file_md5: upVideo.file_md5 }));
    const videomsg = (await aliceLast(43)).videomsg;
    assert.deepEqual(await upstreamBytes(4, videomsg.cdnvideourl, videomsg.aeskey), video);
  });
});
