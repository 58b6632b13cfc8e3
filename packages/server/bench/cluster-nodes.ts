// A cluster for a bench: wxgate nodes as separate processes (the bundle `npm start` runs, else the sources) over one PostgreSQL schema of their own and one Redis, and the accounts and rooms the cluster bench drives.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropSchema } from '../test/postgres.ts';
import { firstAppCredentials, startServer, type RunningServer } from '../test/e2e/server-process.ts';
import { expectOk, post } from './load-generator.ts';
import { benchSchemaName, loggedInAccount, UNLIMITED, type ApiCall } from './servers.ts';

const ENSURE_BUILT = new URL('../ensure-built.mjs', import.meta.url).pathname;

export interface BenchCluster {
  readonly nodes: readonly RunningServer[];
  readonly pids: readonly number[];
  readonly schema: string;
  readonly appKey: string;
  readonly appSecret: string;
  /** An API call through node `i` that must succeed (the vendor's wire, the first app's credentials). */
  readonly api: (i: number) => ApiCall;
  /** Stops the nodes (SIGTERM: they give up their leases), drops the schema, removes the data directories. */
  close(): Promise<void>;
}

/** How the nodes run: the bundle `npm start` runs, or the sources through tsx when the bundle does not build. */
export interface NodeEntry {
  readonly entry: 'bundle' | 'source';
  readonly says: string;
}

/** Builds the bundle when a source is newer (as `npm start`'s prestart does); a failed build falls back to the sources. */
export function nodeEntry(): NodeEntry {
  try {
    execFileSync(process.execPath, [ENSURE_BUILT], { stdio: 'pipe' });
    return { entry: 'bundle', says: 'the bundle `npm start` runs' };
  } catch (err) {
    const output = String((err as { stdout?: Buffer }).stdout ?? '') + String((err as { stderr?: Buffer }).stderr ?? '');
    const why = /ERROR: (.+)$/m.exec(output)?.[1] ?? /^wxgate: .*$/m.exec(output)?.[0] ?? 'the build failed';
    return { entry: 'source', says: `the sources through tsx: the bundle npm start runs does not build here — ${why.slice(0, 160)}` };
  }
}

/**
 * `count` nodes on a fresh schema, in the default configuration but for the lifted rate limit (UNLIMITED), each with
 * its own data directory: the first alone creates the schema and the first app, the others join it. Resolves once
 * every node sees all of them alive, so webhook ownership is already spread when the bench starts.
 */
export async function startCluster(count: number, databaseUrl: string, redisUrl: string, entry: NodeEntry['entry']): Promise<BenchCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'wxgate-bench-cluster-'));
  const schema = benchSchemaName();
  const secretKey = randomBytes(32).toString('hex');
  const env = (node: number) => ({
    DATA_DIR: join(dir, `node-${node}`), LOG_LEVEL: 'info',
    WXGATE_DATABASE_URL: databaseUrl, WXGATE_DATABASE_SCHEMA: schema, WXGATE_SECRET_KEY: secretKey, WXGATE_REDIS_URL: redisUrl,
    WXGATE_RATE_LIMIT_MAX_CALLS: String(UNLIMITED.maxCalls),
    // spawnServer allows 127.0.0.1 for the tests; empty is the default (loopback receivers are allowed on a loopback HOST).
    WXGATE_ALLOW_PRIVATE_URLS: '',
  });
  const nodes: RunningServer[] = [];
  const close = async () => {
    for (const node of nodes) node.child.kill('SIGTERM');
    for (const node of nodes) await node.exited;
    await dropSchema(databaseUrl, schema);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 1; i <= count; i++) nodes.push(await startServer(env(i), entry));
    const { app_key: appKey, app_secret: appSecret } = firstAppCredentials(join(dir, 'node-1'));
    const auth = { 'x-app-key': appKey, 'x-app-secret': appSecret };
    await seeEachOther(nodes);
    return {
      nodes, pids: nodes.map((n) => n.child.pid!), schema, appKey, appSecret, close,
      api: (i) => (path, body) => expectOk(path, post(`${nodes[i % nodes.length]!.base}${path}`, body, auth)),
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** A node's gauge from /metrics (the first sample of `name`), or null without one. */
export async function gauge(node: RunningServer, name: string): Promise<number | null> {
  const text = await (await fetch(`${node.base}/metrics`)).text();
  const match = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'm').exec(text);
  return match ? Number(match[1]) : null;
}

async function seeEachOther(nodes: readonly RunningServer[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (const node of nodes) {
    while ((await gauge(node, 'wxgate_cluster_nodes')) !== nodes.length) {
      if (Date.now() > deadline) throw new Error(`${node.base} does not see ${nodes.length} nodes alive`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export interface Pair {
  readonly from: { guid: string; wxid: string };
  readonly to: { guid: string; wxid: string };
}

/** Two logged-in accounts that are friends, set up through node `via`: `from` sends to `to`. */
export async function friends(cluster: BenchCluster, via: number, label: string): Promise<Pair> {
  const api = cluster.api(via);
  const from = await loggedInAccount(api, `Sender ${label}`);
  const to = await loggedInAccount(api, `Receiver ${label}`);
  await api('/sandbox/friend/request', { from_wxid: from.wxid, to_wxid: to.wxid });
  await api('/sandbox/friend/accept', { from_wxid: from.wxid, to_wxid: to.wxid });
  return { from, to };
}

export interface Room {
  readonly username: string;
  /** The simulated person who writes to it (not logged in anywhere: its messages raise events only for the members). */
  readonly writer: string;
  readonly guids: readonly string[];
}

/**
 * `count` rooms of `members` logged-in accounts each, owned by a simulated person: one message of theirs raises a 1010
 * on every member's instance. Set up through all nodes, 8 logins at a time; no webhooks are set.
 */
export async function rooms(cluster: BenchCluster, count: number, members: number): Promise<Room[]> {
  const accounts: Array<{ guid: string; wxid: string }> = [];
  const total = count * members;
  await Promise.all(Array.from({ length: 8 }, async (_, worker) => {
    for (let i = worker; i < total; i += 8) accounts[i] = await loggedInAccount(cluster.api(i), `Member ${i}`);
  }));
  const made: Room[] = [];
  for (let r = 0; r < count; r++) {
    const api = cluster.api(r);
    const inRoom = accounts.slice(r * members, (r + 1) * members);
    const { wxid: writer } = await api('/sandbox/people/create', { nickname: `Writer ${r}`, friends: inRoom.map((a) => a.wxid) });
    const { room_username: username } = await api('/sandbox/room/create', { owner_wxid: writer, member_wxids: inRoom.map((a) => a.wxid), name: `bench ${r}` });
    made.push({ username, writer, guids: inRoom.map((a) => a.guid) });
  }
  return made;
}

/** Each writer sends `messages` texts to their room in turn, `callers` at a time spread over the nodes. */
export async function writeToRooms(cluster: BenchCluster, made: readonly Room[], messages: number, callers: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: callers }, async (_, caller) => {
    const api = cluster.api(caller);
    for (let i = next++; i < messages; i = next++) {
      const room = made[i % made.length]!;
      await api('/sandbox/messages/send', { from_wxid: room.writer, path: '/msg/send_text', body: { to_username: room.username, content: `bench ${i}` } });
    }
  }));
}
