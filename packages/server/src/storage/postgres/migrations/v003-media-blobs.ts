// PostgreSQL migration 3: the media blobs themselves (WXGATE_MEDIA_STORE=postgres), so every node of a cluster reads
// what any node stored; PostgreSQL only — SQLite's blobs stay files in DATA_DIR/media.
import type { Migration } from '../../sqlite/migrations.ts';

export const migration: Migration = {
  version: 3,
  name: 'media blobs (the postgres media store)',
  sql: `
    CREATE TABLE media_blobs (
      blob_id TEXT PRIMARY KEY CHECK (blob_id ~ '^[0-9a-f]{64}$'),
      data BYTEA NOT NULL,
      size BIGINT NOT NULL,
      created_at BIGINT NOT NULL,
      CHECK (size = octet_length(data))
    );
    -- Out of line and uncompressed: ciphertext does not compress, so pglz would only burn CPU, and a read by slices
    -- (substring) of an uncompressed value fetches just the TOAST chunks it covers instead of decompressing from the start.
    ALTER TABLE media_blobs ALTER COLUMN data SET STORAGE EXTERNAL;
  `,
};
