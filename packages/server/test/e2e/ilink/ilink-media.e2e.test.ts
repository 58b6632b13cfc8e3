// iLink media and quotes over real sockets, with the protocol's client (test/ilink-client.ts): the bot uploads an
// image, a file, a video and a voice through getuploadurl and wxgate's CDN and sends them — the person receives the
// same bytes, and the thumbnails it uploads with them; a person's image, file, video and voice reach getupdates as items
// whose CDN references download and decrypt to the bytes sent; quotes travel both ways as ref_msg.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import { startHarness, type Harness } from '../../harness.ts';
import { bindBot, botView, download, listen, md5, type IlinkClient } from '../../ilink-client.ts';
import { friendOf, loggedIn, ok } from '../../sandbox-helpers.ts';
import { ffmpeg, NEEDS, testVideo } from '../../system-programs.ts';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: true });
const dataUrl = (b: Buffer) => `data:application/octet-stream;base64,${b.toString('base64')}`;
const MEDIA = { IMAGE: 1, VIDEO: 2, FILE: 3, VOICE: 4 } as const;

describe('iLink media and quotes', () => {
  let h: Harness;
  let bot: IlinkClient;
  let guid: string;
  let me: string;
  let alice: string;
  let view: ReturnType<typeof botView>;
  /** What Alice's phone shows from the bot: the last message of a type. */
  const aliceLast = (msgType: number) => view.lastFromMe(alice, me, msgType);
  const cdnBytes = (fileType: number, fileId: string, aesKey: string, size: number) => view.cdnBytes(fileType, fileId, aesKey, size);
  const nextMessage = () => view.nextMessage();
  const send = (item: unknown) => bot.post('ilink/bot/sendmessage', { msg: { to_user_id: alice, item_list: [item] } });

  before(async () => {
    h = await startHarness({}, undefined, { realTime: true });
    const baseUrl = await listen(h);
    ({ guid, wxid: me } = await loggedIn(h, { nickname: 'Agent' }));
    alice = await friendOf(h, me, 'Alice');
    ({ bot } = await bindBot(h, baseUrl, guid));
    view = botView(h, bot, guid, me);
  });
  after(async () => h?.close());

  test('an image the bot uploads and sends reaches the person byte for byte; its reference downloads too', async () => {
    const jpeg = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#22aa66' } }).jpeg().toBuffer();
    const media = await bot.upload(jpeg, MEDIA.IMAGE, alice);
    const sent = await send({ type: 2, image_item: { media: { ...media, key: undefined }, mid_size: jpeg.length } });
    assert.equal(sent.ret, 0, JSON.stringify(sent));
    assert.match(sent.message_id, /^\d+$/);
    const img = xml.parse((await aliceLast(3)).content).msg.img;
    assert.equal(img.md5, md5(jpeg));
    assert.deepEqual(await cdnBytes(1, img.cdnbigimgurl, img.aeskey, Number(img.hdlength)), jpeg);
    // The x-encrypted-param is a download reference too, under the uploader's own key.
    const baseUrl = bot.baseUrl.replace(/\/$/, '');
    assert.deepEqual(await download({ full_url: `${baseUrl}/ilink/cdn/download?encrypted_query_param=${encodeURIComponent(media.encrypt_query_param)}` }, media.key.toString('hex')), jpeg);
    // Whoever holds a reference may download: references stay out of the log, as the tokens do.
    const reference = encodeURIComponent(media.encrypt_query_param).slice(0, 48);
    assert.ok(!h.logs.some((line) => line.includes(reference) || line.includes(media.encrypt_query_param.slice(0, 48))), 'no reference is logged');
  });

  test('an uploaded thumbnail is the one the person gets, byte for byte, with an image and with a video', async (t) => {
    const image = await sharp({ create: { width: 120, height: 90, channels: 3, background: '#884400' } }).png().toBuffer();
    const thumb = await sharp({ create: { width: 48, height: 36, channels: 3, background: '#0044ff' } }).jpeg({ quality: 91 }).toBuffer();
    const up = await bot.uploadWithThumb(image, thumb, MEDIA.IMAGE, alice);
    // The thumbnail's reference downloads as it was uploaded (under the one aeskey getuploadurl takes).
    const cdnBase = `${bot.baseUrl}ilink/cdn`;
    assert.deepEqual(await download({ full_url: `${cdnBase}/download?encrypted_query_param=${encodeURIComponent(up.thumb_media.encrypt_query_param)}` }, up.key.toString('hex')), thumb);
    const sent = await send({ type: 2, image_item: { media: up.media, thumb_media: up.thumb_media } });
    assert.equal(sent.ret, 0, JSON.stringify(sent));
    const img = xml.parse((await aliceLast(3)).content).msg.img;
    assert.equal(img.md5, md5(image));
    assert.deepEqual(await cdnBytes(1, img.cdnbigimgurl, img.aeskey, Number(img.hdlength)), image);
    assert.deepEqual(await cdnBytes(3, img.cdnthumburl, img.cdnthumbaeskey, Number(img.cdnthumblength)), thumb, 'the thumbnail the person downloads');
    assert.deepEqual([Number(img.cdnthumbwidth), Number(img.cdnthumbheight), Number(img.cdnthumblength)], [48, 36, thumb.length]);

    const video = testVideo();
    if (!video) return t.skip(NEEDS.ffmpeg);
    const cover = await sharp({ create: { width: 64, height: 36, channels: 3, background: '#ff2200' } }).jpeg().toBuffer();
    const clip = await bot.uploadWithThumb(video, cover, MEDIA.VIDEO, alice);
    const videoSent = await send({ type: 5, video_item: { media: clip.media, thumb_media: clip.thumb_media } });
    assert.equal(videoSent.ret, 0, JSON.stringify(videoSent));
    const v = xml.parse((await aliceLast(43)).content).msg.videomsg;
    assert.deepEqual(await cdnBytes(4, v.cdnvideourl, v.aeskey, Number(v.length)), video);
    assert.deepEqual(await cdnBytes(3, v.cdnthumburl, v.cdnthumbaeskey, Number(v.cdnthumblength)), cover, 'the video\'s thumbnail the person downloads');
  });

  test('a file keeps its name and bytes', async () => {
    const content = Buffer.from('%PDF-1.4 quarterly numbers\n'.repeat(300));
    const media = await bot.upload(content, MEDIA.FILE, alice);
    const sent = await send({ type: 4, file_item: { media: { ...media, key: undefined }, file_name: '季度报告.pdf', len: String(content.length) } });
    assert.equal(sent.ret, 0, JSON.stringify(sent));
    const appmsg = xml.parse((await aliceLast(49)).content).msg.appmsg;
    assert.equal(appmsg.title, '季度报告.pdf');
    assert.deepEqual(await cdnBytes(5, appmsg.appattach.cdnattachurl, appmsg.appattach.aeskey, Number(appmsg.appattach.totallen)), content);
  });

  test('a video and a voice are sent as WeChat video and voice messages', async (t) => {
    const video = testVideo();
    const tone = ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-f', 'wav', 'pipe:1']);
    if (!video || !tone) return t.skip(NEEDS.ffmpeg);
    const videoSent = await send({ type: 5, video_item: { media: { ...(await bot.upload(video, MEDIA.VIDEO, alice)), key: undefined } } });
    assert.equal(videoSent.ret, 0, JSON.stringify(videoSent));
    const v = xml.parse((await aliceLast(43)).content).msg.videomsg;
    assert.deepEqual(await cdnBytes(4, v.cdnvideourl, v.aeskey, Number(v.length)), video);
    const voiceSent = await send({ type: 3, voice_item: { media: { ...(await bot.upload(tone, MEDIA.VOICE, alice)), key: undefined }, encode_type: 7 } });
    assert.equal(voiceSent.ret, 0, JSON.stringify(voiceSent));
    const voice = xml.parse((await aliceLast(34)).content).msg.voicemsg;
    assert.ok(Math.abs(Number(voice.voicelength) - 1000) <= 100, voice.voicelength);
  });

  test('a person\'s image, file, video and voice reach getupdates and download byte for byte', async (t) => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#cc3366' } }).png().toBuffer();
    await ok(h.direct('/sandbox/messages/send_media', { from_wxid: alice, to_username: me, kind: 'image', url: dataUrl(png) }));
    const image = (await nextMessage()).item_list[0];
    assert.equal(image.type, 2);
    assert.deepEqual(await download(image.image_item.media, image.image_item.aeskey), png, 'with image_item.aeskey');
    assert.deepEqual(await download(image.image_item.media), png, 'with media.aes_key (base64 of the raw key)');
    assert.ok((await download(image.image_item.thumb_media)).length > 0, 'the thumbnail downloads');

    const doc = Buffer.from('plain text attachment\n'.repeat(50));
    await ok(h.direct('/sandbox/messages/send_media', { from_wxid: alice, to_username: me, kind: 'file', url: dataUrl(doc), file_name: 'notes.txt' }));
    const file = (await nextMessage()).item_list[0];
    assert.deepEqual([file.type, file.file_item.file_name, file.file_item.len, file.file_item.md5], [4, 'notes.txt', String(doc.length), md5(doc)]);
    assert.deepEqual(await download(file.file_item.media), doc);

    const voiceSent = await ok(h.direct('/sandbox/messages/send_media', { from_wxid: alice, to_username: me, kind: 'voice', duration_ms: 1500 }));
    const voice = (await nextMessage()).item_list[0];
    assert.equal(voice.type, 3);
    const silk = await download(voice.voice_item.media);
    assert.equal(silk.subarray(0, 10).toString('latin1'), '\x02#!SILK_V3');
    const stored = await ok(h.direct('/cloud/download_voice', { guid, msg_id: voiceSent.msg_id, length: voice.voice_item.playtime }));
    assert.deepEqual(silk, Buffer.from(stored.base64, 'base64'));

    const video = testVideo();
    if (!video) return t.skip(NEEDS.ffmpeg);
    await ok(h.direct('/sandbox/messages/send_media', { from_wxid: alice, to_username: me, kind: 'video', url: dataUrl(video) }));
    const clip = (await nextMessage()).item_list[0];
    assert.deepEqual([clip.type, clip.video_item.video_size, clip.video_item.video_md5], [5, video.length, md5(video)]);
    assert.deepEqual(await download(clip.video_item.media), video);
  });

  test('quotes: the bot\'s ref_msg quotes the person\'s message; the person\'s quote arrives with ref_msg', async () => {
    await ok(h.direct('/sandbox/messages/send', { from_wxid: alice, path: '/msg/send_text', body: { to_username: me, content: 'lunch at noon?' } }));
    const question = await nextMessage();
    const sent = await bot.post('ilink/bot/sendmessage', { msg: { to_user_id: alice, context_token: question.context_token, item_list: [{
      type: 1, text_item: { text: 'yes, noon works' }, ref_msg: { message_item: question.item_list[0], title: 'lunch at noon?' },
    }] } });
    assert.equal(sent.ret, 0, JSON.stringify(sent));
    const appmsg = xml.parse((await aliceLast(49)).content).msg.appmsg;
    assert.deepEqual([appmsg.type, appmsg.title, appmsg.refermsg.svrid, appmsg.refermsg.content], ['57', 'yes, noon works', question.message_id, 'lunch at noon?']);

    await ok(h.direct('/sandbox/messages/send', { from_wxid: alice, path: '/msg/send_refer_msg', body: {
      to_username: me, content: 'see you then', refer_msg: { msg_type: 1, msg_id: sent.message_id, from_username: me, content: 'yes, noon works' },
    } }));
    const quote = (await nextMessage()).item_list[0];
    assert.equal(quote.type, 1);
    assert.equal(quote.text_item.text, 'see you then');
    assert.equal(quote.ref_msg.svr_id, sent.message_id);
    assert.equal(quote.ref_msg.title, 'yes, noon works');
    assert.equal(quote.ref_msg.message_item.text_item.text, 'yes, noon works');
  });
});
