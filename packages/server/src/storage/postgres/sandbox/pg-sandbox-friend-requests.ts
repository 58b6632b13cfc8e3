// PLACEHOLDER, replaced by the port of ../../sqlite/sqlite-sandbox-friend-requests.ts: every call throws.
import type { SandboxFriendRequestRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

const notPorted = (what: string) => new Proxy({}, { get: (_t, name) => () => { throw new Error(`${what}.${String(name)} is not ported to PostgreSQL yet`); } });

export function pgSandboxFriendRequests(sql: Sql): SandboxFriendRequestRepository {
  void sql;
  return notPorted('pgSandboxFriendRequests') as unknown as SandboxFriendRequestRepository;
}
