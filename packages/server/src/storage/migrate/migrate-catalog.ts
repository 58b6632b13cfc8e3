// What `wxgate migrate` copies, read from both catalogs: each table's columns on either side, how they pair up, which
// PostgreSQL identities stand in for SQLite's rowid, and the order foreign keys allow.
import type Database from 'better-sqlite3';
import type pg from 'pg';
import { MigrateError } from './migrate-errors.ts';

/** Each engine records its own migrations: the bookkeeping is never copied. */
export const BOOKKEEPING_TABLES: ReadonlySet<string> = new Set(['schema_migrations']);

export interface SqliteTable {
  readonly name: string;
  /** Declared column names and types, in table order. */
  readonly columns: ReadonlyArray<{ readonly name: string; readonly type: string; readonly pk: number }>;
  /** False for WITHOUT ROWID tables: they have no rowid to carry over. */
  readonly hasRowid: boolean;
}

export interface PgColumn {
  readonly name: string;
  /** format_type(): bigint, text, bytea… */
  readonly type: string;
  readonly identity: boolean;
  readonly generated: boolean;
  readonly notNull: boolean;
  readonly hasDefault: boolean;
}

export interface PgTable {
  readonly name: string;
  readonly columns: readonly PgColumn[];
  /** Tables this one references (its foreign keys), which must be filled first. */
  readonly references: readonly string[];
}

/** One table's copy: what to select from SQLite and the PostgreSQL columns the values go to, position for position. */
export interface TablePlan {
  readonly table: string;
  /** The SELECT list, e.g. `rowid, "guid", "key"` (rowid when an identity takes it). */
  readonly select: string;
  readonly orderBy: string;
  readonly targetColumns: readonly string[];
  readonly identities: readonly string[];
  /** Whether the table exists in SQLite (a PostgreSQL-only table is emptied and left empty). */
  readonly inSource: boolean;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const qualified = (schema: string, table: string) => `${quote(schema)}.${quote(table)}`;
export { quote as quoteIdentifier };

export function readSqliteTables(db: Database.Database): SqliteTable[] {
  const listed = db.prepare("SELECT name, wr FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    .all() as Array<{ name: string; wr: number }>;
  return listed
    .filter((t) => !BOOKKEEPING_TABLES.has(t.name))
    .map((t) => ({
      name: t.name,
      hasRowid: t.wr === 0,
      columns: (db.prepare('SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid').all(t.name) as Array<{ name: string; type: string; pk: number }>),
    }));
}

/** AUTOINCREMENT high-water marks: a deleted row's id is never handed out again, and PostgreSQL must not either. */
export function readSqliteSequences(db: Database.Database): Map<string, bigint> {
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_sequence'").get();
  if (!exists) return new Map();
  const rows = db.prepare('SELECT name, seq FROM sqlite_sequence').safeIntegers(true).all() as Array<{ name: string; seq: bigint }>;
  return new Map(rows.map((r) => [r.name, r.seq]));
}

export async function readPgTables(client: pg.ClientBase, schema: string): Promise<PgTable[]> {
  const columns = await client.query<{ table: string; name: string; type: string; identity: boolean; generated: boolean; not_null: boolean; has_default: boolean }>(
    `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attidentity <> '' AS identity,
            a.attgenerated <> '' AS generated, a.attnotnull AS not_null, a.atthasdef AS has_default
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
    [schema],
  );
  const references = await client.query<{ table: string; referenced: string }>(
    `SELECT DISTINCT c.relname AS table, r.relname AS referenced
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE k.contype = 'f' AND n.nspname = $1 AND k.conrelid <> k.confrelid`,
    [schema],
  );
  const tables = new Map<string, { columns: PgColumn[]; references: string[] }>();
  for (const c of columns.rows) {
    if (BOOKKEEPING_TABLES.has(c.table)) continue;
    let table = tables.get(c.table);
    if (!table) tables.set(c.table, (table = { columns: [], references: [] }));
    table.columns.push({ name: c.name, type: c.type, identity: c.identity, generated: c.generated, notNull: c.not_null, hasDefault: c.has_default });
  }
  for (const r of references.rows) tables.get(r.table)?.references.push(r.referenced);
  return [...tables].map(([name, t]) => ({ name, ...t }));
}

/** Referenced tables first (so foreign keys hold row by row), otherwise by name. */
export function dependencyOrder(tables: readonly PgTable[]): PgTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const ordered: PgTable[] = [];
  const visit = (table: PgTable, path: Set<string>) => {
    if (done.has(table.name) || path.has(table.name)) return; // a cycle would need deferred constraints; wxgate has none
    path.add(table.name);
    for (const ref of [...table.references].sort()) {
      const referenced = byName.get(ref);
      if (referenced) visit(referenced, path);
    }
    done.add(table.name);
    ordered.push(table);
  };
  for (const table of [...tables].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) visit(table, new Set());
  return ordered;
}

/** SQLite's STRICT types and the PostgreSQL types that hold them unchanged. */
const COMPATIBLE: Record<string, readonly string[]> = {
  INTEGER: ['bigint', 'integer', 'smallint', 'numeric'],
  INT: ['bigint', 'integer', 'smallint', 'numeric'],
  TEXT: ['text', 'character varying', 'jsonb', 'json'],
  BLOB: ['bytea'],
  REAL: ['double precision', 'real', 'numeric'],
};

function compatible(sqliteType: string, pgType: string): boolean {
  const accepted = COMPATIBLE[sqliteType.toUpperCase()];
  // ANY (or an undeclared type) may hold anything; PostgreSQL reports a value that does not fit when it is inserted.
  return accepted === undefined || accepted.some((t) => pgType === t || pgType.startsWith(`${t}(`));
}

/**
 * Pairs the columns by name. Every SQLite column must have a PostgreSQL column of a compatible type (else the copy
 * would drop data); a PostgreSQL identity SQLite lacks takes the rowid; any other PostgreSQL-only column must have a
 * default or accept NULL. Throws MigrateError naming the table and column otherwise.
 */
export function planTables(sqlite: readonly SqliteTable[], target: readonly PgTable[]): TablePlan[] {
  const pgByName = new Map(target.map((t) => [t.name, t]));
  for (const table of sqlite) {
    if (!pgByName.has(table.name)) throw new MigrateError({ code: 'table_missing', table: table.name });
  }
  const sqliteByName = new Map(sqlite.map((t) => [t.name, t]));
  return dependencyOrder(target).map((pgTable): TablePlan => {
    const source = sqliteByName.get(pgTable.name);
    const identities = pgTable.columns.filter((c) => c.identity).map((c) => c.name);
    if (!source) return { table: pgTable.name, select: '', orderBy: '', targetColumns: [], identities, inSource: false };
    const pgColumns = new Map(pgTable.columns.map((c) => [c.name, c]));
    const select: string[] = [];
    const targetColumns: string[] = [];
    for (const column of source.columns) {
      const pgColumn = pgColumns.get(column.name);
      if (!pgColumn || pgColumn.generated) throw new MigrateError({ code: 'column_missing', table: source.name, column: column.name });
      if (!compatible(column.type, pgColumn.type)) {
        throw new MigrateError({ code: 'column_type', table: source.name, column: column.name, sqliteType: column.type, pgType: pgColumn.type });
      }
      select.push(quote(column.name));
      targetColumns.push(column.name);
    }
    const sourceNames = new Set(source.columns.map((c) => c.name));
    for (const pgColumn of pgTable.columns) {
      if (sourceNames.has(pgColumn.name) || pgColumn.generated) continue;
      if (pgColumn.identity && source.hasRowid) {
        select.push('rowid');
        targetColumns.push(pgColumn.name);
      } else if (pgColumn.notNull && !pgColumn.hasDefault && !pgColumn.identity) {
        throw new MigrateError({ code: 'column_unfilled', table: source.name, column: pgColumn.name });
      }
    }
    // Insertion order is rowid order, the order SQLite listed rows in; WITHOUT ROWID tables go by their primary key.
    const primaryKey = source.columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => quote(c.name));
    const orderBy = source.hasRowid ? 'rowid' : primaryKey.join(', ') || '1';
    return { table: pgTable.name, select: select.join(', '), orderBy, targetColumns, identities, inSource: true };
  });
}
