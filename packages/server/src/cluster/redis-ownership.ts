// Leases in Redis decide which node does what: nodes alive by heartbeat, work spread by rendezvous hashing, one holder per name.
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Lease, Ownership } from '../core/ownership.ts';

export interface OwnershipTimings {
  /** How often a node says it is alive and renews its leases. */
  readonly heartbeatMs: number;
  /** A node silent this long is dead: its share of the work goes to the others. */
  readonly nodeTtlMs: number;
  /** A lease not renewed this long is free again (a dead holder's work moves after at most this). */
  readonly leaseMs: number;
}

export const DEFAULT_TIMINGS: OwnershipTimings = { heartbeatMs: 1000, nodeTtlMs: 5000, leaseMs: 5000 };

// Renew or give up a lease only while this node still holds it (another may have taken it after it expired).
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** Rendezvous (highest random weight) hashing: each name goes to one live node, and a node's death moves only its own names. */
function weight(nodeId: string, name: string): number {
  return createHash('sha1').update(nodeId).update('\0').update(name).digest().readUInt32BE(0);
}

class RedisLease implements Lease {
  #given = false;
  /** When Redis last confirmed this node's hold (taken or renewed), by this node's clock. */
  #confirmedAt = Date.now();

  constructor(private readonly owner: RedisOwnership, readonly name: string, private readonly trustMs: number) {}

  /** Held as long as a confirmation is recent enough that Redis cannot have let it expire (a heartbeat of margin). */
  get valid(): boolean {
    return !this.#given && Date.now() - this.#confirmedAt < this.trustMs;
  }

  confirmed(at: number): void {
    this.#confirmedAt = at;
  }

  lose(): void {
    this.#given = true;
  }

  release(): Promise<void> {
    this.#given = true;
    return this.owner.release(this);
  }
}

export class RedisOwnership implements Ownership {
  #alive: readonly string[] = [];
  readonly #held = new Map<string, RedisLease>();
  readonly #listeners: Array<() => void> = [];
  #timer: NodeJS.Timeout | undefined;
  #beating: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly nodeId: string,
    private readonly timings: OwnershipTimings,
    private readonly onError: (err: Error) => void,
  ) {}

  /** Joins the cluster's membership (`namespace`: as for RedisPeers) and starts the heartbeat. */
  static async start(url: string, namespace: string, nodeId: string, onError: (err: Error) => void, timings = DEFAULT_TIMINGS): Promise<RedisOwnership> {
    const redis = new Redis(url, { maxRetriesPerRequest: 1 });
    redis.on('error', onError);
    const ownership = new RedisOwnership(redis, `wxgate:${namespace}`, nodeId, timings, onError);
    try {
      await ownership.#heartbeat();
    } catch (err) {
      redis.disconnect();
      throw new Error(`cannot reach Redis at WXGATE_REDIS_URL (redisUrl): ${(err as Error).message}`);
    }
    ownership.#timer = setInterval(() => {
      ownership.#beating = ownership.#heartbeat().catch((err: Error) => ownership.onError(err));
    }, timings.heartbeatMs);
    ownership.#timer.unref();
    return ownership;
  }

  /** How many leases this node holds now. */
  get leasesHeld(): number {
    return this.#held.size;
  }

  /** The nodes alive as this node last saw them, sorted. */
  get alive(): readonly string[] {
    return this.#alive;
  }

  prefers(name: string): boolean {
    let best = this.nodeId;
    let bestWeight = -1;
    for (const node of this.#alive) {
      const w = weight(node, name);
      if (w > bestWeight || (w === bestWeight && node < best)) {
        best = node;
        bestWeight = w;
      }
    }
    return best === this.nodeId;
  }

  async acquire(name: string): Promise<Lease | null> {
    const held = this.#held.get(name);
    if (held?.valid) return held;
    const key = this.#leaseKey(name);
    const taken = (await this.redis.set(key, this.nodeId, 'PX', this.timings.leaseMs, 'NX')) === 'OK'
      // Still this node's in Redis (its confirmation grew old here): renewed, it is held again.
      || (await this.redis.eval(RENEW, 1, key, this.nodeId, String(this.timings.leaseMs))) === 1;
    if (!taken) return null;
    const lease = new RedisLease(this, name, this.timings.leaseMs - this.timings.heartbeatMs);
    this.#held.set(name, lease);
    return lease;
  }

  /** Called by a lease: frees its name in Redis unless another node took it meanwhile. */
  async release(lease: RedisLease): Promise<void> {
    if (this.#held.get(lease.name) === lease) this.#held.delete(lease.name);
    // Work that outlives close (a transcription finishing): close gave its lease up already, and the link is gone.
    else if (this.#closed) return;
    await this.redis.eval(RELEASE, 1, this.#leaseKey(lease.name), this.nodeId).catch((err: Error) => this.onError(err));
  }

  onMembershipChange(changed: () => void): void {
    this.#listeners.push(changed);
  }

  /** Leaves the cluster at once: leases given up, this node out of the membership, so the others take over now. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await this.#beating;
    for (const lease of [...this.#held.values()]) await lease.release();
    await this.redis.zrem(this.#membersKey, this.nodeId).catch(() => {});
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  get #membersKey(): string {
    return `${this.prefix}:nodes`;
  }

  #leaseKey(name: string): string {
    return `${this.prefix}:lease:${name}`;
  }

  /** Says this node is alive, reads who else is, and keeps this node's leases from expiring. */
  async #heartbeat(): Promise<void> {
    const now = Date.now();
    const results = await this.redis.multi()
      .zadd(this.#membersKey, now, this.nodeId)
      .zremrangebyscore(this.#membersKey, '-inf', now - this.timings.nodeTtlMs)
      .zrange(this.#membersKey, 0, -1)
      .exec();
    const members = (results?.[2]?.[1] as string[] | undefined) ?? [this.nodeId];
    const alive = [...members].sort();
    const changed = alive.join(',') !== this.#alive.join(',');
    this.#alive = alive;
    for (const lease of [...this.#held.values()]) {
      const renewedAt = Date.now();
      const renewed = await this.redis.eval(RENEW, 1, this.#leaseKey(lease.name), this.nodeId, String(this.timings.leaseMs));
      if (renewed === 1) lease.confirmed(renewedAt);
      else {
        // Expired and perhaps taken by another node: whatever this node was doing under it must stop.
        lease.lose();
        this.#held.delete(lease.name);
      }
    }
    if (changed) for (const listener of this.#listeners) listener();
  }
}
