// Writes the artifacts derived from the contract (openapi/openapi.json, docs/errors.md, the SDK's types); --check fails on drift instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { ERRORS } from '@wxgate/contract';
import { buildOpenApi } from '../packages/server/src/transport/openapi.ts';
import { endpointsSource } from './sdk/endpoints-ts.ts';

const root = new URL('..', import.meta.url);

export function errorsMarkdown(): string {
  const rows = Object.entries(ERRORS).map(([name, e]) => `| ${e.code} | ${e.http} | \`${name}\` | ${e.message} |`);
  return [
    '# Error codes',
    '',
    '<!-- Generated from packages/contract/src/errors.ts by `npm run generate`; do not edit by hand. -->',
    '',
    'Every error body carries the code twice, as `code` and `errcode` (the names existing clients read), with the',
    'message as `message` and `errmsg`. `data` is `null` unless the error has details (for example `unlock_time`',
    'of a rate-limit lock). Apps in `raw` mode get `{"errcode","errmsg","data"}`. Codes are stable: never renumbered.',
    '',
    'Validation errors (422) also list the failing fields under both `errors` and `detail`:',
    '`[{"loc":["body","to_username"],"msg":"Field required","type":"missing"}]`.',
    '',
    '| code | HTTP | name | what it means, what to do |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

export function artifacts(): Record<string, string> {
  return {
    'openapi/openapi.json': JSON.stringify(buildOpenApi(), null, 2) + '\n',
    'docs/errors.md': errorsMarkdown(),
    'packages/sdk/src/endpoints.generated.ts': endpointsSource(),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  let drift = false;
  for (const [file, content] of Object.entries(artifacts())) {
    const url = new URL(file, root);
    let current = '';
    try {
      current = readFileSync(url, 'utf8');
    } catch {
      current = '';
    }
    if (current === content) continue;
    if (check) {
      console.error(`${file} is out of date with the contract: run npm run generate and commit it`);
      drift = true;
    } else {
      writeFileSync(url, content);
      console.log(`wrote ${file}`);
    }
  }
  process.exit(drift ? 1 : 0);
}
