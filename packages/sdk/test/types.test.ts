// Type-level tests: tsc must refuse a misspelled request field (naming it) and accept correct calls and answers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));

describe('the typed client at compile time', () => {
  let dir: string;
  // Inside the workspace (a dot directory the test runner skips), so `@wxgate/sdk` resolves through node_modules.
  before(() => {
    dir = mkdtempSync(join(sdkDir, '.typecheck-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const check = (name: string, source: string) => {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.json', include: [name] }));
    writeFileSync(join(dir, name), source);
    const run = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--noEmit', '--pretty', 'false'], { encoding: 'utf8' });
    return { ok: run.status === 0, output: run.stdout + run.stderr };
  };

  const header = "import { WxgateClient, parseMessageContent, verifyWebhook } from '@wxgate/sdk';\n" +
    "const client = new WxgateClient({ baseUrl: 'http://127.0.0.1:8080', appKey: 'k', appSecret: 's' });\n";

  test('correct calls compile, and answers carry their types', () => {
    const result = check('good.ts', header + [
      "const sent = await client.call('/msg/send_text', { guid: 'g', to_username: 'wxid_a', content: 'hi' });",
      'const id: string = sent.list[0]!.newMsgId;',
      "const status: number = (await client.call('/client/get_client_status', { guid: 'g' })).status;",
      "const raw = await client.call('/user/get_profile', { guid: 'g' }, { mode: 'raw' });",
      "const viaApi: string = (await client.api.msg.send_text({ guid: 'g', to_username: 'wxid_a', content: 'hi' })).list[0]!.newMsgId;",
      "await client.api.sandbox.messages_send({ from_wxid: 'wxid_a', path: '/msg/send_text', body: { to_username: 'wxid_b', content: 'hi' } });",
      "const c = parseMessageContent({ msg_type: 3, content: '' });",
      "if (c.kind === 'image') { const key: string = c.aesKey; void key; }",
      "const event = await verifyWebhook({}, '', 'whsec_x');",
      "if (event.notify_type === 1010) { const k: string = parseMessageContent(event.data).kind; void k; }",
      "if (event.notify_type === 1011) { const first: string | undefined = event.data[0]?.content; void first; }",
      "if (event.notify_type === 1200) { const obj: Record<string, unknown> = event.data; void obj; }",
      'void [id, status, raw, viaApi, event.notify_type];',
      'export {};',
    ].join('\n'));
    assert.ok(result.ok, result.output);
  });

  test('a misspelled request field fails to compile, and the error names it', () => {
    const result = check('misspelled.ts', header +
      "await client.call('/msg/send_text', { guid: 'g', to_username: 'wxid_a', contnet: 'hi' });\nexport {};\n");
    assert.equal(result.ok, false, 'tsc accepted a misspelled field');
    assert.match(result.output, /error TS2561: Object literal may only specify known properties, but 'contnet' does not exist in type 'MsgSendTextRequest'\. Did you mean to write 'content'\?/);
  });

  test('a missing required field, a wrong type and an unknown path fail too', () => {
    const result = check('others.ts', header + [
      "await client.call('/msg/send_text', { guid: 'g', to_username: 'wxid_a' });",
      "await client.call('/client/get_client_status', { guid: 1 });",
      "await client.call('/msg/send_txt', {});",
      "await client.api.msg.send_txt({});",
      "await client.api.msg.send_text({ guid: 'g', to_username: 'wxid_a', contnet: 'hi' });",
      'export {};',
    ].join('\n'));
    assert.match(result.output, /Property 'content' is missing/);
    assert.match(result.output, /Type 'number' is not assignable to type 'string'/);
    assert.match(result.output, /'"\/msg\/send_txt"' is not assignable/);
    assert.match(result.output, /Property 'send_txt' does not exist on type 'ModuleApi<"msg">'/);
    assert.match(result.output, /'contnet' does not exist in type 'MsgSendTextRequest'/);
  });
});
