// Voice for transcription: WeChat SILK (silk-wasm) or MP3 and other audio (ffmpeg) → 16 kHz mono PCM, with the
// checks that turn unusable input into a 422 on the field it came in.
import { ApiError, invalidField } from '@wxgate/contract';
import { decodeSilkVoice, isSilkVoice, silkDurationMs } from '../../wechat/silk.ts';
import { audioToVoicePcm } from '../cdn/audio.ts';
import { SPEECH_SAMPLE_RATE } from './speech-engine.ts';

/** WeChat voice messages last at most 60 s; files for /other/voice_trans may be longer, but not without bound. */
export const MAX_VOICE_SECONDS = 300;

/** voice_trans format 1 (SILK) or 2 (MP3); `detect` (blocks, which carry no format): SILK by its header, else any audio. */
export type VoiceFormat = 'silk' | 'mp3' | 'detect';

const tooLong = (field: string) => invalidField(field, `the voice is longer than ${MAX_VOICE_SECONDS} s, which is more than wxgate transcribes at once`);

/** An MP3 starts with an ID3 tag or an MPEG audio frame sync (11 bits set). */
export function looksLikeMp3(bytes: Buffer): boolean {
  return bytes.subarray(0, 3).toString('latin1') === 'ID3' || (bytes.length >= 2 && bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0);
}

/** Decodes a voice to 16 kHz mono 16-bit PCM; anything unusable is a 422 naming `field`. */
export async function voiceToSpeechPcm(bytes: Buffer, format: VoiceFormat, field: string): Promise<Buffer> {
  if (bytes.length === 0) throw invalidField(field, 'the voice is empty');
  const silk = isSilkVoice(bytes);
  if (format === 'silk' && !silk) throw invalidField(field, 'not a SILK v3 voice (format 1 is WeChat SILK, starting with 0x02 #!SILK_V3); send MP3 as format 2');
  if (format === 'mp3' && !looksLikeMp3(bytes)) throw invalidField(field, 'not an MP3 (format 2); send WeChat SILK as format 1');
  const pcm = silk && format !== 'mp3' ? await decodeSilk(bytes, field) : await decodeAudio(bytes, field);
  if (pcm.length < SPEECH_SAMPLE_RATE / 50) throw invalidField(field, 'the voice holds no audio');
  if (pcm.length > MAX_VOICE_SECONDS * SPEECH_SAMPLE_RATE * 2) throw tooLong(field);
  return pcm;
}

async function decodeSilk(bytes: Buffer, field: string): Promise<Buffer> {
  let duration: number;
  try {
    duration = silkDurationMs(bytes);
  } catch {
    throw invalidField(field, 'the SILK voice is damaged (its frames cannot be read)');
  }
  // checked before decoding, so a huge claim costs nothing
  if (duration > MAX_VOICE_SECONDS * 1000) throw tooLong(field);
  try {
    return (await decodeSilkVoice(bytes, SPEECH_SAMPLE_RATE)).pcm;
  } catch {
    throw invalidField(field, 'the SILK voice is damaged (it does not decode)');
  }
}

async function decodeAudio(bytes: Buffer, field: string): Promise<Buffer> {
  try {
    // one second past the limit, so "longer than allowed" is told apart from "exactly the limit"
    return await audioToVoicePcm(bytes, SPEECH_SAMPLE_RATE, MAX_VOICE_SECONDS + 1);
  } catch (error) {
    if (error instanceof ApiError && error.error === 'CDN_MEDIA_UNREADABLE') throw invalidField(field, 'not readable audio (ffmpeg cannot decode it)');
    throw error;
  }
}
