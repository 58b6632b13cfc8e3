// The sandbox world on SQLite: assembles the per-noun repositories and resets an app's world in one go.
import type Database from 'better-sqlite3';
import type { SandboxWorldRepository } from '../../sandbox-ports.ts';
import { sqliteSandboxContacts, sqliteSandboxStrangerTickets } from './sqlite-sandbox-contacts.ts';
import { sqliteSandboxDeviceLogins } from './sqlite-sandbox-device-logins.ts';
import { sqliteSandboxFriendRequests } from './sqlite-sandbox-friend-requests.ts';
import { sqliteSandboxLabels } from './sqlite-sandbox-labels.ts';
import { sqliteSandboxLoginSessions } from './sqlite-sandbox-login-sessions.ts';
import { sqliteSandboxMessages } from './sqlite-sandbox-messages.ts';
import { sqliteSandboxMoments } from './sqlite-sandbox-moments.ts';
import { sqliteSandboxOpenIm } from './sqlite-sandbox-openim.ts';
import { sqliteSandboxPeople } from './sqlite-sandbox-people.ts';
import { sqliteSandboxRooms } from './sqlite-sandbox-rooms.ts';
import { sqliteSandboxThirdPartyApps } from './sqlite-sandbox-thirdparty-apps.ts';
import { WORLD_TABLES } from '../../rows/sandbox/sandbox-world-tables.ts';

export type SandboxRow = Record<string, unknown>;
/** A cached prepared statement for `sql`. */
export type SandboxPrepared = (sql: string) => Database.Statement;
/** Runs `fn` once the connection is free for the caller (see SqliteStore). */
export type SandboxRun = <T>(fn: () => T) => Promise<T>;

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
