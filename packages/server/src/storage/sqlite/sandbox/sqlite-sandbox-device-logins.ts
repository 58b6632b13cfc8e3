// When each account first logged in on each device (instance), on SQLite: the start of WeChat's new-device period.
import type { SandboxDeviceLoginRepository } from '../../sandbox-ports.ts';
import type { SandboxPrepared, SandboxRow, SandboxRun } from './sqlite-sandbox.ts';

export function sqliteSandboxDeviceLogins(prepared: SandboxPrepared, run: SandboxRun): SandboxDeviceLoginRepository {
  const first = (guid: string, wxid: string) =>
    (prepared('SELECT first_login_at FROM sandbox_device_logins WHERE guid = ? AND wxid = ?').get(guid, wxid) as SandboxRow | undefined)?.first_login_at as number | undefined;
  return {
    record: (appId, guid, wxid, at) => run(() => {
      prepared('INSERT INTO sandbox_device_logins (app_id, guid, wxid, first_login_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(appId, guid, wxid, at);
      return first(guid, wxid)!;
    }),
    firstLogin: (guid, wxid) => run(() => first(guid, wxid)),
  };
}
