// PLACEHOLDER, replaced by the port of ../../sqlite/sqlite-sandbox-thirdparty-apps.ts: every call throws.
import type { SandboxThirdPartyAppRepository } from '../../sandbox-thirdparty-ports.ts';
import type { Sql } from '../pg-sql.ts';

const notPorted = (what: string) => new Proxy({}, { get: (_t, name) => () => { throw new Error(`${what}.${String(name)} is not ported to PostgreSQL yet`); } });

export function pgSandboxThirdPartyApps(sql: Sql): SandboxThirdPartyAppRepository {
  void sql;
  return notPorted('pgSandboxThirdPartyApps') as unknown as SandboxThirdPartyAppRepository;
}
