// PLACEHOLDER on the pg branch, replaced by the port of ../sqlite/sqlite-voice.ts: every call throws.
import type { VoiceTranscriptionRepository } from '../ports.ts';
import type { SecretColumns } from '../secret-columns.ts';
import type { Sql } from './pg-sql.ts';

export function pgVoice(sql: Sql): VoiceTranscriptionRepository {
  void sql;
  return new Proxy({}, { get: (_t, name) => () => { throw new Error(`pgVoice.${String(name)} is not ported to PostgreSQL yet`); } }) as unknown as VoiceTranscriptionRepository;
}
