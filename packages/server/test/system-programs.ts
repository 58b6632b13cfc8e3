// The outside programs tests use, found the way a bare machine (Node and npm only) would: ffmpeg as the server resolves
// it (PATH, then npm's), the rest on PATH; each missing one gives a one-line skip reason naming the package to install.
import { execFileSync, spawnSync, type ExecFileSyncOptions } from 'node:child_process';
import { resolveFfmpeg } from '../src/driver/cdn/ffmpeg-program.ts';

/** True when `program` runs (spawn finds it); `args` should make it exit at once. */
export function runs(program: string, args: readonly string[] = ['--version']): boolean {
  return !spawnSync(program, args, { stdio: 'ignore' }).error;
}

/** Skip reasons, one line each, naming what to install. */
export const NEEDS = {
  ffmpeg: 'needs ffmpeg: npm install (brings @ffmpeg-installer/ffmpeg) or apt-get install ffmpeg',
  openssl: 'needs the openssl program: apt-get install openssl',
} as const;

/** The ffmpeg the server itself would run, or null. */
export const ffmpegPath = (): string | null => resolveFfmpeg()?.path ?? null;

/** Runs the server's ffmpeg for a test fixture (video, MP3); null when there is none. */
export function ffmpeg(args: readonly string[], options: ExecFileSyncOptions = {}): Buffer | null {
  const path = ffmpegPath();
  if (!path) return null;
  return execFileSync(path, ['-hide_banner', '-loglevel', 'error', ...args], { maxBuffer: 10 << 20, ...options }) as Buffer;
}

/** A one-second (or `seconds`) 160×120 MP4 of ffmpeg's test pattern, or null without ffmpeg. */
export function testVideo(seconds = 1, size = '160x120'): Buffer | null {
  return ffmpeg(['-f', 'lavfi', '-i', `testsrc=duration=${seconds}:size=${size}:rate=10`,
    '-pix_fmt', 'yuv420p', '-f', 'mp4', '-movflags', 'frag_keyframe+empty_moov', 'pipe:1']);
}
