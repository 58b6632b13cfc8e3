// The built `wxgate` binary against a live server: apps, instances, QR login, send, call with validation, exit codes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import { pcmToWav, sineTonePcm } from '../../server/src/wechat/silk.ts';
import { ADMIN_TOKEN } from '../../server/test/harness.ts';
import { loggedIn } from '../../server/test/sandbox-helpers.ts';
import { buildCli, cliEnv, run, start, startLive, type Live } from './helpers.ts';

let live: Live;
/** Credentials from the data dir's credentials.json, as after `wxgate start`. */
let env: NodeJS.ProcessEnv;

before(async () => {
  buildCli();
  live = await startLive();
  env = cliEnv({ WXGATE_URL: live.url, DATA_DIR: live.dataDir });
});
after(() => live?.close());

/** Log lines of requests the server received for one path (the server logs one line per request it answered). */
const seen = (path: string) => live.h.logs.filter((l) => l.includes('request completed') && l.includes(`"url":"${path}"`)).length;

describe('wxgate CLI', () => {
  test('--help exits 0; an unknown command is a usage error (2)', async () => {
    const help = await run(['--help'], env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: wxgate/);
    assert.match(help.stdout, /events/);
    const bad = await run(['frobnicate'], env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command/);
  });

  test('app create and list with the admin token; without it a usage error', async () => {
    const adminEnv = { ...env, WXGATE_ADMIN_TOKEN: ADMIN_TOKEN };
    const created = await run(['app', 'create', 'crm', '--json'], adminEnv);
    assert.equal(created.code, 0, created.stderr);
    const app = JSON.parse(created.stdout);
    assert.equal(app.name, 'crm');
    assert.ok(app.app_secret);
    const human = await run(['app', 'list'], adminEnv);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /APP_KEY/);
    assert.ok(human.stdout.includes(app.app_key));
    const json = await run(['app', 'list', '--json'], adminEnv);
    assert.deepEqual(JSON.parse(json.stdout).map((a: { name: string }) => a.name).sort(), ['crm', 'default']);
    const none = await run(['app', 'list'], env);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /admin token/);
    const wrong = await run(['app', 'list', '--admin-token', 'not-the-token-at-all'], env);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /error \d+/);
  });

  test('instance create, list and status (credentials from flags and from credentials.json)', async () => {
    const flags = ['--app-key', live.h.appKey, '--app-secret', live.h.appSecret];
    const created = await run(['instance', 'create', ...flags], cliEnv({ WXGATE_URL: live.url }));
    assert.equal(created.code, 0, created.stderr);
    const guid = created.stdout.trim();
    assert.match(guid, /^[0-9a-f-]{36}$/);
    const list = await run(['instance', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^GUID +STATE +ACCOUNT$/m);
    assert.match(list.stdout, new RegExp(`^${guid} +running +-$`, 'm'));
    assert.ok((JSON.parse((await run(['instance', 'list', '--json'], env)).stdout) as string[]).includes(guid), '--json: the guids');
    const status = await run(['instance', 'status', guid], env);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /status: +1 running/);
    assert.match(status.stdout, /rate limit: +\d+\/100/);
    const json = JSON.parse((await run(['instance', 'status', guid, '--json'], env)).stdout);
    assert.equal(json.status, 1);
    const unknown = await run(['instance', 'status', '00000000-0000-4000-8000-000000000000'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /error 404\d\d/);
    const noCreds = await run(['instance', 'list'], cliEnv({ WXGATE_URL: live.url, DATA_DIR: '/nonexistent-wxgate-dir' }));
    assert.equal(noCreds.code, 2);
    assert.match(noCreds.stderr, /no app credentials/);
    // one half of the credentials: the other is named, and credentials.json does not fill it in
    const secretOnly = await run(['instance', 'list', '--app-secret', live.h.appSecret], env);
    assert.equal(secretOnly.code, 2);
    assert.match(secretOnly.stderr, /--app-secret is set but --app-key \/ WXGATE_APP_KEY is missing/);
    const keyOnly = await run(['instance', 'list'], { ...env, WXGATE_APP_KEY: live.h.appKey });
    assert.equal(keyOnly.code, 2);
    assert.match(keyOnly.stderr, /WXGATE_APP_KEY is set but --app-secret \/ WXGATE_APP_SECRET is missing/);
  });

  test('instance list shows each instance\'s state and account; notify sets the callback URL and prints it', async () => {
    const stopped = (await run(['instance', 'create', '--no-start'], env)).stdout.trim();
    const { guid: online, wxid } = await loggedIn(live.h);
    const list = await run(['instance', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, new RegExp(`^${stopped} +stopped +-$`, 'm'));
    assert.match(list.stdout, new RegExp(`^${online} +online +${wxid}$`, 'm'));

    const set = await run(['instance', 'notify', online, 'https://example.com/wxgate/hook'], env);
    assert.equal(set.code, 0, set.stderr);
    assert.equal(set.stdout.trim(), `notify URL of ${online} set to https://example.com/wxgate/hook`);
    assert.match((await run(['instance', 'status', online], env)).stdout, /notify_url: https:\/\/example\.com\/wxgate\/hook/);
    const json = await run(['instance', 'notify', online, 'https://example.com/other', '--json'], env);
    assert.deepEqual(JSON.parse(json.stdout), { guid: online, notify_url: 'https://example.com/other' });
    const cleared = await run(['instance', 'notify', online, ''], env);
    assert.equal(cleared.code, 0, cleared.stderr);
    assert.match(cleared.stdout, /notify URL of .* cleared/);
    const refused = await run(['instance', 'notify', online, 'http://10.0.0.1/hook'], env);
    assert.equal(refused.code, 1, 'a private address is the server\'s refusal');
    assert.match(refused.stderr, /notify_url/);
  });

  test('login prints the terminal QR, waits, and exits 0 once the phone confirms', async () => {
    const guid = await live.h.createInstance();
    const login = start(['login', guid, '--interval', '1'], env);
    await login.waitFor(/scan with WeChat: http:\/\/weixin\.qq\.com\/x\//);
    // The terminal QR: rows of half-block characters.
    assert.ok(login.stdout().split('\n').filter((l) => /[▄▀█]{5}/.test(l)).length >= 10, login.stdout());
    const scanned = await live.h.direct('/sandbox/login/scan', { guid, action: 'scan' });
    assert.equal(scanned.status, 200, scanned.text);
    await new Promise((r) => setTimeout(r, 1200));
    await live.h.direct('/sandbox/login/scan', { guid, action: 'confirm' });
    const done = await login.exited;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, new RegExp(`confirmed: logged in as ${scanned.body.data.wxid}`));
  });

  test('login exits non-zero when the phone cancels', async () => {
    const guid = await live.h.createInstance();
    const login = start(['login', guid, '--interval', '1', '--json'], env);
    await login.waitFor(/"event":"qrcode"/);
    await live.h.direct('/sandbox/login/scan', { guid, action: 'scan' });
    await live.h.direct('/sandbox/login/scan', { guid, action: 'cancel' });
    const done = await login.exited;
    assert.equal(done.code, 1);
    assert.match(done.stderr, /cancelled/);
  });

  test('login with device verification: prints how to submit the code, then exits 0 once it is submitted', async () => {
    const guid = await live.h.createInstance();
    const login = start(['login', guid, '--interval', '1'], env);
    await login.waitFor(/scan with WeChat/);
    await live.h.direct('/sandbox/login/scan', { guid, action: 'scan' });
    const verify = await live.h.direct('/sandbox/login/scan', { guid, action: 'verify' });
    assert.equal(verify.status, 200, verify.text);
    const { pin, ticket } = verify.body.data;
    await login.waitFor(/wxgate call \/login\/verify_login_url/, 'stderr');
    assert.ok(login.stderr().includes(`"ticket":"${ticket}"`), login.stderr());
    const submitted = await run(['call', '/login/verify_login_url', '--data', JSON.stringify({ guid, ticket, pin })], env);
    assert.equal(submitted.code, 0, submitted.stderr);
    const done = await login.exited;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /confirmed: logged in as/);
  });

  test('send a text; call any endpoint; a misspelled or invalid field is refused before sending', async () => {
    const guid = await live.h.createInstance();
    const login = start(['login', guid, '--interval', '1'], env);
    await login.waitFor(/scan with WeChat/);
    await live.h.direct('/sandbox/login/scan', { guid, action: 'scan' });
    await live.h.direct('/sandbox/login/scan', { guid, action: 'confirm' });
    assert.equal((await login.exited).code, 0);

    const sent = await run(['send', guid, 'filehelper', 'note to self'], env);
    assert.equal(sent.code, 0, sent.stderr);
    assert.match(sent.stdout, /sent to filehelper \(msg id \d+\)/);

    // A voice from a local WAV file and a link card with a local thumbnail.
    const files = mkdtempSync(join(tmpdir(), 'wxgate-cli-send-'));
    writeFileSync(join(files, 'hello.wav'), pcmToWav(sineTonePcm(2000, 440, 16_000), 16_000));
    writeFileSync(join(files, 'cover.png'), await sharp({ create: { width: 64, height: 64, channels: 3, background: '#07c160' } }).png().toBuffer());
    const voice = await run(['send', guid, 'filehelper', '--voice', join(files, 'hello.wav')], env);
    assert.equal(voice.code, 0, voice.stderr);
    assert.match(voice.stdout, /voice of 2\.0 s sent to filehelper \(msg id \d+\)/);
    const link = await run(['send', guid, 'filehelper', '--link', 'https://example.com/p/1', '--title', '新品', '--image', join(files, 'cover.png')], env);
    assert.equal(link.code, 0, link.stderr);
    assert.match(link.stdout, /link card sent to filehelper \(msg id \d+\)/);
    const both = await run(['send', guid, 'filehelper', 'text', '--voice', join(files, 'hello.wav')], env);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /exactly one of/);
    const noTitle = await run(['send', guid, 'filehelper', '--link', 'https://example.com'], env);
    assert.equal(noTitle.code, 2);
    assert.match(noTitle.stderr, /--title/);
    rmSync(files, { recursive: true, force: true });

    const profile = await run(['call', '/user/get_profile', '--guid', guid, '--json'], env);
    assert.equal(profile.code, 0, profile.stderr);
    assert.ok(JSON.parse(profile.stdout));
    const viaGateway = await run(['call', 'msg/send_text', '--gateway', '--data', JSON.stringify({ guid, to_username: 'filehelper', content: 'gw' })], env);
    assert.equal(viaGateway.code, 0, viaGateway.stderr);

    const before = seen('/msg/send_text');
    assert.ok(before >= 1, 'the server logs the sends it receives');
    const misspelled = await run(['call', '/msg/send_text', '--data', JSON.stringify({ guid, to_username: 'filehelper', contnt: 'x' })], env);
    assert.equal(misspelled.code, 2);
    assert.match(misspelled.stderr, /contnt: not a field of \/msg\/send_text \(did you mean content\?\)/);
    assert.match(misspelled.stderr, /content: Field required/);
    assert.match(misspelled.stderr, /nothing was sent/);
    const wrongType = await run(['call', '/msg/send_text', '--json', '--data', JSON.stringify({ guid, to_username: 42, content: 'x' })], env);
    assert.equal(wrongType.code, 2);
    const error = JSON.parse(wrongType.stderr).error;
    assert.deepEqual(error.errors, [{ loc: ['body', 'to_username'], msg: 'Input should be a valid string', type: 'string_type' }]);
    assert.equal(seen('/msg/send_text'), before, 'the server saw no call');

    const unknown = await run(['call', '/msg/sendtext'], env);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown endpoint \/msg\/sendtext/);
    assert.match(unknown.stderr, /\/msg\/send_text/);
    const badJson = await run(['call', '/msg/send_text', '--data', '{nope'], env);
    assert.equal(badJson.code, 2);
    assert.match(badJson.stderr, /not valid JSON/);
  });

  test('an unreachable server is exit code 3', async () => {
    const res = await run(['instance', 'list', '--url', 'http://127.0.0.1:1'], env);
    assert.equal(res.code, 3);
    assert.match(res.stderr, /cannot reach the server/);
    const badUrl = await run(['instance', 'list', '--url', 'not a url'], env);
    assert.equal(badUrl.code, 2);
  });
});
