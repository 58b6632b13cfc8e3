// PLACEHOLDER, replaced by the port of ../../sqlite/sqlite-sandbox-device-logins.ts: every call throws.
import type { SandboxDeviceLoginRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

const notPorted = (what: string) => new Proxy({}, { get: (_t, name) => () => { throw new Error(`${what}.${String(name)} is not ported to PostgreSQL yet`); } });

export function pgSandboxDeviceLogins(sql: Sql): SandboxDeviceLoginRepository {
  void sql;
  return notPorted('pgSandboxDeviceLogins') as unknown as SandboxDeviceLoginRepository;
}
