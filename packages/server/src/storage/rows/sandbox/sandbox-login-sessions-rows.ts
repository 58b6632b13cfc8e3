// Sandbox login sessions from SQL rows, for every SQL store (the attempt is JSON text, null when none).
import type { SandboxAccountView, SandboxLoginAttempt, SandboxLoginSession } from '../../sandbox-ports.ts';
import { personFromRow } from './sandbox-people-rows.ts';

type Row = Record<string, unknown>;

export const sessionFromRow = (r: Row): SandboxLoginSession => ({
  guid: r.guid as string,
  appId: r.app_id as string,
  attempt: r.attempt === null ? null : JSON.parse(r.attempt as string) as SandboxLoginAttempt,
  lastWxid: (r.last_wxid as string | null) ?? null,
  syncFailed: r.sync_failed === 1,
});

/**
 * What loginSessions.account selects, with the placeholder each engine uses: the instance's login and session flag
 * beside the person's columns (all null when there is no such person).
 */
export const accountQuery = (placeholder: (n: number) => string): string => `SELECT i.login_wxid AS instance_login_wxid,
  s.sync_failed AS session_sync_failed, p.* FROM instances i
  LEFT JOIN sandbox_login_sessions s ON s.guid = i.guid
  LEFT JOIN sandbox_people p ON p.app_id = ${placeholder(1)} AND p.wxid = i.login_wxid
  WHERE i.guid = ${placeholder(2)}`;

export const accountFromRow = (r: Row): SandboxAccountView => ({
  loginWxid: (r.instance_login_wxid as string | null) ?? null,
  syncFailed: r.session_sync_failed === 1,
  person: r.wxid === null || r.wxid === undefined ? undefined : personFromRow(r),
});
