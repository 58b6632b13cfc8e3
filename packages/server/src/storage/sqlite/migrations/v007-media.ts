// Migration 7: media: CDN object index (file_id + rendition → encrypted blob, key verifier, md5, crc) and media secrets.
import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 7,
  name: 'media: CDN object index (file_id + rendition → encrypted blob, key verifier, md5, crc) and media secrets',
  sql: `
    CREATE TABLE cdn_objects (
      file_id TEXT NOT NULL,
      rendition TEXT NOT NULL CHECK (rendition IN ('original', 'mid', 'thumb', 'main')),
      app_id TEXT NOT NULL,
      owner_guid TEXT,
      media_kind TEXT NOT NULL,
      blob_id TEXT NOT NULL,
      key_verifier TEXT NOT NULL,
      md5 TEXT NOT NULL,
      size INTEGER NOT NULL,
      cipher_size INTEGER NOT NULL,
      crc32 INTEGER NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      duration_ms INTEGER NOT NULL,
      file_name TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (file_id, rendition)
    ) STRICT;
    CREATE INDEX cdn_objects_blob ON cdn_objects(blob_id);
    CREATE TABLE media_secrets (
      name TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT;
  `,
};
