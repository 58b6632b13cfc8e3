// The iLink bridge's pending QR codes on SQLite (table ilink_qrcodes; migration 18).
import type Database from 'better-sqlite3';
import type { IlinkQrRepository } from '../ilink-ports.ts';
import { ILINK_QR_COLUMNS, ilinkQrChangeColumns, ilinkQrFromRow, ilinkQrValues } from '../rows/ilink-qr-rows.ts';

type Row = Record<string, unknown>;
type Prepared = (sql: string) => Database.Statement;
type Run = <T>(fn: () => T) => Promise<T>;

export function sqliteIlinkQrCodes(prepared: Prepared, run: Run): IlinkQrRepository {
  return {
    insert: (q) => run(() => {
      prepared(`INSERT INTO ilink_qrcodes (${ILINK_QR_COLUMNS.join(', ')}) VALUES (${ILINK_QR_COLUMNS.map(() => '?').join(', ')})`).run(...ilinkQrValues(q));
    }),
    find: (hash) => run(() => {
      const row = prepared('SELECT * FROM ilink_qrcodes WHERE code_hash = ?').get(hash) as Row | undefined;
      return row && ilinkQrFromRow(row);
    }),
    update: (hash, from, change) => run(() => {
      const columns = ilinkQrChangeColumns(change);
      if (columns.length === 0) return (prepared('SELECT 1 FROM ilink_qrcodes WHERE code_hash = ? AND status = ?').get(hash, from)) !== undefined;
      const sets = columns.map(([c]) => `${c} = ?`).join(', ');
      return prepared(`UPDATE ilink_qrcodes SET ${sets} WHERE code_hash = ? AND status = ?`).run(...columns.map(([, v]) => v), hash, from).changes > 0;
    }),
    remove: (hash, status) => run(() => prepared('DELETE FROM ilink_qrcodes WHERE code_hash = ? AND status = ?').run(hash, status).changes > 0),
    prune: (createdBefore, keep) => run(() => {
      prepared('DELETE FROM ilink_qrcodes WHERE created_at < ?').run(createdBefore);
      prepared('DELETE FROM ilink_qrcodes WHERE code_hash NOT IN (SELECT code_hash FROM ilink_qrcodes ORDER BY created_at DESC, code_hash DESC LIMIT ?)').run(keep);
    }),
  };
}
