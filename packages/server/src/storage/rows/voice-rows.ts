// Voice-transcription jobs from SQL rows, and the columns a patch may write, for every SQL store.
import type { VoiceTranscriptionPatch, VoiceTranscriptionRecord, VoiceTranscriptionSource, VoiceTranscriptionState } from '../voice-ports.ts';

type Row = Record<string, unknown>;

export const jobFromRow = (r: Row): VoiceTranscriptionRecord => ({
  voiceId: r.voice_id as string,
  guid: r.guid as string,
  appId: r.app_id as string,
  state: r.state as VoiceTranscriptionState,
  source: (r.source as VoiceTranscriptionSource | null) ?? null,
  msgId: r.msg_id as string,
  lengthMs: r.length_ms as number,
  nextSeq: (r.next_seq as number | null) ?? null,
  receivedBytes: r.received_bytes as number,
  text: r.text as string,
  error: r.error as string,
  errorMessage: r.error_message as string,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
});

/** Patch field → column; only these are ever written by update. */
export const VOICE_COLUMNS: Record<keyof VoiceTranscriptionPatch, string> = {
  state: 'state', source: 'source', msgId: 'msg_id', lengthMs: 'length_ms', nextSeq: 'next_seq', receivedBytes: 'received_bytes',
  text: 'text', error: 'error', errorMessage: 'error_message',
};

/** The patch's fields that name a column and carry a value, as [column, value] pairs. */
export const patchColumns = (patch: VoiceTranscriptionPatch): Array<[string, string | number | null]> =>
  Object.entries(patch).filter(([key, value]) => key in VOICE_COLUMNS && value !== undefined)
    .map(([key, value]) => [VOICE_COLUMNS[key as keyof VoiceTranscriptionPatch], value as string | number | null]);
