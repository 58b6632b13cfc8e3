// Exit codes, the CLI's own error type, and how results and failures are printed (human text or --json).
import { WxgateError } from '@wxgate/sdk';
import { m } from './i18n/index.ts';

/** The documented exit codes (docs/cli.md); scripts branch on them. */
export const EXIT = { ok: 0, api: 1, usage: 2, connection: 3 } as const;

/** A failure the CLI itself detected (bad input, missing settings, a login that did not succeed). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly exitCode: number,
    message: string,
    /** Extra lines: failing fields, close matches, hints. */
    readonly details: string[] = [],
    /** What --json prints instead of the message. */
    readonly json: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const usage = (message: string, details: string[] = [], json: Record<string, unknown> = {}) =>
  new CliError(EXIT.usage, message, details, json);

/** `to_username: Field required`: the field path without the `body` prefix the server puts first. */
export function describeIssue(issue: { readonly loc: readonly (string | number)[]; readonly msg: string }): string {
  const loc = issue.loc[0] === 'body' ? issue.loc.slice(1) : issue.loc;
  const where = loc.length ? loc.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[') : '(body)';
  return `${where}: ${issue.msg}`;
}

/** Prints a command's result: the JSON document with --json, else the human text. */
export function emit(json: boolean, value: unknown, human: () => string): void {
  if (json) process.stdout.write(JSON.stringify(value) + '\n');
  else {
    const text = human();
    if (text) process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }
}

/** An SDK error that means no answer arrived at all (refused, DNS, timeout), as opposed to an API refusal. */
export const isConnectionFailure = (err: unknown): boolean =>
  err instanceof WxgateError && err.status === 0;

/** Prints a failure on stderr and returns its exit code. */
export function report(err: unknown, json: boolean, baseUrl?: string): number {
  if (err instanceof CliError) {
    if (json) process.stderr.write(JSON.stringify({ error: { message: err.message, exit_code: err.exitCode, ...err.json } }) + '\n');
    else process.stderr.write(`${m.errors.prefix(err.message)}\n${err.details.map((d) => `  ${d}\n`).join('')}`);
    return err.exitCode;
  }
  if (err instanceof WxgateError) {
    const connection = isConnectionFailure(err);
    if (json) {
      process.stderr.write(JSON.stringify({ error: { code: err.code, message: err.message, status: err.status, errors: err.errors, data: err.data, request_id: err.requestId } }) + '\n');
    } else if (connection) {
      process.stderr.write(`${m.errors.prefix(m.errors.cannotReach(err.message))}\n  ${baseUrl ? m.errors.isItRunningAt(baseUrl) : m.errors.isItRunning}\n`);
    } else {
      const lines = [m.errors.prefix(err.status ? m.errors.apiWithStatus(err.code, err.message, err.status) : m.errors.api(err.code, err.message))];
      for (const issue of err.errors) lines.push(`  ${describeIssue(issue)}`);
      if (err.data !== null && err.data !== undefined && !(typeof err.data === 'object' && Object.keys(err.data).length === 0)) {
        lines.push(`  ${m.errors.data(JSON.stringify(err.data))}`);
      }
      if (err.requestId) lines.push(`  ${m.errors.requestId(err.requestId)}`);
      process.stderr.write(lines.join('\n') + '\n');
    }
    return connection ? EXIT.connection : EXIT.api;
  }
  // A bug, not a user error: show the stack so it can be reported.
  process.stderr.write(`${m.errors.prefix(m.errors.unexpected((err as Error)?.stack ?? String(err)))}\n`);
  return EXIT.api;
}
