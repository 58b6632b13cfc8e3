// Sandbox friend requests from SQL rows, for every SQL store (the same columns).
import type { SandboxFriendRequest } from '../../sandbox-ports.ts';

type Row = Record<string, unknown>;

export const requestFromRow = (r: Row): SandboxFriendRequest => ({
  appId: r.app_id as string,
  fromWxid: r.from_wxid as string,
  toWxid: r.to_wxid as string,
  encryptUsername: r.encrypt_username as string,
  ticket: r.ticket as string,
  verifyContent: r.verify_content as string,
  scene: r.scene as number,
  state: r.state as SandboxFriendRequest['state'],
  createdAt: r.created_at as number,
  expiresAt: r.expires_at as number,
});
