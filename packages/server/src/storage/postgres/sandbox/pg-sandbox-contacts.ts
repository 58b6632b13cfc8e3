// PLACEHOLDER, replaced by the port of ../../sqlite/sqlite-sandbox-contacts.ts: every call throws.
import type { SandboxContactRepository } from '../../sandbox-ports.ts';
import type { SandboxStrangerTicketRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

const notPorted = (what: string) => new Proxy({}, { get: (_t, name) => () => { throw new Error(`${what}.${String(name)} is not ported to PostgreSQL yet`); } });

export function pgSandboxContacts(sql: Sql): SandboxContactRepository {
  void sql;
  return notPorted('pgSandboxContacts') as unknown as SandboxContactRepository;
}

export function pgSandboxStrangerTickets(sql: Sql): SandboxStrangerTicketRepository {
  void sql;
  return notPorted('pgSandboxStrangerTickets') as unknown as SandboxStrangerTicketRepository;
}
