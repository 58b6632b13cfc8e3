// Voice-transcription jobs of the sandbox: a voice_id per job, its voice from an archived voice message or from
// blocks, the engine run in the background, and the text or the error kept in the store (so a restart loses nothing).
import { ApiError, ERRORS, invalidField, type ErrorName } from '@wxgate/contract';
import type { Store, VoiceTranscriptionRecord } from '../../../storage/ports.ts';
import type { SpeechEngine } from '../../speech/speech-engine.ts';
import { voiceToSpeechPcm } from '../../speech/voice-audio.ts';
import { findVoiceMessage, requireMedia, type SandboxMedia } from '../cloud.ts';
import type { SandboxRandom } from '../ids.ts';
import { requireAccount, type SandboxClock, type World } from '../world.ts';

/** Jobs untouched this long are dropped (WeChat's transcription ids are short-lived too). */
const JOB_TTL_MS = 7 * 86_400_000;
/** Claims of one job read, check and write in a transaction: stores that run transactions side by side serialize them on this. */
const voiceJobKey = (guid: string, voiceId: string) => `voice-job:${guid}/${voiceId}`;
/** The most a job's blocks may add up to: five minutes of 128 kbit/s MP3, with room to spare. */
export const MAX_BLOCK_BYTES = 8 * 1024 * 1024;

export interface VoiceJobsDeps {
  readonly store: Store;
  readonly clock: SandboxClock;
  readonly random: SandboxRandom;
  readonly world: World;
  readonly media: SandboxMedia | undefined;
  readonly engine: SpeechEngine;
}

export interface BlockInput {
  readonly voiceId: string;
  readonly data: Buffer;
  readonly seq: number;
  readonly offset: number;
  readonly end: boolean;
}

export class VoiceJobs {
  /** Transcriptions running in this process, by guid + voice_id; a running job missing here was cut by a restart. */
  readonly #running = new Map<string, Promise<void>>();

  constructor(private readonly deps: VoiceJobsDeps) {}

  get engine(): SpeechEngine {
    return this.deps.engine;
  }

  /** The account on `guid`, or why WeChat calls cannot run there (not logged in, sync failed). */
  async requireLoggedIn(appId: string, guid: string): Promise<void> {
    await this.deps.world.change(appId, (change) => requireAccount(change, guid));
  }

  async create(appId: string, guid: string): Promise<string> {
    await this.requireLoggedIn(appId, guid);
    const now = this.deps.clock.now();
    await this.deps.store.voice.prune(now - JOB_TTL_MS);
    const voiceId = Buffer.from(this.deps.random.bytes(16)).toString('hex');
    await this.deps.store.voice.insert({
      voiceId, guid, appId, state: 'created', source: null, msgId: '', lengthMs: 0, nextSeq: null, receivedBytes: 0,
      text: '', error: '', errorMessage: '', createdAt: now, updatedAt: now,
    });
    return voiceId;
  }

  async get(guid: string, voiceId: string): Promise<VoiceTranscriptionRecord> {
    const job = await this.deps.store.voice.get(guid, voiceId);
    if (!job) throw new ApiError('VOICE_TRANS_NOT_FOUND', undefined, { voice_id: voiceId });
    return job;
  }

  /** upload_voice_trans: the job takes a voice message of the archive and starts; the same upload again is a no-op. */
  async uploadMessage(appId: string, guid: string, voiceId: string, msgId: string, lengthMs: number): Promise<void> {
    if (lengthMs < 0) throw invalidField('length', 'voicelength is in ms, 0 or more');
    const job = await this.get(guid, voiceId);
    if (job.source === 'message' && job.msgId === msgId) return;
    if (job.state !== 'created') throw step(voiceId, 'this voice_id already has its voice; create a new one with /msg/new_trans_voice_id');
    const pcm = await this.#messagePcm(appId, guid, msgId);
    const claimed = await this.deps.store.transaction(async (tx) => {
      const current = await tx.voice.get(guid, voiceId);
      if (current?.state !== 'created') return false;
      await tx.voice.update(guid, voiceId, { state: 'running', source: 'message', msgId, lengthMs }, this.deps.clock.now());
      return true;
    }, { serializeOn: voiceJobKey(guid, voiceId) });
    if (!claimed) throw step(voiceId, 'this voice_id already has its voice; create a new one with /msg/new_trans_voice_id');
    this.#start(guid, voiceId, Promise.resolve(pcm));
  }

  /**
   * voice_trans_block: blocks arrive in seq order (starting at 0 or 1) at the byte offset received so far. The last one
   * (end) is checked with the whole voice before it is kept, then transcribed; the answer is the finished job. A block
   * sent again unchanged (a retry) changes nothing.
   */
  async addBlock(guid: string, block: BlockInput): Promise<VoiceTranscriptionRecord> {
    const { voiceId, data, seq, offset, end } = block;
    const job = await this.get(guid, voiceId);
    const stored = await this.deps.store.voice.block(guid, voiceId, seq);
    if (stored && stored.equals(data) && job.source === 'blocks') return job;
    if (job.state !== 'created' && job.state !== 'receiving') throw step(voiceId, 'this job takes no more blocks (it has its voice); create a new voice_id');
    const expectedSeq = job.nextSeq ?? (seq === 1 ? 1 : 0);
    if (seq !== expectedSeq || offset !== job.receivedBytes) {
      throw new ApiError('VOICE_TRANS_STEP', `blocks go in order: expected seq ${expectedSeq} at offset ${job.receivedBytes}`, { voice_id: voiceId, expected_seq: expectedSeq, expected_offset: job.receivedBytes });
    }
    if (data.length === 0 && !end) throw invalidField('block_data', 'the block is empty; only the last block (end_flag 1) may be');
    if (job.receivedBytes + data.length > MAX_BLOCK_BYTES) throw invalidField('block_data', `the blocks add up to more than ${MAX_BLOCK_BYTES} bytes`);
    // the whole voice must decode before the last block is taken, so a bad voice leaves the job open for a good one
    const pcm = end ? await voiceToSpeechPcm(Buffer.concat([await this.deps.store.voice.blocks(guid, voiceId), data]), 'detect', 'block_data') : null;
    const accepted = await this.deps.store.transaction(async (tx) => {
      const current = await tx.voice.get(guid, voiceId);
      if (!current || current.receivedBytes !== offset || (current.state !== 'created' && current.state !== 'receiving')) return false;
      if (data.length > 0) await tx.voice.addBlock(guid, voiceId, seq, data);
      await tx.voice.update(guid, voiceId, {
        state: end ? 'running' : 'receiving', source: 'blocks', nextSeq: seq + 1, receivedBytes: offset + data.length,
      }, this.deps.clock.now());
      return true;
    }, { serializeOn: voiceJobKey(guid, voiceId) });
    if (!accepted) throw step(voiceId, 'another block for this voice_id arrived at the same time; send the next one in order');
    if (pcm) await this.#start(guid, voiceId, Promise.resolve(pcm));
    return this.get(guid, voiceId);
  }

  /** The job for check/get: its voice must be in; a failed job answers its error; a job cut by a restart resumes. */
  async progress(appId: string, guid: string, voiceId: string): Promise<VoiceTranscriptionRecord> {
    const job = await this.get(guid, voiceId);
    if (job.state === 'created' || job.state === 'receiving') {
      throw step(voiceId, job.state === 'created' ? 'nothing was uploaded to this voice_id yet: call /msg/upload_voice_trans first' : 'the last block (end_flag 1) has not arrived yet');
    }
    if (job.state === 'failed') {
      const name = (job.error in ERRORS ? job.error : 'SPEECH_ENGINE_FAILED') as ErrorName;
      throw new ApiError(name, job.errorMessage || undefined, { voice_id: voiceId });
    }
    if (job.state === 'running' && !this.#running.has(key(guid, voiceId))) {
      this.#start(guid, voiceId, job.source === 'message'
        ? this.#messagePcm(appId, guid, job.msgId)
        : this.deps.store.voice.blocks(guid, voiceId).then((audio) => voiceToSpeechPcm(audio, 'detect', 'block_data')));
    }
    return job;
  }

  /** Waits for the transcriptions in flight (shutdown: before the store closes under them). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#running.values()]);
  }

  /** The voice message's SILK from the CDN, as PCM for the engine (VOICE_NOT_FOUND for anything but this account's voice). */
  async #messagePcm(appId: string, guid: string, msgId: string): Promise<Buffer> {
    const media = requireMedia(this.deps.media);
    const { fileId, aesKey } = await findVoiceMessage(this.deps.world, appId, guid, msgId);
    const { plain } = await media.cdn.open(appId, fileId, aesKey, ['main']);
    return voiceToSpeechPcm(plain, 'silk', 'msg_id');
  }

  /** Runs the engine and records the outcome; never rejects (the outcome is in the store). */
  #start(guid: string, voiceId: string, pcm: Promise<Buffer>): Promise<void> {
    const id = key(guid, voiceId);
    const run = (async () => {
      try {
        const text = await this.deps.engine.transcribe(await pcm);
        await this.deps.store.voice.update(guid, voiceId, { state: 'done', text }, this.deps.clock.now());
      } catch (error) {
        const known = error instanceof ApiError;
        await this.deps.store.voice.update(guid, voiceId, {
          state: 'failed', error: known ? error.error : 'SPEECH_ENGINE_FAILED', errorMessage: known ? error.message : `transcription failed: ${(error as Error).message}`,
        }, this.deps.clock.now()).catch(() => {});
      } finally {
        this.#running.delete(id);
      }
    })();
    this.#running.set(id, run);
    return run;
  }
}

const key = (guid: string, voiceId: string) => `${guid}/${voiceId}`;

const step = (voiceId: string, message: string) => new ApiError('VOICE_TRANS_STEP', message, { voice_id: voiceId });
