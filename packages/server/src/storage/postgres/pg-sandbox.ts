// PLACEHOLDER on the pg branch, replaced by the port of ../sqlite/sqlite-sandbox.ts: every call throws.
import type { SandboxWorldRepository } from '../ports.ts';
import type { SecretColumns } from '../secret-columns.ts';
import type { Sql } from './pg-sql.ts';

export function pgSandbox(sql: Sql): SandboxWorldRepository {
  void sql;
  return new Proxy({}, { get: (_t, name) => () => { throw new Error(`pgSandbox.${String(name)} is not ported to PostgreSQL yet`); } }) as unknown as SandboxWorldRepository;
}
