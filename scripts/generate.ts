// Writes the artifacts derived from the contract (openapi/openapi.json, docs/errors.md, the SDK's types); --check fails on drift instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { ERRORS, ERRORS_ZH, type ErrorName } from '@wxgate/contract';
import { buildOpenApi } from '../packages/server/src/transport/openapi/openapi.ts';
import { endpointsSource } from './sdk/endpoints-ts.ts';

const root = new URL('..', import.meta.url);

export function errorsMarkdown(): string {
  const rows = Object.entries(ERRORS).map(([name, e]) => {
    const wire = (e as { httpLevel?: true }).httpLevel ? e.http : 200;
    return `| ${e.code} | ${wire} | ${e.http} | \`${name}\` | ${e.message} | ${ERRORS_ZH[name as ErrorName]} |`;
  });
  return [
    '[简体中文](zh-CN/errors.md)',
    '',
    '# Error codes',
    '',
    '<!-- Generated from packages/contract/src/errors.ts and errors-zh.ts by `npm run generate`; do not edit by hand. -->',
    '',
    'Every failure has a stable numeric code (never renumbered) and a precise HTTP status. How it reaches the client',
    'depends on the app\'s response mode ([wire.md](wire.md) explains the choice):',
    '',
    '- **`raw`, the vendor\'s wire — the default.** Business failures (unknown or stopped instance, not logged in, bad',
    '  credentials, WeChat refusals, not supported) answer **HTTP 200**, as the hosted vendor service does, with the code',
    '  under `errcode`, `err_code` and `error_code`, the text under `errmsg`, `err_msg`, `error_message` and `msg`, and',
    '  `data` (details, else `null`). Endpoints that proxy a WeChat call (kind `raw`) also carry',
    '  `baseResponse: {"ret": <non-zero>, "errMsg": {"string": "…"}}` — WeChat\'s own `ret` for a WeChat refusal, else',
    '  the code. Failures that HTTP reports on the vendor\'s FastAPI service too keep their status (the rows whose two',
    '  HTTP columns agree): 422 validation, 400 malformed JSON, 404 unknown path, 405, 413 body too large, 415, 429',
    '  rate lock (with `Retry-After`), 5xx server faults.',
    '',
    '  ```json',
    '  {"errcode":40902,"err_code":40902,"error_code":40902,"errmsg":"此实例上没有已登录的微信账号；…","err_msg":"…","error_message":"…","msg":"…","baseResponse":{"ret":40902,"errMsg":{"string":"…"}},"data":null}',
    '  ```',
    '- **`standard`** (opt-in per app, `/admin/set_app_mode`, or `WXGATE_RESPONSE_MODE=standard` for new apps): the',
    '  precise HTTP status and `{"code","message","errcode","errmsg","data"}`.',
    '- **Every mode** names the failure in two response headers: `x-wxgate-code` (the code) and `x-wxgate-status` (the',
    '  precise HTTP status).',
    '- **Language**: the text is the Chinese one below unless the caller\'s `Accept-Language` prefers English, or',
    '  `WXGATE_LANGUAGE=en` makes English the default ([wire.md](wire.md#failures)); a failure with its own details',
    '  (a wxid, WeChat\'s ret) adds them after it.',
    '',
    'Validation errors (422) list the failing fields under both `detail` (FastAPI\'s shape) and `errors`:',
    '`[{"loc":["body","to_username"],"msg":"Field required","type":"missing"}]`.',
    '',
    '| code | HTTP (`raw`, default) | HTTP (`standard`, and `x-wxgate-status`) | name | what it means, what to do | 中文 |',
    '|---|---|---|---|---|---|',
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
