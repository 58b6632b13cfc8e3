// A cluster of three wxgate processes over one PostgreSQL and one Redis: a burst of messages through every node at once,
// one node killed with SIGKILL mid-burst; nothing committed is lost, order is kept, duplicates only for what was in
// flight at the kill; the rate limit is exact across nodes; a disabled app is refused by every node; SSE on one node sees
// the events made through the others (real servers on loopback; skipped without PostgreSQL and Redis).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import pg from 'pg';
import { CLUSTER_SKIP } from '../cluster.ts';
import { dropSchema, freshSchemaName, TEST_DATABASE_URL } from '../postgres.ts';
import { Receiver } from '../receiver.ts';
import { TEST_REDIS_URL } from '../redis.ts';
import { firstAppCaller, killServers, startServer, type RunningServer } from './server-process.ts';

const MESSAGES = 2000;
const ACCOUNTS = 4;
/** Concurrent senders per node. */
const SENDERS = 6;
const ADMIN_TOKEN = 'cluster-e2e-admin-token-0123456789';

after(killServers);

test('three nodes, one killed mid-burst: every committed event delivered in order, streams and limits shared', { skip: CLUSTER_SKIP, timeout: 240_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxgate-cluster-'));
  const schema = freshSchemaName();
  const secretKey = randomBytes(32).toString('hex');
  const receiver = await new Receiver().start();
  const env = (node: string) => ({
    DATA_DIR: join(dir, node), LOG_LEVEL: 'info', WXGATE_DATABASE_URL: TEST_DATABASE_URL!, WXGATE_DATABASE_SCHEMA: schema,
    WXGATE_SECRET_KEY: secretKey, WXGATE_REDIS_URL: TEST_REDIS_URL!, WXGATE_ADMIN_TOKEN: ADMIN_TOKEN,
    // wxgate's standard envelope: the assertions read HTTP statuses and `data`.
    WXGATE_RESPONSE_MODE: 'standard',
  });
  try {
    // The first node creates the schema and the first app; the others join it.
    const first = await startServer(env('node-0'));
    const nodes: RunningServer[] = [first, ...(await Promise.all([startServer(env('node-1')), startServer(env('node-2'))]))];
    const call = firstAppCaller(join(dir, 'node-0'));
    const ok = async (base: string, path: string, body: unknown) => {
      const res = await call(base, path, body);
      assert.equal(res.status, 200, `${path} on ${base}: ${JSON.stringify(res.body)}`);
      return res.body.data ?? res.body;
    };

    // Accounts logged in on instances (set up through different nodes), each befriended by a person who will write.
    const accounts: Array<{ guid: string; wxid: string; friend: string }> = [];
    for (let i = 0; i < ACCOUNTS; i++) {
      const base = nodes[i % nodes.length]!.base;
      const { guid } = await ok(base, '/client/create_client', { auto_start: true });
      const { wxid } = await ok(base, '/sandbox/people/create', { nickname: `account-${i}` });
      await ok(base, '/login/get_login_qrcode', { guid });
      await ok(base, '/sandbox/login/scan', { guid, action: 'scan', wxid });
      await ok(base, '/sandbox/login/scan', { guid, action: 'confirm' });
      const { wxid: friend } = await ok(base, '/sandbox/people/create', { nickname: `writer-${i}` });
      await ok(base, '/sandbox/friend/request', { from_wxid: friend, to_wxid: wxid });
      await ok(base, '/sandbox/friend/accept', { from_wxid: friend, to_wxid: wxid });
      await ok(base, '/client/set_notify_url', { guid, notify_url: receiver.url });
      accounts.push({ guid, wxid, friend });
    }

    // A stream on node 1 follows account 0 from now on.
    const watched = accounts[0]!;
    const streamAbort = new AbortController();
    const { app_key: appKey, app_secret: appSecret } = JSON.parse(readFileSync(join(dir, 'node-0', 'credentials.json'), 'utf8')) as { app_key: string; app_secret: string };
    const stream = await fetch(`${nodes[1]!.base}/events/stream?guid=${watched.guid}`, {
      headers: { 'x-app-key': appKey, 'x-app-secret': appSecret }, signal: streamAbort.signal,
    });
    assert.equal(stream.status, 200);
    const streamed: Array<{ sn: number; msgId: string }> = [];
    const reading = (async () => {
      const events = stream.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
      for (;;) {
        const { value, done } = await events.read();
        if (done) return;
        const event = JSON.parse(value.data) as { notify_type: number; data: { msg_id?: string | number; new_msg_id?: string | number } };
        if (event.notify_type === 1010) streamed.push({ sn: Number(value.id), msgId: String(event.data.new_msg_id ?? event.data.msg_id) });
      }
    })().catch(() => {});

    // The burst: people write to the accounts through all three nodes at once; node 2 is killed a third of the way in.
    let sent = 0;
    const outcomes = new Map<string, number>();
    let killedAt = Infinity;
    const victim = nodes[2]!;
    const sender = async (lanesNode: RunningServer, lane: number) => {
      while (sent < MESSAGES) {
        const n = sent++;
        if (n === Math.floor(MESSAGES / 3) && killedAt === Infinity) {
          killedAt = Date.now();
          victim.child.kill('SIGKILL');
        }
        // Clients of the dead node go to the live ones (as a load balancer would send them).
        const node = lanesNode === victim && killedAt !== Infinity ? nodes[n % 2]! : lanesNode;
        const to = accounts[(n + lane) % ACCOUNTS]!;
        // A send through the dead node fails; what it committed before dying still counts below (read from the outbox).
        const res = await call(node.base, '/sandbox/messages/send', {
          from_wxid: to.friend, path: '/msg/send_text', body: { to_username: to.wxid, content: `burst ${n}` },
        }).catch(() => null);
        const key = res ? `${node === victim ? 'victim' : 'live'} ${res.status}${res.status === 200 ? '' : ' ' + JSON.stringify(res.body).slice(0, 200)}` : `${node === victim ? 'victim' : 'live'} failed`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      }
    };
    await Promise.all(nodes.flatMap((node, i) => Array.from({ length: SENDERS }, (_, lane) => sender(node, i * SENDERS + lane))));
    assert.equal(await victim.exited, null, 'node 2 died by the signal');

    // What was committed is what the outbox holds; all of it must reach the receiver, through the two live nodes.
    const db = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    const committed = (await db.query<{ id: string; guid: string; sn: string }>(
      `SELECT id, guid, sn FROM ${schema}.events WHERE notify_type = 1010 AND webhook_state <> 'skipped' AND guid = ANY($1::text[]) ORDER BY guid, sn`,
      [accounts.map((a) => a.guid)])).rows;
    await db.end();
    console.log(`# send outcomes: ${JSON.stringify([...outcomes])}`);
    assert.ok(committed.length >= MESSAGES * 0.95, `nearly every send committed (${committed.length}; only those in flight at the kill may be lost)`);
    const wanted = new Set(committed.map((e) => e.id));
    await receiver.until((all) => {
      const got = new Set(all.map((r) => String(r.headers['webhook-id'])));
      return [...wanted].every((id) => got.has(id));
    }, 60_000).catch(async (err: Error) => {
      const got = new Set(receiver.received.map((r) => String(r.headers['webhook-id'])));
      const probe = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await probe.connect();
      const states = (await probe.query(`SELECT guid, webhook_state, count(*) AS n, min(sn) AS min_sn FROM ${schema}.events WHERE notify_type = 1010 GROUP BY 1, 2 ORDER BY 1, 2`)).rows;
      await probe.end();
      const missing = committed.filter((e) => !got.has(e.id));
      throw new Error(`${err.message}; missing ${missing.length} of ${committed.length}, first ${JSON.stringify(missing.slice(0, 3))}; states ${JSON.stringify(states)}; ` +
        `node-0 log tail: ${first.stdout().slice(-1500)} ${first.stderr().slice(-1500)}`);
    });

    const firstArrival = new Map<string, number>();
    const duplicates: string[] = [];
    const order = new Map<string, number[]>();
    for (const r of receiver.received) {
      const id = String(r.headers['webhook-id']);
      if (!wanted.has(id)) continue;
      if (firstArrival.has(id)) {
        duplicates.push(id);
        continue;
      }
      firstArrival.set(id, r.at);
      order.set(r.json.guid, [...(order.get(r.json.guid) ?? []), Number(r.headers['x-wxgate-sn'])]);
    }
    for (const [guid, sns] of order) {
      assert.ok(sns.every((sn, i) => i === 0 || sn > sns[i - 1]!), `${guid}: first arrivals in sn order`);
    }
    // Sent twice only what the killed node had delivered without having written it yet (at most its group commit).
    for (const id of duplicates) assert.ok(firstArrival.get(id)! < killedAt + 1000, `${id} was sent twice though it arrived long after the kill`);
    console.log(`# ${committed.length} committed of ${MESSAGES} sends; ${receiver.received.length} deliveries, ${duplicates.length} duplicates (in flight at the kill)`);

    // The stream on node 1 saw account 0's events, whichever node made them, once each and in order.
    const watchedCommitted = committed.filter((e) => e.guid === watched.guid).map((e) => Number(e.sn));
    const until = Date.now() + 10_000;
    while (streamed.length < watchedCommitted.length && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
    streamAbort.abort();
    await reading;
    assert.deepEqual(streamed.map((e) => e.sn), watchedCommitted, 'the stream: every event of the instance, once, in sn order');

    const live = nodes.slice(0, 2);
    // The rate limit across the live nodes: 100 counted calls in the minute, whichever node takes them; the next is refused.
    const limited = accounts[1]!.guid;
    // The set-up's calls on the instance count too (the status call counts itself).
    const used = (await ok(live[0]!.base, '/client/get_client_status', { guid: limited })).rate_limit.used as number;
    for (let i = 0; i < 100 - used; i++) {
      const res = await call(live[i % 2]!.base, '/user/get_profile', { guid: limited });
      assert.equal(res.status, 200, `call ${used + i + 1} of 100 accepted`);
    }
    for (const node of live) assert.equal((await call(node.base, '/user/get_profile', { guid: limited })).status, 429, `refused on ${node.base}`);

    // An app disabled through one node is refused by every node within a second.
    const admin = (base: string, path: string, body: unknown) => fetch(base + path, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` }, body: JSON.stringify(body),
    }).then(async (res) => ({ status: res.status, body: (await res.json()) as any }));
    const tenant = (await admin(live[0]!.base, '/admin/create_app', { name: 'tenant' })).body.data as { app_key: string; app_secret: string };
    const asTenant = (base: string) => fetch(`${base}/client/all_clients`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-app-key': tenant.app_key, 'x-app-secret': tenant.app_secret }, body: '{}',
    }).then((res) => res.status);
    for (const node of live) assert.equal(await asTenant(node.base), 200);
    assert.equal((await admin(live[1]!.base, '/admin/disable_app', { app_key: tenant.app_key })).status, 200);
    for (const node of live) {
      const deadline = Date.now() + 1000;
      let status = await asTenant(node.base);
      while (status !== 403 && Date.now() < deadline) status = await asTenant(node.base);
      assert.equal(status, 403, `disabled app refused on ${node.base}`);
    }

    for (const node of live) node.child.kill('SIGTERM');
    for (const node of live) assert.equal(await node.exited, 0);
  } finally {
    killServers();
    await receiver.close();
    await dropSchema(TEST_DATABASE_URL!, schema).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
});
