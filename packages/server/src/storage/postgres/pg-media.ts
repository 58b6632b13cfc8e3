// The CDN object index and media secrets (encrypted at rest) on PostgreSQL (tables cdn_objects, media_secrets).
import type { CdnObjectRepository } from '../media-ports.ts';
import { objectFromRow } from '../rows/media-rows.ts';
import { secretContext, type SecretColumns } from '../secret-columns.ts';
import type { Sql } from './pg-sql.ts';

export function pgMedia(sql: Sql, secrets: SecretColumns): CdnObjectRepository {
  return {
    insert: async (o) => {
      await sql.run(`INSERT INTO cdn_objects (file_id, rendition, app_id, owner_guid, media_kind, blob_id, key_verifier, md5, size, cipher_size, crc32,
        width, height, duration_ms, file_name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [o.fileId.toLowerCase(), o.rendition, o.appId, o.ownerGuid, o.mediaKind, o.blobId, o.keyVerifier, o.md5, o.size, o.cipherSize, o.crc32,
        o.width, o.height, o.durationMs, o.fileName, o.createdAt]);
    },
    get: async (fileId, rendition) => {
      const row = await sql.row('SELECT * FROM cdn_objects WHERE file_id = $1 AND rendition = $2', [fileId.toLowerCase(), rendition]);
      return row && objectFromRow(row);
    },
    renditions: async (fileId) =>
      (await sql.rows('SELECT * FROM cdn_objects WHERE file_id = $1 ORDER BY rendition', [fileId.toLowerCase()])).map(objectFromRow),
    blobReferences: async (blobId) => (await sql.row('SELECT count(*) AS n FROM cdn_objects WHERE blob_id = $1', [blobId]))!.n as number,
    delete: async (fileId) => {
      await sql.run('DELETE FROM cdn_objects WHERE file_id = $1', [fileId.toLowerCase()]);
    },
    // A racing first caller's insert waits for the winner's commit and then does nothing; the select, a statement of
    // its own, sees the winner's row, so every racer opens the same secret.
    secret: (name, candidate, now) => sql.atomic(async (tx) => {
      const context = secretContext.mediaSecret(name);
      await tx.run('INSERT INTO media_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
        [name, secrets.seal(candidate, context), now]);
      return secrets.open((await tx.row('SELECT value FROM media_secrets WHERE name = $1', [name]))!.value as string, context);
    }),
  };
}
