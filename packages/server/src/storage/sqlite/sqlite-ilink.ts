// The iLink bridge's bots on SQLite (table ilink_bots).
import type Database from 'better-sqlite3';
import type { IlinkBotRepository } from '../ilink-ports.ts';
import { ilinkBotFromRow } from '../rows/ilink-rows.ts';

type Row = Record<string, unknown>;
type Prepared = (sql: string) => Database.Statement;
type Run = <T>(fn: () => T) => Promise<T>;

export function sqliteIlinkBots(prepared: Prepared, run: Run): IlinkBotRepository {
  return {
    insert: (b) => run(() => {
      prepared('INSERT INTO ilink_bots (id, app_id, guid, token_hash, user_wxid, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(b.id, b.appId, b.guid, b.tokenHash, b.userWxid, b.createdAt);
    }),
    findByHash: (hash) => run(() => {
      const row = prepared('SELECT * FROM ilink_bots WHERE token_hash = ?').get(hash) as Row | undefined;
      return row && ilinkBotFromRow(row);
    }),
    listByGuid: (guid) => run(() =>
      (prepared('SELECT * FROM ilink_bots WHERE guid = ? ORDER BY created_at, id').all(guid) as Row[]).map(ilinkBotFromRow)),
    remove: (guid, id) => run(() => prepared('DELETE FROM ilink_bots WHERE guid = ? AND id = ?').run(guid, id).changes > 0),
  };
}
