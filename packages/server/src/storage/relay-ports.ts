// The storage port of the relay driver: which upstream instance backs each of ours, which upstream callbacks were
// already taken in (dedup), and the mirror of contacts, rooms and messages seen through the relay.

/** Our instance ↔ the upstream's, and the secret path the upstream calls back on. */
export interface RelayMapping {
  /** Our instance guid. */
  readonly guid: string;
  readonly appId: string;
  /** The upstream provider's guid for the same account. */
  readonly upstreamGuid: string;
  /** Unguessable; the upstream's notify_url is <public url>/upstream/notify/<token>. */
  readonly notifyToken: string;
  /** true when wxgate took over an existing upstream instance (remove then detaches instead of deleting it there). */
  readonly adopted: boolean;
  /** The notify_url last registered on the upstream ("" before the first registration succeeded). */
  readonly registeredNotifyUrl: string;
  /** unix ms */
  readonly createdAt: number;
}

/** A contact, room or OpenIM entry of an instance's mirror: the newest WeChat object seen for it. */
export interface RelayMirrorEntry {
  readonly guid: string;
  readonly username: string;
  /** contact (wxid_, gh_, …), room (…@chatroom), openim (…@openim), openim_room (…@im.chatroom) */
  readonly kind: RelayEntryKind;
  readonly data: unknown;
  /** Label ids the entry carries (WeChat's labelIdList). */
  readonly labelIds: readonly number[];
  /** unix ms */
  readonly updatedAt: number;
}

export type RelayEntryKind = 'contact' | 'room' | 'openim' | 'openim_room';

/** A member of a room in the mirror, as the last member list showed it. */
export interface RelayRoomMember {
  readonly guid: string;
  readonly room: string;
  readonly username: string;
  readonly data: unknown;
}

/** A message seen through the relay: received (1010 callbacks) or sent (send_* answers). */
export interface RelayMessage {
  readonly guid: string;
  readonly msgId: string;
  readonly direction: 'in' | 'out';
  readonly fromUsername: string;
  readonly toUsername: string;
  readonly msgType: number;
  /** unix seconds, as WeChat gives it */
  readonly createTime: number;
  readonly data: unknown;
}

/** A mirrored message with its archive order, and whether a later revoke notice names it. */
export interface RelayArchivedMessage extends RelayMessage {
  readonly seq: number;
  readonly revoked: boolean;
}

export interface RelayMessageQuery {
  /** Only messages from or to this username (a peer or a room). */
  readonly talker?: string;
  readonly afterSeq: number;
  readonly limit: number;
}

export interface RelayMappingRepository {
  insert(mapping: RelayMapping): Promise<void>;
  get(guid: string): Promise<RelayMapping | undefined>;
  byToken(token: string): Promise<RelayMapping | undefined>;
  /** Case-insensitive: a UUID is the same whatever its letters' case. */
  byUpstreamGuid(upstreamGuid: string): Promise<RelayMapping | undefined>;
  setRegisteredNotifyUrl(guid: string, url: string): Promise<void>;
  /** Removes the mapping and everything mirrored for the instance. */
  delete(guid: string): Promise<void>;
}

export interface RelayDedupRepository {
  /** When `key` was first taken in for `guid` (unix ms), or undefined when never. */
  seenAt(guid: string, key: string): Promise<number | undefined>;
  /** Remembers `key` as taken in at `now` (overwriting an older record). */
  remember(guid: string, key: string, now: number): Promise<void>;
  /** Forgets records older than `before`; returns how many went. */
  prune(before: number, limit: number): Promise<number>;
}

export interface RelayMirrorRepository {
  upsert(entry: RelayMirrorEntry): Promise<void>;
  get(guid: string, username: string): Promise<RelayMirrorEntry | undefined>;
  remove(guid: string, username: string): Promise<void>;
  /** Entries of one kind, in the order they were first seen, for the local-store pages. */
  list(guid: string, kind: RelayEntryKind, offset: number, limit: number): Promise<RelayMirrorEntry[]>;
  count(guid: string, kind: RelayEntryKind): Promise<number>;
  /** Contacts carrying any of the label ids, in the order they were first seen. */
  withLabels(guid: string, labelIds: readonly number[]): Promise<RelayMirrorEntry[]>;
  /** Every label id some entry carries, ascending. */
  labelIds(guid: string): Promise<number[]>;
  /** Replaces a room's member list. */
  setRoomMembers(guid: string, room: string, members: readonly RelayRoomMember[]): Promise<void>;
  roomMembers(guid: string, room: string, offset: number, limit: number): Promise<RelayRoomMember[]>;
  countRoomMembers(guid: string, room: string): Promise<number>;
  /** Stores a message once (a repeat of the same msg_id is ignored, except a callback completing a send known from its answer). */
  addMessage(message: RelayMessage): Promise<void>;
  /**
   * Stores a message a callback brought, as addMessage does, and answers whether no callback had brought this msg_id
   * before: the message row is the callbacks' dedup record for messages (one known only from a send's answer is new).
   */
  takeInMessage(message: RelayMessage): Promise<boolean>;
  /** Messages of an instance with seq > afterSeq, oldest first. */
  messages(guid: string, query: RelayMessageQuery): Promise<RelayArchivedMessage[]>;
  /** One archived message by its msg_id (unique per instance, so one indexed read). */
  message(guid: string, msgId: string): Promise<RelayArchivedMessage | undefined>;
}

export interface RelayRepository {
  readonly mappings: RelayMappingRepository;
  readonly dedup: RelayDedupRepository;
  readonly mirror: RelayMirrorRepository;
}
