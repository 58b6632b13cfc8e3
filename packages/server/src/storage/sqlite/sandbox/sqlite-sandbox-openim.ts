// Sandbox OpenIM on SQLite: WeCom corporations, the WeCom side of @openim people, accounts' mute flags on them, and
// OpenIM rooms with their members and member-list versions.
import { corpFromRow, openImRoomFromRow, profileFromRow } from '../../rows/sandbox/sandbox-openim-rows.ts';
import type { SandboxOpenImRepository } from '../../sandbox-ports.ts';
import type { SandboxPrepared, SandboxRow, SandboxRun } from './sqlite-sandbox.ts';


export function sqliteSandboxOpenIm(prepared: SandboxPrepared, run: SandboxRun): SandboxOpenImRepository {
  const one = <T>(sql: string, map: (r: SandboxRow) => T, ...args: unknown[]): T | undefined => {
    const row = prepared(sql).get(...args) as SandboxRow | undefined;
    return row && map(row);
  };
  const bump = (appId: string, room: string): number => {
    prepared('UPDATE sandbox_openim_rooms SET version = version + 1 WHERE app_id = ? AND room_username = ?').run(appId, room);
    return (prepared('SELECT version FROM sandbox_openim_rooms WHERE app_id = ? AND room_username = ?').get(appId, room) as SandboxRow).version as number;
  };
  // Checked before any write, so a member is never added to (or a version sought in) a room that is not there.
  const requireRoom = (appId: string, room: string): void => {
    if (!prepared('SELECT 1 FROM sandbox_openim_rooms WHERE app_id = ? AND room_username = ?').get(appId, room)) {
      throw new Error(`no OpenIM room ${room} in app ${appId}`);
    }
  };
  return {
    insertCorporation: (c) => run(() => {
      prepared('INSERT INTO sandbox_corporations (app_id, corp_id, name, full_name, openim_appid, wording_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(c.appId, c.corpId, c.name, c.fullName, c.openimAppid, c.wordingId, c.createdAt);
    }),
    corporation: (appId, corpId) => run(() => one('SELECT * FROM sandbox_corporations WHERE app_id = ? AND corp_id = ?', corpFromRow, appId, corpId)),
    corporationByResource: (appId, openimAppid, wordingId) => run(() =>
      one('SELECT * FROM sandbox_corporations WHERE app_id = ? AND openim_appid = ? AND wording_id = ?', corpFromRow, appId, openimAppid, wordingId)),
    insertProfile: (p) => run(() => {
      prepared('INSERT INTO sandbox_wecom_profiles (app_id, username, corp_id, real_name, position, qr_token, card_blocked, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(p.appId, p.username, p.corpId, p.realName, p.position, p.qrToken, p.cardBlocked ? 1 : 0, p.createdAt);
    }),
    profile: (appId, username) => run(() => one('SELECT * FROM sandbox_wecom_profiles WHERE app_id = ? AND username = ?', profileFromRow, appId, username)),
    profileByQrToken: (appId, token) => run(() => one('SELECT * FROM sandbox_wecom_profiles WHERE app_id = ? AND qr_token = ?', profileFromRow, appId, token)),
    muted: (appId, owner, username) => run(() =>
      prepared('SELECT 1 FROM sandbox_openim_mutes WHERE app_id = ? AND owner_wxid = ? AND username = ?').get(appId, owner, username) !== undefined),
    setMuted: (appId, owner, username, muted) => run(() => {
      if (muted) prepared('INSERT OR IGNORE INTO sandbox_openim_mutes (app_id, owner_wxid, username) VALUES (?, ?, ?)').run(appId, owner, username);
      else prepared('DELETE FROM sandbox_openim_mutes WHERE app_id = ? AND owner_wxid = ? AND username = ?').run(appId, owner, username);
    }),
    contactsOf: (appId, owner) => run(() =>
      (prepared(`SELECT contact_wxid FROM sandbox_contacts WHERE app_id = ? AND owner_wxid = ? AND contact_wxid LIKE '%@openim' ORDER BY seq`)
        .all(appId, owner) as SandboxRow[]).map((r) => r.contact_wxid as string)),
    insertRoom: (r) => run(() => {
      prepared('INSERT INTO sandbox_openim_rooms (app_id, room_username, name, owner_username, version, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(r.appId, r.roomUsername, r.name, r.ownerUsername, r.version, r.createdAt);
    }),
    room: (appId, room) => run(() => one('SELECT * FROM sandbox_openim_rooms WHERE app_id = ? AND room_username = ?', openImRoomFromRow, appId, room)),
    roomsOf: (appId, username) => run(() =>
      (prepared(`SELECT r.* FROM sandbox_openim_rooms r JOIN sandbox_openim_room_members m ON m.app_id = r.app_id AND m.room_username = r.room_username
          WHERE r.app_id = ? AND m.username = ? ORDER BY r.created_at, r.room_username`).all(appId, username) as SandboxRow[]).map(openImRoomFromRow)),
    members: (appId, room) => run(() =>
      (prepared('SELECT username, joined_at FROM sandbox_openim_room_members WHERE app_id = ? AND room_username = ? ORDER BY joined_at, rowid')
        .all(appId, room) as SandboxRow[]).map((r) => ({ username: r.username as string, joinedAt: r.joined_at as number }))),
    addMember: (appId, room, username, at) => run(() => {
      requireRoom(appId, room);
      prepared('INSERT OR IGNORE INTO sandbox_openim_room_members (app_id, room_username, username, joined_at) VALUES (?, ?, ?, ?)').run(appId, room, username, at);
      return bump(appId, room);
    }),
    removeMember: (appId, room, username) => run(() => {
      requireRoom(appId, room);
      prepared('DELETE FROM sandbox_openim_room_members WHERE app_id = ? AND room_username = ? AND username = ?').run(appId, room, username);
      return bump(appId, room);
    }),
  };
}
