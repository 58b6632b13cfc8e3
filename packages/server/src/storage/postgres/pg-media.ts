// PLACEHOLDER on the pg branch, replaced by the port of ../sqlite/sqlite-media.ts: every call throws.
import type { CdnObjectRepository } from '../ports.ts';
import type { SecretColumns } from '../secret-columns.ts';
import type { Sql } from './pg-sql.ts';

export function pgMedia(sql: Sql, secrets: SecretColumns): CdnObjectRepository {
  void sql;
  return new Proxy({}, { get: (_t, name) => () => { throw new Error(`pgMedia.${String(name)} is not ported to PostgreSQL yet`); } }) as unknown as CdnObjectRepository;
}
