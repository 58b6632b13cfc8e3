// Tokens of the Wechaty bridge: one opens one instance of one app; stored as SHA-256 hashes, shown once.
import { ApiError } from '@wxgate/contract';
import { createHash, randomBytes } from 'node:crypto';
import type { InstanceRecord, Store, WechatyTokenRecord } from '../storage/ports.ts';
import type { Clock } from './clock.ts';

/**
 * SHA-256, not scrypt like app secrets: a token is 256 random bits, so a fast hash cannot be searched backwards, and a
 * gRPC call must find its token by the hash in one indexed read rather than try a slow hash against every token.
 */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class WechatyTokens {
  #endpoint: string | null = null;
  readonly #revoked = new Set<(tokenId: string) => void | Promise<void>>();
  readonly #runState = new Set<(guid: string, running: boolean) => void | Promise<void>>();

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /** host:port bots dial, once the bridge listens (null without WXGATE_WECHATY_PORT). */
  get endpoint(): string | null {
    return this.#endpoint;
  }

  listening(endpoint: string | null): void {
    this.#endpoint = endpoint;
  }

  /** Told of every revoked token, so a bot using it is cut off at once. */
  onRevoke(listener: (tokenId: string) => void | Promise<void>): void {
    this.#revoked.add(listener);
  }

  /** Told when an instance stops or runs again, so its bots hear a logout (it serves nothing) and the login after. */
  onRunState(listener: (guid: string, running: boolean) => void | Promise<void>): void {
    this.#runState.add(listener);
  }

  async runStateChanged(guid: string, running: boolean): Promise<void> {
    for (const listener of this.#runState) await listener(guid, running);
  }

  async create(instance: InstanceRecord): Promise<{ token: string; record: WechatyTokenRecord }> {
    // `insecure_` tells wechaty-puppet-service's client that the port speaks plain gRPC (docs/wechaty.md).
    const token = `insecure_${randomBytes(32).toString('base64url')}`;
    const record: WechatyTokenRecord = {
      id: `wct_${randomBytes(8).toString('hex')}`, appId: instance.appId, guid: instance.guid, tokenHash: hashToken(token), createdAt: this.clock.now(),
    };
    await this.store.wechatyTokens.insert(record);
    return { token, record };
  }

  list(instance: InstanceRecord): Promise<WechatyTokenRecord[]> {
    return this.store.wechatyTokens.listByGuid(instance.guid);
  }

  async revoke(instance: InstanceRecord, tokenId: string): Promise<boolean> {
    const removed = await this.store.wechatyTokens.remove(instance.guid, tokenId);
    if (removed) for (const listener of this.#revoked) await listener(tokenId);
    return removed;
  }

  /** The token's record; WECHATY_TOKEN_INVALID when it is unknown or revoked. */
  async resolve(token: string): Promise<WechatyTokenRecord> {
    const record = await this.store.wechatyTokens.findByHash(hashToken(token));
    if (!record) throw new ApiError('WECHATY_TOKEN_INVALID');
    return record;
  }
}
