// End to end over real sockets: the server process as `npm start` runs it — first start, calls, SIGTERM, restart.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { killServers, startServer as start } from './server-process.ts';

const main = new URL('../../src/main.ts', import.meta.url).pathname;

async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('server process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxgate-e2e-'));
  after(() => {
    killServers();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('first start creates an app, serves both transports, stops cleanly on SIGTERM and restores state', async () => {
    const first = await start({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
    const credentialsFile = join(dataDir, 'credentials.json');
    const creds = JSON.parse(readFileSync(credentialsFile, 'utf8')) as { app_key: string; app_secret: string };
    assert.equal(statSync(credentialsFile).mode & 0o777, 0o600);
    assert.ok(first.stderr().includes(creds.app_secret), 'the secret is shown once on the terminal');
    assert.ok(!first.stdout().includes(creds.app_secret), 'and never in the JSON log');

    const auth = { 'x-app-key': creds.app_key, 'x-app-secret': creds.app_secret };
    const created = await post(first.base, '/client/create_client', { auto_start: true }, auth);
    assert.equal(created.status, 200);
    const guid = created.body.data.guid as string;
    assert.ok(created.headers.get('x-request-id'));
    await post(first.base, '/client/set_notify_url', { guid, notify_url: 'http://127.0.0.1:1/cb' }, auth);
    const viaGateway = await post(first.base, '/open/GuidRequest', { app_key: creds.app_key, app_secret: creds.app_secret, path: '/client/get_client_status', data: { guid } });
    assert.equal(viaGateway.body.data.status, 1);
    const health = await fetch(first.base + '/readyz');
    assert.equal(health.status, 200);

    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
    assert.match(first.stdout(), /stopped cleanly/);

    const second = await start({ DATA_DIR: dataDir });
    assert.ok(!second.stderr().includes('created your first app'), 'no second app on restart');
    const status = await post(second.base, '/client/get_client_status', { guid }, auth);
    assert.equal(status.body.data.status, 1);
    assert.equal(status.body.data.notify_url, 'http://127.0.0.1:1/cb');
    second.child.kill('SIGINT');
    assert.equal(await second.exited, 0);
  });

  test('the first-start notice is in Chinese on a Chinese terminal (LANG=zh_CN.UTF-8); the JSON log is not', async () => {
    const zhDir = mkdtempSync(join(tmpdir(), 'wxgate-e2e-zh-'));
    try {
      const zh = await start({ DATA_DIR: zhDir, LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' });
      const creds = JSON.parse(readFileSync(join(zhDir, 'credentials.json'), 'utf8')) as { app_key: string; app_secret: string };
      assert.match(zh.stderr(), /wxgate 已创建第一个应用。请保存好以下凭据，secret 不会再显示/);
      assert.ok(zh.stderr().includes(`app_secret: ${creds.app_secret}`));
      // an answered request means main() went past listen() and holds its SIGTERM handler (the listening line comes first)
      assert.equal((await fetch(zh.base + '/readyz')).status, 200);
      zh.child.kill('SIGTERM');
      assert.equal(await zh.exited, 0);
    } finally {
      rmSync(zhDir, { recursive: true, force: true });
    }
  });

  test('an invalid setting stops the start with a message naming it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', main], { env: { ...process.env, DATA_DIR: dataDir, PORT: 'eighty' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 78);
    assert.match(err, /PORT/);
  });
});
