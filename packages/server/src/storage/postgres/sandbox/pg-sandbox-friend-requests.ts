// Sandbox friend requests on PostgreSQL: the newest request between two people replaces the older one.
import { requestFromRow } from '../../rows/sandbox/sandbox-friend-requests-rows.ts';
import type { SandboxFriendRequestRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

export function pgSandboxFriendRequests(sql: Sql): SandboxFriendRequestRepository {
  return {
    put: async (r) => {
      await sql.run(`INSERT INTO sandbox_friend_requests (app_id, from_wxid, to_wxid, encrypt_username, ticket, verify_content, scene, state, created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (app_id, from_wxid, to_wxid) DO UPDATE SET encrypt_username = excluded.encrypt_username,
        ticket = excluded.ticket, verify_content = excluded.verify_content, scene = excluded.scene, state = excluded.state,
        created_at = excluded.created_at, expires_at = excluded.expires_at`,
      [r.appId, r.fromWxid, r.toWxid, r.encryptUsername, r.ticket, r.verifyContent, r.scene, r.state, r.createdAt, r.expiresAt]);
    },
    get: async (appId, from, to) => {
      const row = await sql.row('SELECT * FROM sandbox_friend_requests WHERE app_id = $1 AND from_wxid = $2 AND to_wxid = $3', [appId, from, to]);
      return row && requestFromRow(row);
    },
    setState: async (appId, from, to, state) => {
      await sql.run('UPDATE sandbox_friend_requests SET state = $1 WHERE app_id = $2 AND from_wxid = $3 AND to_wxid = $4', [state, appId, from, to]);
    },
  };
}
