// The media-chat subset of the driver conformance suite: what a driver that chats in media and quotes (the ilink driver,
// beside the text-chat subset) must do as every driver does — a person's image, file, voice and video arrive as
// WeChat's 3, 49/6, 34 and 43 and download byte for byte through /cloud/cdn_download and /cloud/download_voice; the
// account's uploads are sent with send_image|file|video|voice and reach the person unchanged (md5 and size in the XML);
// quotes travel both ways as appmsg type 57. Content comes as data: URLs, so no driver fetches anything.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { pcmToWav, sineTonePcm } from '../../wechat/silk.ts';
import { resolveFfmpeg } from '../cdn/ffmpeg-program.ts';
import type { DriverPath } from '../driver.ts';
import { messagesSince, onlyMessage, parse } from './msg.ts';
import { call, expectError, type ConformanceSubject, type Make, withSubject } from './subject.ts';
import { accountWithFriend } from './text-chat.ts';

/** The operations this subset exercises; a driver must serve all of them to conform to it. */
export const MEDIA_CHAT_PATHS: readonly DriverPath[] = [
  '/cloud/cdn_upload', '/cloud/cdn_download', '/cloud/download_voice',
  '/msg/send_image', '/msg/send_file', '/msg/send_video', '/msg/send_voice', '/msg/send_refer_msg',
];

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');
const dataUrl = (bytes: Buffer, type: string) => `data:${type};base64,${bytes.toString('base64')}`;
const bytesOf = (answer: { base64?: string }) => Buffer.from(answer.base64 ?? '', 'base64');

function png(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < image.data.length; i += 4) image.data.set([30, (i / 4) % 256, 160, 255], i);
  return PNG.sync.write(image);
}

/** A one-second MP4 of ffmpeg's test pattern, or null without ffmpeg (the video tests skip). */
function testVideo(): Buffer | null {
  const ffmpeg = resolveFfmpeg();
  if (!ffmpeg) return null;
  const run = spawnSync(ffmpeg.path, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=duration=1:size=160x120:rate=10',
    '-pix_fmt', 'yuv420p', '-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov', 'pipe:1'], { maxBuffer: 10 << 20 });
  return run.status === 0 ? run.stdout : null;
}

/** The last message of `msgType` the person got from the account. */
async function lastFrom(s: ConformanceSubject, friend: string, me: string, msgType: number) {
  const got = (await s.phone.messagesOf(friend, me)).filter((m) => m.from === me && m.msgType === msgType).at(-1);
  assert.ok(got, `${friend} got no ${msgType} from ${me}`);
  return parse(got.content).msg;
}

export function describeMediaChatConformance(name: string, make: Make): void {
  describe(`driver conformance, media chat: ${name}`, () => {
    test('declares every media-chat path', () => withSubject(make, async (s) => {
      const declared = s.driver.capabilities();
      for (const path of MEDIA_CHAT_PATHS) assert.ok(declared.includes(path), `${path} is not among the capabilities`);
    }));

    test('a person\'s image and file arrive as 3 and 49/6 with WeChat\'s XML, and download byte for byte', () => withSubject(make, async (s) => {
      const { a, me, friend } = await accountWithFriend(s);
      const image = png(64, 48);
      let mark = s.events(a.guid).length;
      await s.phone.sendMedia(friend, me, { kind: 'image', url: dataUrl(image, 'image/png') });
      const pic = onlyMessage(s, a.guid, mark);
      assert.deepEqual([pic.msg_type, pic.from_username, pic.to_username], [3, friend, me]);
      const img = parse(pic.content).msg.img;
      assert.equal(img.md5, md5(image));
      const original = await call(a.session, '/cloud/cdn_download', { file_type: 1, file_id: img.cdnbigimgurl, aes_key: img.aeskey, file_size: Number(img.hdlength) });
      assert.deepEqual(bytesOf(original), image, 'the original image, byte for byte');
      const thumb = await call(a.session, '/cloud/cdn_download', { file_type: 3, file_id: img.cdnthumburl, aes_key: img.cdnthumbaeskey, file_size: Number(img.cdnthumblength) });
      assert.equal(bytesOf(thumb).length, Number(img.cdnthumblength), 'the thumbnail downloads');
      await expectError(call(a.session, '/cloud/cdn_download', { file_type: 1, file_id: img.cdnbigimgurl, aes_key: '0'.repeat(32), file_size: 0 }), 'CDN_KEY_MISMATCH');

      const doc = Buffer.from('minutes of the meeting\n'.repeat(40));
      mark = s.events(a.guid).length;
      await s.phone.sendMedia(friend, me, { kind: 'file', url: dataUrl(doc, 'text/plain'), fileName: 'minutes.txt' });
      const file = onlyMessage(s, a.guid, mark);
      assert.equal(file.msg_type, 49);
      const appmsg = parse(file.content).msg.appmsg;
      assert.deepEqual([String(appmsg.type), appmsg.title, Number(appmsg.appattach.totallen), appmsg.md5], ['6', 'minutes.txt', doc.length, md5(doc)]);
      const got = await call(a.session, '/cloud/cdn_download', { file_type: 5, file_id: appmsg.appattach.cdnattachurl, aes_key: appmsg.appattach.aeskey, file_size: doc.length });
      assert.deepEqual(bytesOf(got), doc);
    }));

    test('a person\'s voice arrives as a 34 with <voicemsg>; download_voice answers its SILK', () => withSubject(make, async (s) => {
      const { a, me, friend } = await accountWithFriend(s);
      const mark = s.events(a.guid).length;
      await s.phone.sendMedia(friend, me, { kind: 'voice', durationMs: 1500 });
      const got = onlyMessage(s, a.guid, mark);
      assert.equal(got.msg_type, 34);
      const voice = parse(got.content).msg.voicemsg;
      assert.ok(Math.abs(Number(voice.voicelength) - 1500) <= 100, `voicelength ${voice.voicelength}`);
      assert.equal(voice.voiceformat, '4');
      const silk = bytesOf(await call(a.session, '/cloud/download_voice', { msg_id: got.msg_id, length: Number(voice.voicelength) }));
      assert.deepEqual([silk.subarray(0, 10).toString('latin1'), silk.length], ['\x02#!SILK_V3', Number(voice.length)]);
      await expectError(call(a.session, '/cloud/download_voice', { msg_id: '1234567', length: 1000 }), 'VOICE_NOT_FOUND');
    }));

    test('a person\'s video arrives as a 43 with <videomsg>, and downloads byte for byte', (t) => withSubject(make, async (s) => {
      const video = testVideo();
      if (!video) return t.skip('needs ffmpeg: npm install (brings @ffmpeg-installer/ffmpeg) or apt-get install ffmpeg');
      const { a, me, friend } = await accountWithFriend(s);
      const mark = s.events(a.guid).length;
      await s.phone.sendMedia(friend, me, { kind: 'video', url: dataUrl(video, 'video/mp4') });
      const got = onlyMessage(s, a.guid, mark);
      assert.equal(got.msg_type, 43);
      const clip = parse(got.content).msg.videomsg;
      assert.deepEqual([Number(clip.length), clip.md5], [video.length, md5(video)]);
      const bytes = bytesOf(await call(a.session, '/cloud/cdn_download', { file_type: 4, file_id: clip.cdnvideourl, aes_key: clip.aeskey, file_size: video.length }));
      assert.deepEqual(bytes, video);
    }));

    test('uploads sent as image, file and voice reach the person unchanged; refusals send nothing', () => withSubject(make, async (s) => {
      const { a, me, friend } = await accountWithFriend(s);
      const image = png(200, 120);
      const up = await call(a.session, '/cloud/cdn_upload', { file_type: 2, url: dataUrl(image, 'image/png') });
      const sent = await call(a.session, '/msg/send_image', { to_username: friend, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_md5: up.file_md5 });
      assert.equal(sent.baseResponse.ret, 0);
      assert.match(sent.newMsgId, /^[1-9]\d*$/);
      assert.deepEqual([(await lastFrom(s, friend, me, 3)).img.md5], [md5(image)]);

      const doc = Buffer.from('%PDF-1.4 not really\n'.repeat(30));
      const upDoc = await call(a.session, '/cloud/cdn_upload', { file_type: 5, url: dataUrl(doc, 'application/pdf') });
      const sentDoc = await call(a.session, '/msg/send_file', { to_username: friend, file_id: upDoc.file_id, aes_key: upDoc.aes_key, file_size: upDoc.file_size, file_md5: upDoc.file_md5, file_name: 'report.pdf' });
      assert.deepEqual([sentDoc.baseResponse.ret, sentDoc.type], [0, 49]);
      const appmsg = (await lastFrom(s, friend, me, 49)).appmsg;
      assert.deepEqual([appmsg.title, appmsg.md5, Number(appmsg.appattach.totallen)], ['report.pdf', md5(doc), doc.length]);

      const wav = pcmToWav(sineTonePcm(1500, 440, 16_000), 16_000);
      const sentVoice = await call(a.session, '/msg/send_voice', { to_username: friend, url: dataUrl(wav, 'audio/wav') });
      const voice = (await lastFrom(s, friend, me, 34)).voicemsg;
      assert.ok(Math.abs(Number(voice.voicelength) - 1500) <= 100, `voicelength ${voice.voicelength}`);
      assert.deepEqual([sentVoice.baseResponse.ret, sentVoice.length], [0, Number(voice.length)]);

      const before = (await s.phone.messagesOf(friend, me)).length;
      await expectError(call(a.session, '/msg/send_image', { to_username: friend, file_id: up.file_id, aes_key: '0'.repeat(32), file_size: up.file_size, file_md5: up.file_md5 }), 'CDN_KEY_MISMATCH');
      await expectError(call(a.session, '/msg/send_video', { to_username: friend, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_md5: up.file_md5 }), 'CDN_OBJECT_NOT_FOUND');
      await expectError(call(a.session, '/msg/send_voice', { to_username: friend, url: Buffer.from('this is not audio at all').toString('base64') }), 'VALIDATION');
      const stranger = (await s.phone.createPerson({ nickname: 'Stranger' })).wxid;
      await assert.rejects(call(a.session, '/msg/send_image', { to_username: stranger, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_md5: up.file_md5 }));
      assert.equal((await s.phone.messagesOf(friend, me)).length, before, 'nothing refused was delivered');
      assert.deepEqual(await s.phone.messagesOf(stranger), []);
    }));

    test('an uploaded video is sent as a 43 that reaches the person unchanged', (t) => withSubject(make, async (s) => {
      const video = testVideo();
      if (!video) return t.skip('needs ffmpeg: npm install (brings @ffmpeg-installer/ffmpeg) or apt-get install ffmpeg');
      const { a, me, friend } = await accountWithFriend(s);
      const up = await call(a.session, '/cloud/cdn_upload', { file_type: 4, url: dataUrl(video, 'video/mp4') });
      const sent = await call(a.session, '/msg/send_video', { to_username: friend, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_md5: up.file_md5 });
      assert.match(sent.newMsgId, /^[1-9]\d*$/);
      const clip = (await lastFrom(s, friend, me, 43)).videomsg;
      assert.deepEqual([clip.md5, Number(clip.length)], [md5(video), video.length]);
    }));

    test('quotes both ways: send_refer_msg reaches the person as appmsg 57; the person\'s quote is a 49/57 1010', () => withSubject(make, async (s) => {
      const { a, me, friend } = await accountWithFriend(s);
      let mark = s.events(a.guid).length;
      await s.phone.sendMessage(friend, '/msg/send_text', { to_username: me, content: 'lunch at noon?' });
      const question = onlyMessage(s, a.guid, mark);
      const reply = await call(a.session, '/msg/send_refer_msg', {
        to_username: friend, content: 'yes, noon works', refer_msg: { msg_type: 1, msg_id: question.msg_id, from_username: friend, from_nickname: '', source: '', content: 'lunch at noon?' },
      });
      assert.deepEqual([reply.baseResponse.ret, reply.type], [0, 49]);
      const quoted = (await lastFrom(s, friend, me, 49)).appmsg;
      assert.deepEqual([String(quoted.type), quoted.title, String(quoted.refermsg.svrid), quoted.refermsg.content], ['57', 'yes, noon works', question.msg_id, 'lunch at noon?']);

      const mine = await call(a.session, '/msg/send_text', { to_username: friend, content: 'bring the slides' });
      mark = s.events(a.guid).length;
      await s.phone.sendMessage(friend, '/msg/send_refer_msg', {
        to_username: me, content: 'will do', refer_msg: { msg_type: 1, msg_id: mine.list[0]!.newMsgId, from_username: me, content: 'bring the slides' },
      });
      const quote = onlyMessage(s, a.guid, mark);
      assert.equal(quote.msg_type, 49);
      const appmsg = parse(quote.content).msg.appmsg;
      assert.deepEqual([String(appmsg.type), appmsg.title, String(appmsg.refermsg.svrid), appmsg.refermsg.content], ['57', 'will do', mine.list[0]!.newMsgId, 'bring the slides']);
      assert.equal(messagesSince(s, a.guid, mark).length, 1);
    }));
  });
}
