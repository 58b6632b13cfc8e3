// Unit tests of the speech engines: pocketsphinx on flite speech (SILK round trip), the command engine, failures.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '@wxgate/contract';
import { pcmToMp3 } from '../cdn/audio.ts';
import { decodeSilkVoice, encodeSilkVoice } from '../../wechat/silk.ts';
import { SENTENCES, speak, speechToolsMissing } from '../../../test/speech-fixtures.ts';
import { wordErrorRate } from '../../../test/word-error-rate.ts';
import { commandEngine } from './command-engine.ts';
import { splitCommand } from './engine-process.ts';
import { createSpeechEngine } from './engines.ts';
import { pocketsphinxEngine } from './pocketsphinx-engine.ts';
import { limitConcurrency, noSpeechEngine, SPEECH_SAMPLE_RATE, type SpeechEngine } from './speech-engine.ts';
import { looksLikeMp3, voiceToSpeechPcm } from './voice-audio.ts';

const missing = speechToolsMissing();
const second = Buffer.alloc(SPEECH_SAMPLE_RATE * 2);
const isApiError = (name: string) => (e: unknown) => e instanceof ApiError && e.error === name;

test('splitCommand: words and quotes, no shell', () => {
  assert.deepEqual(splitCommand('asr --model "/models/zh cn" {wav}'), ['asr', '--model', '/models/zh cn', '{wav}']);
  assert.deepEqual(splitCommand(`sh -c 'echo $0' --in={wav}`), ['sh', '-c', 'echo $0', '--in={wav}']);
  assert.deepEqual(splitCommand('a "" b'), ['a', '', 'b']);
  assert.throws(() => splitCommand('a "b'), /unclosed/);
});

describe('the command engine', () => {
  test('runs the program on a 16 kHz WAV and answers its stdout as one line', async () => {
    // sh prints the file's size and its WAV header fields: the engine saw the PCM we gave, as 16 kHz mono
    const engine = commandEngine({ command: `sh -c 'wc -c < "$0"; od -An -tu4 -j24 -N4 "$0"' {wav}`, timeoutMs: 10_000, languages: ['zh-CN'] });
    assert.equal(engine.name, 'command');
    assert.deepEqual(engine.languages, ['zh-CN']);
    const text = await engine.transcribe(second);
    assert.deepEqual(text.split(/\s+/).map(Number), [44 + second.length, SPEECH_SAMPLE_RATE]);
  });

  test('a missing program is SPEECH_ENGINE_UNAVAILABLE naming it; a failure or a timeout SPEECH_ENGINE_FAILED', async () => {
    await assert.rejects(commandEngine({ command: '/nonexistent/asr {wav}', timeoutMs: 5000 }).transcribe(second),
      (e: unknown) => isApiError('SPEECH_ENGINE_UNAVAILABLE')(e) && /\/nonexistent\/asr/.test((e as Error).message));
    await assert.rejects(commandEngine({ command: `sh -c 'echo broken model >&2; exit 3' {wav}`, timeoutMs: 5000 }).transcribe(second),
      (e: unknown) => isApiError('SPEECH_ENGINE_FAILED')(e) && /exited with 3: broken model/.test(String((e as ApiError).data?.reason)));
    const started = Date.now();
    await assert.rejects(commandEngine({ command: `sh -c 'sleep 10' {wav}`, timeoutMs: 300 }).transcribe(second),
      (e: unknown) => isApiError('SPEECH_ENGINE_FAILED')(e) && /within 300 ms/.test(String((e as ApiError).data?.reason)));
    assert.ok(Date.now() - started < 5000, 'killed at the timeout');
    assert.throws(() => commandEngine({ command: 'asr --no-input', timeoutMs: 1000 }), /\{wav\}/);
  });

  test('none answers SPEECH_ENGINE_UNAVAILABLE; a missing pocketsphinx names the package to install', async () => {
    await assert.rejects(noSpeechEngine.transcribe(second), isApiError('SPEECH_ENGINE_UNAVAILABLE'));
    const engine = createSpeechEngine({ engine: 'pocketsphinx', pocketsphinxPath: '/nonexistent/pocketsphinx_continuous', timeoutMs: 5000 });
    await assert.rejects(engine.transcribe(second), (e: unknown) => isApiError('SPEECH_ENGINE_UNAVAILABLE')(e) && /apt-get install pocketsphinx/.test((e as Error).message));
  });
});

test('limitConcurrency runs at most n at once, in arrival order', async () => {
  let running = 0;
  let peak = 0;
  const order: number[] = [];
  const slow: SpeechEngine = {
    name: 'slow', languages: [],
    async transcribe(pcm) {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
      order.push(pcm.length);
      return String(pcm.length);
    },
  };
  const limited = limitConcurrency(slow, 2);
  const texts = await Promise.all([1, 2, 3, 4, 5].map((n) => limited.transcribe(Buffer.alloc(n))));
  assert.deepEqual(texts, ['1', '2', '3', '4', '5']);
  assert.equal(peak, 2);
  assert.deepEqual(order, [1, 2, 3, 4, 5]);
});

describe('voice decoding for the engine', () => {
  test('SILK and MP3 decode to 16 kHz PCM of the right length; junk is a 422 on the field', async () => {
    const tone = Buffer.alloc(24_000 * 2 * 2, 0); // 2 s of silence at 24 kHz
    const { silk } = await encodeSilkVoice(tone);
    const pcm = await voiceToSpeechPcm(silk, 'silk', 'url');
    assert.ok(Math.abs(pcm.length - 2 * SPEECH_SAMPLE_RATE * 2) <= 0.05 * SPEECH_SAMPLE_RATE * 2, String(pcm.length));
    const mp3 = await pcmToMp3(tone);
    assert.ok(looksLikeMp3(mp3));
    const fromMp3 = await voiceToSpeechPcm(mp3, 'mp3', 'url');
    assert.ok(Math.abs(fromMp3.length - 2 * SPEECH_SAMPLE_RATE * 2) <= 0.1 * SPEECH_SAMPLE_RATE * 2, String(fromMp3.length));
    assert.ok((await voiceToSpeechPcm(mp3, 'detect', 'block_data')).length > 0, 'detect: not SILK → any audio');
    const bad: Array<[Buffer, 'silk' | 'mp3' | 'detect', RegExp]> = [
      [Buffer.alloc(0), 'silk', /empty/],
      [mp3, 'silk', /not a SILK/],
      [silk, 'mp3', /not an MP3/],
      [Buffer.from('\x02#!SILK_V3abcdefghijklmnop', 'latin1'), 'silk', /damaged/],
      [Buffer.from([0xff, 0xfb, 1, 2, 3, 4, 5, 6]), 'mp3', /not readable audio/],
      [Buffer.from('hello world, not audio at all'), 'detect', /not readable audio/],
    ];
    for (const [bytes, format, message] of bad) {
      await assert.rejects(voiceToSpeechPcm(bytes, format, 'url'), (e: unknown) => {
        const issue = (e as ApiError).data?.errors as Array<{ loc: string[]; msg: string }> | undefined;
        return isApiError('VALIDATION')(e) && issue?.[0]?.loc[1] === 'url' && message.test(issue[0].msg);
      }, `${format} ${message}`);
    }
  });
});

describe('pocketsphinx on flite speech through SILK', { skip: missing ?? false }, () => {
  test('recognizes English sentences after a SILK encode/decode (WER ≤ 15% each)', async () => {
    const engine = pocketsphinxEngine({ program: 'pocketsphinx_continuous', timeoutMs: 60_000 });
    for (const sentence of SENTENCES.slice(0, 2)) {
      const { pcm, sampleRate } = speak(sentence);
      const { silk } = await encodeSilkVoice(pcm, sampleRate);
      const roundTrip = (await decodeSilkVoice(silk, SPEECH_SAMPLE_RATE)).pcm;
      const text = await engine.transcribe(roundTrip);
      const wer = wordErrorRate(sentence, text);
      assert.ok(wer <= 0.15, `WER ${wer.toFixed(2)}: "${sentence}" → "${text}"`);
    }
  });
});
