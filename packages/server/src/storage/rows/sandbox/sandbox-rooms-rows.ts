// Rooms, room members (with their saved-room cursor) and pinned messages from SQL rows, for every SQL store (flags are 0/1).
import type { SandboxRoom, SandboxRoomMember, SandboxRoomTopMsg } from '../../sandbox-ports.ts';

type Row = Record<string, unknown>;

export const roomFromRow = (r: Row): SandboxRoom => ({
  appId: r.app_id as string,
  roomId: r.room_id as string,
  name: r.name as string,
  ownerWxid: r.owner_wxid as string,
  announcement: r.announcement as string,
  announcementEditor: r.announcement_editor as string,
  announcementAt: r.announcement_at as number,
  version: r.version as number,
  infoVersion: r.info_version as number,
  qrcodeIssuedAt: (r.qrcode_issued_at as number | null) ?? null,
  createdAt: r.created_at as number,
});

/** A member row joined with its saved-room entry (`saved_seq`, null when the room is not saved). */
export const memberFromRow = (r: Row): SandboxRoomMember => ({
  appId: r.app_id as string,
  roomId: r.room_id as string,
  wxid: r.wxid as string,
  displayName: r.display_name as string,
  inviterWxid: r.inviter_wxid as string,
  admin: r.admin === 1,
  showNames: r.show_names === 1,
  folded: r.folded === 1,
  muted: r.muted === 1,
  pinned: r.pinned === 1,
  savedSeq: (r.saved_seq as number | null) ?? null,
  joinedAt: r.joined_at as number,
});

export const topMsgFromRow = (r: Row): SandboxRoomTopMsg => ({
  appId: r.app_id as string,
  roomId: r.room_id as string,
  msgId: r.msg_id as string,
  summary: r.summary as string,
  msgInfo: JSON.parse(r.msg_info as string) as Record<string, unknown>,
  operatorWxid: r.operator_wxid as string,
  createdAt: r.created_at as number,
});
