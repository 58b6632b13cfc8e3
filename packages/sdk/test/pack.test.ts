// The published shape: `npm pack` builds dist, the tarball installs into a scratch project and works there against
// a live wxgate, from plain Node ESM and under a strict tsc, without the workspace's TypeScript sources.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startLiveServer, type LiveServer } from './live-server.ts';

const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = fileURLToPath(new URL('../../../node_modules/typescript/bin/tsc', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('npm pack → install → use', () => {
  let live: LiveServer;
  let scratch: string;

  before(async () => {
    live = await startLiveServer();
    scratch = mkdtempSync(join(tmpdir(), 'wxgate-sdk-pack-'));
    // The scratch project must not inherit the workspace's source condition.
    const env = { ...process.env, NODE_OPTIONS: '' };
    const packed = execFileSync(npm, ['pack', '--silent', '--pack-destination', scratch], { cwd: sdkDir, encoding: 'utf8', env }).trim().split('\n').pop()!;
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
    const install = (extra: string[]) => spawnSync(npm, ['install', ...extra, '--no-audit', '--no-fund', join(scratch, packed)], { cwd: scratch, encoding: 'utf8', env });
    // fast-xml-parser is in the npm cache already (the server uses it); without network an online install would hang.
    const offline = install(['--offline']);
    if (offline.status !== 0) assert.equal(install([]).status, 0, 'npm install of the tarball failed');
  });
  after(async () => {
    await live.close();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(join(sdkDir, 'dist'), { recursive: true, force: true });
  });

  test('the tarball holds dist and the READMEs only: JavaScript and declarations, no sources, no contract', () => {
    const pkg = join(scratch, 'node_modules', '@wxgate', 'sdk');
    const files = readdirSync(join(pkg, 'dist')).sort();
    assert.ok(files.includes('index.js') && files.includes('index.d.ts') && files.includes('webhook.js'), files.join());
    assert.deepEqual(readdirSync(pkg).sort(), ['LICENSE', 'README.md', 'README.zh-CN.md', 'dist', 'package.json']);
    const grep = spawnSync('grep', ['-rlE', "from ['\"]@wxgate/contract|from ['\"]node:", join(pkg, 'dist')], { encoding: 'utf8' });
    assert.equal(grep.stdout, '', 'dist imports the private contract or node-only modules');
  });

  test('a plain Node ESM script calls the live server with the installed package', async () => {
    writeFileSync(join(scratch, 'use.mjs'), [
      "import { WxgateClient, WxgateError, parseMessageContent, ENDPOINTS, ERROR_NAMES } from '@wxgate/sdk';",
      "import { verifyWebhook, signWebhook } from '@wxgate/sdk/webhook';",
      'const client = new WxgateClient({ baseUrl: process.env.URL, appKey: process.env.KEY, appSecret: process.env.SECRET, transport: "gateway" });',
      "const { guid } = await client.call('/client/create_client', {});",
      "const status = await client.call('/client/get_client_status', { guid });",
      'let notFound;',
      "try { await client.call('/client/get_client_status', { guid: '00000000-0000-4000-8000-000000000000' }); } catch (e) { notFound = e instanceof WxgateError ? [e.code, ERROR_NAMES[e.code]] : String(e); }",
      "const secret = 'whsec_' + btoa('0123456789abcdef0123456789abcdef');",
      "const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)) };",
      "headers['webhook-signature'] = await signWebhook(secret, 'evt_1', Number(headers['webhook-timestamp']), '{\"guid\":\"g\",\"notify_type\":0,\"data\":{}}');",
      "const event = await verifyWebhook(headers, '{\"guid\":\"g\",\"notify_type\":0,\"data\":{}}', secret);",
      "const content = parseMessageContent({ msg_type: 48, content: '<msg><location x=\"1\" y=\"2\" poiname=\"P\" /></msg>' });",
      "console.log(JSON.stringify({ guid, status: status.status, notFound, kind: ENDPOINTS['/msg/send_text'].kind, event: event.guid, content: content.kind }));",
    ].join('\n'));
    const env = { ...process.env, NODE_OPTIONS: '', URL: live.baseUrl, KEY: live.h.appKey, SECRET: live.h.appSecret };
    // Asynchronously: the server under test lives in this process's event loop.
    const run = await promisify(execFile)(process.execPath, ['use.mjs'], { cwd: scratch, encoding: 'utf8', env });
    const out = JSON.parse(run.stdout);
    assert.match(out.guid, /^[0-9a-f-]{36}$/);
    assert.deepEqual({ ...out, guid: 'x' }, { guid: 'x', status: 0, notFound: [40402, 'UNKNOWN_INSTANCE'], kind: 'raw', event: 'g', content: 'location' });
  });

  test('the installed declarations type-check under a strict consumer tsconfig (no skipLibCheck)', () => {
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, lib: ['ES2022', 'DOM'], types: [] },
      include: ['check.ts'],
    }));
    // The @ts-expect-error lines must each meet an error (else TS2578): the strictness survives packing.
    writeFileSync(join(scratch, 'check.ts'), [
      "import { WxgateClient, type MessageContent, type NewMessage } from '@wxgate/sdk';",
      "import { verifyWebhook, type CallbackEvent } from '@wxgate/sdk/webhook';",
      "import { parseMessageContent } from '@wxgate/sdk/content';",
      "const client = new WxgateClient({ baseUrl: 'http://x' });",
      "export const p = client.call('/msg/send_text', { guid: 'g', to_username: 'u', content: 'c' }).then((r) => r.list[0]?.newMsgId);",
      "export const bad = client.call('/msg/send_text', { guid: 'g', to_username: 'u', contnet: 'c' });",
      "export const status = client.call('/client/get_client_status', { guid: 'g' }).then((s) => {",
      '  // @ts-expect-error get_client_status has login_wxid, not wxid',
      '  return s.wxid;',
      '});',
      'export function onEvent(event: CallbackEvent): string {',
      "  if (event.notify_type !== 1010) return '';",
      '  const from: string = event.data.from_username;',
      '  // @ts-expect-error a message has no userName',
      '  void event.data.userName;',
      '  return from + parseMessageContent(event.data).kind;',
      '}',
      '// @ts-expect-error a NewMessage needs its always-sent fields',
      "export const partial: NewMessage = { msg_type: 1, content: 'hi' };",
      'export const v = verifyWebhook; export type M = MessageContent;',
    ].join('\n'));
    const run = spawnSync(process.execPath, [tsc, '-p', scratch, '--pretty', 'false'], { cwd: scratch, encoding: 'utf8' });
    const errors = run.stdout.split('\n').filter((l) => l.includes('error TS'));
    assert.equal(errors.length, 1, run.stdout);
    assert.match(errors[0]!, /check\.ts.*'contnet' does not exist in type 'MsgSendTextRequest'/);
  });
});
