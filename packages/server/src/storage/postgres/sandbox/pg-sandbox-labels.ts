// PLACEHOLDER, replaced by the port of ../../sqlite/sqlite-sandbox-labels.ts: every call throws.
import type { SandboxLabelRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

const notPorted = (what: string) => new Proxy({}, { get: (_t, name) => () => { throw new Error(`${what}.${String(name)} is not ported to PostgreSQL yet`); } });

export function pgSandboxLabels(sql: Sql): SandboxLabelRepository {
  void sql;
  return notPorted('pgSandboxLabels') as unknown as SandboxLabelRepository;
}
