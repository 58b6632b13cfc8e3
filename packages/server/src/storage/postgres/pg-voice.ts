// Voice-transcription jobs on PostgreSQL (tables voice_transcriptions, voice_transcription_blocks).
import { jobFromRow, patchColumns } from '../rows/voice-rows.ts';
import type { VoiceTranscriptionRepository } from '../voice-ports.ts';
import type { Sql } from './pg-sql.ts';

/**
 * A job is claimed (created → running, one more block taken) by read-check-write in a transaction serialized on the job
 * (store.transaction's serializeOn, an advisory lock): the port promises that, so the repository needs no claim of its own.
 */
export function pgVoice(sql: Sql): VoiceTranscriptionRepository {
  return {
    insert: async (j) => {
      await sql.run(`INSERT INTO voice_transcriptions (guid, voice_id, app_id, state, source, msg_id, length_ms, next_seq, received_bytes, text, error,
        error_message, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [j.guid, j.voiceId, j.appId, j.state, j.source, j.msgId, j.lengthMs, j.nextSeq, j.receivedBytes, j.text, j.error, j.errorMessage, j.createdAt, j.updatedAt]);
    },
    get: async (guid, voiceId) => {
      const row = await sql.row('SELECT * FROM voice_transcriptions WHERE guid = $1 AND voice_id = $2', [guid, voiceId]);
      return row && jobFromRow(row);
    },
    update: async (guid, voiceId, patch, now) => {
      const entries = patchColumns(patch);
      const sets = [...entries.map(([column], i) => `${column} = $${i + 1}`), `updated_at = $${entries.length + 1}`];
      await sql.run(`UPDATE voice_transcriptions SET ${sets.join(', ')} WHERE guid = $${entries.length + 2} AND voice_id = $${entries.length + 3}`,
        [...entries.map(([, value]) => value), now, guid, voiceId]);
    },
    addBlock: async (guid, voiceId, seq, data) => {
      await sql.run('INSERT INTO voice_transcription_blocks (guid, voice_id, seq, data) VALUES ($1, $2, $3, $4)', [guid, voiceId, seq, data]);
    },
    block: async (guid, voiceId, seq) =>
      (await sql.row('SELECT data FROM voice_transcription_blocks WHERE guid = $1 AND voice_id = $2 AND seq = $3', [guid, voiceId, seq]))?.data as Buffer | undefined,
    blocks: async (guid, voiceId) =>
      Buffer.concat((await sql.rows('SELECT data FROM voice_transcription_blocks WHERE guid = $1 AND voice_id = $2 ORDER BY seq', [guid, voiceId]))
        .map((r) => r.data as Buffer)),
    // The blocks go with their job (ON DELETE CASCADE).
    prune: (before) => sql.run('DELETE FROM voice_transcriptions WHERE updated_at < $1', [before]),
  };
}
