// The Wechaty bridge's tokens on PostgreSQL (table wechaty_tokens).
import { wechatyTokenFromRow } from '../rows/wechaty-rows.ts';
import type { WechatyTokenRepository } from '../wechaty-ports.ts';
import type { Sql } from './pg-sql.ts';

export function pgWechatyTokens(sql: Sql): WechatyTokenRepository {
  return {
    insert: async (t) => {
      await sql.run('INSERT INTO wechaty_tokens (id, app_id, guid, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)', [t.id, t.appId, t.guid, t.tokenHash, t.createdAt]);
    },
    findByHash: async (hash) => {
      const row = await sql.row('SELECT * FROM wechaty_tokens WHERE token_hash = $1', [hash]);
      return row && wechatyTokenFromRow(row);
    },
    listByGuid: async (guid) =>
      (await sql.rows('SELECT * FROM wechaty_tokens WHERE guid = $1 ORDER BY created_at, id COLLATE "C"', [guid])).map(wechatyTokenFromRow),
    remove: async (guid, id) => (await sql.rows('DELETE FROM wechaty_tokens WHERE guid = $1 AND id = $2 RETURNING id', [guid, id])).length > 0,
  };
}
