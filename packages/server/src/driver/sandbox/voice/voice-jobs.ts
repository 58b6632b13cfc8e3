// Voice-transcription jobs of the sandbox: a voice_id per job, its voice from an archived voice message or from
// blocks, the engine run in the background under the job's lease (one node of a cluster at a time), and the text or the
// error kept in the store (so a restart loses nothing).
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
/** The name a job's run is held under in a cluster. */
const voiceWork = (guid: string, voiceId: string) => `voice:${guid}/${voiceId}`;

/** A job's run held by this node (the cluster's Lease of core/ownership.ts, which a driver may not import). */
export interface JobLease {
  /** Gives the job up; called once its outcome is in the store. */
  release(): Promise<void>;
}

/** Takes `name` for this node until released; null while another node holds it. */
export type TakeLease = (name: string) => Promise<JobLease | null>;

const HELD_ALONE: JobLease = { release: () => Promise.resolve() };
/** One node alone: every job is its own to run. */
export const soleNodeLeases: TakeLease = () => Promise.resolve(HELD_ALONE);

export interface VoiceJobsDeps {
  readonly store: Store;
  readonly clock: SandboxClock;
  readonly random: SandboxRandom;
  readonly world: World;
  readonly media: SandboxMedia | undefined;
  readonly engine: SpeechEngine;
  /** Which node runs a job: a running job is run by the holder of its lease only, so a cluster runs it once. */
  readonly leases: TakeLease;
}

export interface BlockInput {
  readonly voiceId: string;
  readonly data: Buffer;
  readonly seq: number;
  readonly offset: number;
  readonly end: boolean;
}

export class VoiceJobs {
  /**
   * Jobs this process works on, by guid + voice_id, from taking the lease until it is given up: one taker per job and
   * process (a node holds a lease once, whoever asks). A running job that no node holds was cut by a restart.
   */
  readonly #held = new Set<string>();
  /** What this process has in flight (runs, and resumptions taking a lease), waited for by close. */
  readonly #inFlight = new Set<Promise<void>>();

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
    // The lease first, so no node that sees the job running can take it before this one starts it.
    const lease = await this.#lease(guid, voiceId);
    const claimed = lease !== null && await this.#keepIfClaimed(guid, voiceId, lease, () => this.deps.store.transaction(async (tx) => {
      const current = await tx.voice.get(guid, voiceId);
      if (current?.state !== 'created') return false;
      await tx.voice.update(guid, voiceId, { state: 'running', source: 'message', msgId, lengthMs }, this.deps.clock.now());
      return true;
    }, { serializeOn: voiceJobKey(guid, voiceId) }));
    if (!claimed) {
      // Another upload took the job meanwhile (here or on another node): the same message is the same upload.
      const now = await this.get(guid, voiceId);
      if (now.source === 'message' && now.msgId === msgId) return;
      throw step(voiceId, 'this voice_id already has its voice; create a new one with /msg/new_trans_voice_id');
    }
    this.#start(guid, voiceId, Promise.resolve(pcm), lease);
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
    const accept = () => this.deps.store.transaction(async (tx) => {
      const current = await tx.voice.get(guid, voiceId);
      if (!current || current.receivedBytes !== offset || (current.state !== 'created' && current.state !== 'receiving')) return false;
      if (data.length > 0) await tx.voice.addBlock(guid, voiceId, seq, data);
      await tx.voice.update(guid, voiceId, {
        state: end ? 'running' : 'receiving', source: 'blocks', nextSeq: seq + 1, receivedBytes: offset + data.length,
      }, this.deps.clock.now());
      return true;
    }, { serializeOn: voiceJobKey(guid, voiceId) });
    // The last block starts the run: as for an upload, the lease is taken before the job shows as running.
    const lease = pcm ? await this.#lease(guid, voiceId) : null;
    const accepted = pcm ? lease !== null && await this.#keepIfClaimed(guid, voiceId, lease, accept) : await accept();
    if (!accepted) throw step(voiceId, 'another block for this voice_id arrived at the same time; send the next one in order');
    if (pcm) await this.#start(guid, voiceId, Promise.resolve(pcm), lease!);
    return this.get(guid, voiceId);
  }

  /**
   * The job for check/get: its voice must be in; a failed job answers its error; a job cut by a restart resumes, on
   * the node that gets its lease (a node that does not — the job runs elsewhere — answers from the store until the
   * outcome is there).
   */
  async progress(appId: string, guid: string, voiceId: string): Promise<VoiceTranscriptionRecord> {
    const job = await this.get(guid, voiceId);
    if (job.state === 'created' || job.state === 'receiving') {
      throw step(voiceId, job.state === 'created' ? 'nothing was uploaded to this voice_id yet: call /msg/upload_voice_trans first' : 'the last block (end_flag 1) has not arrived yet');
    }
    if (job.state === 'failed') {
      const name = (job.error in ERRORS ? job.error : 'SPEECH_ENGINE_FAILED') as ErrorName;
      throw new ApiError(name, job.errorMessage || undefined, { voice_id: voiceId });
    }
    if (job.state === 'running' && !this.#held.has(key(guid, voiceId))) this.#track(this.#resume(appId, guid, voiceId));
    return job;
  }

  /** Waits for the transcriptions in flight (shutdown: before the store closes under them). */
  async close(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  /**
   * Takes the job's lease for this process: null while another node holds it, or while this process already works on
   * the job (the check and the mark are synchronous, before the first await, so concurrent callers cannot both pass).
   */
  async #lease(guid: string, voiceId: string): Promise<JobLease | null> {
    const id = key(guid, voiceId);
    if (this.#held.has(id)) return null;
    this.#held.add(id);
    try {
      const lease = await this.deps.leases(voiceWork(guid, voiceId));
      if (!lease) this.#held.delete(id);
      return lease;
    } catch (error) {
      this.#held.delete(id);
      throw error;
    }
  }

  /** Gives the job up: the lease first, so nobody in this process takes it again before Redis has let it go. */
  async #letGo(guid: string, voiceId: string, lease: JobLease): Promise<void> {
    await lease.release().catch(() => {});
    this.#held.delete(key(guid, voiceId));
  }

  /** The claim's outcome; a claim that failed (or threw) gives the lease up, since nothing will run under it. */
  async #keepIfClaimed(guid: string, voiceId: string, lease: JobLease, claim: () => Promise<boolean>): Promise<boolean> {
    const claimed = await claim().catch(async (error: unknown) => {
      await this.#letGo(guid, voiceId, lease);
      throw error;
    });
    if (!claimed) await this.#letGo(guid, voiceId, lease);
    return claimed;
  }

  /** Runs a job nobody runs (cut by a restart or a dead node) if this node gets its lease and it is still running. */
  async #resume(appId: string, guid: string, voiceId: string): Promise<void> {
    const lease = await this.#lease(guid, voiceId).catch(() => null); // unreachable leases: the next check tries again
    if (!lease) return;
    // Read again under the lease: the node that held it may have written the outcome just before letting it go.
    const job = await this.deps.store.voice.get(guid, voiceId).catch(() => undefined);
    if (job?.state !== 'running') return this.#letGo(guid, voiceId, lease);
    await this.#start(guid, voiceId, job.source === 'message'
      ? this.#messagePcm(appId, guid, job.msgId)
      : this.deps.store.voice.blocks(guid, voiceId).then((audio) => voiceToSpeechPcm(audio, 'detect', 'block_data')), lease);
  }

  /** Keeps `work` (which never rejects) in flight until it settles, for close. */
  #track(work: Promise<void>): Promise<void> {
    this.#inFlight.add(work);
    const done = () => void this.#inFlight.delete(work);
    work.then(done, done);
    return work;
  }

  /** The voice message's SILK from the CDN, as PCM for the engine (VOICE_NOT_FOUND for anything but this account's voice). */
  async #messagePcm(appId: string, guid: string, msgId: string): Promise<Buffer> {
    const media = requireMedia(this.deps.media);
    const { fileId, aesKey } = await findVoiceMessage(this.deps.world, appId, guid, msgId);
    const { plain } = await media.cdn.open(appId, fileId, aesKey, ['main']);
    return voiceToSpeechPcm(plain, 'silk', 'msg_id');
  }

  /**
   * Runs the engine under the job's lease and records the outcome, then gives the lease up; never rejects (the outcome
   * is in the store). A lease lost meanwhile (Redis out of reach) does not stop the write: the text is the same
   * whichever node writes it, and unwritten the job would only run again.
   */
  #start(guid: string, voiceId: string, pcm: Promise<Buffer>, lease: JobLease): Promise<void> {
    return this.#track((async () => {
      try {
        const text = await this.deps.engine.transcribe(await pcm);
        await this.deps.store.voice.update(guid, voiceId, { state: 'done', text }, this.deps.clock.now());
      } catch (error) {
        const known = error instanceof ApiError;
        await this.deps.store.voice.update(guid, voiceId, {
          state: 'failed', error: known ? error.error : 'SPEECH_ENGINE_FAILED', errorMessage: known ? error.message : `transcription failed: ${(error as Error).message}`,
        }, this.deps.clock.now()).catch(() => {});
      } finally {
        await this.#letGo(guid, voiceId, lease);
      }
    })());
  }
}

const key = (guid: string, voiceId: string) => `${guid}/${voiceId}`;

const step = (voiceId: string, message: string) => new ApiError('VOICE_TRANS_STEP', message, { voice_id: voiceId });
