// The iLink bridge's pending QR codes on PostgreSQL (table ilink_qrcodes; migration 7).
import type { IlinkQrRepository } from '../ilink-ports.ts';
import { ILINK_QR_COLUMNS, ilinkQrChangeColumns, ilinkQrFromRow, ilinkQrValues } from '../rows/ilink-qr-rows.ts';
import type { Sql } from './pg-sql.ts';

export function pgIlinkQrCodes(sql: Sql): IlinkQrRepository {
  return {
    insert: async (q) => {
      await sql.run(`INSERT INTO ilink_qrcodes (${ILINK_QR_COLUMNS.join(', ')}) VALUES (${ILINK_QR_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`, ilinkQrValues(q));
    },
    find: async (hash) => {
      const row = await sql.row('SELECT * FROM ilink_qrcodes WHERE code_hash = $1', [hash]);
      return row && ilinkQrFromRow(row);
    },
    update: async (hash, from, change) => {
      const columns = ilinkQrChangeColumns(change);
      if (columns.length === 0) return (await sql.row('SELECT 1 FROM ilink_qrcodes WHERE code_hash = $1 AND status = $2', [hash, from])) !== undefined;
      const sets = columns.map(([c], i) => `${c} = $${i + 3}`).join(', ');
      return (await sql.run(`UPDATE ilink_qrcodes SET ${sets} WHERE code_hash = $1 AND status = $2`, [hash, from, ...columns.map(([, v]) => v)])) > 0;
    },
    remove: async (hash, status) => (await sql.run('DELETE FROM ilink_qrcodes WHERE code_hash = $1 AND status = $2', [hash, status])) > 0,
    prune: async (createdBefore, keep) => {
      await sql.run('DELETE FROM ilink_qrcodes WHERE created_at < $1', [createdBefore]);
      await sql.run('DELETE FROM ilink_qrcodes WHERE code_hash NOT IN (SELECT code_hash FROM ilink_qrcodes ORDER BY created_at DESC, code_hash COLLATE "C" DESC LIMIT $1)', [keep]);
    },
  };
}
