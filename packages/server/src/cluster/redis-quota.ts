// The rate limit counted where every node of a cluster sees it: per instance, a Redis sorted set of call times and a lock key.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { CallCounter, LockTable, QuotaRules } from '../core/quota.ts';
import { withTimeout } from './redis-peers.ts';

const CONNECT_TIMEOUT_MS = 5000;
/**
 * A call waiting longer on Redis fails (INTERNAL) rather than hangs: without Redis no node can know the count, and
 * letting calls through uncounted would break the very rule this enforces.
 */
const COMMAND_TIMEOUT_MS = 3000;
/**
 * Keys live this much longer than they matter. Redis expires them by its own clock while the scripts compare wxgate's
 * (tests run a manual one); the slack keeps a node whose clock runs a little behind Redis' from seeing a lock or a
 * window vanish early. The TTLs only collect idle keys; the scripts alone decide.
 */
const TTL_SLACK_MS = 60_000;

/**
 * One call, atomically, so that concurrent calls on any nodes are counted exactly. Answers {0} (counted), {1, end}
 * (locked) or {2, end} (this call exceeded the limit and started the lock). The lock's end is kept as its value and
 * compared with the caller's `now`, so locks follow wxgate's clock, not Redis' TTL.
 * KEYS: window, lock, locked index. ARGV: guid, now, cutoff (calls at or before it left the window), maxCalls,
 * member (unique per call: two calls in one millisecond are two calls), window TTL, lock end, lock TTL.
 */
const COUNT_SCRIPT = `
local lock = redis.call('GET', KEYS[2])
if lock then
  if tonumber(lock) > tonumber(ARGV[2]) then return {1, lock} end
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[3], ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  redis.call('DEL', KEYS[1])
  redis.call('SET', KEYS[2], ARGV[7], 'PX', ARGV[8])
  redis.call('ZADD', KEYS[3], ARGV[7], ARGV[1])
  if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[8]) then redis.call('PEXPIRE', KEYS[3], ARGV[8]) end
  return {2, ARGV[7]}
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return {0}
`;

/**
 * Puts back a lock the store kept, unless Redis has one: a window starts over under a lock, as when the lock started.
 * KEYS: window, lock, locked index. ARGV: guid, lock end, lock TTL.
 */
const RESTORE_SCRIPT = `
if redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3], 'NX') then
  redis.call('DEL', KEYS[1])
  redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
  if redis.call('PTTL', KEYS[3]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[3], ARGV[3]) end
end
return 0
`;

/** The scripts as defineCommand adds them (ioredis' types cannot know them). */
interface QuotaScripts {
  wxgateQuotaCount(window: string, lock: string, index: string, ...args: Array<string | number>): Promise<[number, string?]>;
  wxgateQuotaRestore(window: string, lock: string, index: string, ...args: Array<string | number>): Promise<number>;
}

const COUNTED = 0;
const STARTED = 2;

/**
 * Redis is the source of truth for the count: it outlives any node, so calls are not also written to the store one by
 * one (that write is what keeps a lone node's count across restarts, and it would cost every call a commit in the
 * shared database). A lock is rare (one per instance per lock time at most), so it is also written to the store's lock
 * table (`locks`) when it starts, and put back into Redis when a node starts: a Redis restarted without persistence
 * loses the counts of the last window, not a 30-minute lock.
 */
export class RedisCallCounter implements CallCounter {
  /** A call's member is this node's id and a sequence number: unique in the cluster, however many calls share a millisecond. */
  readonly #node = randomBytes(6).toString('base64url');
  #seq = 0;

  private constructor(
    private readonly redis: Redis & QuotaScripts,
    /** `wxgate:<schema>:`: the clusters sharing one Redis keep apart by schema, as their peers channels do. */
    private readonly prefix: string,
    readonly rules: QuotaRules,
    private readonly locks: LockTable,
  ) {}

  /** Connects its own link: the peers' publisher queues commands through a break, which would hang calls. */
  static async connect(url: string, namespace: string, rules: QuotaRules, locks: LockTable, onError: (err: Error) => void): Promise<RedisCallCounter> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, commandTimeout: COMMAND_TIMEOUT_MS });
    redis.on('error', onError);
    try {
      await withTimeout(redis.connect(), CONNECT_TIMEOUT_MS);
    } catch (err) {
      redis.disconnect();
      throw new Error(`cannot reach Redis at WXGATE_REDIS_URL (redisUrl): ${(err as Error).message}`);
    }
    redis.defineCommand('wxgateQuotaCount', { numberOfKeys: 3, lua: COUNT_SCRIPT });
    redis.defineCommand('wxgateQuotaRestore', { numberOfKeys: 3, lua: RESTORE_SCRIPT });
    return new RedisCallCounter(redis as Redis & QuotaScripts, `wxgate:${namespace}:`, rules, locks);
  }

  #keys(guid: string): [window: string, lock: string, index: string] {
    return [`${this.prefix}quota:${guid}`, `${this.prefix}lock:${guid}`, `${this.prefix}locked`];
  }

  get #windowMs(): number {
    return this.rules.windowSeconds * 1000;
  }

  async load(now: number): Promise<void> {
    await Promise.all((await this.locks.activeLocks(now)).map(({ guid, lockedUntil }) =>
      this.redis.wxgateQuotaRestore(...this.#keys(guid), guid, lockedUntil, lockedUntil - now + TTL_SLACK_MS)));
  }

  async count(guid: string, now: number, passWhileLocked: boolean): Promise<number | null> {
    const lockMs = this.rules.lockSeconds * 1000;
    const [state, end] = await this.redis.wxgateQuotaCount(
      ...this.#keys(guid), guid, now, now - this.#windowMs, this.rules.maxCalls, `${this.#node}:${++this.#seq}`,
      this.#windowMs + TTL_SLACK_MS, now + lockMs, lockMs + TTL_SLACK_MS,
    );
    if (state === COUNTED) return null;
    const until = Number(end);
    if (state === STARTED) await this.locks.setLock(guid, until);
    else if (passWhileLocked) return null;
    return until;
  }

  async status(guid: string, now: number): Promise<{ used: number; lockedUntil: number | null }> {
    const [window, lock] = this.#keys(guid);
    // One transaction, so the count and the lock are of the same moment (a lock empties the window).
    const replies = await this.redis.multi().get(lock).zcount(window, `(${now - this.#windowMs}`, '+inf').exec();
    const [[lockError, end], [countError, used]] = replies as Array<[Error | null, unknown]> as [[Error | null, string | null], [Error | null, number]];
    if (lockError || countError) throw lockError ?? countError;
    const lockedUntil = end === null ? null : Number(end);
    return { used, lockedUntil: lockedUntil !== null && lockedUntil > now ? lockedUntil : null };
  }

  lockedCount(now: number): Promise<number> {
    return this.redis.zcount(`${this.prefix}locked`, `(${now}`, '+inf');
  }

  async forget(guid: string): Promise<void> {
    const [window, lock, index] = this.#keys(guid);
    await this.redis.multi().del(window, lock).zrem(index, guid).exec();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
