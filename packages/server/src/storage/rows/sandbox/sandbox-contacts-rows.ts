// Sandbox contact entries and stranger tickets from SQL rows, for every SQL store (label_ids: the ids comma-joined, or null).
import type { SandboxContactEntry, SandboxStrangerTicket } from '../../sandbox-ports.ts';

type Row = Record<string, unknown>;

export const entryFromRow = (r: Row): SandboxContactEntry => ({
  appId: r.app_id as string,
  ownerWxid: r.owner_wxid as string,
  contactWxid: r.contact_wxid as string,
  remark: r.remark as string,
  pinned: r.pinned === 1,
  addScene: r.add_scene as number,
  seq: r.seq as number,
  createdAt: r.created_at as number,
  labelIds: r.label_ids ? (r.label_ids as string).split(',').map(Number).sort((a, b) => a - b) : [],
});

export const ticketFromRow = (r: Row): SandboxStrangerTicket => ({
  appId: r.app_id as string,
  viewerWxid: r.viewer_wxid as string,
  targetWxid: r.target_wxid as string,
  encryptUsername: r.encrypt_username as string,
  ticket: r.ticket as string,
  expiresAt: r.expires_at as number,
});
