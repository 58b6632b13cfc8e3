// A deployment's own engine (sherpa-onnx or whisper.cpp with a Mandarin model, a script around a cloud API): a command
// run on a 16 kHz mono WAV whose stdout is the text.
import { runEngineOnPcm, splitCommand } from './engine-process.ts';
import { joinLines } from './pocketsphinx-engine.ts';
import type { SpeechEngine } from './speech-engine.ts';

export interface CommandEngineOptions {
  /** e.g. `sherpa-onnx-offline --tokens=/m/tokens.txt --paraformer=/m/model.onnx {wav}` wrapped in a script that prints only the text. */
  readonly command: string;
  readonly timeoutMs: number;
  /** What the configured model understands (WXGATE_STT_LANGUAGES); unknown unless told. */
  readonly languages?: readonly string[];
}

export function commandEngine(options: CommandEngineOptions): SpeechEngine {
  const [program, ...args] = splitCommand(options.command);
  if (!program) throw new Error('the speech command is empty');
  if (!args.some((a) => a.includes('{wav}'))) throw new Error('the speech command must take {wav}, the path of the 16 kHz WAV');
  return {
    name: 'command',
    languages: options.languages ?? ['und'],
    async transcribe(pcm) {
      const out = await runEngineOnPcm({
        label: `command engine (${program})`, program, args, timeoutMs: options.timeoutMs,
        missingHint: 'check WXGATE_STT_COMMAND: its first word must be an installed program',
      }, pcm);
      return joinLines(out);
    },
  };
}
