// Sandbox friend requests on SQLite: the newest request between two people replaces the older one.
import type { SandboxFriendRequestRepository } from '../../sandbox-ports.ts';
import { requestFromRow } from '../../rows/sandbox/sandbox-friend-requests-rows.ts';
import type { SandboxPrepared, SandboxRow, SandboxRun } from './sqlite-sandbox.ts';

export function sqliteSandboxFriendRequests(prepared: SandboxPrepared, run: SandboxRun): SandboxFriendRequestRepository {
  return {
    put: (r) => run(() => {
      prepared(`INSERT INTO sandbox_friend_requests (app_id, from_wxid, to_wxid, encrypt_username, ticket, verify_content, scene, state, created_at, expires_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (app_id, from_wxid, to_wxid) DO UPDATE SET encrypt_username = excluded.encrypt_username,
        ticket = excluded.ticket, verify_content = excluded.verify_content, scene = excluded.scene, state = excluded.state,
        created_at = excluded.created_at, expires_at = excluded.expires_at`)
        .run(r.appId, r.fromWxid, r.toWxid, r.encryptUsername, r.ticket, r.verifyContent, r.scene, r.state, r.createdAt, r.expiresAt);
    }),
    get: (appId, from, to) => run(() => {
      const row = prepared('SELECT * FROM sandbox_friend_requests WHERE app_id = ? AND from_wxid = ? AND to_wxid = ?').get(appId, from, to) as SandboxRow | undefined;
      return row && requestFromRow(row);
    }),
    setState: (appId, from, to, state) => run(() => {
      prepared('UPDATE sandbox_friend_requests SET state = ? WHERE app_id = ? AND from_wxid = ? AND to_wxid = ?').run(state, appId, from, to);
    }),
  };
}
