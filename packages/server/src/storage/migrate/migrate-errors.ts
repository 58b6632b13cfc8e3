// Why `wxgate migrate` refused or failed, as data (the CLI words each case in its own catalog) with an English message.
import type { LockOwner } from '../data-dir-lock.ts';

export type MigrateFailure =
  | { readonly code: 'bad_schema'; readonly schema: string }
  | { readonly code: 'bad_target' }
  | { readonly code: 'source_missing'; readonly file: string }
  | { readonly code: 'source_unreadable'; readonly file: string; readonly reason: string }
  | { readonly code: 'source_outdated'; readonly file: string; readonly version: number; readonly newest: number }
  | { readonly code: 'source_newer'; readonly file: string; readonly version: number; readonly newest: number }
  | { readonly code: 'source_in_use'; readonly dataDir: string; readonly owner: LockOwner | null }
  | { readonly code: 'target_unreachable'; readonly reason: string }
  | { readonly code: 'target_in_use'; readonly schema: string; readonly holder: string | null }
  | { readonly code: 'target_not_empty'; readonly schema: string; readonly tables: ReadonlyArray<{ readonly table: string; readonly rows: number }> }
  | { readonly code: 'table_missing'; readonly table: string }
  | { readonly code: 'column_missing'; readonly table: string; readonly column: string }
  | { readonly code: 'column_unfilled'; readonly table: string; readonly column: string }
  | { readonly code: 'column_type'; readonly table: string; readonly column: string; readonly sqliteType: string; readonly pgType: string }
  | { readonly code: 'copy_failed'; readonly table: string; readonly reason: string }
  | { readonly code: 'verify_failed'; readonly table: string; readonly source: number; readonly target: number };

export type MigrateFailureCode = MigrateFailure['code'];

function describe(f: MigrateFailure): string {
  switch (f.code) {
    case 'bad_schema': return `schema ${JSON.stringify(f.schema)} must be a lowercase identifier (a-z, 0-9, _; at most 63 characters)`;
    case 'bad_target': return 'the target must be a postgres:// or postgresql:// URL';
    case 'source_missing': return `no wxgate SQLite database at ${f.file}`;
    case 'source_unreadable': return `cannot read ${f.file}: ${f.reason}`;
    case 'source_outdated': return `${f.file} is at schema version ${f.version}, older than this wxgate's ${f.newest}: start wxgate once on it first, then migrate`;
    case 'source_newer': return `${f.file} is at schema version ${f.version}, newer than this wxgate's ${f.newest}: migrate with the wxgate that wrote it`;
    case 'source_in_use': return `the data directory ${f.dataDir} is in use by a running wxgate${f.owner ? ` (process ${f.owner.pid} on ${f.owner.host})` : ''}: stop it first`;
    case 'target_unreachable': return `cannot connect to PostgreSQL: ${f.reason}`;
    case 'target_in_use': return `schema ${f.schema} is in use by a running wxgate${f.holder ? ` (${f.holder})` : ''}: stop it first`;
    case 'target_not_empty': return `schema ${f.schema} already holds wxgate data (${f.tables.map((t) => `${t.table}: ${t.rows}`).join(', ')}); --force empties it first`;
    case 'table_missing': return `the PostgreSQL schema has no table ${f.table}`;
    case 'column_missing': return `the PostgreSQL table ${f.table} has no column ${f.column}`;
    case 'column_unfilled': return `the PostgreSQL column ${f.table}.${f.column} requires a value the SQLite table does not have`;
    case 'column_type': return `${f.table}.${f.column} is ${f.sqliteType} in SQLite but ${f.pgType} in PostgreSQL`;
    case 'copy_failed': return `copying ${f.table} failed: ${f.reason}`;
    case 'verify_failed': return `${f.table} has ${f.source} rows in SQLite but ${f.target} in PostgreSQL after the copy`;
  }
}

/** A refusal or failure of the migration; nothing was written to the target when it is thrown (the transaction rolled back). */
export class MigrateError extends Error {
  override readonly name = 'MigrateError';
  constructor(readonly failure: MigrateFailure, options?: { cause?: unknown }) {
    super(describe(failure), options);
  }

  get code(): MigrateFailureCode {
    return this.failure.code;
  }
}
