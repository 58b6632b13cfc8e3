// Sandbox people on SQLite: one row per person, unique per app by wxid, alias, phone and QQ.
import type { SandboxPeopleRepository } from '../../sandbox-ports.ts';
import { PERSON_KEY_COLUMNS, personFromRow } from '../../rows/sandbox/sandbox-people-rows.ts';
import type { SandboxPrepared, SandboxRow, SandboxRun } from './sqlite-sandbox.ts';

export function sqliteSandboxPeople(prepared: SandboxPrepared, run: SandboxRun): SandboxPeopleRepository {
  return {
    insert: (p) => run(() => {
      prepared(`INSERT INTO sandbox_people (app_id, wxid, alias, nickname, sex, signature, country, province, city, phone, qq,
        big_head_img_url, small_head_img_url, needs_verification, kind, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(p.appId, p.wxid, p.alias, p.nickname, p.sex, p.signature, p.country, p.province, p.city, p.phone, p.qq,
          p.bigHeadImgUrl, p.smallHeadImgUrl, p.needsVerification ? 1 : 0, p.kind, p.createdAt);
    }),
    get: (appId, wxid) => run(() => {
      const row = prepared('SELECT * FROM sandbox_people WHERE app_id = ? AND wxid = ?').get(appId, wxid) as SandboxRow | undefined;
      return row && personFromRow(row);
    }),
    findBy: (appId, key, value) => run(() => {
      if (value === '') return undefined;
      const row = prepared(`SELECT * FROM sandbox_people WHERE app_id = ? AND ${PERSON_KEY_COLUMNS[key]} = ?`).get(appId, value) as SandboxRow | undefined;
      return row && personFromRow(row);
    }),
    list: (appId, offset, limit) => run(() =>
      (prepared('SELECT * FROM sandbox_people WHERE app_id = ? ORDER BY created_at, rowid LIMIT ? OFFSET ?').all(appId, limit, offset) as SandboxRow[])
        .map(personFromRow)),
    count: (appId) => run(() => (prepared('SELECT count(*) AS n FROM sandbox_people WHERE app_id = ?').get(appId) as SandboxRow).n as number),
    nicknamesIn: (appId, nicknames) => run(() => {
      const lookup = prepared('SELECT 1 FROM sandbox_people WHERE app_id = ? AND nickname = ? LIMIT 1');
      return nicknames.filter((nickname) => lookup.get(appId, nickname) !== undefined);
    }),
    // A range on the (app_id, nickname) index: U+10FFFF sorts after every character that can follow the prefix.
    nicknamesStartingWith: (appId, prefix) => run(() =>
      (prepared('SELECT nickname FROM sandbox_people WHERE app_id = ? AND nickname >= ? AND nickname < ?').all(appId, prefix, `${prefix}\u{10FFFF}`) as SandboxRow[])
        .map((r) => r.nickname as string)),
    update: (appId, wxid, patch) => run(() => {
      if (patch.kind !== undefined) prepared('UPDATE sandbox_people SET kind = ? WHERE app_id = ? AND wxid = ?').run(patch.kind, appId, wxid);
    }),
  };
}
