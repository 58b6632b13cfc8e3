// The iLink bridge's bots on PostgreSQL (table ilink_bots).
import type { IlinkBotRepository } from '../ilink-ports.ts';
import { ilinkBotFromRow } from '../rows/ilink-rows.ts';
import type { Sql } from './pg-sql.ts';

export function pgIlinkBots(sql: Sql): IlinkBotRepository {
  return {
    insert: async (b) => {
      await sql.run('INSERT INTO ilink_bots (id, app_id, guid, token_hash, user_wxid, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [b.id, b.appId, b.guid, b.tokenHash, b.userWxid, b.createdAt]);
    },
    findByHash: async (hash) => {
      const row = await sql.row('SELECT * FROM ilink_bots WHERE token_hash = $1', [hash]);
      return row && ilinkBotFromRow(row);
    },
    listByGuid: async (guid) =>
      (await sql.rows('SELECT * FROM ilink_bots WHERE guid = $1 ORDER BY created_at, id COLLATE "C"', [guid])).map(ilinkBotFromRow),
    remove: async (guid, id) => (await sql.rows('DELETE FROM ilink_bots WHERE guid = $1 AND id = $2 RETURNING id', [guid, id])).length > 0,
  };
}
