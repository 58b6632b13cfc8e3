// The voice-message transcoder and its JS WAV reader: every WAV sample layout decodes to the same tone at WeChat's rate,
// WAV and SILK need no ffmpeg, and each unusable input is a 422 on the field it came in.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '@wxgate/contract';
import { encodeSilkVoice, isSilkVoice, pcmToWav, sineTonePcm, silkDurationMs } from '../../wechat/silk.ts';
import { wavInfo, WavError, wavToMonoPcm } from '../../wechat/wav.ts';
import { toWeChatVoice, voiceAudioFormat } from './voice-transcode.ts';

/** A WAV of `frames` frames, each channel's sample written by `write` (format 1 PCM or 3 float, optionally EXTENSIBLE). */
function wav(opts: { format: 1 | 3; bits: number; channels: number; rate: number; frames: number; extensible?: boolean; write: (b: Buffer, at: number, value: number) => void }): Buffer {
  const width = opts.bits / 8;
  const data = Buffer.alloc(opts.frames * width * opts.channels);
  for (let f = 0; f < opts.frames; f++) {
    const value = 0.25 * Math.sin((2 * Math.PI * 440 * f) / opts.rate);
    for (let c = 0; c < opts.channels; c++) opts.write(data, (f * opts.channels + c) * width, value);
  }
  const fmt = Buffer.alloc(opts.extensible ? 40 : 16);
  fmt.writeUInt16LE(opts.extensible ? 0xfffe : opts.format, 0);
  fmt.writeUInt16LE(opts.channels, 2);
  fmt.writeUInt32LE(opts.rate, 4);
  fmt.writeUInt32LE(opts.rate * width * opts.channels, 8);
  fmt.writeUInt16LE(width * opts.channels, 12);
  fmt.writeUInt16LE(opts.bits, 14);
  if (opts.extensible) {
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(opts.bits, 18);
    fmt.writeUInt16LE(opts.format, 24);
  }
  const chunk = (id: string, body: Buffer) => Buffer.concat([Buffer.from(id, 'latin1'), Buffer.from(new Uint32Array([body.length]).buffer), body]);
  const list = chunk('LIST', Buffer.from('INFOx'));
  const body = Buffer.concat([Buffer.from('WAVE', 'latin1'), chunk('fmt ', fmt), list, Buffer.alloc(list.length % 2), chunk('data', data)]);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from(new Uint32Array([body.length]).buffer), body]);
}

const rms = (pcm: Buffer) => Math.sqrt(Array.from({ length: pcm.length / 2 }, (_, i) => pcm.readInt16LE(i * 2) ** 2).reduce((x, y) => x + y, 0) / (pcm.length / 2));

test('every WAV layout (8/16/24/32-bit, float, stereo, EXTENSIBLE) decodes to the same tone at the asked rate', () => {
  const layouts = [
    { format: 1, bits: 8, write: (b: Buffer, at: number, v: number) => b.writeUInt8(Math.round(v * 127 + 128), at) },
    { format: 1, bits: 16, write: (b: Buffer, at: number, v: number) => b.writeInt16LE(Math.round(v * 32767), at) },
    { format: 1, bits: 24, write: (b: Buffer, at: number, v: number) => b.writeIntLE(Math.round(v * 8388607), at, 3) },
    { format: 1, bits: 32, write: (b: Buffer, at: number, v: number) => b.writeInt32LE(Math.round(v * 2147483647), at) },
    { format: 3, bits: 32, write: (b: Buffer, at: number, v: number) => b.writeFloatLE(v, at) },
    { format: 3, bits: 64, write: (b: Buffer, at: number, v: number) => b.writeDoubleLE(v, at) },
  ] as const;
  for (const layout of layouts) {
    for (const [channels, rate, extensible] of [[1, 8000, false], [2, 44_100, true], [1, 48_000, false]] as const) {
      const file = wav({ ...layout, channels, rate, frames: rate / 2, extensible });
      const info = wavInfo(file);
      assert.deepEqual([info.channels, info.sampleRate, info.durationMs, info.formatCode], [channels, rate, 500, layout.format]);
      const pcm = wavToMonoPcm(file, 24_000);
      assert.equal(pcm.length, 24_000, `${layout.format}/${layout.bits}-bit, ${channels} ch at ${rate} Hz: 0.5 s at 24 kHz`);
      // a sine of amplitude 0.25 has an RMS of 0.25/√2 of full scale, whatever the layout
      assert.ok(Math.abs(rms(pcm) - (0.25 * 32767) / Math.SQRT2) < 200, `${layout.bits}-bit RMS ${rms(pcm)}`);
    }
  }
});

test('WAVs this reader cannot decode say why', () => {
  assert.throws(() => wavInfo(Buffer.from('RIFF\x04\x00\x00\x00WAVE', 'latin1')), WavError);
  const adpcm = pcmToWav(sineTonePcm(100, 440, 8000), 8000);
  adpcm.writeUInt16LE(2, 20);
  assert.throws(() => wavInfo(adpcm), /format 2/);
  // a streaming writer's data size (0xFFFFFFFF) means "to the end of the file"
  const streamed = pcmToWav(sineTonePcm(250, 440, 8000), 8000);
  streamed.writeUInt32LE(0xffffffff, 40);
  assert.equal(wavInfo(streamed).durationMs, 250);
});

test('WAV and SILK become WeChat voice without ffmpeg; MP3 without it is NOT_SUPPORTED naming the install', async () => {
  // npm's ffmpeg would be found without a PATH: WXGATE_FFMPEG pointing nowhere is the way to have none at all
  const path = process.env.PATH;
  const configured = process.env.WXGATE_FFMPEG;
  process.env.PATH = '';
  process.env.WXGATE_FFMPEG = '/nonexistent/ffmpeg';
  try {
    const fromWav = await toWeChatVoice(pcmToWav(sineTonePcm(1200, 440, 16_000), 16_000), 'url');
    assert.ok(isSilkVoice(fromWav.silk) && fromWav.silk[0] === 0x02);
    assert.deepEqual([fromWav.sourceFormat, Math.abs(fromWav.durationMs - 1200) <= 40], ['wav', true]);
    assert.equal(silkDurationMs(fromWav.silk), fromWav.durationMs);
    const silk = (await encodeSilkVoice(sineTonePcm(900, 440))).silk;
    const fromSilk = await toWeChatVoice(silk.subarray(1), 'file_id');
    assert.deepEqual([fromSilk.sourceFormat, fromSilk.silk], ['silk', silk], 'a SILK without the 0x02 byte gets it, nothing else changes');
    await assert.rejects(toWeChatVoice(Buffer.from([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]), 'url'), (e: ApiError) => e.error === 'NOT_SUPPORTED' && /needs ffmpeg.*WXGATE_FFMPEG/.test(e.message));
  } finally {
    process.env.PATH = path;
    if (configured === undefined) delete process.env.WXGATE_FFMPEG;
    else process.env.WXGATE_FFMPEG = configured;
  }
});

test('unusable audio is a 422 on the field: empty, unknown, damaged SILK, over 60 s, silent', async () => {
  const field = async (bytes: Buffer) => {
    try {
      await toWeChatVoice(bytes, 'file_id');
    } catch (e) {
      assert.ok(e instanceof ApiError && e.error === 'VALIDATION', String(e));
      const error = (e.data as { errors: Array<{ loc: string[]; msg: string }> }).errors[0]!;
      return `${error.loc[1]}: ${error.msg}`;
    }
    assert.fail('accepted');
  };
  assert.match(await field(Buffer.alloc(0)), /^file_id: the audio is empty/);
  assert.match(await field(Buffer.from('OggS\0\x02 not one of the four')), /^file_id: not SILK, MP3, WAV or AMR/);
  // a frame claiming 65535 bytes runs off the end
  assert.match(await field(Buffer.from('\x02#!SILK_V3\xff\xff', 'latin1')), /^file_id: the SILK voice is damaged/);
  assert.match(await field(Buffer.from('\x02#!SILK_V3', 'latin1')), /holds no sound/);
  assert.match(await field(pcmToWav(sineTonePcm(60_500, 440, 4000), 4000)), /^file_id: the audio lasts 60\.5 s/);
  assert.match(await field(pcmToWav(Buffer.alloc(0), 8000)), /holds no sound/);
  const long = (await encodeSilkVoice(sineTonePcm(61_000, 440, 8000), 8000)).silk;
  assert.match(await field(long), /lasts 61\.0 s/);
  // exactly the limit is allowed
  assert.equal((await toWeChatVoice(pcmToWav(sineTonePcm(60_000, 440, 4000), 4000), 'url')).durationMs, 60_000);
});

test('formats are told by their first bytes', () => {
  assert.equal(voiceAudioFormat(Buffer.from('#!AMR\n\x3c')), 'amr');
  assert.equal(voiceAudioFormat(Buffer.from('#!AMR-WB\n')), 'amr');
  assert.equal(voiceAudioFormat(Buffer.from('ID3\x04')), 'mp3');
  assert.equal(voiceAudioFormat(Buffer.from('#!SILK_V3')), 'silk');
  assert.equal(voiceAudioFormat(Buffer.from('hello')), null);
});
