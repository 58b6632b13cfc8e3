// Send pacing on two wxgate processes over one PostgreSQL and one Redis: the node running an instance's paced queue is
// killed with SIGKILL; the other takes the queue over once the lease expires, and every queued send is told exactly once
// by its 9001 — sent, or (the one the dead node had handed to the driver) interrupted, never sent twice (real servers on
// loopback; skipped without PostgreSQL and Redis).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLUSTER_SKIP } from '../cluster.ts';
import { eventually } from '../eventually.ts';
import { dropSchema, freshSchemaName, TEST_DATABASE_URL } from '../postgres.ts';
import { Receiver } from '../receiver.ts';
import { TEST_REDIS_URL } from '../redis.ts';
import { firstAppCaller, killServers, startServer, type RunningServer } from './server-process.ts';

const SENDS = 4;
const GAP_MS = 1500;

after(killServers);

test('the node running a paced queue is killed: the other sends the rest, each told once, none sent twice', { skip: CLUSTER_SKIP, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-cluster-pacing-'));
  const schema = freshSchemaName();
  const secretKey = randomBytes(32).toString('hex');
  const receiver = await new Receiver().start();
  const env = (node: string) => ({
    DATA_DIR: join(dir, node), LOG_LEVEL: 'info', WXGATE_DATABASE_URL: TEST_DATABASE_URL!, WXGATE_DATABASE_SCHEMA: schema,
    WXGATE_SECRET_KEY: secretKey, WXGATE_REDIS_URL: TEST_REDIS_URL!, WXGATE_RESPONSE_MODE: 'standard',
  });
  try {
    const first = await startServer(env('node-0'));
    const nodes: RunningServer[] = [first, await startServer(env('node-1'))];
    const call = firstAppCaller(join(dir, 'node-0'));
    const ok = async (base: string, path: string, body: unknown) => {
      const res = await call(base, path, body);
      assert.equal(res.status, 200, `${path} on ${base}: ${JSON.stringify(res.body)}`);
      return res.body.data ?? res.body;
    };
    const account = async (nickname: string) => {
      const { guid } = await ok(first.base, '/client/create_client', { auto_start: true });
      const { wxid } = await ok(first.base, '/sandbox/people/create', { nickname });
      await ok(first.base, '/login/get_login_qrcode', { guid });
      await ok(first.base, '/sandbox/login/scan', { guid, action: 'scan', wxid });
      await ok(first.base, '/sandbox/login/scan', { guid, action: 'confirm' });
      await ok(first.base, '/client/set_notify_url', { guid, notify_url: receiver.url });
      return { guid, wxid };
    };
    const alice = await account('Alice');
    const bob = await account('Bob');
    await ok(first.base, '/sandbox/friend/request', { from_wxid: alice.wxid, to_wxid: bob.wxid });
    await ok(first.base, '/sandbox/friend/accept', { from_wxid: alice.wxid, to_wxid: bob.wxid });
    await ok(first.base, '/client/set_send_pacing', {
      guid: alice.guid, enabled: true, answer: 'queued', min_delay_ms: GAP_MS, max_delay_ms: GAP_MS, per_minute: 0, per_day: 0, warmup_days: 0,
    });
    const queueIds: string[] = [];
    for (let i = 0; i < SENDS; i++) {
      const queued = await ok(nodes[i % 2]!.base, '/msg/send_text', { guid: alice.guid, to_username: bob.wxid, content: `paced ${i}` });
      queueIds.push(queued.queue_id);
    }

    // The node that runs the queue shows it in its metrics; it dies with sends still waiting.
    const runsQueue = async (node: RunningServer) =>
      (await (await fetch(`${node.base}/metrics`)).text()).includes(`wxgate_send_queue_length{guid="${alice.guid}"}`);
    const runner = await eventually(async () => {
      for (const node of nodes) if (await runsQueue(node)) return node;
      return undefined;
    }, (node) => node !== undefined, 15_000);
    // Each result once (a 9001 may arrive twice across the kill: at least once; it is the same event, by webhook-id).
    const results = () => {
      const byId = new Map<string, { queue_id: string; ok: boolean; error?: { code: number } }>();
      for (const r of receiver.received) if (r.json.guid === alice.guid && r.json.notify_type === 9001) byId.set(String(r.headers['webhook-id']), r.json.data);
      return [...byId.values()];
    };
    runner!.child.kill('SIGKILL');
    await runner!.exited;
    const toldBeforeKill = results().length;
    assert.ok(toldBeforeKill < SENDS, 'sends were still waiting when the node died: the other node had to take the queue over');
    const told = await eventually(async () => results(), (list) => list.length >= SENDS, 60_000);
    assert.deepEqual(told.map((r) => r.queue_id).sort(), [...queueIds].sort(), 'every queued send told, once');
    const interrupted = told.filter((r) => !r.ok);
    assert.ok(interrupted.every((r) => r.error?.code === 50020), `only PACED_SEND_INTERRUPTED: ${JSON.stringify(interrupted)}`);
    assert.ok(interrupted.length <= 1, 'at most the send the dead node had in hand');

    const texts = new Map<string, string>();
    for (const r of receiver.received) {
      if (r.json.guid === bob.guid && r.json.notify_type === 1010 && r.json.data.msg_type === 1) texts.set(String(r.headers['webhook-id']), r.json.data.content);
    }
    const arrived = [...texts.values()];
    assert.equal(new Set(arrived).size, arrived.length, `nothing sent twice: ${arrived.join(', ')}`);
    const sentOk = told.filter((r) => r.ok).map((r) => `paced ${queueIds.indexOf(r.queue_id)}`);
    for (const text of sentOk) assert.ok(arrived.includes(text), `${text} was told sent and reached Bob`);
    assert.deepEqual(arrived, [...arrived].sort(), 'in the order queued');
    console.log(`# ${toldBeforeKill} told before the kill; ${sentOk.length} sent, ${interrupted.length} interrupted at the kill; Bob got ${arrived.length}`);
  } finally {
    killServers();
    await receiver.close();
    await dropSchema(TEST_DATABASE_URL!, schema).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
});
