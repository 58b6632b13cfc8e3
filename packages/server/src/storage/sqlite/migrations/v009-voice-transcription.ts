// Migration 9: voice-transcription jobs (voice_id → state, source message or blocks, text or error) and their blocks.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 9,
  name: 'voice-transcription jobs (voice_id → state, source message or blocks, text or error) and their blocks',
  sql: `
    CREATE TABLE voice_transcriptions (
      guid TEXT NOT NULL,
      voice_id TEXT NOT NULL,
      app_id TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('created', 'receiving', 'running', 'done', 'failed')),
      source TEXT CHECK (source IN ('message', 'blocks')),
      msg_id TEXT NOT NULL,
      length_ms INTEGER NOT NULL,
      next_seq INTEGER,
      received_bytes INTEGER NOT NULL,
      text TEXT NOT NULL,
      error TEXT NOT NULL,
      error_message TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (guid, voice_id)
    ) STRICT;
    CREATE INDEX voice_transcriptions_updated ON voice_transcriptions(updated_at);
    CREATE TABLE voice_transcription_blocks (
      guid TEXT NOT NULL,
      voice_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      data BLOB NOT NULL,
      PRIMARY KEY (guid, voice_id, seq),
      FOREIGN KEY (guid, voice_id) REFERENCES voice_transcriptions(guid, voice_id) ON DELETE CASCADE
    ) STRICT;
  `,
};
