// /msg/send_link_card and /msg/send_voice over HTTP: content served from a loopback server (and the CDN) reaches Bob's
// webhook as WeChat's XML and downloads from its fields; WAV, MP3 and SILK become SILK of the audio's length; long,
// garbage and private-address sources are refused with the field named, before anything is stored or delivered.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import sharp from 'sharp';
import { encodeSilkVoice, pcmToWav, sineTonePcm } from '../../../src/wechat/silk.ts';
import { startHarness, type Harness, type Response } from '../../harness.ts';
import { Receiver } from '../../receiver.ts';
import { friendsAliceAndBob, ok } from '../../sandbox-helpers.ts';
import { ffmpeg, NEEDS } from '../../system-programs.ts';

const FAST = { webhook: { timeoutMs: 2000, retrySchedule: [0, 0.05, 0.1], maxInFlight: 64 } };
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, trimValues: true });
const dataUrl = (b: Buffer) => `data:application/octet-stream;base64,${b.toString('base64')}`;
const toneWav = (ms: number, sampleRate = 22_050) => pcmToWav(sineTonePcm(ms, 440, sampleRate), sampleRate);
/** The field a 422 names. */
const failedField = (res: Response) => (res.body.errors?.[0]?.loc as string[] | undefined)?.[1];

const ffmpegMp3 = (seconds: number) => ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`, '-f', 'mp3', 'pipe:1']);

describe('send_link_card and send_voice', () => {
  let h: Harness;
  let receiver: Receiver;
  let files: Server;
  let origin: string;
  /** Paths the loopback file server was asked for. */
  const served: string[] = [];
  const content = new Map<string, Buffer>();
  let a: { guid: string; wxid: string };
  let b: { guid: string; wxid: string };

  const received = async (msgId: string): Promise<any> => (await receiver.newMsg(b.guid, msgId)).json.data;
  const sendVoice = (body: Record<string, unknown>) => h.direct('/msg/send_voice', { guid: a.guid, to_username: b.wxid, ...body });
  const voiceOf = async (res: Response) => {
    assert.equal(res.status, 200, res.text);
    const msg = await received(res.body.data.newMsgId);
    assert.equal(msg.msg_type, 34);
    return { answer: res.body.data, msg, voice: xml.parse(msg.content).msg.voicemsg };
  };
  const downloadVoice = async (msgId: string, length: number) =>
    Buffer.from((await ok(h.direct('/cloud/download_voice', { guid: b.guid, msg_id: msgId, length }))).base64, 'base64');

  before(async () => {
    h = await startHarness(FAST, undefined, { realTime: true });
    receiver = await new Receiver().start();
    ({ a, b } = await friendsAliceAndBob(h, receiver.url));
    files = createServer((req, res) => {
      served.push(req.url ?? '');
      const body = content.get(req.url ?? '');
      if (!body) return res.writeHead(404).end();
      res.end(body);
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    content.set('/thumb.png', await sharp({ create: { width: 640, height: 400, channels: 3, background: '#2288cc' } }).png().toBuffer());
    content.set('/tone.wav', toneWav(2300));
  });
  after(async () => {
    files.close();
    await h.close();
    await receiver.close();
  });

  test('link card: the PNG behind image_url becomes the thumbnail of an appmsg type 5 that Bob downloads', async () => {
    const sent = await ok(h.direct('/msg/send_link_card', { guid: a.guid, to_username: b.wxid, title: '新品上市', desc: '点开看看', url: 'https://shop.example/p/1', image_url: `${origin}/thumb.png` }));
    assert.equal(sent.baseResponse.ret, 0);
    assert.deepEqual([sent.fromUserName, sent.toUserName, sent.list[0].newMsgId], [a.wxid, b.wxid, sent.newMsgId]);
    const msg = await received(sent.newMsgId);
    assert.equal(msg.msg_type, 49);
    assert.match(msg.content, /<type>5<\/type>/);
    const appmsg = xml.parse(msg.content).msg.appmsg;
    assert.deepEqual([appmsg.title, appmsg.des, appmsg.url], ['新品上市', '点开看看', 'https://shop.example/p/1']);
    const thumb = await ok(h.direct('/cloud/cdn_download', { guid: b.guid, file_type: 3, file_id: appmsg.appattach.cdnthumburl, aes_key: appmsg.appattach.cdnthumbaeskey, file_size: 0 }));
    const meta = await sharp(Buffer.from(thumb.base64, 'base64')).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 240, 150], 'the thumb rendition of the served PNG');
    assert.equal(thumb.file_size, Number(appmsg.appattach.cdnthumblength));
  });

  test('voice from a WAV URL: a 34 whose voicelength is the audio\'s, downloadable as SILK, archived for the sender', async () => {
    const { answer, voice } = await voiceOf(await sendVoice({ url: `${origin}/tone.wav` }));
    assert.ok(Math.abs(Number(voice.voicelength) - 2300) <= 100, `voicelength ${voice.voicelength}`);
    assert.deepEqual([answer.voiceLength, answer.length, answer.endFlag, answer.clientMsgId], [Number(voice.voicelength), Number(voice.length), 1, voice.clientmsgid]);
    assert.match(answer.newMsgId, /^[1-9]\d*$/);
    const silk = await downloadVoice(answer.newMsgId, Number(voice.voicelength));
    assert.deepEqual([silk.subarray(0, 10).toString('latin1'), silk.length], ['\x02#!SILK_V3', Number(voice.length)]);
    const archive = (await ok(h.direct('/events/messages', { guid: a.guid, talker: b.wxid }))).messages as any[];
    assert.deepEqual(archive.filter((m) => m.msg_id === answer.newMsgId).map((m) => [m.direction, m.msg_type]), [['out', 34]]);
  });

  test('voice from an MP3 (ffmpeg decodes it)', async (t) => {
    const mp3 = ffmpegMp3(3);
    if (!mp3) return t.skip(NEEDS.ffmpeg);
    const { answer, voice } = await voiceOf(await sendVoice({ url: dataUrl(mp3), voice_length: 3000 }));
    assert.ok(Math.abs(Number(voice.voicelength) - 3000) <= 100, `voicelength ${voice.voicelength}`);
    const silk = await downloadVoice(answer.newMsgId, Number(voice.voicelength));
    assert.deepEqual([silk.subarray(0, 10).toString('latin1'), silk.length], ['\x02#!SILK_V3', Number(voice.length)]);
  });

  test('voice from a SILK object on the CDN: sent as is, the download is byte-equal', async () => {
    const { silk, durationMs } = await encodeSilkVoice(sineTonePcm(1800, 330));
    const up = await ok(h.direct('/cloud/cdn_upload', { guid: a.guid, file_type: 5, url: dataUrl(silk) }));
    const { answer, voice } = await voiceOf(await sendVoice({ file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size }));
    assert.equal(Number(voice.voicelength), durationMs);
    assert.ok(Math.abs(durationMs - 1800) <= 100);
    assert.deepEqual(await downloadVoice(answer.newMsgId, durationMs), silk);
    const wrongSize = await sendVoice({ file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size + 1 });
    assert.deepEqual([wrongSize.status, failedField(wrongSize)], [422, 'file_size']);
  });

  test('refusals name the field and deliver nothing: over 60 s, garbage, a private address, a stranger', async () => {
    const before = receiver.received.length;
    const long = await sendVoice({ url: dataUrl(toneWav(61_000, 8000)) });
    assert.deepEqual([long.status, failedField(long)], [422, 'url'], long.text);
    assert.match(long.body.errors[0].msg, /61\.0 s.*at most 60 s/);
    const longUp = await ok(h.direct('/cloud/cdn_upload', { guid: a.guid, file_type: 5, url: dataUrl(toneWav(65_000, 8000)) }));
    const longObject = await sendVoice({ file_id: longUp.file_id, aes_key: longUp.aes_key });
    assert.deepEqual([longObject.status, failedField(longObject)], [422, 'file_id']);
    const garbage = await sendVoice({ url: dataUrl(Buffer.from('RIFF\x10\x00\x00\x00WAVEjunk', 'latin1')) });
    assert.deepEqual([garbage.status, failedField(garbage)], [422, 'url']);
    const noise = await sendVoice({ url: dataUrl(Buffer.from('definitely not audio, just words')) });
    assert.deepEqual([noise.status, failedField(noise)], [422, 'url']);

    for (const res of [
      await sendVoice({ url: 'http://10.0.0.1/voice.wav' }),
      await h.direct('/msg/send_link_card', { guid: a.guid, to_username: b.wxid, title: 't', url: 'https://e.example', image_url: 'http://169.254.169.254/latest/meta-data' }),
    ]) {
      assert.deepEqual([res.status, res.body.code], [403, 40351], res.text);
    }
    const hits = served.length;
    const stranger = await h.direct('/msg/send_voice', { guid: a.guid, to_username: 'wxid_nobody_here', url: `${origin}/tone.wav` });
    assert.deepEqual([stranger.status, stranger.body.code], [404, 40410], stranger.text);
    assert.equal(served.length, hits, 'a send WeChat refuses fetches nothing');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(receiver.received.length, before, 'Bob got nothing');
  });
});
