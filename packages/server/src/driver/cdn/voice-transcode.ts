// A caller's audio as a WeChat voice message: SILK kept, WAV decoded in JS, MP3 and AMR through ffmpeg, the rest encoded
// as SILK v3 at 24 kHz; measured in ms and held to WeChat's 60 s. Unusable audio is a 422 on the field it came in.
import { ApiError, invalidField, MAX_VOICE_MESSAGE_MS } from '@wxgate/contract';
import { decodeSilkVoice, encodeSilkVoice, isSilkVoice, silkDurationMs, VOICE_SAMPLE_RATE, withTencentHeader } from '../../wechat/silk.ts';
import { isWav, wavInfo, WavError, wavToMonoPcm } from '../../wechat/wav.ts';
import { looksLikeMp3 } from '../speech/voice-audio.ts';
import { audioToVoicePcm } from './audio.ts';

export type VoiceAudioFormat = 'silk' | 'wav' | 'mp3' | 'amr';

export interface WeChatVoice {
  /** SILK v3 with Tencent's 0x02 byte, as <voicemsg voiceformat="4"> carries it. */
  readonly silk: Buffer;
  /** What <voicemsg voicelength> says: the SILK's own length. */
  readonly durationMs: number;
  readonly sourceFormat: VoiceAudioFormat;
}

/** The format by its leading bytes (AMR-NB `#!AMR\n`, AMR-WB `#!AMR-WB\n`), or null for anything else. */
export function voiceAudioFormat(bytes: Buffer): VoiceAudioFormat | null {
  if (isSilkVoice(bytes)) return 'silk';
  if (isWav(bytes)) return 'wav';
  if (bytes.subarray(0, 5).toString('latin1') === '#!AMR') return 'amr';
  if (looksLikeMp3(bytes)) return 'mp3';
  return null;
}

const tooLong = (field: string, ms: number) =>
  invalidField(field, `the audio lasts ${(ms / 1000).toFixed(1)} s; a WeChat voice message lasts at most ${MAX_VOICE_MESSAGE_MS / 1000} s: cut it or split it`);
const noAudio = (field: string) => invalidField(field, 'the audio holds no sound (shorter than one 20 ms frame)');

async function fromSilk(bytes: Buffer, field: string): Promise<WeChatVoice> {
  let durationMs: number;
  try {
    durationMs = silkDurationMs(bytes);
    // read from the frame headers first, so a long voice is refused before any decoding
    if (durationMs <= MAX_VOICE_MESSAGE_MS) await decodeSilkVoice(bytes);
  } catch {
    throw invalidField(field, 'the SILK voice is damaged (its frames do not decode)');
  }
  if (durationMs > MAX_VOICE_MESSAGE_MS) throw tooLong(field, durationMs);
  if (durationMs === 0) throw noAudio(field);
  return { silk: withTencentHeader(bytes), durationMs, sourceFormat: 'silk' };
}

function wavPcm(bytes: Buffer, field: string): Buffer {
  try {
    const info = wavInfo(bytes);
    if (info.durationMs > MAX_VOICE_MESSAGE_MS) throw tooLong(field, info.durationMs);
    return wavToMonoPcm(bytes, VOICE_SAMPLE_RATE);
  } catch (error) {
    if (error instanceof WavError) throw invalidField(field, `the WAV cannot be read: ${error.message}`);
    throw error;
  }
}

async function ffmpegPcm(bytes: Buffer, format: 'mp3' | 'amr', field: string): Promise<Buffer> {
  try {
    // a second past the limit is enough to tell "too long" from "exactly the limit" without decoding all of it
    return await audioToVoicePcm(bytes, VOICE_SAMPLE_RATE, MAX_VOICE_MESSAGE_MS / 1000 + 1);
  } catch (error) {
    if (error instanceof ApiError && error.error === 'CDN_MEDIA_UNREADABLE') throw invalidField(field, `not readable ${format.toUpperCase()} audio (ffmpeg cannot decode it)`);
    throw error;
  }
}

/**
 * The audio in `bytes` (SILK, WAV, MP3 or AMR, told by their leading bytes) as a WeChat voice. MP3 and AMR need ffmpeg
 * on the server (NOT_SUPPORTED naming it otherwise); SILK and WAV never do.
 */
export async function toWeChatVoice(bytes: Buffer, field: string): Promise<WeChatVoice> {
  if (bytes.length === 0) throw invalidField(field, 'the audio is empty');
  const format = voiceAudioFormat(bytes);
  if (!format) throw invalidField(field, 'not SILK, MP3, WAV or AMR audio (told by the first bytes: #!SILK_V3, ID3 or an MPEG frame, RIFF…WAVE, #!AMR)');
  if (format === 'silk') return fromSilk(bytes, field);
  const pcm = format === 'wav' ? wavPcm(bytes, field) : await ffmpegPcm(bytes, format, field);
  const pcmMs = Math.round(pcm.length / ((VOICE_SAMPLE_RATE * 2) / 1000));
  if (pcmMs > MAX_VOICE_MESSAGE_MS) throw tooLong(field, pcmMs);
  if (pcmMs < 20) throw noAudio(field);
  const encoded = await encodeSilkVoice(pcm);
  return { silk: encoded.silk, durationMs: encoded.durationMs, sourceFormat: format };
}
