// Which ffmpeg to run: WXGATE_FFMPEG when set, else the system's on PATH, else the one npm installed (@ffmpeg-installer).
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, isAbsolute, join } from 'node:path';

/** Where the ffmpeg that runs comes from (shown by tests and error messages). */
export type FfmpegSource = 'WXGATE_FFMPEG' | 'PATH' | 'npm';

export interface FfmpegProgram {
  /** An absolute path, ready for spawn (no PATH lookup left to do). */
  readonly path: string;
  readonly source: FfmpegSource;
}

/** What the "needs ffmpeg" answers tell the operator to do; the npm route needs no root and no system package. */
export const FFMPEG_INSTALL_HINT = 'run npm install, which brings ffmpeg in @ffmpeg-installer/ffmpeg, or apt-get install ffmpeg';

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `name` looked up in `pathList` the way a shell does (Windows: with its .exe). */
function onPath(name: string, pathList: string | undefined): string | null {
  const names = process.platform === 'win32' && !name.toLowerCase().endsWith('.exe') ? [`${name}.exe`, name] : [name];
  for (const dir of (pathList ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const n of names) {
      const candidate = join(dir, n);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

/**
 * The binary inside @ffmpeg-installer's platform package (a plain npm tarball, no download at install). The package
 * throws on a platform it has no binary for, and its platform package is optional, so any failure means "not there".
 */
function npmShipped(): string | null {
  try {
    const installer = createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path?: unknown };
    return typeof installer.path === 'string' && isExecutableFile(installer.path) ? installer.path : null;
  } catch {
    return null;
  }
}

/** The system's ffmpeg first: a distribution's build gets security fixes, the npm one (ffmpeg 4.1, 2018) does not. */
function find(env: NodeJS.ProcessEnv, shipped: () => string | null): FfmpegProgram | null {
  const configured = env.WXGATE_FFMPEG;
  if (configured) {
    // Set means "this one": no silent fallback to another build, so a typo is seen rather than papered over.
    const path = isAbsolute(configured) || configured.includes('/') ? (isExecutableFile(configured) ? configured : null) : onPath(configured, env.PATH);
    return path ? { path, source: 'WXGATE_FFMPEG' } : null;
  }
  const system = onPath('ffmpeg', env.PATH);
  if (system) return { path: system, source: 'PATH' };
  const fromNpm = shipped();
  return fromNpm ? { path: fromNpm, source: 'npm' } : null;
}

let cached: { key: string; program: FfmpegProgram | null } | undefined;

/**
 * The ffmpeg to spawn, or null when there is none; looked up again only when WXGATE_FFMPEG or PATH change. `shipped`
 * stands in for the npm package in tests (a machine without it cannot be made by hiding node_modules).
 */
export function resolveFfmpeg(env: NodeJS.ProcessEnv = process.env, shipped?: () => string | null): FfmpegProgram | null {
  if (shipped) return find(env, shipped);
  const key = `${env.WXGATE_FFMPEG ?? ''}\0${env.PATH ?? ''}`;
  if (cached?.key !== key) cached = { key, program: find(env, npmShipped) };
  return cached.program;
}

/** Why there is no ffmpeg to run, for the NOT_SUPPORTED answers: `what` needs it, and how to get it. */
export function ffmpegMissing(what: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.WXGATE_FFMPEG) return `${what} needs ffmpeg, and WXGATE_FFMPEG=${env.WXGATE_FFMPEG} is not a program that runs (unset it to use the system's or npm's ffmpeg)`;
  return `${what} needs ffmpeg on the server, and there is none on PATH nor in node_modules: ${FFMPEG_INSTALL_HINT}`;
}
