// PLACEHOLDER on the pg branch, replaced by the port of ../sqlite/sqlite-relay.ts: every call throws.
import type { RelayRepository } from '../ports.ts';
import type { SecretColumns } from '../secret-columns.ts';
import type { Sql } from './pg-sql.ts';

export function pgRelay(sql: Sql): RelayRepository {
  void sql;
  return new Proxy({}, { get: (_t, name) => () => { throw new Error(`pgRelay.${String(name)} is not ported to PostgreSQL yet`); } }) as unknown as RelayRepository;
}
