// Sandbox contact labels on SQLite: each person's labels (ids never reused: deleted ones stay as tombstones) and the
// labels they put on their contacts.
import type { SandboxLabelRepository } from '../../sandbox-ports.ts';
import { labelFromRow } from '../../rows/sandbox/sandbox-labels-rows.ts';
import type { SandboxPrepared, SandboxRow, SandboxRun } from './sqlite-sandbox.ts';

export function sqliteSandboxLabels(prepared: SandboxPrepared, run: SandboxRun): SandboxLabelRepository {
  const get = (appId: string, owner: string, labelId: number) => {
    const row = prepared('SELECT * FROM sandbox_labels WHERE app_id = ? AND owner_wxid = ? AND label_id = ? AND deleted = 0').get(appId, owner, labelId) as SandboxRow | undefined;
    return row && labelFromRow(row);
  };
  return {
    list: (appId, owner) => run(() =>
      (prepared('SELECT * FROM sandbox_labels WHERE app_id = ? AND owner_wxid = ? AND deleted = 0 ORDER BY label_id').all(appId, owner) as SandboxRow[]).map(labelFromRow)),
    get: (appId, owner, labelId) => run(() => get(appId, owner, labelId)),
    byName: (appId, owner, name) => run(() => {
      const row = prepared('SELECT * FROM sandbox_labels WHERE app_id = ? AND owner_wxid = ? AND name = ? AND deleted = 0').get(appId, owner, name) as SandboxRow | undefined;
      return row && labelFromRow(row);
    }),
    create: (appId, owner, name) => run(() => {
      const next = ((prepared('SELECT max(label_id) AS top FROM sandbox_labels WHERE app_id = ? AND owner_wxid = ?').get(appId, owner) as SandboxRow).top as number | null ?? 0) + 1;
      prepared('INSERT INTO sandbox_labels (app_id, owner_wxid, label_id, name) VALUES (?, ?, ?, ?)').run(appId, owner, next, name);
      return { appId, ownerWxid: owner, labelId: next, name };
    }),
    rename: (appId, owner, labelId, name) => run(() => {
      prepared('UPDATE sandbox_labels SET name = ? WHERE app_id = ? AND owner_wxid = ? AND label_id = ? AND deleted = 0').run(name, appId, owner, labelId);
    }),
    remove: (appId, owner, labelId) => run(() => {
      const contacts = (prepared('SELECT contact_wxid FROM sandbox_contact_labels WHERE app_id = ? AND owner_wxid = ? AND label_id = ? ORDER BY contact_wxid')
        .all(appId, owner, labelId) as SandboxRow[]).map((r) => r.contact_wxid as string);
      prepared('DELETE FROM sandbox_contact_labels WHERE app_id = ? AND owner_wxid = ? AND label_id = ?').run(appId, owner, labelId);
      prepared('UPDATE sandbox_labels SET deleted = 1 WHERE app_id = ? AND owner_wxid = ? AND label_id = ?').run(appId, owner, labelId);
      return contacts;
    }),
    setContactLabels: (appId, owner, contact, labelIds) => run(() => {
      prepared('DELETE FROM sandbox_contact_labels WHERE app_id = ? AND owner_wxid = ? AND contact_wxid = ?').run(appId, owner, contact);
      const insert = prepared('INSERT OR IGNORE INTO sandbox_contact_labels (app_id, owner_wxid, contact_wxid, label_id) VALUES (?, ?, ?, ?)');
      for (const id of labelIds) insert.run(appId, owner, contact, id);
    }),
    contactsWith: (appId, owner, labelIds) => run(() =>
      (prepared(`SELECT c.contact_wxid FROM sandbox_contacts c WHERE c.app_id = ? AND c.owner_wxid = ? AND EXISTS (
          SELECT 1 FROM sandbox_contact_labels l WHERE l.app_id = c.app_id AND l.owner_wxid = c.owner_wxid AND l.contact_wxid = c.contact_wxid
          AND l.label_id IN (SELECT value FROM json_each(?))) ORDER BY c.seq`)
        .all(appId, owner, JSON.stringify(labelIds)) as SandboxRow[]).map((r) => r.contact_wxid as string)),
    usage: (appId, owner, labelId) => run(() =>
      (prepared('SELECT count(*) AS n FROM sandbox_contact_labels WHERE app_id = ? AND owner_wxid = ? AND label_id = ?').get(appId, owner, labelId) as SandboxRow).n as number),
  };
}
