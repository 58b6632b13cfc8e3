// The sandbox world on PostgreSQL: assembles the per-noun repositories and resets an app's world in one go.
import { WORLD_TABLES } from '../../rows/sandbox/sandbox-world-tables.ts';
import type { SandboxWorldRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';
import { pgSandboxContacts, pgSandboxStrangerTickets } from './pg-sandbox-contacts.ts';
import { pgSandboxDeviceLogins } from './pg-sandbox-device-logins.ts';
import { pgSandboxFriendRequests } from './pg-sandbox-friend-requests.ts';
import { pgSandboxLabels } from './pg-sandbox-labels.ts';
import { pgSandboxLoginSessions } from './pg-sandbox-login-sessions.ts';
import { pgSandboxMessages } from './pg-sandbox-messages.ts';
import { pgSandboxMoments } from './pg-sandbox-moments.ts';
import { pgSandboxOpenIm } from './pg-sandbox-openim.ts';
import { pgSandboxPeople } from './pg-sandbox-people.ts';
import { pgSandboxRooms } from './pg-sandbox-rooms.ts';
import { pgSandboxThirdPartyApps } from './pg-sandbox-thirdparty-apps.ts';


export function pgSandbox(sql: Sql): SandboxWorldRepository {
  return {
    people: pgSandboxPeople(sql),
    contacts: pgSandboxContacts(sql),
    strangerTickets: pgSandboxStrangerTickets(sql),
    friendRequests: pgSandboxFriendRequests(sql),
    loginSessions: pgSandboxLoginSessions(sql),
    messages: pgSandboxMessages(sql),
    rooms: pgSandboxRooms(sql),
    labels: pgSandboxLabels(sql),
    moments: pgSandboxMoments(sql),
    deviceLogins: pgSandboxDeviceLogins(sql),
    thirdPartyApps: pgSandboxThirdPartyApps(sql),
    openim: pgSandboxOpenIm(sql),
    reset: (appId) => sql.atomic(async (tx) => {
      for (const table of WORLD_TABLES) await tx.run(`DELETE FROM ${table} WHERE app_id = $1`, [appId]);
      return tx.run('DELETE FROM sandbox_people WHERE app_id = $1', [appId]);
    }),
  };
}
