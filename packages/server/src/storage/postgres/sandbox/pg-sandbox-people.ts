// Sandbox people on PostgreSQL: one row per person, unique per app by wxid, alias, phone and QQ.
import { PERSON_KEY_COLUMNS, personFromRow } from '../../rows/sandbox/sandbox-people-rows.ts';
import type { SandboxPeopleRepository } from '../../sandbox-ports.ts';
import type { Sql } from '../pg-sql.ts';

export function pgSandboxPeople(sql: Sql): SandboxPeopleRepository {
  return {
    insert: async (p) => {
      await sql.run(`INSERT INTO sandbox_people (app_id, wxid, alias, nickname, sex, signature, country, province, city, phone, qq,
        big_head_img_url, small_head_img_url, needs_verification, kind, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [p.appId, p.wxid, p.alias, p.nickname, p.sex, p.signature, p.country, p.province, p.city, p.phone, p.qq,
        p.bigHeadImgUrl, p.smallHeadImgUrl, p.needsVerification ? 1 : 0, p.kind, p.createdAt]);
    },
    get: async (appId, wxid) => {
      const row = await sql.row('SELECT * FROM sandbox_people WHERE app_id = $1 AND wxid = $2', [appId, wxid]);
      return row && personFromRow(row);
    },
    findBy: async (appId, key, value) => {
      if (value === '') return undefined;
      const row = await sql.row(`SELECT * FROM sandbox_people WHERE app_id = $1 AND ${PERSON_KEY_COLUMNS[key]} = $2`, [appId, value]);
      return row && personFromRow(row);
    },
    // rid is SQLite's rowid: people created in the same millisecond list in insertion order.
    list: async (appId, offset, limit) =>
      (await sql.rows('SELECT * FROM sandbox_people WHERE app_id = $1 ORDER BY created_at, rid LIMIT $2 OFFSET $3', [appId, limit, offset])).map(personFromRow),
    count: async (appId) => (await sql.row('SELECT count(*) AS n FROM sandbox_people WHERE app_id = $1', [appId]))!.n as number,
    // Nicknames compare as bytes (COLLATE "C", as SQLite's BINARY), whatever the database's default collation; the
    // (app_id, nickname COLLATE "C") index serves both lookups. Answered in the caller's order, duplicates kept.
    nicknamesIn: async (appId, nicknames) => {
      if (nicknames.length === 0) return [];
      const found = new Set((await sql.rows('SELECT DISTINCT nickname FROM sandbox_people WHERE app_id = $1 AND nickname COLLATE "C" = ANY($2::text[])',
        [appId, nicknames])).map((r) => r.nickname as string));
      return nicknames.filter((nickname) => found.has(nickname));
    },
    // A byte range on that index: U+10FFFF sorts after every character that can follow the prefix.
    nicknamesStartingWith: async (appId, prefix) =>
      (await sql.rows(`SELECT nickname FROM sandbox_people WHERE app_id = $1 AND nickname COLLATE "C" >= $2 AND nickname COLLATE "C" < $3
        ORDER BY nickname COLLATE "C", rid`, [appId, prefix, `${prefix}\u{10FFFF}`])).map((r) => r.nickname as string),
    update: async (appId, wxid, patch) => {
      if (patch.kind !== undefined) await sql.run('UPDATE sandbox_people SET kind = $1 WHERE app_id = $2 AND wxid = $3', [patch.kind, appId, wxid]);
    },
  };
}
