// The nodes of a cluster tell each other what changed over Redis publish/subscribe (WXGATE_REDIS_URL).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { PeerNotice, Peers } from '../core/peers.ts';

/** How long start-up waits for Redis before giving up with an error that names the setting. */
const CONNECT_TIMEOUT_MS = 5000;

interface Envelope {
  readonly from: string;
  readonly notice: PeerNotice;
}

/** A notice as another node sent it; anything else on the channel is ignored. */
function parseEnvelope(text: string): Envelope | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { from, notice } = value as { from?: unknown; notice?: Record<string, unknown> };
  if (typeof from !== 'string' || typeof notice !== 'object' || notice === null) return undefined;
  if (notice.kind === 'app' && typeof notice.appKey === 'string') return { from, notice: { kind: 'app', appKey: notice.appKey } };
  if (notice.kind === 'instance' && typeof notice.guid === 'string') return { from, notice: { kind: 'instance', guid: notice.guid } };
  if (notice.kind === 'signing-secrets' && typeof notice.appId === 'string') return { from, notice: { kind: 'signing-secrets', appId: notice.appId } };
  if (notice.kind === 'send-pacing-settings' && typeof notice.guid === 'string') return { from, notice: { kind: 'send-pacing-settings', guid: notice.guid } };
  if (notice.kind === 'send-pacing-queue' && typeof notice.guid === 'string') return { from, notice: { kind: 'send-pacing-queue', guid: notice.guid } };
  if (notice.kind === 'send-pacing-done' && typeof notice.guid === 'string' && typeof notice.queueId === 'string') {
    return { from, notice: { kind: 'send-pacing-done', guid: notice.guid, queueId: notice.queueId } };
  }
  if (notice.kind === 'events' && typeof notice.guid === 'string') {
    const range = notice.replay as { fromSn?: unknown; toSn?: unknown } | null | undefined;
    const replay = range && Number.isSafeInteger(range.fromSn) && Number.isSafeInteger(range.toSn) ? { fromSn: range.fromSn as number, toSn: range.toSn as number } : null;
    return { from, notice: { kind: 'events', guid: notice.guid, replay, webhook: notice.webhook === true } };
  }
  return undefined;
}

export class RedisPeers implements Peers {
  /** This node, as the others see it in notices (its own come back on the channel and are skipped). */
  readonly nodeId = randomUUID();
  readonly #appliers: Array<(notice: PeerNotice) => void> = [];
  readonly #resyncers: Array<() => void> = [];

  private constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly onError: (err: Error) => void,
  ) {}

  /**
   * Connects to Redis and listens on the cluster's channel. `namespace` keeps clusters sharing one Redis apart (the
   * database schema: nodes over the same data are one cluster). Throws when Redis cannot be reached at start.
   */
  static async connect(url: string, namespace: string, onError: (err: Error) => void): Promise<RedisPeers> {
    // Announcements wait in ioredis' offline queue while the link is down and go out, in order, when it is back.
    const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: null });
    const subscriber = new Redis(url, { lazyConnect: true });
    const peers = new RedisPeers(publisher, subscriber, `wxgate:${namespace}:peers`, onError);
    for (const link of [publisher, subscriber]) link.on('error', onError);
    try {
      await withTimeout(Promise.all([publisher.connect(), subscriber.connect()]), CONNECT_TIMEOUT_MS);
      await withTimeout(subscriber.subscribe(peers.channel), CONNECT_TIMEOUT_MS);
    } catch (err) {
      publisher.disconnect();
      subscriber.disconnect();
      throw new Error(`cannot reach Redis at WXGATE_REDIS_URL (redisUrl): ${(err as Error).message}`);
    }
    subscriber.on('message', (channel: string, text: string) => {
      if (channel !== peers.channel) return;
      const envelope = parseEnvelope(text);
      if (!envelope || envelope.from === peers.nodeId) return;
      for (const apply of peers.#appliers) apply(envelope.notice);
    });
    // ioredis subscribes again after a reconnect; what was published during the break is lost, so caches start over.
    subscriber.on('ready', () => {
      for (const resync of peers.#resyncers) resync();
    });
    return peers;
  }

  announce(notice: PeerNotice): Promise<void> {
    const envelope: Envelope = { from: this.nodeId, notice };
    return this.publisher.publish(this.channel, JSON.stringify(envelope)).then(() => undefined, this.onError);
  }

  onNotice(apply: (notice: PeerNotice) => void): void {
    this.#appliers.push(apply);
  }

  onResync(resync: () => void): void {
    this.#resyncers.push(resync);
  }

  /** For /readyz: answers while this node can reach Redis. */
  async ping(): Promise<void> {
    await withTimeout(this.publisher.ping(), 1000);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    await this.publisher.quit().catch(() => this.publisher.disconnect());
  }
}

/** `promise`, or a rejection naming the wait once `ms` have passed. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
