// The access log of the production logger at the default level: one JSON line per request, with no credential in it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildApp } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger, flushLogger } from '../../../src/ops/logging.ts';
import { dropSchemaFor, postgresEnvFor } from '../../postgres.ts';

test('at info, each request writes one line: method, url, status, response time, request id, endpoint; secrets stay out', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxgate-test-'));
  const file = join(dataDir, 'log');
  const logger = createLogger('info', file);
  const app = await buildApp({ config: loadConfig({ DATA_DIR: dataDir, ...postgresEnvFor(dataDir) }), logger });
  try {
    const { appKey } = app.createdApp!.app;
    const { appSecret } = app.createdApp!;
    const proxy = 'socks5://proxyuser:Pr0xyPa55@10.1.1.1:1080';
    let n = 0;
    const call = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
      app.http.inject({ method: 'POST', url, payload: payload as never, headers: { 'content-type': 'application/json', 'x-request-id': `req-${++n}`, ...headers } });
    const created = await call('/client/create_client', { auto_start: true, proxy }, { 'x-app-key': appKey, 'x-app-secret': appSecret });
    const guid = (created.json() as { data: { guid: string } }).data.guid;
    const answers = [
      created,
      await call('/open/GuidRequest', { app_key: appKey, app_secret: appSecret, path: '/client/get_client_status', data: { guid } }),
      await call('/client/set_proxy', { guid, proxy }, { authorization: `Bearer ${appKey}:${appSecret}` }),
      await call('/client/get_client_status', { guid }, { 'x-app-key': appKey, 'x-app-secret': `${appSecret}x` }),
      await call('/no/such/path', {}),
    ];
    await flushLogger(logger);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const access = lines.filter((l) => l.msg === 'request completed');
    assert.equal(access.length, answers.length, 'one line per request');
    assert.equal(lines.filter((l) => l.msg === 'incoming request').length, 0, 'no second line');
    assert.deepEqual(
      access.map(({ method, url, statusCode, endpoint, reqId }) => ({ method, url, statusCode, endpoint, reqId })),
      [
        { method: 'POST', url: '/client/create_client', statusCode: 200, endpoint: '/client/create_client', reqId: answers[0]!.headers['x-request-id'] },
        { method: 'POST', url: '/open/GuidRequest', statusCode: 200, endpoint: '/client/get_client_status', reqId: answers[1]!.headers['x-request-id'] },
        { method: 'POST', url: '/client/set_proxy', statusCode: 200, endpoint: '/client/set_proxy', reqId: answers[2]!.headers['x-request-id'] },
        { method: 'POST', url: '/client/get_client_status', statusCode: 200, endpoint: '/client/get_client_status', reqId: answers[3]!.headers['x-request-id'] },
        { method: 'POST', url: '/no/such/path', statusCode: 404, endpoint: undefined, reqId: answers[4]!.headers['x-request-id'] },
      ],
    );
    for (const line of access) assert.equal(typeof line.responseTime, 'number');
    const text = readFileSync(file, 'utf8');
    for (const secret of [appSecret, 'Pr0xyPa55', 'proxyuser']) assert.ok(!text.includes(secret), `no ${secret.slice(0, 4)}… in the log`);
  } finally {
    await app.close();
    await flushLogger(logger);
    rmSync(dataDir, { recursive: true, force: true });
    await dropSchemaFor(dataDir);
  }
});
