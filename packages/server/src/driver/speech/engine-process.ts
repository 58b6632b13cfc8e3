// Runs a speech engine's program on a temporary 16 kHz WAV file: no shell, a time limit, bounded output, clear errors.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '@wxgate/contract';
import { pcmToWav } from '../../wechat/silk.ts';
import { SPEECH_SAMPLE_RATE } from './speech-engine.ts';

/** More than any transcript of a few minutes; an engine printing more is misbehaving, not talkative. */
const MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * Splits a command template into argv the way a shell would split plain words and quotes (no variables, pipes or
 * globbing: the command is never given to a shell, so a transcript or a path cannot inject anything).
 */
export function splitCommand(template: string): string[] {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (const ch of template) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unclosed ${quote} in the command`);
  if (inWord) args.push(current);
  return args;
}

export interface EngineRun {
  /** What to call it in errors (`pocketsphinx`, `command engine`). */
  readonly label: string;
  /** argv[0]: a path or a name on PATH. */
  readonly program: string;
  /** Arguments; the token {wav} anywhere in one becomes the WAV file's path. */
  readonly args: readonly string[];
  readonly timeoutMs: number;
  /** Advice when the program is missing (how to install it). */
  readonly missingHint: string;
}

/** Writes the PCM as a WAV, runs the program on it and answers its stdout; the file is removed afterwards. */
export async function runEngineOnPcm(run: EngineRun, pcm: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wxgate-stt-'));
  try {
    const wav = join(dir, 'voice.wav');
    await writeFile(wav, pcmToWav(pcm, SPEECH_SAMPLE_RATE));
    return await runProgram(run, run.args.map((a) => a.replaceAll('{wav}', wav)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runProgram(run: EngineRun, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    // its own process group, so a wrapper script's children are killed with it (they would hold stdout open)
    const child = spawn(run.program, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let failure: ApiError | null = null;
    const fail = (reason: string) => {
      failure ??= new ApiError('SPEECH_ENGINE_FAILED', undefined, { engine: run.label, reason });
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL'); // the group is gone already
      }
      reject(failure);
    };
    const timer = setTimeout(() => fail(`no answer within ${run.timeoutMs} ms`), run.timeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      outBytes += c.length;
      if (outBytes > MAX_OUTPUT_BYTES) fail(`printed more than ${MAX_OUTPUT_BYTES} bytes`);
      else out.push(c);
    });
    child.stderr.on('data', (c: Buffer) => {
      if (err.length < 4096) err += c.toString();
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (e.code === 'ENOENT' || e.code === 'EACCES') {
        reject(new ApiError('SPEECH_ENGINE_UNAVAILABLE', `the speech engine ${run.label} cannot run: ${run.program} is missing or not executable (${e.code}); ${run.missingHint}`, { engine: run.label }));
      } else reject(new ApiError('SPEECH_ENGINE_FAILED', undefined, { engine: run.label, reason: e.message }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      if (code !== 0) {
        const last = err.trim().split('\n').pop() ?? '';
        return reject(new ApiError('SPEECH_ENGINE_FAILED', undefined, { engine: run.label, reason: `exited with ${code ?? signal}${last ? `: ${last.slice(0, 300)}` : ''}` }));
      }
      resolve(Buffer.concat(out).toString('utf8'));
    });
  });
}
