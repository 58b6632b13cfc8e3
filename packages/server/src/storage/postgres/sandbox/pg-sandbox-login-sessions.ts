// Sandbox login sessions on PostgreSQL: one row per instance; the current attempt is kept as JSON (it is read whole).
import { accountFromRow, accountQuery, sessionFromRow } from '../../rows/sandbox/sandbox-login-sessions-rows.ts';
import type { SandboxLoginSessionRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

const ACCOUNT = accountQuery((n) => `$${n}`);

export function pgSandboxLoginSessions(sql: Sql): SandboxLoginSessionRepository {
  return {
    account: async (appId, guid) => {
      const row = await sql.row(ACCOUNT, [appId, guid]);
      return row && accountFromRow(row);
    },
    get: async (guid) => {
      const row = await sql.row('SELECT * FROM sandbox_login_sessions WHERE guid = $1', [guid]);
      return row && sessionFromRow(row);
    },
    put: async (s) => {
      await sql.run(`INSERT INTO sandbox_login_sessions (guid, app_id, attempt, last_wxid, sync_failed) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (guid) DO UPDATE SET app_id = excluded.app_id, attempt = excluded.attempt, last_wxid = excluded.last_wxid, sync_failed = excluded.sync_failed`,
      [s.guid, s.appId, s.attempt === null ? null : JSON.stringify(s.attempt), s.lastWxid, s.syncFailed ? 1 : 0]);
    },
  };
}
