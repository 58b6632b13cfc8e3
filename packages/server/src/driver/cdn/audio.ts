// Audio conversions through ffmpeg: any audio to WeChat's voice PCM (mono 16-bit at 24 kHz), and PCM to MP3.
import { spawn } from 'node:child_process';
import { ApiError } from '@wxgate/contract';
import { VOICE_SAMPLE_RATE } from '../../wechat/silk.ts';
import { ffmpegMissing, resolveFfmpeg } from './ffmpeg-program.ts';

const NEEDS = 'audio conversion (MP3, AMR)';

function ffmpeg(args: readonly string[], input: Buffer, timeoutMs = 60_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const program = resolveFfmpeg();
    if (!program) {
      reject(new ApiError('NOT_SUPPORTED', ffmpegMissing(NEEDS)));
      return;
    }
    const child = spawn(program.path, ['-hide_banner', '-loglevel', 'error', ...args], { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < 4096) err += c.toString();
    });
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new ApiError('NOT_SUPPORTED', ffmpegMissing(NEEDS)) : e));
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new ApiError('CDN_MEDIA_UNREADABLE', `not readable audio: ${err.trim().split('\n').pop() ?? ''}`))));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

/**
 * Any audio ffmpeg reads → mono 16-bit little-endian PCM at the voice sample rate (or `sampleRate`, e.g. 16 kHz for
 * speech recognition); `maxSeconds` stops decoding there, so a long file costs no more than the limit.
 */
export function audioToVoicePcm(audio: Buffer, sampleRate = VOICE_SAMPLE_RATE, maxSeconds?: number): Promise<Buffer> {
  const limit = maxSeconds === undefined ? [] : ['-t', String(maxSeconds)];
  return ffmpeg(['-i', 'pipe:0', ...limit, '-f', 's16le', '-acodec', 'pcm_s16le', '-ac', '1', '-ar', String(sampleRate), 'pipe:1'], audio);
}

/** Mono 16-bit PCM → MP3 (what download_voice answers with to_mp3). */
export function pcmToMp3(pcm: Buffer, sampleRate = VOICE_SAMPLE_RATE): Promise<Buffer> {
  return ffmpeg(['-f', 's16le', '-ar', String(sampleRate), '-ac', '1', '-i', 'pipe:0', '-f', 'mp3', '-b:a', '64k', 'pipe:1'], pcm);
}
