// PLACEHOLDER, replaced by the port of ../../sqlite/sqlite-sandbox-people.ts: every call throws.
import type { SandboxPeopleRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

const notPorted = (what: string) => new Proxy({}, { get: (_t, name) => () => { throw new Error(`${what}.${String(name)} is not ported to PostgreSQL yet`); } });

export function pgSandboxPeople(sql: Sql): SandboxPeopleRepository {
  void sql;
  return notPorted('pgSandboxPeople') as unknown as SandboxPeopleRepository;
}
