// The sandbox world on SQLite: assembles the per-noun repositories and resets an app's world in one go.
import type Database from 'better-sqlite3';
import type { SandboxWorldRepository } from '../sandbox-ports.ts';
import { sqliteSandboxContacts, sqliteSandboxStrangerTickets } from './sqlite-sandbox-contacts.ts';
import { sqliteSandboxDeviceLogins } from './sqlite-sandbox-device-logins.ts';
import { sqliteSandboxFriendRequests } from './sqlite-sandbox-friend-requests.ts';
import { LABEL_TABLES, sqliteSandboxLabels } from './sqlite-sandbox-labels.ts';
import { sqliteSandboxLoginSessions } from './sqlite-sandbox-login-sessions.ts';
import { MESSAGE_TABLES, sqliteSandboxMessages } from './sqlite-sandbox-messages.ts';
import { MOMENT_TABLES, sqliteSandboxMoments } from './sqlite-sandbox-moments.ts';
import { OPENIM_TABLES, sqliteSandboxOpenIm } from './sqlite-sandbox-openim.ts';
import { sqliteSandboxPeople } from './sqlite-sandbox-people.ts';
import { ROOM_TABLES, sqliteSandboxRooms } from './sqlite-sandbox-rooms.ts';
import { sqliteSandboxThirdPartyApps, THIRDPARTY_APP_TABLES } from './sqlite-sandbox-thirdparty-apps.ts';

export type SandboxRow = Record<string, unknown>;
/** A cached prepared statement for `sql`. */
export type SandboxPrepared = (sql: string) => Database.Statement;
/** Runs `fn` once the connection is free for the caller (see SqliteStore). */
export type SandboxRun = <T>(fn: () => T) => Promise<T>;

const WORLD_TABLES = ['sandbox_contacts', 'sandbox_stranger_tickets', 'sandbox_friend_requests', 'sandbox_login_sessions', ...MESSAGE_TABLES,
  ...ROOM_TABLES, ...LABEL_TABLES, ...MOMENT_TABLES, 'sandbox_device_logins', ...THIRDPARTY_APP_TABLES, ...OPENIM_TABLES] as const;

export function sqliteSandbox(prepared: SandboxPrepared, run: SandboxRun): SandboxWorldRepository {
  return {
    people: sqliteSandboxPeople(prepared, run),
    contacts: sqliteSandboxContacts(prepared, run),
    strangerTickets: sqliteSandboxStrangerTickets(prepared, run),
    friendRequests: sqliteSandboxFriendRequests(prepared, run),
    loginSessions: sqliteSandboxLoginSessions(prepared, run),
    messages: sqliteSandboxMessages(prepared, run),
    rooms: sqliteSandboxRooms(prepared, run),
    labels: sqliteSandboxLabels(prepared, run),
    moments: sqliteSandboxMoments(prepared, run),
    deviceLogins: sqliteSandboxDeviceLogins(prepared, run),
    thirdPartyApps: sqliteSandboxThirdPartyApps(prepared, run),
    openim: sqliteSandboxOpenIm(prepared, run),
    reset: (appId) => run(() => {
      for (const table of WORLD_TABLES) prepared(`DELETE FROM ${table} WHERE app_id = ?`).run(appId);
      return prepared('DELETE FROM sandbox_people WHERE app_id = ?').run(appId).changes;
    }),
  };
}
