// The rewrite at start, on PostgreSQL, that seals secret columns written in plaintext and re-seals those sealed with a
// previous key (a rotation); the same rules as SQLite's (storage/secret-columns.ts), in one transaction.
import type pg from 'pg';
import type { SecretSealer } from '../ports.ts';
import { resealedValue, secretContext } from '../secret-columns.ts';
import { inTransaction } from './pg-sql.ts';

type Row = Record<string, unknown>;

const COLUMNS = [
  {
    select: "SELECT guid AS key, guid, proxy AS value FROM instances WHERE proxy != '' FOR UPDATE",
    update: 'UPDATE instances SET proxy = $1 WHERE guid = $2',
    context: (r: Row) => secretContext.proxy(r.guid as string),
  },
  {
    select: 'SELECT rid AS key, app_id, secret AS value FROM signing_secrets FOR UPDATE',
    update: 'UPDATE signing_secrets SET secret = $1 WHERE rid = $2',
    context: (r: Row) => secretContext.signingSecret(r.app_id as string),
  },
  {
    select: 'SELECT name AS key, name, value FROM media_secrets FOR UPDATE',
    update: 'UPDATE media_secrets SET value = $1 WHERE name = $2',
    context: (r: Row) => secretContext.mediaSecret(r.name as string),
  },
  {
    select: 'SELECT guid AS key, guid, bot_token AS value FROM ilink_links FOR UPDATE',
    update: 'UPDATE ilink_links SET bot_token = $1 WHERE guid = $2',
    context: (r: Row) => secretContext.ilinkBotToken(r.guid as string),
  },
] as const;

/** Brings every secret column to the current key; throws when a value no configured key opens. Returns the rows rewritten. */
export async function resealPostgresSecrets(pool: pg.Pool, sealer: SecretSealer): Promise<number> {
  return inTransaction(pool, async (_sql, client) => {
    let rewritten = 0;
    for (const column of COLUMNS) {
      for (const row of (await client.query(column.select)).rows as Row[]) {
        const next = resealedValue(sealer, row.value as string, column.context(row));
        if (!next) continue;
        await client.query(column.update, [next.value, row.key]);
        rewritten++;
      }
    }
    return rewritten;
  });
}
