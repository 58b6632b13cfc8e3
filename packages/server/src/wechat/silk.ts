// WeChat voice: SILK v3 with Tencent's leading 0x02 byte (silk-wasm), PCM/WAV helpers and duration.
import { decode, encode, getDuration } from 'silk-wasm';

/** WeChat's voice header: 0x02 then `#!SILK_V3`. silk-wasm decodes only with the 0x02 present. */
const TENCENT_SILK_HEADER = Buffer.from('\x02#!SILK_V3', 'latin1');
const PLAIN_SILK_HEADER = Buffer.from('#!SILK_V3', 'latin1');

/** The sample rate WeChat voice is encoded at. */
export const VOICE_SAMPLE_RATE = 24000;

/** Whether bytes are a SILK v3 stream, with or without the 0x02 byte. */
export function isSilkVoice(data: Uint8Array): boolean {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return b.subarray(0, TENCENT_SILK_HEADER.length).equals(TENCENT_SILK_HEADER) || b.subarray(0, PLAIN_SILK_HEADER.length).equals(PLAIN_SILK_HEADER);
}

/** Adds the 0x02 byte when a SILK stream lacks it (files from other tools). */
export function withTencentHeader(silk: Uint8Array): Buffer {
  const b = Buffer.from(silk.buffer, silk.byteOffset, silk.byteLength);
  return b[0] === 0x02 ? b : Buffer.concat([Buffer.from([0x02]), b]);
}

/** Encodes mono 16-bit little-endian PCM as WeChat voice; returns the stream (with 0x02) and its length in ms. */
export async function encodeSilkVoice(pcm: Uint8Array, sampleRate = VOICE_SAMPLE_RATE): Promise<{ silk: Buffer; durationMs: number }> {
  const result = await encode(pcm, sampleRate);
  return { silk: withTencentHeader(result.data), durationMs: result.duration };
}

/** Decodes WeChat voice to mono 16-bit little-endian PCM at `sampleRate`. Throws on anything that is not SILK. */
export async function decodeSilkVoice(silk: Uint8Array, sampleRate = VOICE_SAMPLE_RATE): Promise<{ pcm: Buffer; durationMs: number }> {
  if (!isSilkVoice(silk)) throw new TypeError('not a SILK v3 stream');
  const result = await decode(withTencentHeader(silk), sampleRate);
  return { pcm: Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength), durationMs: result.duration };
}

/** Duration in ms, read from the frame headers without decoding (what `voicelength` carries). */
export function silkDurationMs(silk: Uint8Array): number {
  return getDuration(withTencentHeader(silk));
}

/** Wraps mono 16-bit PCM in a WAV container (for players and for ffmpeg input). */
export function pcmToWav(pcm: Uint8Array, sampleRate: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

/** A sine tone as mono 16-bit PCM: real audio for simulated people's voice messages and for tests. */
export function sineTonePcm(durationMs: number, frequency: number, sampleRate = VOICE_SAMPLE_RATE, amplitude = 8000): Buffer {
  const samples = Math.round((durationMs / 1000) * sampleRate);
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) pcm.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate)), i * 2);
  return pcm;
}
