// The relay driver's tables on PostgreSQL: upstream mappings, callback dedup records and the contact/room/message mirror.
import type { RelayDedupRepository, RelayMappingRepository, RelayMirrorRepository, RelayRepository, RelayRoomMember } from '../relay-ports.ts';
import { archivedMessageFromRow, entryFromRow, labelColumn, labelPattern, labelsFromColumn, mappingFromRow, memberFromRow } from '../rows/relay-rows.ts';
import type { Sql } from './pg-sql.ts';

/** What SQLite's json_extract(data, '$.msg_id') IS NOT NULL answers, read in JS: PostgreSQL's JSON operators refuse a \u0000 anywhere in the text. */
function hasMsgId(json: string): boolean {
  const value = JSON.parse(json) as unknown;
  return typeof value === 'object' && value !== null && !Array.isArray(value) && (value as Record<string, unknown>).msg_id != null;
}

/**
 * A member list as SQLite's INSERT OR REPLACE leaves it: a username named twice keeps its last data, at its last
 * place (the replace deleted the earlier row and appended a new one).
 */
function lastOccurrences(members: readonly RelayRoomMember[]): RelayRoomMember[] {
  const last = new Map<string, number>();
  members.forEach((m, i) => last.set(m.username, i));
  return members.filter((m, i) => last.get(m.username) === i);
}

function mappings(sql: Sql): RelayMappingRepository {
  return {
    insert: async (m) => {
      await sql.run(`INSERT INTO relay_mappings (guid, app_id, upstream_guid, notify_token, adopted, registered_notify_url, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7)`, [m.guid, m.appId, m.upstreamGuid, m.notifyToken, m.adopted ? 1 : 0, m.registeredNotifyUrl, m.createdAt]);
    },
    get: async (guid) => {
      const row = await sql.row('SELECT * FROM relay_mappings WHERE guid = $1', [guid]);
      return row && mappingFromRow(row);
    },
    byToken: async (token) => {
      const row = await sql.row('SELECT * FROM relay_mappings WHERE notify_token = $1', [token]);
      return row && mappingFromRow(row);
    },
    // upstream_guid is unique only as written, so two spellings of one UUID could both be stored: the oldest answers.
    byUpstreamGuid: async (upstreamGuid) => {
      const row = await sql.row('SELECT * FROM relay_mappings WHERE lower(upstream_guid) = lower($1) ORDER BY created_at, guid LIMIT 1', [upstreamGuid]);
      return row && mappingFromRow(row);
    },
    setRegisteredNotifyUrl: async (guid, url) => {
      await sql.run('UPDATE relay_mappings SET registered_notify_url = $1 WHERE guid = $2', [url, guid]);
    },
    delete: (guid) => sql.atomic(async (tx) => {
      for (const table of ['relay_dedup', 'relay_mirror', 'relay_room_members', 'relay_messages', 'relay_mappings']) {
        await tx.run(`DELETE FROM ${table} WHERE guid = $1`, [guid]);
      }
    }),
  };
}

function dedup(sql: Sql): RelayDedupRepository {
  return {
    seenAt: async (guid, key) =>
      (await sql.row('SELECT seen_at FROM relay_dedup WHERE guid = $1 AND key = $2', [guid, key]))?.seen_at as number | undefined,
    remember: async (guid, key, now) => {
      await sql.run('INSERT INTO relay_dedup (guid, key, seen_at) VALUES ($1, $2, $3) ON CONFLICT (guid, key) DO UPDATE SET seen_at = excluded.seen_at',
        [guid, key, now]);
    },
    // Oldest first, as SQLite's scan of the seen_at index goes; SKIP LOCKED lets concurrent prunes take disjoint rows, and
    // passes over a record a remember is refreshing.
    prune: (before, limit) => sql.run(`DELETE FROM relay_dedup WHERE rid IN
      (SELECT rid FROM relay_dedup WHERE seen_at < $1 ORDER BY seen_at, rid LIMIT $2 FOR UPDATE SKIP LOCKED)`, [before, limit]),
  };
}

// The revoke notice is matched as text; ILIKE because SQLite's LIKE ignores ASCII case, ESCAPE '' because it has no escape character.
const REVOKED = `(EXISTS (SELECT 1 FROM relay_messages r WHERE r.guid = m.guid AND r.msg_type = 10002
  AND r.seq > m.seq AND r.data ILIKE ('%<newmsgid>' || m.msg_id || '</newmsgid>%') ESCAPE ''))::int AS revoked`;

function mirror(sql: Sql): RelayMirrorRepository {
  return {
    // The conflict update keeps the row's rid: an entry keeps its first-seen place.
    upsert: async (e) => {
      await sql.run(`INSERT INTO relay_mirror (guid, username, kind, data, label_ids, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (guid, username) DO UPDATE SET kind = excluded.kind, data = excluded.data, label_ids = excluded.label_ids, updated_at = excluded.updated_at`,
      [e.guid, e.username, e.kind, JSON.stringify(e.data ?? null), labelColumn(e.labelIds), e.updatedAt]);
    },
    get: async (guid, username) => {
      const row = await sql.row('SELECT * FROM relay_mirror WHERE guid = $1 AND username = $2', [guid, username]);
      return row && entryFromRow(row);
    },
    remove: (guid, username) => sql.atomic(async (tx) => {
      await tx.run('DELETE FROM relay_mirror WHERE guid = $1 AND username = $2', [guid, username]);
      await tx.run('DELETE FROM relay_room_members WHERE guid = $1 AND room = $2', [guid, username]);
    }),
    list: async (guid, kind, offset, limit) =>
      (await sql.rows('SELECT * FROM relay_mirror WHERE guid = $1 AND kind = $2 ORDER BY rid LIMIT $3 OFFSET $4', [guid, kind, limit, offset])).map(entryFromRow),
    count: async (guid, kind) => (await sql.row('SELECT count(*) AS n FROM relay_mirror WHERE guid = $1 AND kind = $2', [guid, kind]))!.n as number,
    withLabels: async (guid, labelIds) => {
      if (labelIds.length === 0) return [];
      return (await sql.rows('SELECT * FROM relay_mirror WHERE guid = $1 AND label_ids LIKE ANY($2::text[]) ORDER BY rid', [guid, labelIds.map(labelPattern)]))
        .map(entryFromRow);
    },
    labelIds: async (guid) => {
      const ids = new Set<number>();
      for (const r of await sql.rows(`SELECT label_ids FROM relay_mirror WHERE guid = $1 AND label_ids != ''`, [guid])) {
        for (const id of labelsFromColumn(r.label_ids as string)) ids.add(id);
      }
      return [...ids].sort((a, b) => a - b);
    },
    // Two replacements of one room must not interleave (the list would mix both): the lock holds them apart until commit.
    setRoomMembers: (guid, room, members) => sql.atomic(async (tx) => {
      await tx.run('SELECT pg_advisory_xact_lock(hashtext($1))', [`relay-room-members:${guid}:${room}`]);
      await tx.run('DELETE FROM relay_room_members WHERE guid = $1 AND room = $2', [guid, room]);
      const list = lastOccurrences(members);
      if (list.length === 0) return;
      // Rows are numbered (rid) in the order the sorted select hands them over: the list's order.
      await tx.run(`INSERT INTO relay_room_members (guid, room, username, data)
        SELECT $1, $2, username, data FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS m(username, data, n) ORDER BY n`,
      [guid, room, list.map((m) => m.username), list.map((m) => JSON.stringify(m.data ?? null))]);
    }),
    roomMembers: async (guid, room, offset, limit) =>
      (await sql.rows('SELECT * FROM relay_room_members WHERE guid = $1 AND room = $2 ORDER BY rid LIMIT $3 OFFSET $4', [guid, room, limit, offset]))
        .map(memberFromRow),
    countRoomMembers: async (guid, room) =>
      (await sql.row('SELECT count(*) AS n FROM relay_room_members WHERE guid = $1 AND room = $2', [guid, room]))!.n as number,
    // A send known from its answer is completed by its own 1010 when that comes; anything else is kept as first seen.
    addMessage: (m) => sql.atomic(async (tx) => {
      const data = JSON.stringify(m.data ?? null);
      const inserted = await tx.run(`INSERT INTO relay_messages (guid, msg_id, direction, from_username, to_username, msg_type, create_time, data)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (guid, msg_id) DO NOTHING`,
      [m.guid, m.msgId, m.direction, m.fromUsername, m.toUsername, m.msgType, m.createTime, data]);
      if (inserted > 0 || !hasMsgId(data)) return;
      const stored = await tx.row('SELECT seq, data FROM relay_messages WHERE guid = $1 AND msg_id = $2 FOR UPDATE', [m.guid, m.msgId]);
      if (!stored || hasMsgId(stored.data as string)) return;
      await tx.run('UPDATE relay_messages SET from_username = $1, data = $2 WHERE seq = $3', [m.fromUsername, data, stored.seq]);
    }),
    // Inserted with its mark in one statement when new (the usual case); otherwise the row is locked, and a message
    // only an answer knew is marked (and completed, as addMessage would), while one a callback marked is a repeat.
    takeInMessage: (m) => sql.atomic(async (tx) => {
      const data = JSON.stringify(m.data ?? null);
      const inserted = await tx.run(`INSERT INTO relay_messages (guid, msg_id, direction, from_username, to_username, msg_type, create_time, data, called_back)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) ON CONFLICT (guid, msg_id) DO NOTHING`,
      [m.guid, m.msgId, m.direction, m.fromUsername, m.toUsername, m.msgType, m.createTime, data]);
      if (inserted > 0) return true;
      const stored = await tx.row('SELECT seq, data, called_back FROM relay_messages WHERE guid = $1 AND msg_id = $2 FOR UPDATE', [m.guid, m.msgId]);
      if (!stored || Number(stored.called_back) === 1) return false;
      const completes = hasMsgId(data) && !hasMsgId(stored.data as string);
      await tx.run(completes
        ? 'UPDATE relay_messages SET called_back = 1, from_username = $2, data = $3 WHERE seq = $1'
        : 'UPDATE relay_messages SET called_back = 1 WHERE seq = $1', completes ? [stored.seq, m.fromUsername, data] : [stored.seq]);
      return true;
    }),
    messages: async (guid, { talker, afterSeq, limit }) => (talker === undefined
      ? await sql.rows(`SELECT m.*, ${REVOKED} FROM relay_messages m WHERE m.guid = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3`, [guid, afterSeq, limit])
      : await sql.rows(`SELECT m.*, ${REVOKED} FROM relay_messages m WHERE m.guid = $1 AND m.seq > $2 AND (m.from_username = $3 OR m.to_username = $3)
          ORDER BY m.seq LIMIT $4`, [guid, afterSeq, talker, limit])
    ).map(archivedMessageFromRow),
    message: async (guid, msgId) => {
      const row = await sql.row(`SELECT m.*, ${REVOKED} FROM relay_messages m WHERE m.guid = $1 AND m.msg_id = $2`, [guid, msgId]);
      return row ? archivedMessageFromRow(row) : undefined;
    },
  };
}

export function pgRelay(sql: Sql): RelayRepository {
  return { mappings: mappings(sql), dedup: dedup(sql), mirror: mirror(sql) };
}
