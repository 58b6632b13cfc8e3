// Conformance: sends whose content the driver fetches or transcodes — a link card with its thumbnail from image_url, a
// voice from WAV or from a CDN object — reach the receiver as WeChat's XML with everything needed to download; audio
// WeChat would not send is refused and nothing is delivered. Content comes as data: URLs, so no driver fetches anything.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiError } from '@wxgate/contract';
import { PNG } from 'pngjs';
import { pcmToWav, sineTonePcm } from '../../wechat/silk.ts';
import { messagesSince, onlyMessage, parse, twoFriends } from './msg.ts';
import { call, expectError, type ConformanceInstance, type ConformanceSubject, type Make, withSubject } from './subject.ts';

const mark = (s: ConformanceSubject, i: ConformanceInstance) => s.events(i.guid).length;
const dataUrl = (bytes: Buffer, type: string) => `data:${type};base64,${bytes.toString('base64')}`;
/** The request field a 422 names. */
const failedField = (err: ApiError) => (err.data as { errors: Array<{ loc: string[] }> }).errors[0]!.loc[1];

function png(width: number, height: number): Buffer {
  const image = new PNG({ width, height });
  for (let i = 0; i < image.data.length; i += 4) image.data.set([200, (i / 4) % 256, 90, 255], i);
  return PNG.sync.write(image);
}

/** A 440 Hz tone as a 16-bit mono WAV at `sampleRate` (not WeChat's 24 kHz, so the driver resamples). */
const toneWav = (ms: number, sampleRate = 16_000) => pcmToWav(sineTonePcm(ms, 440, sampleRate), sampleRate);

export function msgMediaConformance(make: Make): void {
  test('send_link_card: the thumbnail from image_url is on the CDN; the receiver gets appmsg type 5 and downloads it', () => withSubject(make, async (s) => {
    const { a, b, alice, bob } = await twoFriends(s);
    const from = mark(s, b);
    const sent = await call(a.session, '/msg/send_link_card', {
      to_username: bob, title: '标题 & <更多>', desc: '描述', url: 'https://example.com/a?b=1&c=2', image_url: dataUrl(png(320, 200), 'image/png'),
    });
    const got = onlyMessage(s, b.guid, from);
    assert.equal(got.msg_type, 49);
    const msg = parse(got.content).msg;
    assert.deepEqual([msg.appmsg.type, msg.appmsg.title, msg.appmsg.des, msg.appmsg.url, msg.fromusername], ['5', '标题 & <更多>', '描述', 'https://example.com/a?b=1&c=2', alice]);
    assert.equal(got.desc, 'Alice : [链接]标题 & <更多>');
    assert.deepEqual([sent.baseResponse.ret, sent.fromUserName, sent.newMsgId, sent.list?.[0]?.newMsgId], [0, alice, got.msg_id, got.msg_id]);
    const attach = msg.appmsg.appattach;
    const thumb = await call(b.session, '/cloud/cdn_download', { file_type: 3, file_id: attach.cdnthumburl, aes_key: attach.cdnthumbaeskey, file_size: Number(attach.cdnthumblength) });
    const jpeg = Buffer.from(thumb.base64 ?? '', 'base64');
    assert.deepEqual([jpeg.subarray(0, 2).toString('hex'), jpeg.length], ['ffd8', Number(attach.cdnthumblength)]);

    const refused = await expectError(call(a.session, '/msg/send_link_card', { to_username: bob, title: 't', url: 'https://e.example', image_url: 'ftp://e.example/a.png' }), 'VALIDATION');
    assert.equal(failedField(refused), 'image_url');
    assert.equal(messagesSince(s, b.guid, from).length, 1, 'a refused card is not delivered');
  }));

  test('send_voice: a WAV arrives as a 34 with <voicemsg> (SILK, voicelength in ms); the receiver downloads it and can send it on', () => withSubject(make, async (s) => {
    const { a, b, alice, bob } = await twoFriends(s);
    let from = mark(s, b);
    const sent = await call(a.session, '/msg/send_voice', { to_username: bob, url: dataUrl(toneWav(1500), 'audio/wav') });
    const got = onlyMessage(s, b.guid, from);
    assert.equal(got.msg_type, 34);
    assert.equal(got.desc, 'Alice : [语音]');
    const voice = parse(got.content).msg.voicemsg;
    assert.ok(Math.abs(Number(voice.voicelength) - 1500) <= 100, `voicelength ${voice.voicelength}`);
    assert.deepEqual([voice.voiceformat, voice.fromusername, voice.endflag], ['4', alice, '1']);
    assert.deepEqual(
      [sent.baseResponse.ret, sent.fromUserName, sent.toUserName, sent.newMsgId, sent.voiceLength, sent.length, sent.offset, sent.endFlag, sent.cancelFlag, sent.clientMsgId],
      [0, alice, bob, got.msg_id, Number(voice.voicelength), Number(voice.length), Number(voice.length), 1, 0, voice.clientmsgid],
    );
    const silk = await call(b.session, '/cloud/download_voice', { msg_id: got.msg_id, length: Number(voice.voicelength) });
    const bytes = Buffer.from(silk.base64 ?? '', 'base64');
    assert.deepEqual([bytes.subarray(0, 10).toString('latin1'), bytes.length], ['\x02#!SILK_V3', Number(voice.length)]);

    // The received voice's CDN fields send it on, unchanged in length.
    from = mark(s, a);
    await call(b.session, '/msg/send_voice', { to_username: alice, file_id: voice.voiceurl, aes_key: voice.aeskey, file_size: Number(voice.length), voice_length: 1500 });
    const forwarded = parse(onlyMessage(s, a.guid, from).content).msg.voicemsg;
    assert.equal(forwarded.voicelength, voice.voicelength);
  }));

  test('send_voice refuses what WeChat would not send, naming the field, and delivers nothing', () => withSubject(make, async (s) => {
    const { a, b, bob } = await twoFriends(s);
    const from = mark(s, b);
    const refusal = async (body: Record<string, unknown>) =>
      failedField(await expectError(call(a.session, '/msg/send_voice', { to_username: bob, ...body }), 'VALIDATION'));
    assert.equal(await refusal({ url: dataUrl(toneWav(61_000, 4000), 'audio/wav') }), 'url', 'over 60 s');
    assert.equal(await refusal({ url: Buffer.from('this is not audio at all').toString('base64') }), 'url', 'garbage');
    assert.equal(await refusal({ url: dataUrl(toneWav(1500), 'audio/wav'), voice_length: 5000 }), 'voice_length', 'a length the audio does not have');
    assert.equal(await refusal({ url: dataUrl(toneWav(1500), 'audio/wav'), voice_length: 90_000 }), 'voice_length');
    assert.equal(await refusal({}), 'url', 'no audio at all');
    assert.equal(messagesSince(s, b.guid, from).length, 0);
  }));
}
