// Sandbox login sessions on SQLite: one row per instance; the current attempt is kept as JSON (it is read whole).
import type { SandboxLoginSessionRepository } from '../../sandbox-ports.ts';
import { accountFromRow, accountQuery, sessionFromRow } from '../../rows/sandbox/sandbox-login-sessions-rows.ts';
import type { SandboxPrepared, SandboxRow, SandboxRun } from './sqlite-sandbox.ts';

const ACCOUNT = accountQuery(() => '?');

export function sqliteSandboxLoginSessions(prepared: SandboxPrepared, run: SandboxRun): SandboxLoginSessionRepository {
  return {
    account: (appId, guid) => run(() => {
      const row = prepared(ACCOUNT).get(appId, guid) as SandboxRow | undefined;
      return row && accountFromRow(row);
    }),
    get: (guid) => run(() => {
      const row = prepared('SELECT * FROM sandbox_login_sessions WHERE guid = ?').get(guid) as SandboxRow | undefined;
      return row && sessionFromRow(row);
    }),
    put: (s) => run(() => {
      prepared(`INSERT INTO sandbox_login_sessions (guid, app_id, attempt, last_wxid, sync_failed) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (guid) DO UPDATE SET app_id = excluded.app_id, attempt = excluded.attempt, last_wxid = excluded.last_wxid, sync_failed = excluded.sync_failed`)
        .run(s.guid, s.appId, s.attempt === null ? null : JSON.stringify(s.attempt), s.lastWxid, s.syncFailed ? 1 : 0);
    }),
  };
}
