// Voice-transcription jobs on SQLite (tables voice_transcriptions, voice_transcription_blocks; migration 9).
import type Database from 'better-sqlite3';
import { jobFromRow, patchColumns } from '../rows/voice-rows.ts';
import type { VoiceTranscriptionRepository } from '../voice-ports.ts';

type Row = Record<string, unknown>;
type Prepared = (sql: string) => Database.Statement;
type Run = <T>(fn: () => T) => Promise<T>;

export function sqliteVoice(prepared: Prepared, run: Run): VoiceTranscriptionRepository {
  return {
    insert: (j) => run(() => {
      prepared(`INSERT INTO voice_transcriptions (guid, voice_id, app_id, state, source, msg_id, length_ms, next_seq, received_bytes, text, error,
        error_message, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(j.guid, j.voiceId, j.appId, j.state, j.source, j.msgId, j.lengthMs, j.nextSeq, j.receivedBytes, j.text, j.error, j.errorMessage, j.createdAt, j.updatedAt);
    }),
    get: (guid, voiceId) => run(() => {
      const row = prepared('SELECT * FROM voice_transcriptions WHERE guid = ? AND voice_id = ?').get(guid, voiceId) as Row | undefined;
      return row && jobFromRow(row);
    }),
    update: (guid, voiceId, patch, now) => run(() => {
      const entries = patchColumns(patch);
      const sets = [...entries.map(([column]) => `${column} = ?`), 'updated_at = ?'];
      prepared(`UPDATE voice_transcriptions SET ${sets.join(', ')} WHERE guid = ? AND voice_id = ?`)
        .run(...entries.map(([, value]) => value), now, guid, voiceId);
    }),
    addBlock: (guid, voiceId, seq, data) => run(() => {
      prepared('INSERT INTO voice_transcription_blocks (guid, voice_id, seq, data) VALUES (?, ?, ?, ?)').run(guid, voiceId, seq, data);
    }),
    block: (guid, voiceId, seq) => run(() => {
      const row = prepared('SELECT data FROM voice_transcription_blocks WHERE guid = ? AND voice_id = ? AND seq = ?').get(guid, voiceId, seq) as Row | undefined;
      return row && (row.data as Buffer);
    }),
    blocks: (guid, voiceId) => run(() =>
      Buffer.concat((prepared('SELECT data FROM voice_transcription_blocks WHERE guid = ? AND voice_id = ? ORDER BY seq').all(guid, voiceId) as Row[])
        .map((r) => r.data as Buffer))),
    prune: (before) => run(() => prepared('DELETE FROM voice_transcriptions WHERE updated_at < ?').run(before).changes),
  };
}
