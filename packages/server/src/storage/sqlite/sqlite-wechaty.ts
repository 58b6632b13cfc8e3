// The Wechaty bridge's tokens on SQLite (table wechaty_tokens; migration 16).
import type Database from 'better-sqlite3';
import { wechatyTokenFromRow } from '../rows/wechaty-rows.ts';
import type { WechatyTokenRepository } from '../wechaty-ports.ts';

type Row = Record<string, unknown>;
type Prepared = (sql: string) => Database.Statement;
type Run = <T>(fn: () => T) => Promise<T>;

export function sqliteWechatyTokens(prepared: Prepared, run: Run): WechatyTokenRepository {
  return {
    insert: (t) => run(() => {
      prepared('INSERT INTO wechaty_tokens (id, app_id, guid, token_hash, created_at) VALUES (?, ?, ?, ?, ?)').run(t.id, t.appId, t.guid, t.tokenHash, t.createdAt);
    }),
    findByHash: (hash) => run(() => {
      const row = prepared('SELECT * FROM wechaty_tokens WHERE token_hash = ?').get(hash) as Row | undefined;
      return row && wechatyTokenFromRow(row);
    }),
    listByGuid: (guid) => run(() =>
      (prepared('SELECT * FROM wechaty_tokens WHERE guid = ? ORDER BY created_at, id').all(guid) as Row[]).map(wechatyTokenFromRow)),
    remove: (guid, id) => run(() => prepared('DELETE FROM wechaty_tokens WHERE guid = ? AND id = ?').run(guid, id).changes > 0),
  };
}
