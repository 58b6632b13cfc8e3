// Voice-transcription jobs (/msg/new_trans_voice_id … get_voice_trans, /other/voice_trans_block): state, text, blocks.

/**
 * created: has a voice_id, no voice yet; receiving: voice_trans_block blocks arriving; running: the engine works on
 * it; done: text ready; failed: the engine could not (error says why, answered on check/get).
 */
export type VoiceTranscriptionState = 'created' | 'receiving' | 'running' | 'done' | 'failed';

/** Where the voice came from: a voice message of the archive (upload_voice_trans) or blocks (voice_trans_block). */
export type VoiceTranscriptionSource = 'message' | 'blocks';

export interface VoiceTranscriptionRecord {
  readonly voiceId: string;
  /** The instance that created the job; other instances do not see it. */
  readonly guid: string;
  readonly appId: string;
  readonly state: VoiceTranscriptionState;
  readonly source: VoiceTranscriptionSource | null;
  /** The voice message (source message), '' otherwise. */
  readonly msgId: string;
  /** voicelength the caller gave (ms), 0 when none. */
  readonly lengthMs: number;
  /** Blocks: the seq the next block must carry (null before the first) and the bytes received so far. */
  readonly nextSeq: number | null;
  readonly receivedBytes: number;
  readonly text: string;
  /** Catalog error name and message of a failed job, '' otherwise. */
  readonly error: string;
  readonly errorMessage: string;
  /** unix ms */
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type VoiceTranscriptionPatch = Partial<Pick<VoiceTranscriptionRecord, 'state' | 'source' | 'msgId' | 'lengthMs' | 'nextSeq' | 'receivedBytes' | 'text' | 'error' | 'errorMessage'>>;

export interface VoiceTranscriptionRepository {
  insert(record: VoiceTranscriptionRecord): Promise<void>;
  get(guid: string, voiceId: string): Promise<VoiceTranscriptionRecord | undefined>;
  update(guid: string, voiceId: string, patch: VoiceTranscriptionPatch, now: number): Promise<void>;
  /** Stores one block (seq is unique per job). */
  addBlock(guid: string, voiceId: string, seq: number, data: Buffer): Promise<void>;
  /** One stored block, to tell a retransmission from a different block under the same seq. */
  block(guid: string, voiceId: string, seq: number): Promise<Buffer | undefined>;
  /** The blocks in seq order, joined. */
  blocks(guid: string, voiceId: string): Promise<Buffer>;
  /** Drops jobs (and their blocks) last changed before `before` (unix ms); returns how many went. */
  prune(before: number): Promise<number>;
}
