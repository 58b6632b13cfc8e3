// `npm start` runs the server bundled by esbuild (packages/server/ensure-built.mjs): that bundle builds, starts, and
// serves what depends on where files are — the console, the API docs' assets, lazily loaded packages (pinyin, QR, sharp),
// the Wechaty bridge's gRPC port (it loads wechaty-puppet-service's own files next to its entry point).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { connect } from 'node:net';
import sharp from 'sharp';
import { freePort } from '../relay-harness.ts';
import { BUNDLE, killServers, startServer } from './server-process.ts';

const ensureBuilt = new URL('../../ensure-built.mjs', import.meta.url).pathname;
const mainSource = new URL('../../src/main.ts', import.meta.url).pathname;

after(killServers);

test('the bundle is rebuilt when a source is newer, starts, and serves the console, the docs and the sandbox', async () => {
  execFileSync(process.execPath, [ensureBuilt]);
  const built = statSync(BUNDLE).mtimeMs;
  // Up to date: no rebuild. A newer source: rebuilt.
  execFileSync(process.execPath, [ensureBuilt]);
  assert.equal(statSync(BUNDLE).mtimeMs, built);
  const later = new Date(built + 2000);
  utimesSync(mainSource, later, later);
  execFileSync(process.execPath, [ensureBuilt]);
  assert.ok(statSync(BUNDLE).mtimeMs > built, 'a newer source rebuilds the bundle');
  // What only a configured option needs stays out of the entry chunk, so a plain start does not load it.
  const entry = readFileSync(BUNDLE, 'utf8');
  for (const optional of ['wechaty-puppet', 'wechaty-grpc', 'file-box', 'pg', 'ioredis', '@modelcontextprotocol/sdk']) {
    assert.doesNotMatch(entry, new RegExp(`from "${optional}[/"]`), `${optional} is loaded on demand, not by every start`);
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'wxgate-bundle-'));
  const wechatyPort = await freePort();
  const server = await startServer({
    DATA_DIR: dataDir, LOG_LEVEL: 'info', WXGATE_APP_KEY: 'bundlekey0000001', WXGATE_APP_SECRET: 'bundle-secret-0123456789abcdef', WXGATE_WECHATY_PORT: String(wechatyPort),
  }, 'bundle');
  try {
    const get = (path: string) => fetch(`${server.base}${path}`);
    assert.equal((await get('/healthz')).status, 200);
    const docs = await (await get('/docs')).text();
    const asset = /src="(\/docs\/[^"]+\.js)"/.exec(docs)?.[1];
    assert.ok(asset, 'the docs page names its script');
    assert.equal((await get(asset)).status, 200, 'swagger-ui assets are found from the bundle');
    const consolePage = await get('/console/');
    assert.ok([200, 503].includes(consolePage.status), `console: ${consolePage.status}`);

    const call = async (path: string, body: Record<string, unknown>) => {
      const res = await fetch(`${server.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-app-key': 'bundlekey0000001', 'x-app-secret': 'bundle-secret-0123456789abcdef' },
        body: JSON.stringify(body),
      });
      const answer = await res.json() as { errcode: number; data?: any };
      assert.equal(answer.errcode, 0, `${path}: ${JSON.stringify(answer)}`);
      return answer.data ?? answer;
    };
    const { guid } = await call('/client/create_client', { auto_start: true });
    const { wxid } = await call('/sandbox/people/create', { nickname: '张伟' });
    const qr = await call('/login/get_login_qrcode', { guid });
    assert.equal(Buffer.from(qr.qrcode, 'base64').subarray(1, 4).toString('latin1'), 'PNG');
    await call('/sandbox/login/scan', { guid, action: 'scan', wxid });
    await call('/sandbox/login/scan', { guid, action: 'confirm' });
    const profile = await call('/user/get_profile', { guid });
    assert.equal(profile.userInfo.nickName.string, '张伟');
    const image = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#07c160' } }).png().toBuffer();
    const up = await call('/cloud/cdn_upload', { guid, file_type: 2, url: `data:image/png;base64,${image.toString('base64')}` });
    assert.equal(up.thumb_width, 64);
    await new Promise<void>((resolve, reject) => {
      const socket = connect(wechatyPort, '127.0.0.1', () => socket.end(resolve));
      socket.on('error', reject);
    });
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
});
