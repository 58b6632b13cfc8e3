// Sandbox rooms on PostgreSQL: the room, its members in joining order with their own flags, saved-room cursors,
// pending invitations and pinned messages.
import { memberFromRow, roomFromRow, topMsgFromRow } from '../../rows/sandbox/sandbox-rooms-rows.ts';
import { ROOM_TABLES } from '../../rows/sandbox/sandbox-world-tables.ts';
import type { SandboxRoomMemberPatch, SandboxRoomPatch, SandboxRoomRepository } from '../../sandbox-ports.ts';
import { toColumn } from '../pg-core.ts';
import type { Sql } from '../pg-sql.ts';

/** Column names of the patchable fields; fixed maps, so no caller text reaches the SQL. */
const ROOM_COLUMNS: Record<keyof SandboxRoomPatch, string> = {
  name: 'name', ownerWxid: 'owner_wxid', announcement: 'announcement', announcementEditor: 'announcement_editor',
  announcementAt: 'announcement_at', version: 'version', infoVersion: 'info_version', qrcodeIssuedAt: 'qrcode_issued_at',
};
const MEMBER_COLUMNS: Record<keyof SandboxRoomMemberPatch, string> = {
  displayName: 'display_name', admin: 'admin', showNames: 'show_names', folded: 'folded', muted: 'muted', pinned: 'pinned',
};

/**
 * One UPDATE for every field present in `patch` (so a patch lands whole or not at all), keyed by `keys` column = value;
 * undefined when the patch is empty.
 */
function patchStatement(table: string, columns: Record<string, string>, patch: Record<string, unknown>, keys: Record<string, unknown>) {
  const values: unknown[] = [];
  const sets: string[] = [];
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const column = columns[field];
    if (!column) throw new Error(`unknown field ${field} for ${table}`);
    values.push(toColumn(value));
    sets.push(`${column} = $${values.length}`);
  }
  if (sets.length === 0) return undefined;
  const where = Object.entries(keys).map(([column, value]) => {
    values.push(value);
    return `${column} = $${values.length}`;
  });
  return { text: `UPDATE ${table} SET ${sets.join(', ')} WHERE ${where.join(' AND ')}`, values };
}

const MEMBER_SELECT = `SELECT m.*, s.seq AS saved_seq FROM sandbox_room_members m
  LEFT JOIN sandbox_saved_rooms s ON s.app_id = m.app_id AND s.wxid = m.wxid AND s.room_id = m.room_id`;

export function pgSandboxRooms(sql: Sql): SandboxRoomRepository {
  const patch = async (table: string, columns: Record<string, string>, fields: Record<string, unknown>, keys: Record<string, unknown>) => {
    const statement = patchStatement(table, columns, fields, keys);
    if (statement) await sql.run(statement.text, statement.values);
  };
  return {
    insert: async (room) => {
      await sql.run(`INSERT INTO sandbox_rooms (app_id, room_id, name, owner_wxid, announcement, announcement_editor, announcement_at, version,
        info_version, qrcode_issued_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [room.appId, room.roomId, room.name, room.ownerWxid, room.announcement, room.announcementEditor, room.announcementAt,
        room.version, room.infoVersion, room.qrcodeIssuedAt, room.createdAt]);
    },
    get: async (appId, roomId) => {
      const row = await sql.row('SELECT * FROM sandbox_rooms WHERE app_id = $1 AND room_id = $2', [appId, roomId]);
      return row && roomFromRow(row);
    },
    update: (appId, roomId, fields) => patch('sandbox_rooms', ROOM_COLUMNS, fields, { app_id: appId, room_id: roomId }),
    remove: (appId, roomId) => sql.atomic(async (tx) => {
      for (const table of ROOM_TABLES) await tx.run(`DELETE FROM ${table} WHERE app_id = $1 AND room_id = $2`, [appId, roomId]);
    }),
    // rid breaks ties between equal join times: it follows insertion, as SQLite's rowid did.
    members: async (appId, roomId) =>
      (await sql.rows(`${MEMBER_SELECT} WHERE m.app_id = $1 AND m.room_id = $2 ORDER BY m.joined_at, m.rid`, [appId, roomId])).map(memberFromRow),
    member: async (appId, roomId, wxid) => {
      const row = await sql.row(`${MEMBER_SELECT} WHERE m.app_id = $1 AND m.room_id = $2 AND m.wxid = $3`, [appId, roomId, wxid]);
      return row && memberFromRow(row);
    },
    memberCount: async (appId, roomId) =>
      (await sql.row('SELECT count(*) AS n FROM sandbox_room_members WHERE app_id = $1 AND room_id = $2', [appId, roomId]))!.n as number,
    addMember: async (m) => {
      await sql.run(`INSERT INTO sandbox_room_members (app_id, room_id, wxid, display_name, inviter_wxid, admin, show_names, folded, muted, pinned, joined_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [m.appId, m.roomId, m.wxid, m.displayName, m.inviterWxid, toColumn(m.admin), toColumn(m.showNames), toColumn(m.folded), toColumn(m.muted),
        toColumn(m.pinned), m.joinedAt]);
    },
    updateMember: (appId, roomId, wxid, fields) =>
      patch('sandbox_room_members', MEMBER_COLUMNS, fields, { app_id: appId, room_id: roomId, wxid }),
    removeMember: (appId, roomId, wxid) => sql.atomic(async (tx) => {
      await tx.run('DELETE FROM sandbox_room_members WHERE app_id = $1 AND room_id = $2 AND wxid = $3', [appId, roomId, wxid]);
      await tx.run('DELETE FROM sandbox_saved_rooms WHERE app_id = $1 AND room_id = $2 AND wxid = $3', [appId, roomId, wxid]);
    }),
    setSaved: async (appId, roomId, wxid, saved) => {
      if (saved) await sql.run('INSERT INTO sandbox_saved_rooms (app_id, wxid, room_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [appId, wxid, roomId]);
      else await sql.run('DELETE FROM sandbox_saved_rooms WHERE app_id = $1 AND wxid = $2 AND room_id = $3', [appId, wxid, roomId]);
    },
    savedPage: async (appId, wxid, afterSeq, limit) =>
      (await sql.rows('SELECT seq, room_id FROM sandbox_saved_rooms WHERE app_id = $1 AND wxid = $2 AND seq > $3 ORDER BY seq LIMIT $4', [appId, wxid, afterSeq, limit]))
        .map((r) => ({ seq: r.seq as number, roomId: r.room_id as string })),
    putInvite: async (i) => {
      await sql.run(`INSERT INTO sandbox_room_invites (app_id, room_id, invitee_wxid, inviter_wxid, created_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (app_id, room_id, invitee_wxid) DO UPDATE SET inviter_wxid = excluded.inviter_wxid, created_at = excluded.created_at`,
      [i.appId, i.roomId, i.inviteeWxid, i.inviterWxid, i.createdAt]);
    },
    invite: async (appId, roomId, invitee) => {
      const r = await sql.row('SELECT * FROM sandbox_room_invites WHERE app_id = $1 AND room_id = $2 AND invitee_wxid = $3', [appId, roomId, invitee]);
      return r && { appId, roomId, inviteeWxid: invitee, inviterWxid: r.inviter_wxid as string, createdAt: r.created_at as number };
    },
    removeInvite: async (appId, roomId, invitee) => {
      await sql.run('DELETE FROM sandbox_room_invites WHERE app_id = $1 AND room_id = $2 AND invitee_wxid = $3', [appId, roomId, invitee]);
    },
    // A re-pin updates the row in place, so it keeps its rid and with it its place among pins of the same time.
    putTopMsg: async (p) => {
      await sql.run(`INSERT INTO sandbox_room_top_msgs (app_id, room_id, msg_id, summary, msg_info, operator_wxid, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (app_id, room_id, msg_id) DO UPDATE SET summary = excluded.summary, msg_info = excluded.msg_info,
        operator_wxid = excluded.operator_wxid, created_at = excluded.created_at`,
      [p.appId, p.roomId, p.msgId, p.summary, JSON.stringify(p.msgInfo), p.operatorWxid, p.createdAt]);
    },
    removeTopMsg: async (appId, roomId, msgId) =>
      (await sql.run('DELETE FROM sandbox_room_top_msgs WHERE app_id = $1 AND room_id = $2 AND msg_id = $3', [appId, roomId, msgId])) > 0,
    topMsgs: async (appId, roomId) =>
      (await sql.rows('SELECT * FROM sandbox_room_top_msgs WHERE app_id = $1 AND room_id = $2 ORDER BY created_at, rid', [appId, roomId])).map(topMsgFromRow),
  };
}
