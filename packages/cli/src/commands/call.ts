// `wxgate call <path> --data '{…}'`: any endpoint, checked against the contract (the server's own validator) before anything is sent.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { endpointList, findEndpoint, type EndpointSpec } from '@wxgate/contract';
import { validateRequest } from '@wxgate/server/validation';
import { action } from '../context.ts';
import { m } from '../i18n/index.ts';
import { describeIssue, emit, usage } from '../output.ts';
import { closeMatches } from '../suggest.ts';

/** `--data` as given: inline JSON, `@file`, or `-` for stdin. */
function readData(raw: string): unknown {
  let text = raw;
  try {
    if (raw === '-') text = readFileSync(0, 'utf8');
    else if (raw.startsWith('@')) text = readFileSync(raw.slice(1), 'utf8');
  } catch (err) {
    throw usage(m.call.cannotReadData(raw, (err as Error).message));
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw usage(m.call.notJson((err as Error).message));
  }
}

function requireEndpoint(input: string): EndpointSpec {
  const path = input.startsWith('/') ? input : `/${input}`;
  const spec = findEndpoint(path);
  if (spec) return spec;
  const matches = closeMatches(path, endpointList.map((e) => e.path));
  throw usage(m.call.unknownEndpoint(path), matches.length ? [m.call.didYouMean, ...matches.map((match) => `  ${match}`)] : [m.call.seeDocs], { matches });
}

/**
 * The server accepts and ignores undeclared fields (vendor clients send extras), so a misspelled optional field
 * would silently do nothing; the CLI refuses it unless asked not to.
 */
function unknownFields(spec: EndpointSpec, body: Record<string, unknown>): string[] {
  const declared = Object.keys(spec.request.properties ?? {});
  return Object.keys(body).filter((k) => !declared.includes(k)).map((k) => {
    const near = closeMatches(k, declared, 3);
    return near.length ? m.call.notAFieldNear(k, spec.path, near.join(', ')) : m.call.notAFieldList(k, spec.path, declared.join(', ') || m.call.noFields);
  });
}

export function registerCall(program: Command): void {
  program
    .command('call <path>')
    .description(m.call.description)
    .option('-d, --data <json>', m.call.dataOption, '{}')
    .option('--guid <guid>', m.call.guidOption)
    .option('--allow-unknown', m.call.allowUnknownOption)
    .action(action(async (ctx, input: string) => {
      const spec = requireEndpoint(input);
      const body = readData(String(ctx.opts.data));
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw usage(m.call.notObject);
      const fields = body as Record<string, unknown>;
      if (ctx.opts.guid !== undefined) fields.guid = String(ctx.opts.guid);
      const unknown = ctx.opts.allowUnknown ? [] : unknownFields(spec, fields);
      // On a copy: the validator fills defaults in place, and the server should see exactly what the user wrote.
      const issues = validateRequest(spec, structuredClone(fields));
      if (unknown.length || issues.length) {
        throw usage(m.call.invalid(spec.path), [...unknown, ...issues.map(describeIssue)], { path: spec.path, unknown_fields: unknown, errors: issues });
      }
      const client = spec.scope === 'admin' ? ctx.adminClient() : ctx.appClient();
      const result = await client.request(spec.path, fields);
      emit(ctx.json, result, () => JSON.stringify(result, null, 2));
    }));
}
