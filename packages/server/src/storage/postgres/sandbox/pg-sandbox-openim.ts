// PLACEHOLDER, replaced by the port of ../../sqlite/sqlite-sandbox-openim.ts: every call throws.
import type { SandboxOpenImRepository } from '../../sandbox-openim-ports.ts';
import type { Sql } from '../pg-sql.ts';

const notPorted = (what: string) => new Proxy({}, { get: (_t, name) => () => { throw new Error(`${what}.${String(name)} is not ported to PostgreSQL yet`); } });

export function pgSandboxOpenIm(sql: Sql): SandboxOpenImRepository {
  void sql;
  return notPorted('pgSandboxOpenIm') as unknown as SandboxOpenImRepository;
}
