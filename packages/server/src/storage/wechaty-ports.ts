// The storage port of the Wechaty bridge: per-instance tokens, kept only as hashes.

export interface WechatyTokenRecord {
  /** `wct_…`: names the token in answers; not a credential. */
  readonly id: string;
  readonly appId: string;
  readonly guid: string;
  /** SHA-256 of the token, hex: the token itself is never stored. */
  readonly tokenHash: string;
  /** unix ms */
  readonly createdAt: number;
}

/** Tokens go with their instance: deleting the instance deletes them (a foreign key on both engines). */
export interface WechatyTokenRepository {
  insert(record: WechatyTokenRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<WechatyTokenRecord | undefined>;
  /** Oldest first (equal times by id). */
  listByGuid(guid: string): Promise<WechatyTokenRecord[]>;
  /** Whether a token of this instance was removed. */
  remove(guid: string, id: string): Promise<boolean>;
}
