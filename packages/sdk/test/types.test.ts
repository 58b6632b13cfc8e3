// Type-level tests: tsc must refuse a misspelled request field (naming it), refuse reading a key an answer or a callback
// does not have, type always-sent fields as present, and accept correct calls and answers.
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
      "if (event.notify_type === 1200) { const who: string | undefined = event.data.userName.string; void who; }",
      "if (event.notify_type === 1201) { const scene: number = event.data.deleteContactScene; void scene; }",
      "if (event.notify_type === 1046) { const members: string[] | undefined = event.data.member_list; void members; }",
      "if (event.notify_type === 0) { const probe: true = event.data.test; void probe; }",
      'void [id, status, raw, viaApi, event.notify_type];',
      'export {};',
    ].join('\n'));
    assert.ok(result.ok, result.output);
  });

  // Every `@ts-expect-error` below must meet an error, else tsc reports TS2578 (unused directive): if an answer type
  // grew an index signature again, or an always-sent field became optional, this file stops compiling.
  test('strict answers and callbacks: unknown keys are compile errors, always-sent fields are never undefined', () => {
    const result = check('strict.ts', header + [
      "import type { CallbackEvent, NewMessage, NewMsgPayload, MsgSendTextResponse } from '@wxgate/sdk';",
      '/** Accepts a value only if its type admits undefined: passing an always-sent field is a compile error. */',
      'declare function mayBeMissing<T>(value: undefined extends T ? T : never): void;',
      'type RequiredKeys<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? never : K }[keyof T];',
      "const sent = await client.call('/msg/send_text', { guid: 'g', to_username: 'wxid_a', content: 'hi' });",
      "const status = await client.call('/client/get_client_status', { guid: 'g' });",
      "const restored = await client.call('/client/restore_client', { guid: 'g' });",
      'const item = sent.list[0]!;',
      "const event = await verifyWebhook({}, '', 'whsec_x');",
      'declare const msg: NewMessage;',
      // unknown keys, at the top level, nested, in list items, on an empty answer, in callbacks
      "// @ts-expect-error WeChat may send more, but the type lists only the contract's keys",
      'void sent.someKeyWeChatAdded;',
      '// @ts-expect-error get_client_status has login_wxid, not wxid',
      'void status.wxid;',
      '// @ts-expect-error nested objects are closed too',
      'void status.rate_limit?.remaining;',
      '// @ts-expect-error list items are closed too',
      'void item.msgSvrId;',
      '// @ts-expect-error an answer with no keys has none to read',
      'void restored.ok;',
      '// @ts-expect-error a message has from_username, not from',
      'void msg.from;',
      "if (event.notify_type === 1010) {",
      '  // @ts-expect-error a 1010 carries a message, not a contact',
      '  void event.data.userName;',
      '}',
      "if (event.notify_type === 1200) {",
      '  // @ts-expect-error a 1200 carries a contact, not a message',
      '  void event.data.from_username;',
      '}',
      '// @ts-expect-error before narrowing, data is one of many shapes',
      'void event.data.msg_type;',
      // always-sent fields are present: a fallback for them would be dead code
      '// @ts-expect-error from_username is always sent',
      'mayBeMissing(msg.from_username);',
      '// @ts-expect-error msg_id is always sent',
      'mayBeMissing(msg.msg_id);',
      '// @ts-expect-error create_time is always sent',
      'mayBeMissing(msg.create_time);',
      '// @ts-expect-error every send answer\'s list item has newMsgId',
      'mayBeMissing(item.newMsgId);',
      '// @ts-expect-error status is always in get_client_status',
      'mayBeMissing(status.status);',
      '// @ts-expect-error a message without its always-sent fields is not a NewMessage',
      "const partial: NewMessage = { msg_type: 1, content: 'hi' };",
      // the fields that may be absent still admit undefined, and the key lists are exactly the evidence's
      'mayBeMissing(status.login_wxid);',
      'mayBeMissing(item.toUserName);',
      "const always: Array<RequiredKeys<NewMsgPayload>> = ['from_username', 'to_username', 'chatroom_sender', 'chatroom', 'is_chatroom_msg', 'msg_id', 'msg_type', 'content', 'desc', 'source', 'create_time'];",
      "const sendKeys: Array<RequiredKeys<MsgSendTextResponse['list'][number]>> = ['ret', 'msgId', 'clientMsgId', 'createTime', 'serverTime', 'type', 'newMsgId'];",
      "type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;",
      "const msgIsPayload: Exact<NewMessage, Extract<CallbackEvent, { notify_type: 1010 }>['data']> = true;",
      'void [partial, always, sendKeys, msgIsPayload];',
      'export {};',
    ].join('\n'));
    assert.ok(result.ok, result.output);
  });

  test('the strict fixture can fail: an @ts-expect-error over a correct read is reported', () => {
    const result = check('unused.ts', header + [
      "const status = await client.call('/client/get_client_status', { guid: 'g' });",
      '// @ts-expect-error',
      'void status.status;',
      'export {};',
    ].join('\n'));
    assert.equal(result.ok, false);
    assert.match(result.output, /error TS2578: Unused '@ts-expect-error' directive/);
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
