// `wxgate call <path> --data '{…}'`: any endpoint, checked against the contract (the server's own validator) before anything is sent.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { endpointList, findEndpoint, type EndpointSpec } from '@wxgate/contract';
import { validateRequest } from '@wxgate/server/validation';
import { action } from '../context.ts';
import { describeIssue, emit, usage } from '../output.ts';
import { closeMatches } from '../suggest.ts';

/** `--data` as given: inline JSON, `@file`, or `-` for stdin. */
function readData(raw: string): unknown {
  let text = raw;
  try {
    if (raw === '-') text = readFileSync(0, 'utf8');
    else if (raw.startsWith('@')) text = readFileSync(raw.slice(1), 'utf8');
  } catch (err) {
    throw usage(`--data ${raw}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw usage(`--data is not valid JSON: ${(err as Error).message}`);
  }
}

function requireEndpoint(input: string): EndpointSpec {
  const path = input.startsWith('/') ? input : `/${input}`;
  const spec = findEndpoint(path);
  if (spec) return spec;
  const matches = closeMatches(path, endpointList.map((e) => e.path));
  throw usage(`unknown endpoint ${path}`, matches.length ? ['did you mean:', ...matches.map((m) => `  ${m}`)] : ['the API reference lists every endpoint: <url>/docs'], { matches });
}

/**
 * The server accepts and ignores undeclared fields (vendor clients send extras), so a misspelled optional field
 * would silently do nothing; the CLI refuses it unless asked not to.
 */
function unknownFields(spec: EndpointSpec, body: Record<string, unknown>): string[] {
  const declared = Object.keys(spec.request.properties ?? {});
  return Object.keys(body).filter((k) => !declared.includes(k)).map((k) => {
    const near = closeMatches(k, declared, 3);
    return `${k}: not a field of ${spec.path}${near.length ? ` (did you mean ${near.join(', ')}?)` : ` (fields: ${declared.join(', ') || 'none'})`}`;
  });
}

export function registerCall(program: Command): void {
  program
    .command('call <path>')
    .description('call any endpoint (e.g. /user/get_profile); the body is validated against the contract before sending')
    .option('-d, --data <json>', 'request body: JSON, @file.json, or - for stdin', '{}')
    .option('--guid <guid>', 'set the body\'s guid (instead of writing it in --data)')
    .option('--allow-unknown', 'send fields the endpoint does not declare (the server ignores them)')
    .action(action(async (ctx, input: string) => {
      const spec = requireEndpoint(input);
      const body = readData(String(ctx.opts.data));
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw usage('--data must be a JSON object');
      const fields = body as Record<string, unknown>;
      if (ctx.opts.guid !== undefined) fields.guid = String(ctx.opts.guid);
      const unknown = ctx.opts.allowUnknown ? [] : unknownFields(spec, fields);
      // On a copy: the validator fills defaults in place, and the server should see exactly what the user wrote.
      const issues = validateRequest(spec, structuredClone(fields));
      if (unknown.length || issues.length) {
        throw usage(`invalid request for ${spec.path}; nothing was sent`, [...unknown, ...issues.map(describeIssue)], { path: spec.path, unknown_fields: unknown, errors: issues });
      }
      const client = spec.scope === 'admin' ? ctx.adminClient() : ctx.appClient();
      const result = await client.request(spec.path, fields);
      emit(ctx.json, result, () => JSON.stringify(result, null, 2));
    }));
}
