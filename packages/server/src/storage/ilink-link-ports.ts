// The storage port of the ilink driver: an instance's link to Tencent's iLink server (its bot, sealed token, update
// cursor), the last context_token of each of its conversations, and its voices by message id.

export interface IlinkLinkRecord {
  readonly guid: string;
  /** The bot_token iLink issued at the QR confirmation: plaintext here, sealed at rest (storage/secret-columns.ts). */
  readonly botToken: string;
  readonly ilinkBotId: string;
  /** The WeChat account that confirmed the QR code (iLink's `ilink_user_id`): the instance's login wxid. */
  readonly ilinkUserId: string;
  /** The API base URL the confirmation named (`baseurl`): every bot call goes there. */
  readonly baseUrl: string;
  /** The last get_updates_buf whose messages were committed to the outbox ('' before the first answer). */
  readonly updatesBuf: string;
  /** unix ms */
  readonly createdAt: number;
}

/** Links, context tokens and voices go with their instance: deleting the instance deletes them (a foreign key on both engines). */
export interface IlinkLinkRepository {
  /** Stores the instance's link, replacing an earlier one (a new login) and forgetting that one's context tokens. */
  save(link: IlinkLinkRecord): Promise<void>;
  get(guid: string): Promise<IlinkLinkRecord | undefined>;
  /** Moves the cursor; call it in the transaction that publishes the messages it covers. */
  setUpdatesBuf(guid: string, buf: string): Promise<void>;
  /** Whether a link was removed (its context tokens go with it). */
  remove(guid: string): Promise<boolean>;
  /** The context_token of the conversation's latest message (`peer`: the person, or the room). */
  setContextToken(guid: string, peer: string, token: string, at: number): Promise<void>;
  contextToken(guid: string, peer: string): Promise<string | undefined>;
  /**
   * Where a voice received or sent through iLink is kept on the instance's CDN, by its message id (download_voice
   * finds voices by message): kept as long as the instance, across new logins.
   */
  setVoice(guid: string, msgId: string, voice: IlinkVoice, at: number): Promise<void>;
  voice(guid: string, msgId: string): Promise<IlinkVoice | undefined>;
}

/** A voice's object on the instance's CDN. */
export interface IlinkVoice {
  readonly fileId: string;
  readonly aesKey: string;
}
