// Unit tests of the cluster's notices over a real Redis (WXGATE_TEST_REDIS_URL; skipped with the reason without one).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { Redis } from 'ioredis';
import { REDIS_SKIP_REASON, TEST_REDIS_URL } from '../../test/redis.ts';
import type { PeerNotice } from '../core/peers.ts';
import { RedisPeers } from './redis-peers.ts';

const skip = TEST_REDIS_URL ? false : REDIS_SKIP_REASON;
const url = TEST_REDIS_URL ?? 'redis://127.0.0.1:1';

/** Resolves when `check` holds, polling; fails after `ms`. */
async function eventually(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) assert.fail('not within the time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ignore = () => {};

test('a notice reaches the other nodes of its cluster, not its sender, not another cluster', { skip }, async () => {
  const namespace = `t_${randomBytes(4).toString('hex')}`;
  const [a, b, other] = await Promise.all([
    RedisPeers.connect(url, namespace, ignore), RedisPeers.connect(url, namespace, ignore), RedisPeers.connect(url, `${namespace}_other`, ignore),
  ]);
  try {
    const heard = { a: [] as PeerNotice[], b: [] as PeerNotice[], other: [] as PeerNotice[] };
    a.onNotice((n) => heard.a.push(n));
    b.onNotice((n) => heard.b.push(n));
    other.onNotice((n) => heard.other.push(n));
    const notices: PeerNotice[] = [{ kind: 'app', appKey: 'k1' }, { kind: 'instance', guid: 'g1' }, { kind: 'signing-secrets', appId: 'app-1' }];
    for (const notice of notices) await a.announce(notice);
    await eventually(() => heard.b.length === 3);
    assert.deepEqual(heard.b, notices, 'in the order announced');
    await b.announce({ kind: 'instance', guid: 'g2' });
    await eventually(() => heard.a.length === 1);
    assert.deepEqual(heard.a, [{ kind: 'instance', guid: 'g2' }], 'a node does not hear itself');
    assert.deepEqual(heard.other, [], 'another cluster hears nothing');
  } finally {
    await Promise.all([a.close(), b.close(), other.close()]);
  }
});

test('junk on the channel is ignored; a broken link makes the node resync its caches once it is back', { skip }, async () => {
  const namespace = `t_${randomBytes(4).toString('hex')}`;
  const peers = await RedisPeers.connect(url, namespace, ignore);
  const admin = new Redis(url);
  try {
    const heard: PeerNotice[] = [];
    let resyncs = 0;
    peers.onNotice((n) => heard.push(n));
    peers.onResync(() => resyncs++);
    const channel = `wxgate:${namespace}:peers`;
    for (const junk of ['not json', '{}', JSON.stringify({ from: 'x', notice: { kind: 'app' } }), JSON.stringify({ from: 'x', notice: { kind: 'drop-tables' } })]) {
      await admin.publish(channel, junk);
    }
    await admin.publish(channel, JSON.stringify({ from: 'x', notice: { kind: 'app', appKey: 'k9', extra: true } }));
    await eventually(() => heard.length === 1);
    assert.deepEqual(heard, [{ kind: 'app', appKey: 'k9' }], 'only the well-formed notice, and only its fields');
    assert.equal(resyncs, 0);
    // Notices published while the subscriber is cut off are lost: when it is back, the node must drop its caches.
    await admin.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await eventually(() => resyncs === 1, 5000);
    await admin.publish(channel, JSON.stringify({ from: 'x', notice: { kind: 'instance', guid: 'g-after' } }));
    await eventually(() => heard.length === 2);
    await peers.ping();
  } finally {
    admin.disconnect();
    await peers.close();
  }
});

test('start-up fails with a message naming the setting when Redis cannot be reached', async () => {
  await assert.rejects(RedisPeers.connect('redis://127.0.0.1:1', 'x', ignore), /cannot reach Redis at WXGATE_REDIS_URL \(redisUrl\)/);
});

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Redis of this test's own (it is stopped and started again), answering PING. */
async function ownRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  // The PING waits in the client's queue, reconnecting every 50 ms, until the server listens.
  const probe = new Redis(`redis://127.0.0.1:${port}`, { retryStrategy: () => 50, maxRetriesPerRequest: null });
  probe.on('error', () => {});
  try {
    await probe.ping();
  } finally {
    probe.disconnect();
  }
  return child;
}

test('while Redis is down the node is not ready; when it is back, ready again and its caches resync', { skip: hasRedisServer ? false : 'no redis-server (Debian: apt-get install redis-server)' }, async () => {
  const port = await freePort();
  let server = await ownRedis(port);
  const peers = await RedisPeers.connect(`redis://127.0.0.1:${port}`, 'outage', ignore);
  try {
    let resyncs = 0;
    peers.onResync(() => resyncs++);
    await peers.ping();
    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));
    await assert.rejects(peers.ping(), 'no answer while Redis is down');
    server = await ownRedis(port);
    await eventually(() => resyncs >= 1, 5000);
    await peers.ping();
  } finally {
    await peers.close();
    server.kill('SIGKILL');
  }
});
