// The speech-to-text port: an engine turns 16 kHz mono 16-bit PCM into text; which engine runs is a deployment choice.
import { ApiError } from '@wxgate/contract';

/** The sample rate every engine receives (what pocketsphinx, sherpa-onnx and whisper.cpp models expect). */
export const SPEECH_SAMPLE_RATE = 16_000;

export interface SpeechEngine {
  /** Shown in errors and docs (`pocketsphinx`, `command`, `none`). */
  readonly name: string;
  /** BCP 47 tags of the languages it understands; speech in any other comes back as wrong words, not as an error. */
  readonly languages: readonly string[];
  /**
   * Mono 16-bit little-endian PCM at SPEECH_SAMPLE_RATE → the recognized text ('' for silence). Throws ApiError
   * SPEECH_ENGINE_UNAVAILABLE when the engine cannot run here, SPEECH_ENGINE_FAILED when it failed on this audio.
   */
  transcribe(pcm: Buffer): Promise<string>;
}

/** WXGATE_STT_ENGINE=none: every transcription answers the documented 503 instead of a made-up text. */
export const noSpeechEngine: SpeechEngine = {
  name: 'none',
  languages: [],
  transcribe: () => Promise.reject(new ApiError('SPEECH_ENGINE_UNAVAILABLE', 'voice transcription is turned off on this server (WXGATE_STT_ENGINE=none); see docs/voice.md')),
};

/**
 * Lets at most `limit` transcriptions run at once (each is a CPU-bound process); the others wait their turn, so a burst
 * of voice messages cannot start a process per message.
 */
export function limitConcurrency(engine: SpeechEngine, limit: number): SpeechEngine {
  let running = 0;
  const waiting: Array<() => void> = [];
  return {
    name: engine.name,
    languages: engine.languages,
    async transcribe(pcm) {
      if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      else running++;
      try {
        return await engine.transcribe(pcm);
      } finally {
        // hand the slot straight to the next waiter, so a newcomer cannot overtake it
        const next = waiting.shift();
        if (next) next();
        else running--;
      }
    },
  };
}
