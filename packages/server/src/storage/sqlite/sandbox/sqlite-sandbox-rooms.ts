// Sandbox rooms on SQLite: the room, its members in joining order with their own flags, saved-room cursors,
// pending invitations and pinned messages.
import { memberFromRow, roomFromRow, topMsgFromRow } from '../../rows/sandbox/sandbox-rooms-rows.ts';
import { ROOM_TABLES } from '../../rows/sandbox/sandbox-world-tables.ts';
import type { SandboxRoomPatch, SandboxRoomRepository } from '../../sandbox-ports.ts';
import type { SandboxPrepared, SandboxRow, SandboxRun } from './sqlite-sandbox.ts';

/** Column names of the patchable fields; fixed maps, so no caller text reaches the SQL. */
const ROOM_COLUMNS: Record<keyof SandboxRoomPatch, string> = {
  name: 'name', ownerWxid: 'owner_wxid', announcement: 'announcement', announcementEditor: 'announcement_editor',
  announcementAt: 'announcement_at', version: 'version', infoVersion: 'info_version', qrcodeIssuedAt: 'qrcode_issued_at',
};
const MEMBER_COLUMNS = {
  displayName: 'display_name', admin: 'admin', showNames: 'show_names', folded: 'folded', muted: 'muted', pinned: 'pinned',
} as const;

const toSql = (value: unknown) => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

const MEMBER_SELECT = `SELECT m.*, s.seq AS saved_seq FROM sandbox_room_members m
  LEFT JOIN sandbox_saved_rooms s ON s.app_id = m.app_id AND s.wxid = m.wxid AND s.room_id = m.room_id`;

export function sqliteSandboxRooms(prepared: SandboxPrepared, run: SandboxRun): SandboxRoomRepository {
  const patchRows = (table: string, columns: Record<string, string>, patch: Record<string, unknown>, where: string, keys: unknown[]) => {
    for (const [field, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      prepared(`UPDATE ${table} SET ${columns[field]!} = ? WHERE ${where}`).run(toSql(value), ...keys);
    }
  };
  return {
    insert: (room) => run(() => {
      prepared(`INSERT INTO sandbox_rooms (app_id, room_id, name, owner_wxid, announcement, announcement_editor, announcement_at, version,
        info_version, qrcode_issued_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(room.appId, room.roomId, room.name, room.ownerWxid, room.announcement, room.announcementEditor, room.announcementAt,
          room.version, room.infoVersion, room.qrcodeIssuedAt, room.createdAt);
    }),
    get: (appId, roomId) => run(() => {
      const row = prepared('SELECT * FROM sandbox_rooms WHERE app_id = ? AND room_id = ?').get(appId, roomId) as SandboxRow | undefined;
      return row && roomFromRow(row);
    }),
    update: (appId, roomId, patch) => run(() => patchRows('sandbox_rooms', ROOM_COLUMNS, patch, 'app_id = ? AND room_id = ?', [appId, roomId])),
    remove: (appId, roomId) => run(() => {
      for (const table of ROOM_TABLES) prepared(`DELETE FROM ${table} WHERE app_id = ? AND room_id = ?`).run(appId, roomId);
    }),
    members: (appId, roomId) => run(() =>
      (prepared(`${MEMBER_SELECT} WHERE m.app_id = ? AND m.room_id = ? ORDER BY m.joined_at, m.rowid`).all(appId, roomId) as SandboxRow[]).map(memberFromRow)),
    member: (appId, roomId, wxid) => run(() => {
      const row = prepared(`${MEMBER_SELECT} WHERE m.app_id = ? AND m.room_id = ? AND m.wxid = ?`).get(appId, roomId, wxid) as SandboxRow | undefined;
      return row && memberFromRow(row);
    }),
    memberCount: (appId, roomId) => run(() =>
      (prepared('SELECT count(*) AS n FROM sandbox_room_members WHERE app_id = ? AND room_id = ?').get(appId, roomId) as SandboxRow).n as number),
    addMember: (m) => run(() => {
      prepared(`INSERT INTO sandbox_room_members (app_id, room_id, wxid, display_name, inviter_wxid, admin, show_names, folded, muted, pinned, joined_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(m.appId, m.roomId, m.wxid, m.displayName, m.inviterWxid, toSql(m.admin), toSql(m.showNames), toSql(m.folded), toSql(m.muted), toSql(m.pinned), m.joinedAt);
    }),
    updateMember: (appId, roomId, wxid, patch) => run(() =>
      patchRows('sandbox_room_members', MEMBER_COLUMNS, patch, 'app_id = ? AND room_id = ? AND wxid = ?', [appId, roomId, wxid])),
    removeMember: (appId, roomId, wxid) => run(() => {
      prepared('DELETE FROM sandbox_room_members WHERE app_id = ? AND room_id = ? AND wxid = ?').run(appId, roomId, wxid);
      prepared('DELETE FROM sandbox_saved_rooms WHERE app_id = ? AND room_id = ? AND wxid = ?').run(appId, roomId, wxid);
    }),
    setSaved: (appId, roomId, wxid, saved) => run(() => {
      if (saved) prepared('INSERT INTO sandbox_saved_rooms (app_id, wxid, room_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(appId, wxid, roomId);
      else prepared('DELETE FROM sandbox_saved_rooms WHERE app_id = ? AND wxid = ? AND room_id = ?').run(appId, wxid, roomId);
    }),
    savedPage: (appId, wxid, afterSeq, limit) => run(() =>
      (prepared('SELECT seq, room_id FROM sandbox_saved_rooms WHERE app_id = ? AND wxid = ? AND seq > ? ORDER BY seq LIMIT ?').all(appId, wxid, afterSeq, limit) as SandboxRow[])
        .map((r) => ({ seq: r.seq as number, roomId: r.room_id as string }))),
    putInvite: (i) => run(() => {
      prepared(`INSERT INTO sandbox_room_invites (app_id, room_id, invitee_wxid, inviter_wxid, created_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (app_id, room_id, invitee_wxid) DO UPDATE SET inviter_wxid = excluded.inviter_wxid, created_at = excluded.created_at`)
        .run(i.appId, i.roomId, i.inviteeWxid, i.inviterWxid, i.createdAt);
    }),
    invite: (appId, roomId, invitee) => run(() => {
      const r = prepared('SELECT * FROM sandbox_room_invites WHERE app_id = ? AND room_id = ? AND invitee_wxid = ?').get(appId, roomId, invitee) as SandboxRow | undefined;
      return r && { appId, roomId, inviteeWxid: invitee, inviterWxid: r.inviter_wxid as string, createdAt: r.created_at as number };
    }),
    removeInvite: (appId, roomId, invitee) => run(() => {
      prepared('DELETE FROM sandbox_room_invites WHERE app_id = ? AND room_id = ? AND invitee_wxid = ?').run(appId, roomId, invitee);
    }),
    putTopMsg: (p) => run(() => {
      prepared(`INSERT INTO sandbox_room_top_msgs (app_id, room_id, msg_id, summary, msg_info, operator_wxid, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (app_id, room_id, msg_id) DO UPDATE SET summary = excluded.summary, msg_info = excluded.msg_info,
        operator_wxid = excluded.operator_wxid, created_at = excluded.created_at`)
        .run(p.appId, p.roomId, p.msgId, p.summary, JSON.stringify(p.msgInfo), p.operatorWxid, p.createdAt);
    }),
    removeTopMsg: (appId, roomId, msgId) => run(() =>
      prepared('DELETE FROM sandbox_room_top_msgs WHERE app_id = ? AND room_id = ? AND msg_id = ?').run(appId, roomId, msgId).changes > 0),
    topMsgs: (appId, roomId) => run(() =>
      (prepared('SELECT * FROM sandbox_room_top_msgs WHERE app_id = ? AND room_id = ? ORDER BY created_at, rowid').all(appId, roomId) as SandboxRow[]).map(topMsgFromRow)),
  };
}
