// PLACEHOLDER, replaced by the port of ../../sqlite/sqlite-sandbox-rooms.ts: every call throws.
import type { SandboxRoomRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

const notPorted = (what: string) => new Proxy({}, { get: (_t, name) => () => { throw new Error(`${what}.${String(name)} is not ported to PostgreSQL yet`); } });

export function pgSandboxRooms(sql: Sql): SandboxRoomRepository {
  void sql;
  return notPorted('pgSandboxRooms') as unknown as SandboxRoomRepository;
}
