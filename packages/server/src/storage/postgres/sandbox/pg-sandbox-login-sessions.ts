// PLACEHOLDER, replaced by the port of ../../sqlite/sqlite-sandbox-login-sessions.ts: every call throws.
import type { SandboxLoginSessionRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

const notPorted = (what: string) => new Proxy({}, { get: (_t, name) => () => { throw new Error(`${what}.${String(name)} is not ported to PostgreSQL yet`); } });

export function pgSandboxLoginSessions(sql: Sql): SandboxLoginSessionRepository {
  void sql;
  return notPorted('pgSandboxLoginSessions') as unknown as SandboxLoginSessionRepository;
}
