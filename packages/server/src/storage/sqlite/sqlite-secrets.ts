// The columns that hold secrets, sealed on write and opened on read, and the rewrite at start that seals rows written in
// plaintext by earlier versions and re-seals rows sealed with a previous key (a rotation).
import type Database from 'better-sqlite3';
import type { SecretSealer } from '../ports.ts';

type Row = Record<string, unknown>;

/** What each sealed value is bound to (the sealer's context): a value copied to another row or column does not open. */
export const secretContext = {
  proxy: (guid: string) => `instances.proxy:${guid}`,
  signingSecret: (appId: string) => `signing_secrets.secret:${appId}`,
  mediaSecret: (name: string) => `media_secrets.value:${name}`,
} as const;

/** Seals and opens through the store's sealer; without one (stores built for tests of other concerns) values pass as they are. */
export class SecretColumns {
  constructor(private readonly sealer: SecretSealer | undefined) {}

  /** '' stays '': an empty proxy means "none", and sealing it would only hide that. */
  seal(value: string, context: string): string {
    return this.sealer && value !== '' ? this.sealer.seal(value, context) : value;
  }

  open(value: string, context: string): string {
    return this.sealer && value !== '' ? this.sealer.open(value, context) : value;
  }
}

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
        const value = row.value as string;
        const context = column.context(row);
        const state = sealer.state(value);
        if (state === 'current') {
          sealer.open(value, context); // an altered value is reported now, not at first use
          continue;
        }
        hadPlaintext ||= state === 'plain';
        update.run(sealer.seal(state === 'plain' ? value : sealer.open(value, context), context), row.id);
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
