// `wxgate start` (the built binary): the server in the foreground with `npm start`'s environment, found by the other commands.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildCli, cliEnv, run, start } from './helpers.ts';

let dataDir: string;
before(() => {
  buildCli();
  dataDir = mkdtempSync(join(tmpdir(), 'wxgate-cli-start-'));
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

test('start runs the server with DATA_DIR/PORT from the env; other commands then work from credentials.json; SIGTERM stops it cleanly', async () => {
  const server = start(['start'], cliEnv({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' }));
  try {
    await server.waitFor(/wxgate created your first app/, 'stderr', 30_000);
    await server.waitFor(/"msg":"wxgate ready"/, 'stdout', 30_000);
    const port = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(server.stdout())?.[1];
    assert.ok(port, server.stdout());
    const saved = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8'));
    assert.ok(saved.app_key);
    // PORT=0 cannot be guessed, so only the URL is given; the credentials come from the data dir.
    const env = cliEnv({ DATA_DIR: dataDir, WXGATE_URL: `http://127.0.0.1:${port}` });
    const created = await run(['instance', 'create'], env);
    assert.equal(created.code, 0, created.stderr);
    const list = await run(['instance', 'list', '--json'], env);
    assert.deepEqual(JSON.parse(list.stdout), [created.stdout.trim()]);
  } finally {
    server.child.kill('SIGTERM');
  }
  const stopped = await server.exited;
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stdout, /stopped cleanly/);
});
