// The rewrite at start, on SQLite, that seals secret columns written in plaintext by earlier versions and re-seals those
// sealed with a previous key (a rotation).
import type Database from 'better-sqlite3';
import type { SecretSealer } from '../ports.ts';
import { resealedValue, secretContext } from '../secret-columns.ts';

type Row = Record<string, unknown>;

interface SecretColumn {
  readonly select: string;
  readonly update: string;
  readonly context: (row: Row) => string;
}

const COLUMNS: readonly SecretColumn[] = [
  {
    select: "SELECT rowid AS id, guid, proxy AS value FROM instances WHERE proxy != ''",
    update: 'UPDATE instances SET proxy = ? WHERE rowid = ?',
    context: (r) => secretContext.proxy(r.guid as string),
  },
  {
    select: 'SELECT rowid AS id, app_id, secret AS value FROM signing_secrets',
    update: 'UPDATE signing_secrets SET secret = ? WHERE rowid = ?',
    context: (r) => secretContext.signingSecret(r.app_id as string),
  },
  {
    select: 'SELECT rowid AS id, name, value FROM media_secrets',
    update: 'UPDATE media_secrets SET value = ? WHERE rowid = ?',
    context: (r) => secretContext.mediaSecret(r.name as string),
  },
  {
    select: 'SELECT rowid AS id, guid, bot_token AS value FROM ilink_links',
    update: 'UPDATE ilink_links SET bot_token = ? WHERE rowid = ?',
    context: (r) => secretContext.ilinkBotToken(r.guid as string),
  },
];

/**
 * Brings every secret column to the current key, in one transaction: plaintext is sealed, values sealed with a previous
 * key are opened and sealed again; a value no configured key opens throws (the start stops, naming the setting).
 * When plaintext was replaced, the file is rebuilt (VACUUM, then a WAL checkpoint): an UPDATE leaves the old bytes in
 * free space, where secure_delete does not reach them all. Returns the rows rewritten.
 */
export function resealSecrets(db: Database.Database, sealer: SecretSealer): number {
  let rewritten = 0;
  let hadPlaintext = false;
  db.transaction(() => {
    for (const column of COLUMNS) {
      const update = db.prepare(column.update);
      for (const row of db.prepare(column.select).all() as Row[]) {
        const next = resealedValue(sealer, row.value as string, column.context(row));
        if (!next) continue;
        hadPlaintext ||= next.wasPlain;
        update.run(next.value, row.id);
        rewritten++;
      }
    }
  })();
  if (hadPlaintext) {
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
  return rewritten;
}
