// Picks the speech engine a deployment configured (app.ts maps the config onto these options).
import { commandEngine } from './command-engine.ts';
import { pocketsphinxEngine } from './pocketsphinx-engine.ts';
import { limitConcurrency, noSpeechEngine, type SpeechEngine } from './speech-engine.ts';

export interface SpeechEngineOptions {
  readonly engine: 'pocketsphinx' | 'command' | 'none';
  readonly command?: string | undefined;
  readonly languages?: readonly string[] | undefined;
  readonly pocketsphinxPath: string;
  readonly timeoutMs: number;
  /** Engine processes at once; two keep a small server responsive while voice piles up. */
  readonly concurrency?: number;
}

export function createSpeechEngine(options: SpeechEngineOptions): SpeechEngine {
  const concurrency = options.concurrency ?? 2;
  if (options.engine === 'none') return noSpeechEngine;
  if (options.engine === 'command') {
    return limitConcurrency(commandEngine({ command: options.command ?? '', timeoutMs: options.timeoutMs, languages: options.languages }), concurrency);
  }
  return limitConcurrency(pocketsphinxEngine({ program: options.pocketsphinxPath, timeoutMs: options.timeoutMs, languages: options.languages }), concurrency);
}
