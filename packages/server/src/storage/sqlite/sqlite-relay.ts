// The relay driver's tables on SQLite: upstream mappings, callback dedup records and the contact/room/message mirror.
import type Database from 'better-sqlite3';
import type { RelayDedupRepository, RelayMappingRepository, RelayMirrorRepository, RelayRepository } from '../relay-ports.ts';
import { archivedMessageFromRow, entryFromRow, labelColumn, labelPattern, labelsFromColumn, mappingFromRow, memberFromRow } from '../rows/relay-rows.ts';

type Row = Record<string, unknown>;
type Prepared = (sql: string) => Database.Statement;
type Run = <T>(fn: () => T) => Promise<T>;

function mappings(prepared: Prepared, run: Run): RelayMappingRepository {
  return {
    insert: (m) => run(() => {
      prepared(`INSERT INTO relay_mappings (guid, app_id, upstream_guid, notify_token, adopted, registered_notify_url, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`).run(m.guid, m.appId, m.upstreamGuid, m.notifyToken, m.adopted ? 1 : 0, m.registeredNotifyUrl, m.createdAt);
    }),
    get: (guid) => run(() => {
      const row = prepared('SELECT * FROM relay_mappings WHERE guid = ?').get(guid) as Row | undefined;
      return row && mappingFromRow(row);
    }),
    byToken: (token) => run(() => {
      const row = prepared('SELECT * FROM relay_mappings WHERE notify_token = ?').get(token) as Row | undefined;
      return row && mappingFromRow(row);
    }),
    byUpstreamGuid: (upstreamGuid) => run(() => {
      const row = prepared('SELECT * FROM relay_mappings WHERE lower(upstream_guid) = lower(?)').get(upstreamGuid) as Row | undefined;
      return row && mappingFromRow(row);
    }),
    setRegisteredNotifyUrl: (guid, url) => run(() => {
      prepared('UPDATE relay_mappings SET registered_notify_url = ? WHERE guid = ?').run(url, guid);
    }),
    delete: (guid) => run(() => {
      for (const table of ['relay_dedup', 'relay_mirror', 'relay_room_members', 'relay_messages', 'relay_mappings']) {
        prepared(`DELETE FROM ${table} WHERE guid = ?`).run(guid);
      }
    }),
  };
}

function dedup(prepared: Prepared, run: Run): RelayDedupRepository {
  return {
    seenAt: (guid, key) => run(() =>
      (prepared('SELECT seen_at FROM relay_dedup WHERE guid = ? AND key = ?').get(guid, key) as Row | undefined)?.seen_at as number | undefined),
    remember: (guid, key, now) => run(() => {
      prepared('INSERT INTO relay_dedup (guid, key, seen_at) VALUES (?, ?, ?) ON CONFLICT(guid, key) DO UPDATE SET seen_at = excluded.seen_at')
        .run(guid, key, now);
    }),
    prune: (before, limit) => run(() =>
      prepared('DELETE FROM relay_dedup WHERE rowid IN (SELECT rowid FROM relay_dedup WHERE seen_at < ? LIMIT ?)').run(before, limit).changes),
  };
}

function mirror(prepared: Prepared, run: Run): RelayMirrorRepository {
  return {
    upsert: (e) => run(() => {
      prepared(`INSERT INTO relay_mirror (guid, username, kind, data, label_ids, updated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(guid, username) DO UPDATE SET kind = excluded.kind, data = excluded.data, label_ids = excluded.label_ids, updated_at = excluded.updated_at`)
        .run(e.guid, e.username, e.kind, JSON.stringify(e.data ?? null), labelColumn(e.labelIds), e.updatedAt);
    }),
    get: (guid, username) => run(() => {
      const row = prepared('SELECT * FROM relay_mirror WHERE guid = ? AND username = ?').get(guid, username) as Row | undefined;
      return row && entryFromRow(row);
    }),
    remove: (guid, username) => run(() => {
      prepared('DELETE FROM relay_mirror WHERE guid = ? AND username = ?').run(guid, username);
      prepared('DELETE FROM relay_room_members WHERE guid = ? AND room = ?').run(guid, username);
    }),
    list: (guid, kind, offset, limit) => run(() =>
      (prepared('SELECT * FROM relay_mirror WHERE guid = ? AND kind = ? ORDER BY rowid LIMIT ? OFFSET ?').all(guid, kind, limit, offset) as Row[])
        .map(entryFromRow)),
    count: (guid, kind) => run(() => (prepared('SELECT count(*) AS n FROM relay_mirror WHERE guid = ? AND kind = ?').get(guid, kind) as Row).n as number),
    withLabels: (guid, labelIds) => run(() => {
      if (labelIds.length === 0) return [];
      const clauses = labelIds.map(() => 'label_ids LIKE ?').join(' OR ');
      return (prepared(`SELECT * FROM relay_mirror WHERE guid = ? AND (${clauses}) ORDER BY rowid`).all(guid, ...labelIds.map(labelPattern)) as Row[])
        .map(entryFromRow);
    }),
    labelIds: (guid) => run(() => {
      const ids = new Set<number>();
      for (const r of prepared(`SELECT label_ids FROM relay_mirror WHERE guid = ? AND label_ids != ''`).all(guid) as Row[]) {
        for (const id of labelsFromColumn(r.label_ids as string)) ids.add(id);
      }
      return [...ids].sort((a, b) => a - b);
    }),
    setRoomMembers: (guid, room, members) => run(() => {
      prepared('DELETE FROM relay_room_members WHERE guid = ? AND room = ?').run(guid, room);
      const insert = prepared('INSERT OR REPLACE INTO relay_room_members (guid, room, username, data) VALUES (?, ?, ?, ?)');
      for (const m of members) insert.run(guid, room, m.username, JSON.stringify(m.data ?? null));
    }),
    roomMembers: (guid, room, offset, limit) => run(() =>
      (prepared('SELECT * FROM relay_room_members WHERE guid = ? AND room = ? ORDER BY rowid LIMIT ? OFFSET ?').all(guid, room, limit, offset) as Row[])
        .map(memberFromRow)),
    countRoomMembers: (guid, room) => run(() =>
      (prepared('SELECT count(*) AS n FROM relay_room_members WHERE guid = ? AND room = ?').get(guid, room) as Row).n as number),
    addMessage: (m) => run(() => {
      prepared(`INSERT INTO relay_messages (guid, msg_id, direction, from_username, to_username, msg_type, create_time, data)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(guid, msg_id) DO UPDATE SET from_username = excluded.from_username, data = excluded.data WHERE ${COMPLETES}`)
        .run(m.guid, m.msgId, m.direction, m.fromUsername, m.toUsername, m.msgType, m.createTime, JSON.stringify(m.data ?? null));
    }),
    // One statement: the row is inserted or, when only an answer knew the message, marked (and completed); a row a
    // callback already marked is left alone and nothing changes, which is what "a repeat" means.
    takeInMessage: (m) => run(() => prepared(`INSERT INTO relay_messages (guid, msg_id, direction, from_username, to_username, msg_type, create_time, data, called_back)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)
        ON CONFLICT(guid, msg_id) DO UPDATE SET called_back = 1,
          from_username = CASE WHEN ${COMPLETES} THEN excluded.from_username ELSE relay_messages.from_username END,
          data = CASE WHEN ${COMPLETES} THEN excluded.data ELSE relay_messages.data END
        WHERE relay_messages.called_back = 0`)
      .run(m.guid, m.msgId, m.direction, m.fromUsername, m.toUsername, m.msgType, m.createTime, JSON.stringify(m.data ?? null)).changes > 0),
    messages: (guid, { talker, afterSeq, limit }) => run(() => {
      const revoked = REVOKED;
      const rows = talker === undefined
        ? prepared(`SELECT m.*, ${revoked} FROM relay_messages m WHERE m.guid = ? AND m.seq > ? ORDER BY m.seq LIMIT ?`).all(guid, afterSeq, limit)
        : prepared(`SELECT m.*, ${revoked} FROM relay_messages m WHERE m.guid = ? AND m.seq > ? AND (m.from_username = ? OR m.to_username = ?)
            ORDER BY m.seq LIMIT ?`).all(guid, afterSeq, talker, talker, limit);
      return (rows as Row[]).map(archivedMessageFromRow);
    }),
    message: (guid, msgId) => run(() => {
      const row = prepared(`SELECT m.*, ${REVOKED} FROM relay_messages m WHERE m.guid = ? AND m.msg_id = ?`).get(guid, msgId) as Row | undefined;
      return row ? archivedMessageFromRow(row) : undefined;
    }),
  };
}

/** A send known from its answer is completed by its own 1010 when that comes; anything else is kept as first seen. */
const COMPLETES = `json_extract(relay_messages.data, '$.msg_id') IS NULL AND json_extract(excluded.data, '$.msg_id') IS NOT NULL`;

/** A revoke notice (10002 revokemsg) names the message it took back as <newmsgid>…</newmsgid>. */
const REVOKED = `EXISTS (SELECT 1 FROM relay_messages r WHERE r.guid = m.guid AND r.msg_type = 10002
  AND r.seq > m.seq AND r.data LIKE '%<newmsgid>' || m.msg_id || '</newmsgid>%') AS revoked`;

export function sqliteRelay(prepared: Prepared, run: Run): RelayRepository {
  return { mappings: mappings(prepared, run), dedup: dedup(prepared, run), mirror: mirror(prepared, run) };
}
