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

/** What a bot QR code's get_qrcode_status answers (the protocol's statuses this server uses). */
export type IlinkQrStatus = 'wait' | 'scaned' | 'scaned_but_redirect' | 'need_verifycode' | 'verify_code_blocked' | 'confirmed' | 'binded_redirect' | 'expired';

/** A pending bot QR code (table ilink_qrcodes): kept in the store, so any node answers it and restarts keep it. */
export interface IlinkQrRecord {
  /** SHA-256 of the qrcode, hex: whoever holds the code may collect the bot_token, so the code itself is not stored. */
  readonly codeHash: string;
  /** unix ms */
  readonly createdAt: number;
  readonly status: IlinkQrStatus;
  /** The status last answered to a poller (null before the first): a poll waits only while nothing changed since. */
  readonly reported: IlinkQrStatus | null;
  /** The instance whose phone scanned it. */
  readonly appId: string | null;
  readonly guid: string | null;
  /** The bot a confirm bound (confirmed) or found already bound (binded_redirect). */
  readonly botId: string | null;
  /** What the bot_token is derived from (confirmed): the token is answered once, then the row goes. */
  readonly tokenNonce: string | null;
  /** SHA-256 of the verification code the phone shows (need_verifycode). */
  readonly verifyCodeHash: string | null;
  readonly verifyFailures: number;
  /** scaned_but_redirect: the host (`host[:port]`) the client polls from then on; null otherwise. */
  readonly redirectHost: string | null;
  /** Bots of the client's local_token_list still bound when it asked (a scan by one of their instances redirects). */
  readonly presentedBotIds: readonly string[];
}

export type IlinkQrChange = Partial<Omit<IlinkQrRecord, 'codeHash' | 'createdAt' | 'presentedBotIds'>>;

export interface IlinkQrRepository {
  insert(record: IlinkQrRecord): Promise<void>;
  find(codeHash: string): Promise<IlinkQrRecord | undefined>;
  /** Applies `change` only while the status is still `from` (two nodes or two calls racing: one wins); whether it did. */
  update(codeHash: string, from: IlinkQrStatus, change: IlinkQrChange): Promise<boolean>;
  /** Removes the code only while its status is `status`; whether it did (the one poll that answers the credentials). */
  remove(codeHash: string, status: IlinkQrStatus): Promise<boolean>;
  /** Drops codes created before `createdBefore`, then all but the newest `keep`. */
  prune(createdBefore: number, keep: number): Promise<void>;
}
