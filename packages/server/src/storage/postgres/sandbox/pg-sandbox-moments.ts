// PLACEHOLDER, replaced by the port of ../../sqlite/sqlite-sandbox-moments.ts: every call throws.
import type { SandboxMomentRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

const notPorted = (what: string) => new Proxy({}, { get: (_t, name) => () => { throw new Error(`${what}.${String(name)} is not ported to PostgreSQL yet`); } });

export function pgSandboxMoments(sql: Sql): SandboxMomentRepository {
  void sql;
  return notPorted('pgSandboxMoments') as unknown as SandboxMomentRepository;
}
