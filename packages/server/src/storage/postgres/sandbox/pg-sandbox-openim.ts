// Sandbox OpenIM on PostgreSQL: WeCom corporations, the WeCom side of @openim people, accounts' mute flags on them, and
// OpenIM rooms with their members and member-list versions.
import { corpFromRow, openImRoomFromRow, profileFromRow } from '../../rows/sandbox/sandbox-openim-rows.ts';
import type { SandboxOpenImRepository } from '../../sandbox-openim-ports.ts';
import type { Row, Sql } from '../pg-sql.ts';

export function pgSandboxOpenIm(sql: Sql): SandboxOpenImRepository {
  const one = async <T>(text: string, map: (r: Row) => T, params: readonly unknown[]): Promise<T | undefined> => {
    const row = await sql.row(text, params);
    return row && map(row);
  };
  // The version is bumped first: the room's row stays locked until the commit, so membership changes of one room
  // serialize and each answers its own version. No row means no room, checked before any member is written.
  const changeMembers = (appId: string, room: string, write: (tx: Sql) => Promise<unknown>) => sql.atomic(async (tx) => {
    const bumped = await tx.row('UPDATE sandbox_openim_rooms SET version = version + 1 WHERE app_id = $1 AND room_username = $2 RETURNING version', [appId, room]);
    if (!bumped) throw new Error(`no OpenIM room ${room} in app ${appId}`);
    await write(tx);
    return bumped.version as number;
  });
  return {
    insertCorporation: async (c) => {
      await sql.run('INSERT INTO sandbox_corporations (app_id, corp_id, name, full_name, openim_appid, wording_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [c.appId, c.corpId, c.name, c.fullName, c.openimAppid, c.wordingId, c.createdAt]);
    },
    corporation: (appId, corpId) => one('SELECT * FROM sandbox_corporations WHERE app_id = $1 AND corp_id = $2', corpFromRow, [appId, corpId]),
    // Wording ids are random, so one corporation matches; should two ever share a resource, the lowest corp id answers,
    // the one SQLite finds first walking its primary key.
    corporationByResource: (appId, openimAppid, wordingId) =>
      one('SELECT * FROM sandbox_corporations WHERE app_id = $1 AND openim_appid = $2 AND wording_id = $3 ORDER BY corp_id COLLATE "C" LIMIT 1', corpFromRow,
        [appId, openimAppid, wordingId]),
    insertProfile: async (p) => {
      await sql.run(`INSERT INTO sandbox_wecom_profiles (app_id, username, corp_id, real_name, position, qr_token, card_blocked, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, [p.appId, p.username, p.corpId, p.realName, p.position, p.qrToken, p.cardBlocked ? 1 : 0, p.createdAt]);
    },
    profile: (appId, username) => one('SELECT * FROM sandbox_wecom_profiles WHERE app_id = $1 AND username = $2', profileFromRow, [appId, username]),
    profileByQrToken: (appId, token) => one('SELECT * FROM sandbox_wecom_profiles WHERE app_id = $1 AND qr_token = $2', profileFromRow, [appId, token]),
    muted: async (appId, owner, username) =>
      (await sql.row('SELECT 1 FROM sandbox_openim_mutes WHERE app_id = $1 AND owner_wxid = $2 AND username = $3', [appId, owner, username])) !== undefined,
    setMuted: async (appId, owner, username, muted) => {
      if (muted) await sql.run('INSERT INTO sandbox_openim_mutes (app_id, owner_wxid, username) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [appId, owner, username]);
      else await sql.run('DELETE FROM sandbox_openim_mutes WHERE app_id = $1 AND owner_wxid = $2 AND username = $3', [appId, owner, username]);
    },
    contactsOf: async (appId, owner) =>
      (await sql.rows(`SELECT contact_wxid FROM sandbox_contacts WHERE app_id = $1 AND owner_wxid = $2 AND contact_wxid LIKE '%@openim' ORDER BY seq`, [appId, owner]))
        .map((r) => r.contact_wxid as string),
    insertRoom: async (r) => {
      await sql.run('INSERT INTO sandbox_openim_rooms (app_id, room_username, name, owner_username, version, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [r.appId, r.roomUsername, r.name, r.ownerUsername, r.version, r.createdAt]);
    },
    room: (appId, room) => one('SELECT * FROM sandbox_openim_rooms WHERE app_id = $1 AND room_username = $2', openImRoomFromRow, [appId, room]),
    // COLLATE "C" orders room names by code point, as SQLite's BINARY does, whatever the database's locale.
    roomsOf: async (appId, username) =>
      (await sql.rows(`SELECT r.* FROM sandbox_openim_rooms r JOIN sandbox_openim_room_members m ON m.app_id = r.app_id AND m.room_username = r.room_username
          WHERE r.app_id = $1 AND m.username = $2 ORDER BY r.created_at, r.room_username COLLATE "C"`, [appId, username])).map(openImRoomFromRow),
    // rid breaks ties between equal join times: it follows insertion, as SQLite's rowid did.
    members: async (appId, room) =>
      (await sql.rows('SELECT username, joined_at FROM sandbox_openim_room_members WHERE app_id = $1 AND room_username = $2 ORDER BY joined_at, rid', [appId, room]))
        .map((r) => ({ username: r.username as string, joinedAt: r.joined_at as number })),
    addMember: (appId, room, username, at) => changeMembers(appId, room, (tx) =>
      tx.run('INSERT INTO sandbox_openim_room_members (app_id, room_username, username, joined_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [appId, room, username, at])),
    removeMember: (appId, room, username) => changeMembers(appId, room, (tx) =>
      tx.run('DELETE FROM sandbox_openim_room_members WHERE app_id = $1 AND room_username = $2 AND username = $3', [appId, room, username])),
  };
}
