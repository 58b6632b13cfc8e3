// The default engine: CMU PocketSphinx (Debian pocketsphinx + pocketsphinx-en-us), offline, US English only.
import { runEngineOnPcm } from './engine-process.ts';
import type { SpeechEngine } from './speech-engine.ts';

export interface PocketsphinxOptions {
  /** pocketsphinx_continuous, or a path to it. */
  readonly program: string;
  readonly timeoutMs: number;
  /** What its model understands; the Debian model is en-US. */
  readonly languages?: readonly string[];
}

export function pocketsphinxEngine(options: PocketsphinxOptions): SpeechEngine {
  return {
    name: 'pocketsphinx',
    languages: options.languages ?? ['en-US'],
    async transcribe(pcm) {
      // -logfn /dev/null keeps its log off stdout, where it prints one hypothesis line per utterance
      const out = await runEngineOnPcm({
        label: 'pocketsphinx', program: options.program, args: ['-infile', '{wav}', '-logfn', '/dev/null'], timeoutMs: options.timeoutMs,
        missingHint: 'install it (apt-get install pocketsphinx pocketsphinx-en-us), set WXGATE_STT_POCKETSPHINX to its path, or choose another WXGATE_STT_ENGINE',
      }, pcm);
      return joinLines(out);
    },
  };
}

/** One line per utterance → one text. */
export function joinLines(out: string): string {
  return out.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
}
