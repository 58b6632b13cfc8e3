// Reading uploaded media: an image's three WeChat renditions (sharp) and a video's thumbnail and duration (ffmpeg).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '@wxgate/contract';
import type { Metadata } from 'sharp';
import { ffmpegMissing, resolveFfmpeg } from './ffmpeg-program.ts';

export interface Picture {
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
}

/** sharp, loaded with the first image (libvips costs ~100 ms of every start otherwise). */
let sharpModule: Promise<typeof import('sharp')> | undefined;
const loadSharp = async () => (await (sharpModule ??= import('sharp'))).default;

/** Longest side of WeChat's chat thumbnail and of its "mid" (compressed, sent by default) image. */
const THUMB_MAX_SIDE = 240;
const MID_MAX_SIDE = 1080;

async function resized(image: Buffer, maxSide: number, quality: number): Promise<Picture> {
  const sharp = await loadSharp();
  const { data, info } = await sharp(image, { animated: false }).rotate()
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality, mozjpeg: false }).toBuffer({ resolveWithObject: true });
  return { bytes: data, width: info.width, height: info.height };
}

/** The original (kept byte for byte, as "HD"), the mid JPEG and the thumbnail JPEG, with real dimensions. */
export async function imageRenditions(image: Buffer): Promise<{ original: Picture; mid: Picture; thumb: Picture; format: string }> {
  let meta: Metadata;
  try {
    meta = await (await loadSharp())(image).metadata();
  } catch {
    throw new ApiError('CDN_MEDIA_UNREADABLE', 'the file is not a decodable image (file_type 2 and 1 need JPEG, PNG, GIF, WebP, TIFF or AVIF)');
  }
  const [mid, thumb] = await Promise.all([resized(image, MID_MAX_SIDE, 80), resized(image, THUMB_MAX_SIDE, 70)]);
  // EXIF orientations 5–8 swap the sides as displayed
  const swapped = (meta.orientation ?? 1) >= 5;
  const width = (swapped ? meta.height : meta.width) ?? mid.width;
  const height = (swapped ? meta.width : meta.height) ?? mid.height;
  return { original: { bytes: image, width, height }, mid, thumb, format: meta.format ?? '' };
}

/**
 * A thumbnail the uploader made itself (WeChat's client uploads its own with an image or video), kept byte for byte:
 * only read for its dimensions, which the message XML carries.
 */
export async function givenThumbnail(image: Buffer, field: string): Promise<Picture> {
  try {
    const meta = await (await loadSharp())(image).metadata();
    if (meta.width && meta.height) return { bytes: image, width: meta.width, height: meta.height };
  } catch {
    // refused below, as an image without dimensions is
  }
  throw new ApiError('CDN_MEDIA_UNREADABLE', `${field} is not a decodable image (JPEG, PNG, GIF, WebP, TIFF or AVIF)`);
}

/** A thumbnail JPEG for an arbitrary image (link-card and mini-program covers). */
export function thumbnailOf(image: Buffer): Promise<Picture> {
  return resized(image, THUMB_MAX_SIDE, 70).catch(() => {
    throw new ApiError('CDN_MEDIA_UNREADABLE', 'the file is not a decodable image');
  });
}

function run(command: string, args: readonly string[], timeoutMs: number): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

/** Duration (ms) and a first-frame thumbnail of a video, through ffmpeg; refuses what ffmpeg cannot read. */
export async function probeVideo(video: Buffer): Promise<{ durationMs: number; thumb: Picture }> {
  const dir = await mkdtemp(join(tmpdir(), 'wxgate-video-'));
  try {
    const input = join(dir, 'in');
    const frame = join(dir, 'thumb.jpg');
    await writeFile(input, video);
    // A deployment without ffmpeg cannot process video: say so as "not supported", not as an internal error.
    const program = resolveFfmpeg();
    if (!program) throw new ApiError('NOT_SUPPORTED', ffmpegMissing('video (thumbnail and duration)'));
    let result: { code: number; stderr: string };
    try {
      result = await run(program.path, ['-hide_banner', '-nostdin', '-y', '-i', input, '-frames:v', '1', '-q:v', '4', frame], 30_000);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ApiError('NOT_SUPPORTED', ffmpegMissing('video (thumbnail and duration)'));
      throw error;
    }
    const duration = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(result.stderr);
    if (result.code !== 0 || !duration) throw new ApiError('CDN_MEDIA_UNREADABLE', 'the file is not a decodable video (file_type 4)');
    const durationMs = Math.round((Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3])) * 1000);
    const thumb = await thumbnailOf(await readFile(frame));
    return { durationMs, thumb };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
