// PLACEHOLDER on the pg branch, replaced by the port of ../sqlite/sqlite-send-pacing.ts: every call throws.
import type { SendPacingRepository } from '../ports.ts';
import type { SecretColumns } from '../secret-columns.ts';
import type { Sql } from './pg-sql.ts';

export function pgSendPacing(sql: Sql): SendPacingRepository {
  void sql;
  return new Proxy({}, { get: (_t, name) => () => { throw new Error(`pgSendPacing.${String(name)} is not ported to PostgreSQL yet`); } }) as unknown as SendPacingRepository;
}
