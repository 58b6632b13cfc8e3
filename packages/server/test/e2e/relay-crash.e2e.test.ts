// Crash test of the relay: an upstream wxgate floods callbacks; the relay process (npm start, WXGATE_DRIVER=relay) is
// SIGKILLed mid-flood and restarted. Every callback the relay acknowledged before the kill is in its outbox, and in the
// end every upstream event is there exactly once (the upstream's retries of unacknowledged ones are deduplicated).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import { postgresEnvFor } from '../postgres.ts';
import { freePort } from '../relay-harness.ts';

const main = new URL('../../src/main.ts', import.meta.url).pathname;
const fixture = new URL('./fixtures/relay-upstream.ts', import.meta.url).pathname;
const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

type Line = Record<string, any>;

function spawnTracked(args: string[], env: Record<string, string>): { child: ChildProcess; lines: Line[]; output: () => string; nextLine: (key: string, from: number) => Promise<Line> } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { env: { ...process.env, ...(env.DATA_DIR ? postgresEnvFor(env.DATA_DIR) : {}), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const lines: Line[] = [];
  let output = '';
  const waiters: Array<() => void> = [];
  child.stderr!.on('data', (d) => (output += d));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    output += line + '\n';
    try {
      lines.push(JSON.parse(line) as Line);
    } catch {
      return;
    }
    for (const w of waiters.splice(0)) w();
  });
  const nextLine = async (key: string, from: number) => {
    for (;;) {
      const index = lines.findIndex((l, i) => i >= from && key in l);
      if (index >= 0) return lines[index]!;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { child, lines, output: () => output, nextLine };
}

async function post(base: string, path: string, body: unknown, headers: Record<string, string>) {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return (await res.json()) as any;
}

test('a SIGKILLed relay loses none of the upstream callbacks it acknowledged', { timeout: 120_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxgate-relay-crash-'));
  const upstream = spawnTracked([fixture], { DATA_DIR: join(dataDir, 'upstream') });
  try {
    const ready = await upstream.nextLine('ready', 0);
    const upstreamAuth = { 'x-app-key': ready.app_key, 'x-app-secret': ready.app_secret };
    const port = await freePort();
    const relayUrl = `http://127.0.0.1:${port}`;
    const relayEnv = {
      DATA_DIR: join(dataDir, 'relay'), PORT: String(port), LOG_LEVEL: 'info', WXGATE_DRIVER: 'relay', WXGATE_PUBLIC_URL: relayUrl,
      WXGATE_RELAY_BASE_URL: ready.ready, WXGATE_RELAY_MODE: 'gateway', WXGATE_RELAY_APP_KEY: ready.app_key, WXGATE_RELAY_APP_SECRET: ready.app_secret,
    };
    const startRelay = async () => {
      const relay = spawnTracked([main], relayEnv);
      for (let i = 0; !/Server listening at/.test(relay.output()); i++) {
        if (relay.child.exitCode !== null) assert.fail(`the relay exited:\n${relay.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return relay;
    };

    const first = await startRelay();
    const creds = JSON.parse(readFileSync(join(dataDir, 'relay', 'credentials.json'), 'utf8')) as { app_key: string; app_secret: string };
    const auth = { 'x-app-key': creds.app_key, 'x-app-secret': creds.app_secret };
    const guid = (await post(relayUrl, '/client/create_client', { auto_start: true }, auth)).data.guid as string;
    const [upstreamGuid] = (await post(ready.ready, '/client/all_clients', {}, upstreamAuth)).data as string[];
    assert.ok(upstreamGuid);

    const TOTAL = 2000;
    upstream.child.stdin!.write(JSON.stringify({ burst: upstreamGuid, count: TOTAL }) + '\n');
    // Kill once the relay has taken some in, while the flood is still arriving.
    for (;;) {
      const lastSn = (await post(relayUrl, '/events/list', { guid, limit: 1 }, auth)).data.last_sn as number;
      if (lastSn >= 300) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    // What the upstream saw acknowledged (a 2xx) before the relay died.
    let from = upstream.lines.length;
    upstream.child.stdin!.write(JSON.stringify({ state: upstreamGuid }) + '\n');
    const atKill = await upstream.nextLine('state', from);
    const acknowledged = atKill.delivered as string[];
    // Fewer than 300 may be acknowledged: the relay commits a delivery before its 2xx reaches the upstream, so the
    // request in flight at the kill (a batch of several events) is committed but unacknowledged, and is sent again.
    assert.ok(acknowledged.length > 0 && atKill.pending > 0, `the kill landed mid-flood (${acknowledged.length} acknowledged, ${atKill.pending} pending)`);

    const second = await startRelay();
    // The upstream retries what was not acknowledged until the relay is back; wait until it has nothing pending.
    for (;;) {
      from = upstream.lines.length;
      upstream.child.stdin!.write(JSON.stringify({ state: upstreamGuid }) + '\n');
      const state = await upstream.nextLine('state', from);
      if (state.pending === 0 && state.delivered.length === TOTAL) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const outbox: string[] = [];
    for (let afterSn = 0; ;) {
      const page = (await post(relayUrl, '/events/list', { guid, after_sn: afterSn, limit: 1000 }, auth)).data.events as Array<{ sn: number; data: { msg_id: string } }>;
      outbox.push(...page.map((e) => e.data.msg_id));
      if (page.length < 1000) break;
      afterSn = page.at(-1)!.sn;
    }
    const inOutbox = new Set(outbox);
    assert.deepEqual(acknowledged.filter((id) => !inOutbox.has(id)), [], 'every acknowledged callback survived the kill');
    assert.equal(outbox.length, TOTAL, 'every upstream event is in the outbox once (retries deduplicated)');
    assert.equal(inOutbox.size, TOTAL);
    assert.deepEqual(outbox, Array.from({ length: TOTAL }, (_, i) => String(5_000_000 + i)), 'in the upstream\'s order');
    for (const run of [first, second]) {
      assert.ok(run.output().includes('"msg":"wxgate ready"'), 'the relay logged');
      assert.ok(!run.output().includes(ready.app_secret) && !run.output().includes(ready.app_key), 'no upstream credential in the relay\'s log');
    }
    t.diagnostic(`${acknowledged.length} acknowledged before the kill, ${atKill.pending} pending; all ${TOTAL} in the outbox once after the restart`);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
  } finally {
    upstream.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
});
