// Sandbox contact labels on PostgreSQL: each person's labels (ids never reused: deleted ones stay as tombstones) and the
// labels they put on their contacts.
import { labelFromRow } from '../../rows/sandbox/sandbox-labels-rows.ts';
import type { SandboxLabelRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

/**
 * Serializes changes of one owner's labels until the caller's commit: max+1 needs the previous creator's row visible
 * (the primary key is only the backstop), and a replace of a contact's labels must not interleave with another.
 */
const lockOwner = (tx: Sql, appId: string, owner: string) => tx.row('SELECT pg_advisory_xact_lock(hashtext($1))', [`labels:${appId}/${owner}`]);

export function pgSandboxLabels(sql: Sql): SandboxLabelRepository {
  return {
    list: async (appId, owner) =>
      (await sql.rows('SELECT * FROM sandbox_labels WHERE app_id = $1 AND owner_wxid = $2 AND deleted = 0 ORDER BY label_id', [appId, owner])).map(labelFromRow),
    get: async (appId, owner, labelId) => {
      const row = await sql.row('SELECT * FROM sandbox_labels WHERE app_id = $1 AND owner_wxid = $2 AND label_id = $3 AND deleted = 0', [appId, owner, labelId]);
      return row && labelFromRow(row);
    },
    byName: async (appId, owner, name) => {
      const row = await sql.row('SELECT * FROM sandbox_labels WHERE app_id = $1 AND owner_wxid = $2 AND name = $3 AND deleted = 0', [appId, owner, name]);
      return row && labelFromRow(row);
    },
    // Tombstones count in the max, so a deleted id is never handed out again; a rolled-back one is (nobody saw it).
    create: (appId, owner, name) => sql.atomic(async (tx) => {
      await lockOwner(tx, appId, owner);
      const row = await tx.row(`INSERT INTO sandbox_labels (app_id, owner_wxid, label_id, name)
        SELECT $1, $2, COALESCE(max(label_id), 0) + 1, $3 FROM sandbox_labels WHERE app_id = $1 AND owner_wxid = $2 RETURNING label_id`, [appId, owner, name]);
      return { appId, ownerWxid: owner, labelId: row!.label_id as number, name };
    }),
    rename: async (appId, owner, labelId, name) => {
      await sql.run('UPDATE sandbox_labels SET name = $1 WHERE app_id = $2 AND owner_wxid = $3 AND label_id = $4 AND deleted = 0', [name, appId, owner, labelId]);
    },
    // One statement: the contacts answered are exactly those the label was taken off. "C" sorts as SQLite's BINARY.
    remove: async (appId, owner, labelId) =>
      (await sql.rows(`WITH taken AS (
          DELETE FROM sandbox_contact_labels WHERE app_id = $1 AND owner_wxid = $2 AND label_id = $3 RETURNING contact_wxid
        ), tombstone AS (
          UPDATE sandbox_labels SET deleted = 1 WHERE app_id = $1 AND owner_wxid = $2 AND label_id = $3
        ) SELECT contact_wxid FROM taken ORDER BY contact_wxid COLLATE "C"`, [appId, owner, labelId])).map((r) => r.contact_wxid as string),
    setContactLabels: (appId, owner, contact, labelIds) => sql.atomic(async (tx) => {
      await lockOwner(tx, appId, owner);
      await tx.run('DELETE FROM sandbox_contact_labels WHERE app_id = $1 AND owner_wxid = $2 AND contact_wxid = $3', [appId, owner, contact]);
      if (labelIds.length > 0) {
        await tx.run(`INSERT INTO sandbox_contact_labels (app_id, owner_wxid, contact_wxid, label_id)
          SELECT $1, $2, $3, unnest($4::bigint[]) ON CONFLICT DO NOTHING`, [appId, owner, contact, labelIds]);
      }
    }),
    contactsWith: async (appId, owner, labelIds) =>
      (await sql.rows(`SELECT c.contact_wxid FROM sandbox_contacts c WHERE c.app_id = $1 AND c.owner_wxid = $2 AND EXISTS (
          SELECT 1 FROM sandbox_contact_labels l WHERE l.app_id = c.app_id AND l.owner_wxid = c.owner_wxid AND l.contact_wxid = c.contact_wxid
          AND l.label_id = ANY($3::bigint[])) ORDER BY c.seq`, [appId, owner, labelIds])).map((r) => r.contact_wxid as string),
    usage: async (appId, owner, labelId) =>
      (await sql.row('SELECT count(*) AS n FROM sandbox_contact_labels WHERE app_id = $1 AND owner_wxid = $2 AND label_id = $3', [appId, owner, labelId]))!.n as number,
  };
}
