// The CDN object index and media secrets (encrypted at rest) on SQLite (tables cdn_objects, media_secrets; migration 7).
import type Database from 'better-sqlite3';
import type { CdnObjectRepository } from '../media-ports.ts';
import { objectFromRow } from '../rows/media-rows.ts';
import { secretContext, type SecretColumns } from '../secret-columns.ts';

type Row = Record<string, unknown>;
type Prepared = (sql: string) => Database.Statement;
type Run = <T>(fn: () => T) => Promise<T>;

export function sqliteMedia(prepared: Prepared, run: Run, secrets: SecretColumns): CdnObjectRepository {
  return {
    insert: (o) => run(() => {
      prepared(`INSERT INTO cdn_objects (file_id, rendition, app_id, owner_guid, media_kind, blob_id, key_verifier, md5, size, cipher_size, crc32,
        width, height, duration_ms, file_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(o.fileId.toLowerCase(), o.rendition, o.appId, o.ownerGuid, o.mediaKind, o.blobId, o.keyVerifier, o.md5, o.size, o.cipherSize, o.crc32,
          o.width, o.height, o.durationMs, o.fileName, o.createdAt);
    }),
    get: (fileId, rendition) => run(() => {
      const row = prepared('SELECT * FROM cdn_objects WHERE file_id = ? AND rendition = ?').get(fileId.toLowerCase(), rendition) as Row | undefined;
      return row && objectFromRow(row);
    }),
    renditions: (fileId) => run(() =>
      (prepared('SELECT * FROM cdn_objects WHERE file_id = ? ORDER BY rendition').all(fileId.toLowerCase()) as Row[]).map(objectFromRow)),
    blobReferences: (blobId) => run(() =>
      (prepared('SELECT COUNT(*) AS n FROM cdn_objects WHERE blob_id = ?').get(blobId) as Row).n as number),
    delete: (fileId) => run(() => {
      prepared('DELETE FROM cdn_objects WHERE file_id = ?').run(fileId.toLowerCase());
    }),
    secret: (name, candidate, now) => run(() => {
      const context = secretContext.mediaSecret(name);
      prepared('INSERT OR IGNORE INTO media_secrets (name, value, created_at) VALUES (?, ?, ?)').run(name, secrets.seal(candidate, context), now);
      return secrets.open((prepared('SELECT value FROM media_secrets WHERE name = ?').get(name) as Row).value as string, context);
    }),
  };
}
