// No proxy password or app secret appears in any response body or log line, and the production logger redacts them besides.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLogger, flushLogger, REDACT_PATHS } from '../../../src/ops/logging.ts';
import { createTenant, startHarness } from '../../harness.ts';

test('proxy passwords and app secrets never reach a response body or a log line', async () => {
  const h = await startHarness();
  try {
    const proxyPassword = 'Pr0xyPa55word-XYZ';
    const proxyUser = 'proxyuser-abc';
    const proxy = `socks5://${proxyUser}:${proxyPassword}@10.10.1.10:3128`;
    const bodies: string[] = [];
    const guid = await h.createInstance({ auto_start: true, proxy });
    const other = await createTenant(h, 'second');
    const calls = [
      await h.direct('/client/set_proxy', { guid, proxy }),
      await h.gateway('/client/restore_client', { guid, proxy }),
      await h.direct('/client/get_client_status', { guid }),
      await h.gateway('/client/get_client_status', { guid }),
      await h.direct('/client/set_proxy', { guid, proxy: `ftp://${proxyUser}:${proxyPassword}@x:1` }),
      await h.direct('/client/get_client_version', { guid }),
      await h.direct('/client/all_clients', {}),
      await h.gateway('/client/all_clients', {}, { appKey: h.appKey, appSecret: h.appSecret + 'wrong' }),
      await h.direct('/client/all_clients', {}, { appKey: other.appKey, appSecret: other.appSecret }),
      await h.admin('/admin/list_apps'),
      await h.direct('/msg/send_text', { guid, to_username: 'wxid_x', content: h.appSecret.slice(0, 3) }),
    ];
    for (const res of calls) bodies.push(res.text);
    const everything = [...bodies, ...h.logs];
    assert.ok(h.logs.length > 10, 'the test saw the log stream');
    for (const secret of [proxyPassword, proxyUser, h.appSecret, other.appSecret]) {
      const leaks = everything.filter((line) => line.includes(secret));
      assert.deepEqual(leaks, [], `leaked ${secret.slice(0, 4)}…`);
    }
    assert.ok(bodies.some((b) => b.includes('socks5://***:***@10.10.1.10:3128')), 'the masked form is shown');
  } finally {
    await h.close();
  }
});

test('the production logger redacts every listed path: app secrets, credential headers, proxy passwords, relay credentials', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-log-'));
  const file = join(dir, 'log');
  try {
    // The secrets the redaction must cover wherever our log calls nest them.
    for (const path of ['app_secret', 'req.headers["x-app-secret"]', 'req.headers.authorization', 'headers.authorization', 'proxy_password',
      'body.proxy', 'config.relay.appSecret', 'config.relay.appKey', 'upstream.appSecret', 'err.password', 'config.adminToken']) {
      assert.ok(REDACT_PATHS.includes(path), `${path} is redacted`);
    }
    const logger = createLogger('info', file);
    const secret = 'S3cret-value-that-must-not-leak';
    // One line per path, with the secret placed exactly there (path syntax: a.b or a["b-c"]).
    for (const path of REDACT_PATHS) {
      const keys = path.match(/[^.[\]"]+/g)!;
      const line: Record<string, unknown> = {};
      let at = line;
      for (const key of keys.slice(0, -1)) at = (at[key] = {}) as Record<string, unknown>;
      at[keys.at(-1)!] = secret;
      logger.info({ ...line, path }, 'redaction probe');
    }
    await flushLogger(logger);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(lines.length, REDACT_PATHS.length);
    for (const line of lines) {
      assert.ok(!line.includes(secret), `leaked at ${JSON.parse(line).path}`);
      assert.ok(line.includes('[redacted]'), `censored at ${JSON.parse(line).path}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
