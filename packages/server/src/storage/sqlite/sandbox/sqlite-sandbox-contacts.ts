// Sandbox contact entries (one-way, paged by seq) and the stranger tickets search hands out, on SQLite.
import type { SandboxContactRepository, SandboxStrangerTicketRepository } from '../../sandbox-ports.ts';
import { entryFromRow, ticketFromRow } from '../../rows/sandbox/sandbox-contacts-rows.ts';
import type { SandboxPrepared, SandboxRow, SandboxRun } from './sqlite-sandbox.ts';

/** An entry with the owner's labels on it. */
const ENTRY_SELECT = `SELECT c.*, (SELECT group_concat(l.label_id) FROM sandbox_contact_labels l
  WHERE l.app_id = c.app_id AND l.owner_wxid = c.owner_wxid AND l.contact_wxid = c.contact_wxid) AS label_ids FROM sandbox_contacts c`;

export function sqliteSandboxContacts(prepared: SandboxPrepared, run: SandboxRun): SandboxContactRepository {
  const get = (appId: string, owner: string, contact: string) => {
    const row = prepared(`${ENTRY_SELECT} WHERE c.app_id = ? AND c.owner_wxid = ? AND c.contact_wxid = ?`).get(appId, owner, contact) as SandboxRow | undefined;
    return row && entryFromRow(row);
  };
  return {
    add: (e) => run(() => {
      prepared(`INSERT INTO sandbox_contacts (app_id, owner_wxid, contact_wxid, remark, pinned, add_scene, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (app_id, owner_wxid, contact_wxid) DO NOTHING`)
        .run(e.appId, e.ownerWxid, e.contactWxid, e.remark, e.pinned ? 1 : 0, e.addScene, e.createdAt);
      return get(e.appId, e.ownerWxid, e.contactWxid)!;
    }),
    get: (appId, owner, contact) => run(() => get(appId, owner, contact)),
    update: (appId, owner, contact, patch) => run(() => {
      if (patch.remark !== undefined) {
        prepared('UPDATE sandbox_contacts SET remark = ? WHERE app_id = ? AND owner_wxid = ? AND contact_wxid = ?').run(patch.remark, appId, owner, contact);
      }
      if (patch.pinned !== undefined) {
        prepared('UPDATE sandbox_contacts SET pinned = ? WHERE app_id = ? AND owner_wxid = ? AND contact_wxid = ?').run(patch.pinned ? 1 : 0, appId, owner, contact);
      }
    }),
    remove: (appId, owner, contact) => run(() => {
      // The owner's labels on the contact go with the entry, as on WeChat.
      prepared('DELETE FROM sandbox_contact_labels WHERE app_id = ? AND owner_wxid = ? AND contact_wxid = ?').run(appId, owner, contact);
      return prepared('DELETE FROM sandbox_contacts WHERE app_id = ? AND owner_wxid = ? AND contact_wxid = ?').run(appId, owner, contact).changes > 0;
    }),
    page: (appId, owner, afterSeq, limit) => run(() =>
      (prepared(`${ENTRY_SELECT} WHERE c.app_id = ? AND c.owner_wxid = ? AND c.seq > ? ORDER BY c.seq LIMIT ?`).all(appId, owner, afterSeq, limit) as SandboxRow[])
        .map(entryFromRow)),
    count: (appId, owner) => run(() =>
      (prepared('SELECT count(*) AS n FROM sandbox_contacts WHERE app_id = ? AND owner_wxid = ?').get(appId, owner) as SandboxRow).n as number),
  };
}

export function sqliteSandboxStrangerTickets(prepared: SandboxPrepared, run: SandboxRun): SandboxStrangerTicketRepository {
  const get = (appId: string, viewer: string, target: string) => {
    const row = prepared('SELECT * FROM sandbox_stranger_tickets WHERE app_id = ? AND viewer_wxid = ? AND target_wxid = ?').get(appId, viewer, target) as SandboxRow | undefined;
    return row && ticketFromRow(row);
  };
  return {
    issue: (t) => run(() => {
      // The v3 name stays what the viewer already knows; only the v4 ticket and its expiry are new.
      prepared(`INSERT INTO sandbox_stranger_tickets (app_id, viewer_wxid, target_wxid, encrypt_username, ticket, expires_at)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (app_id, viewer_wxid, target_wxid) DO UPDATE SET ticket = excluded.ticket, expires_at = excluded.expires_at`)
        .run(t.appId, t.viewerWxid, t.targetWxid, t.encryptUsername, t.ticket, t.expiresAt);
      return get(t.appId, t.viewerWxid, t.targetWxid)!;
    }),
    get: (appId, viewer, target) => run(() => get(appId, viewer, target)),
    byEncryptUsername: (appId, viewer, encryptUsername) => run(() => {
      const row = prepared('SELECT * FROM sandbox_stranger_tickets WHERE app_id = ? AND viewer_wxid = ? AND encrypt_username = ?')
        .get(appId, viewer, encryptUsername) as SandboxRow | undefined;
      return row && ticketFromRow(row);
    }),
  };
}
