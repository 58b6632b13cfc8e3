// When each account first logged in on each device (instance), on PostgreSQL: the start of WeChat's new-device period.
import type { SandboxDeviceLoginRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

export function pgSandboxDeviceLogins(sql: Sql): SandboxDeviceLoginRepository {
  return {
    // The no-op DO UPDATE (rather than DO NOTHING) makes RETURNING answer the stored row when there is one: a racing
    // first login waits for the winner's commit and then answers the winner's time, in one statement.
    record: async (appId, guid, wxid, at) =>
      (await sql.row(`INSERT INTO sandbox_device_logins (app_id, guid, wxid, first_login_at) VALUES ($1, $2, $3, $4)
        ON CONFLICT (guid, wxid) DO UPDATE SET first_login_at = sandbox_device_logins.first_login_at RETURNING first_login_at`,
      [appId, guid, wxid, at]))!.first_login_at as number,
    firstLogin: async (guid, wxid) =>
      (await sql.row('SELECT first_login_at FROM sandbox_device_logins WHERE guid = $1 AND wxid = $2', [guid, wxid]))?.first_login_at as number | undefined,
  };
}
