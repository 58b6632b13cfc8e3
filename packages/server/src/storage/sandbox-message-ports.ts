// The storage port of the sandbox world's messages: the archive (each message stored once), read marks, the emoji
// store, send restrictions and offline-sync marks; part of the world repository (sandbox-ports.ts).

/**
 * One message of the world's archive, stored once however many people receive it. `session` names the conversation:
 * the room id for group messages, else the two wxids sorted and joined by `|`.
 */
export interface SandboxMessage {
  readonly appId: string;
  /** Archive order: strictly increasing over the app's world, never reused. */
  readonly seq: number;
  /** newMsgId: the 64-bit server id as a decimal string (callback msg_id). */
  readonly msgId: string;
  /** The 32-bit id WeChat carries beside it (revokemsg <msgid>, SendAppMsg msgId). */
  readonly localId: number;
  readonly clientMsgId: number;
  readonly session: string;
  /** Who sent it (a wxid; the revoker or patter for system messages). */
  readonly fromWxid: string;
  /** The peer's wxid, `filehelper`, or the room id. */
  readonly toUsername: string;
  /** The room id for group messages, else "". */
  readonly chatroom: string;
  readonly msgType: number;
  /** appmsg <type> of msg_type 49, else 0. */
  readonly appType: number;
  /** As receivers get it: text or WeChat XML, without the group `wxid:\n` prefix. */
  readonly content: string;
  /** <msgsource> XML. */
  readonly source: string;
  /** Push text as the sender's nickname shows it, e.g. "Alice : [位置]". */
  readonly pushDesc: string;
  /** For a revoke system message: the msg_id it revoked; else "". */
  readonly refersTo: string;
  /** unix ms */
  readonly createdAt: number;
  /** unix ms of the revoke, or null. */
  readonly revokedAt: number | null;
}

export type NewSandboxMessage = Omit<SandboxMessage, 'seq' | 'revokedAt'>;

/** An emoji WeChat knows by md5 (send_emoji_md5 finds it), registered when someone first sends it. */
export interface SandboxEmoji {
  readonly appId: string;
  readonly md5: string;
  /** bytes; 0 when only its URL is known. */
  readonly size: number;
  /** The CDN file id (send_emoji) or "" */
  readonly cdnUrl: string;
  readonly aesKey: string;
  /** The source URL of send_emoji_url, else "". */
  readonly externUrl: string;
  readonly createdAt: number;
}

export interface SandboxMessageRepository {
  /** Archives a message; answers it with its seq. */
  insert(message: NewSandboxMessage): Promise<SandboxMessage>;
  /**
   * Archives a message without answering its seq: inside a transaction the engine may make the write with the commit
   * (on PostgreSQL the app's archive lock is then held only while the server runs it, not across round trips), as
   * EventRepository.appendWithCommit. Reads later in the same transaction may not see it.
   */
  insertWithCommit(message: NewSandboxMessage): Promise<void>;
  get(appId: string, msgId: string): Promise<SandboxMessage | undefined>;
  markRevoked(appId: string, msgId: string, at: number): Promise<void>;
  /** Messages of one conversation with seq > afterSeq, oldest first. */
  listSession(appId: string, session: string, afterSeq: number, limit: number): Promise<SandboxMessage[]>;
  /** Private (non-room) messages sent by or to `wxid`, seq > afterSeq, oldest first. */
  listPrivateOf(appId: string, wxid: string, afterSeq: number, limit: number): Promise<SandboxMessage[]>;
  /** Everything `wxid` sees: its private messages and those of the rooms (WeChat and OpenIM) it is a member of now; seq > afterSeq, oldest first. */
  listVisibleTo(appId: string, wxid: string, afterSeq: number, limit: number): Promise<SandboxMessage[]>;
  /** The newest seq of the app's whole world, 0 when it has no message. */
  maxSeq(appId: string): Promise<number>;
  /** `wxid` logged out: it had everything up to `seq` delivered live. */
  setOfflineMark(appId: string, wxid: string, seq: number): Promise<void>;
  /** `wxid` logs in again: where live delivery stopped (then forgotten); undefined when it was never logged out. */
  takeOfflineMark(appId: string, wxid: string): Promise<number | undefined>;
  /** The newest seq of a conversation, 0 when it has none. */
  lastSeq(appId: string, session: string): Promise<number>;
  /** set_session_read: `owner` has read `session` up to `seq`. */
  setReadMark(appId: string, ownerWxid: string, session: string, seq: number): Promise<void>;
  readMark(appId: string, ownerWxid: string, session: string): Promise<number>;
  /** Registers an emoji (a later registration of the same md5 fills in what the earlier one lacked). */
  putEmoji(emoji: SandboxEmoji): Promise<SandboxEmoji>;
  getEmoji(appId: string, md5: string): Promise<SandboxEmoji | undefined>;
  /** WeChat's risk control: `wxid` may not send until `until` (unix ms); 0 lifts it. */
  setSendRestriction(appId: string, wxid: string, until: number): Promise<void>;
  sendRestriction(appId: string, wxid: string): Promise<number>;
}
