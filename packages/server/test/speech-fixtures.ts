// Test speech: English sentences spoken by flite (a 16 kHz voice), as PCM, WeChat SILK and MP3; and whether the
// programs the speech tests need are installed (tests skip, saying so, only when they are not).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeSilkVoice } from '../src/wechat/silk.ts';

/** Five sentences of everyday English within the default model's vocabulary. */
export const SENTENCES = [
  'please send the weekly report to the team before friday',
  "the meeting has been moved to three o'clock tomorrow afternoon",
  'can you call me back when you get this message',
  'we need to order more paper for the office printer',
  'thank you for your help with the project last week',
] as const;

/** flite's 16 kHz voice (its default, kal, is 8 kHz and recognized badly). */
const VOICE = 'slt';

const installed = (program: string, args: string[]) => {
  const r = spawnSync(program, args, { stdio: 'ignore' });
  return !r.error;
};

/** Where Debian's pocketsphinx-en-us puts the model pocketsphinx_continuous loads by default. */
const ENGLISH_MODEL = '/usr/share/pocketsphinx/model/en-us';

/**
 * Why the speech tests cannot run here, or null when flite, pocketsphinx and its English model are installed: one line
 * naming the Debian packages to install (npm has no build of these).
 */
export function speechToolsMissing(): string | null {
  const missing = [
    installed('flite', ['--version']) ? [] : ['flite'],
    installed('pocketsphinx_continuous', ['-logfn', '/dev/null']) ? [] : ['pocketsphinx'],
    existsSync(ENGLISH_MODEL) ? [] : ['pocketsphinx-en-us'],
  ].flat();
  if (missing.length === 0) return null;
  const packages = missing.includes('pocketsphinx') ? [...new Set([...missing, 'pocketsphinx-en-us'])] : missing;
  return `needs ${missing.join(' and ')}: apt-get install ${packages.join(' ')}`;
}

/** The data chunk of a PCM WAV file (flite writes 16-bit mono). */
function wavData(wav: Buffer): { pcm: Buffer; sampleRate: number } {
  const sampleRate = wav.readUInt32LE(24);
  for (let at = 12; at + 8 <= wav.length;) {
    const id = wav.toString('ascii', at, at + 4);
    const size = wav.readUInt32LE(at + 4);
    if (id === 'data') return { pcm: wav.subarray(at + 8, at + 8 + size), sampleRate };
    at += 8 + size + (size % 2);
  }
  throw new Error('no data chunk in the WAV');
}

/** `text` spoken by flite: mono 16-bit PCM at 16 kHz. */
export function speak(text: string): { pcm: Buffer; sampleRate: number } {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-flite-'));
  try {
    const file = join(dir, 'speech.wav');
    const r = spawnSync('flite', ['-voice', VOICE, '-t', text, '-o', file]);
    if (r.status !== 0) throw new Error(`flite failed: ${r.stderr?.toString()}`);
    return wavData(readFileSync(file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `text` as a WeChat voice: flite's speech encoded to SILK v3 (with the 0x02 byte) by silk-wasm. */
export async function speakSilk(text: string): Promise<{ silk: Buffer; durationMs: number }> {
  const { pcm, sampleRate } = speak(text);
  return encodeSilkVoice(pcm, sampleRate);
}
