// The storage port of the iLink bridge: bots bound to an instance by the iLink QR flow, their tokens kept only as hashes.

export interface IlinkBotRecord {
  /** `ilb_…`: names the bot in /ilink/status and /ilink/revoke_bot; not a credential. */
  readonly id: string;
  readonly appId: string;
  readonly guid: string;
  /** SHA-256 of the bot_token, hex: the token itself is never stored. */
  readonly tokenHash: string;
  /** The account that confirmed the binding (iLink's `ilink_user_id`). */
  readonly userWxid: string;
  /** unix ms */
  readonly createdAt: number;
}

/** Bots go with their instance: deleting the instance deletes them (a foreign key on both engines). */
export interface IlinkBotRepository {
  insert(record: IlinkBotRecord): Promise<void>;
  findByHash(tokenHash: string): Promise<IlinkBotRecord | undefined>;
  /** Oldest first (equal times by id). */
  listByGuid(guid: string): Promise<IlinkBotRecord[]>;
  /** Whether a bot of this instance was removed. */
  remove(guid: string, id: string): Promise<boolean>;
}
