// PLACEHOLDER, replaced by the port of ../../sqlite/sqlite-sandbox-messages.ts: every call throws.
import type { SandboxMessageRepository } from '../../sandbox-message-ports.ts';
import type { Sql } from '../pg-sql.ts';

const notPorted = (what: string) => new Proxy({}, { get: (_t, name) => () => { throw new Error(`${what}.${String(name)} is not ported to PostgreSQL yet`); } });

export function pgSandboxMessages(sql: Sql): SandboxMessageRepository {
  void sql;
  return notPorted('pgSandboxMessages') as unknown as SandboxMessageRepository;
}
