// `wxgate migrate --from sqlite:<dir> --to postgres://…`: copies a SQLite store into PostgreSQL through the server's own
// migration module, with progress on stderr and the per-table counts (a table, or a --json document) on stdout.
import type { Command } from 'commander';
import ora from 'ora';
import { DEFAULT_SCHEMA, isPostgresUrl, MigrateError, migrateSqliteToPostgres, redactUrl, type MigrateFailure, type MigrateReport } from '@wxgate/server/migrate';
import { action } from '../context.ts';
import { m } from '../i18n/index.ts';
import { CliError, EXIT, emit, usage } from '../output.ts';
import { table } from '../table.ts';

/** Same as the server's check (pg-migrations.ts), repeated so a bad name is a usage error before anything is opened. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** sqlite:<dir>, sqlite://<dir> or sqlite:///<absolute dir> → the directory; anything else is not a SQLite source. */
function sqliteDirOf(from: string): string | undefined {
  if (!from.startsWith('sqlite:')) return undefined;
  let path = from.slice('sqlite:'.length);
  if (path.startsWith('//')) path = path.slice(2);
  return path === '' ? undefined : path;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A URL as messages show it: its password hidden (one that does not parse has none to find, and is shown as given). */
const shown = (url: string) => JSON.stringify(URL.canParse(url) ? redactUrl(url) : url);

/** Each refusal in the reader's language, with the exit code its kind has (docs/cli.md). */
function cliErrorOf(f: MigrateFailure, url: string): CliError {
  const t = m.migrate;
  const fail = (code: number, message: string, details: string[] = [], extra: Record<string, unknown> = {}) =>
    new CliError(code, message, details, { code: f.code, ...extra });
  switch (f.code) {
    case 'bad_schema': return fail(EXIT.usage, t.badSchema(JSON.stringify(f.schema)));
    case 'bad_target': return fail(EXIT.usage, t.badTo(shown(url)), [t.toExample]);
    case 'source_missing': return fail(EXIT.usage, t.sourceMissing(f.file), [t.sourceMissingHint], { file: f.file });
    case 'source_unreadable': return fail(EXIT.api, t.sourceUnreadable(f.file, f.reason), [], { file: f.file });
    case 'source_outdated': return fail(EXIT.api, t.sourceOutdated(f.file, f.version, f.newest), [t.sourceOutdatedHint], { version: f.version, newest: f.newest });
    case 'source_newer': return fail(EXIT.api, t.sourceNewer(f.file, f.version, f.newest), [t.sourceNewerHint], { version: f.version, newest: f.newest });
    case 'source_in_use': return fail(EXIT.api, t.sourceInUse(f.dataDir),
      [...(f.owner ? [t.sourceInUseBy(f.owner.pid, f.owner.host, f.owner.startedAt)] : []), t.sourceInUseHint], { data_dir: f.dataDir, pid: f.owner?.pid ?? null });
    case 'target_unreachable': return fail(EXIT.connection, t.targetUnreachable(redactUrl(url), f.reason));
    case 'target_in_use': return fail(EXIT.api, t.targetInUse(f.schema, f.holder ?? '—'), [t.targetInUseHint], { schema: f.schema, holder: f.holder });
    case 'target_not_empty': {
      const listed = f.tables.slice(0, 5).map((x) => `${x.table}: ${x.rows}`).join(', ') + (f.tables.length > 5 ? ', …' : '');
      return fail(EXIT.usage, t.targetNotEmpty(f.schema, listed), [t.targetNotEmptyHint], { tables: f.tables });
    }
    case 'table_missing': return fail(EXIT.api, t.tableMissing(f.table), [t.schemaHint], { table: f.table });
    case 'column_missing': return fail(EXIT.api, t.columnMissing(f.table, f.column), [t.schemaHint], { table: f.table, column: f.column });
    case 'column_unfilled': return fail(EXIT.api, t.columnUnfilled(f.table, f.column), [t.schemaHint], { table: f.table, column: f.column });
    case 'column_type': return fail(EXIT.api, t.columnType(f.table, f.column, f.sqliteType, f.pgType), [t.schemaHint], { table: f.table, column: f.column });
    case 'copy_failed': return fail(EXIT.api, t.copyFailed(f.table, f.reason), [], { table: f.table });
    case 'verify_failed': return fail(EXIT.api, t.verifyFailed(f.table, f.source, f.target), [], { table: f.table, source: f.source, target: f.target });
  }
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description(m.migrate.description)
    .option('--from <source>', m.migrate.fromOption)
    .option('--to <url>', m.migrate.toOption)
    .option('--schema <name>', m.migrate.schemaOption)
    .option('--force', m.migrate.forceOption)
    .action(action(async (ctx) => {
      const from = str(ctx.opts.from);
      if (!from) throw usage(m.migrate.needFrom, [m.migrate.fromExample]);
      const sqliteDir = sqliteDirOf(from);
      if (!sqliteDir) throw usage(m.migrate.badFrom(JSON.stringify(from)), [m.migrate.fromExample]);
      // The variables the server itself reads, so the copy lands where `npm start` will look for it.
      const url = str(ctx.opts.to) ?? str(process.env.WXGATE_DATABASE_URL);
      if (!url) throw usage(m.migrate.needTo, [m.migrate.toExample]);
      if (!isPostgresUrl(url)) throw usage(m.migrate.badTo(shown(url)), [m.migrate.toExample]);
      const schema = str(ctx.opts.schema) ?? str(process.env.WXGATE_DATABASE_SCHEMA) ?? DEFAULT_SCHEMA;
      if (!SCHEMA_NAME.test(schema)) throw usage(m.migrate.badSchema(JSON.stringify(schema)));

      const spinner = ora({ text: m.migrate.opening, stream: process.stderr, isSilent: ctx.json, discardStdin: false }).start();
      let report: MigrateReport;
      try {
        report = await migrateSqliteToPostgres({
          sqliteDir, url, schema, force: ctx.opts.force === true,
          onProgress: (p) => { spinner.text = m.migrate.copying(p.table, p.copied, p.total); },
        });
      } catch (err) {
        if (err instanceof MigrateError) throw cliErrorOf(err.failure, url);
        throw new CliError(EXIT.api, m.migrate.failed((err as Error).message), [], { code: 'failed' });
      } finally {
        spinner.stop();
      }
      const target = redactUrl(url);
      emit(ctx.json, {
        source: report.source, source_version: report.sourceVersion, target, schema: report.schema,
        tables: report.tables, total_rows: report.totalRows, replaced_rows: report.replacedRows, duration_ms: report.durationMs, verified: true,
      }, () => [
        table([m.migrate.columns.table, m.migrate.columns.rows], report.tables.map((x) => [x.table, String(x.rows)])),
        '',
        m.migrate.copied(report.source, report.sourceVersion, report.schema, target),
        m.migrate.summary(report.tables.length, report.totalRows, (report.durationMs / 1000).toFixed(1)),
        ...(report.replacedRows > 0 ? [m.migrate.replaced(report.replacedRows)] : []),
        m.migrate.next(report.schema),
      ].join('\n'));
    }));
}
