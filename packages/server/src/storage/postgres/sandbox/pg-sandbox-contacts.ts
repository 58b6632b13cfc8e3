// Sandbox contact entries (one-way, paged by seq) and the stranger tickets search hands out, on PostgreSQL.
import { entryFromRow, ticketFromRow } from '../../rows/sandbox/sandbox-contacts-rows.ts';
import type { SandboxContactRepository, SandboxStrangerTicketRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

/** An entry with the owner's labels on it, comma-joined as SQLite's group_concat gives them (the mapper sorts them). */
const ENTRY_SELECT = `SELECT c.*, (SELECT string_agg(l.label_id::text, ',') FROM sandbox_contact_labels l
  WHERE l.app_id = c.app_id AND l.owner_wxid = c.owner_wxid AND l.contact_wxid = c.contact_wxid) AS label_ids FROM sandbox_contacts c`;

export function pgSandboxContacts(sql: Sql): SandboxContactRepository {
  const get = async (on: Sql, appId: string, owner: string, contact: string) => {
    const row = await on.row(`${ENTRY_SELECT} WHERE c.app_id = $1 AND c.owner_wxid = $2 AND c.contact_wxid = $3`, [appId, owner, contact]);
    return row && entryFromRow(row);
  };
  return {
    // A racing add of the same entry makes the insert wait for the other's commit and then do nothing; the read after it
    // is a statement of its own, so under READ COMMITTED it sees the entry that won (and its seq).
    add: (e) => sql.atomic(async (tx) => {
      await tx.run(`INSERT INTO sandbox_contacts (app_id, owner_wxid, contact_wxid, remark, pinned, add_scene, created_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (app_id, owner_wxid, contact_wxid) DO NOTHING`,
      [e.appId, e.ownerWxid, e.contactWxid, e.remark, e.pinned ? 1 : 0, e.addScene, e.createdAt]);
      return (await get(tx, e.appId, e.ownerWxid, e.contactWxid))!;
    }),
    get: (appId, owner, contact) => get(sql, appId, owner, contact),
    // One statement for both fields, so a concurrent reader never sees half of the patch.
    update: async (appId, owner, contact, patch) => {
      if (patch.remark === undefined && patch.pinned === undefined) return;
      await sql.run(`UPDATE sandbox_contacts SET remark = COALESCE($1, remark), pinned = COALESCE($2, pinned)
        WHERE app_id = $3 AND owner_wxid = $4 AND contact_wxid = $5`,
      [patch.remark ?? null, patch.pinned === undefined ? null : patch.pinned ? 1 : 0, appId, owner, contact]);
    },
    remove: (appId, owner, contact) => sql.atomic(async (tx) => {
      // The owner's labels on the contact go with the entry, as on WeChat.
      await tx.run('DELETE FROM sandbox_contact_labels WHERE app_id = $1 AND owner_wxid = $2 AND contact_wxid = $3', [appId, owner, contact]);
      return (await tx.run('DELETE FROM sandbox_contacts WHERE app_id = $1 AND owner_wxid = $2 AND contact_wxid = $3', [appId, owner, contact])) > 0;
    }),
    page: async (appId, owner, afterSeq, limit) =>
      (await sql.rows(`${ENTRY_SELECT} WHERE c.app_id = $1 AND c.owner_wxid = $2 AND c.seq > $3 ORDER BY c.seq LIMIT $4`, [appId, owner, afterSeq, limit]))
        .map(entryFromRow),
    count: async (appId, owner) =>
      (await sql.row('SELECT count(*) AS n FROM sandbox_contacts WHERE app_id = $1 AND owner_wxid = $2', [appId, owner]))!.n as number,
  };
}

export function pgSandboxStrangerTickets(sql: Sql): SandboxStrangerTicketRepository {
  return {
    // The v3 name stays what the viewer already knows; only the v4 ticket and its expiry are new. RETURNING answers the
    // row as stored, racing issuers included.
    issue: async (t) => ticketFromRow((await sql.row(`INSERT INTO sandbox_stranger_tickets (app_id, viewer_wxid, target_wxid, encrypt_username, ticket, expires_at)
      VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (app_id, viewer_wxid, target_wxid) DO UPDATE SET ticket = excluded.ticket, expires_at = excluded.expires_at
      RETURNING *`, [t.appId, t.viewerWxid, t.targetWxid, t.encryptUsername, t.ticket, t.expiresAt]))!),
    get: async (appId, viewer, target) => {
      const row = await sql.row('SELECT * FROM sandbox_stranger_tickets WHERE app_id = $1 AND viewer_wxid = $2 AND target_wxid = $3', [appId, viewer, target]);
      return row && ticketFromRow(row);
    },
    byEncryptUsername: async (appId, viewer, encryptUsername) => {
      const row = await sql.row('SELECT * FROM sandbox_stranger_tickets WHERE app_id = $1 AND viewer_wxid = $2 AND encrypt_username = $3',
        [appId, viewer, encryptUsername]);
      return row && ticketFromRow(row);
    },
  };
}
