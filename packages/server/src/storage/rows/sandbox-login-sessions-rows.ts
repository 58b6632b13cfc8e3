// Sandbox login sessions from SQL rows, for every SQL store (the attempt is JSON text, null when none).
import type { SandboxLoginAttempt, SandboxLoginSession } from '../sandbox-ports.ts';

type Row = Record<string, unknown>;

export const sessionFromRow = (r: Row): SandboxLoginSession => ({
  guid: r.guid as string,
  appId: r.app_id as string,
  attempt: r.attempt === null ? null : JSON.parse(r.attempt as string) as SandboxLoginAttempt,
  lastWxid: (r.last_wxid as string | null) ?? null,
  syncFailed: r.sync_failed === 1,
});
