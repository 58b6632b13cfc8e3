// The storage port of the sandbox world: people, their one-way contact entries, stranger tickets, friend requests
// and each instance's login session, all partitioned by app (every app has its own world).
import type { SandboxMessageRepository } from './sandbox-message-ports.ts';
import type { SandboxOpenImRepository } from './sandbox-openim-ports.ts';
import type { SandboxThirdPartyAppRepository } from './sandbox-thirdparty-ports.ts';

export type * from './sandbox-message-ports.ts';
export type * from './sandbox-openim-ports.ts';
export type * from './sandbox-thirdparty-ports.ts';

/** Someone in the simulated network: an account that logs into one of the app's instances, or a simulated person. */
export interface SandboxPerson {
  readonly appId: string;
  readonly wxid: string;
  /** The WeChat id (微信号); "" when none. */
  readonly alias: string;
  readonly nickname: string;
  /** 0 unknown, 1 male, 2 female */
  readonly sex: number;
  readonly signature: string;
  readonly country: string;
  readonly province: string;
  readonly city: string;
  readonly phone: string;
  readonly qq: string;
  readonly bigHeadImgUrl: string;
  readonly smallHeadImgUrl: string;
  /** WeChat's 加我为朋友时需要验证: false = adding this person makes friends at once. */
  readonly needsVerification: boolean;
  readonly kind: 'account' | 'simulated';
  /** unix ms */
  readonly createdAt: number;
}

export type SandboxPersonPatch = Partial<Pick<SandboxPerson, 'kind'>>;

/** The fields a person can be found by (search_contact and the uniqueness checks). */
export type SandboxPersonKey = 'wxid' | 'alias' | 'phone' | 'qq';

/** One entry of `owner`'s contact list; friendship is two of them, and deleting removes only one. */
export interface SandboxContactEntry {
  readonly appId: string;
  readonly ownerWxid: string;
  readonly contactWxid: string;
  readonly remark: string;
  /** 置顶 (pinned chat) */
  readonly pinned: boolean;
  /** How the contact was added (3 WeChat id, 15 phone, 14 room, 17 card, 30 QR, …). */
  readonly addScene: number;
  /** InitContact cursor: assigned when the entry is created, strictly increasing, never reused. */
  readonly seq: number;
  readonly createdAt: number;
  /** The owner's labels (标签) on this contact, ascending; they go with the entry when it is removed. */
  readonly labelIds: readonly number[];
}

export type NewSandboxContactEntry = Omit<SandboxContactEntry, 'seq' | 'labelIds'>;

/** What `viewer` was shown of a stranger: a stable v3 name and the newest v4 antispam ticket. */
export interface SandboxStrangerTicket {
  readonly appId: string;
  readonly viewerWxid: string;
  readonly targetWxid: string;
  /** v3_…@stranger, stable per (viewer, target) */
  readonly encryptUsername: string;
  /** v4_…@stranger, replaced on every search */
  readonly ticket: string;
  /** unix ms */
  readonly expiresAt: number;
}

/** A friend request; a newer one between the same two people replaces the older. */
export interface SandboxFriendRequest {
  readonly appId: string;
  readonly fromWxid: string;
  readonly toWxid: string;
  /** The sender as the receiver sees them (v3_…@stranger). */
  readonly encryptUsername: string;
  /** v4_…@stranger, the ticket verify_friend opcode 3 needs. */
  readonly ticket: string;
  readonly verifyContent: string;
  readonly scene: number;
  readonly state: 'pending' | 'accepted';
  readonly createdAt: number;
  readonly expiresAt: number;
}

/** 0 waiting for scan, 1 scanned, 2 confirmed, 4 cancelled/expired/failed (check_login_qrcode). */
export type SandboxQrStatus = 0 | 1 | 2 | 4;

/** An instance's side of logging in: the current QR (or pushed) login, the last account, and session faults. */
export interface SandboxLoginSession {
  readonly guid: string;
  readonly appId: string;
  /** The current login attempt; null when none was started since the last logout. */
  readonly attempt: SandboxLoginAttempt | null;
  /** The last account that logged in here (push_login_url asks this person's phone). */
  readonly lastWxid: string | null;
  /** Set by a sync failure (2006); restore_client clears it. */
  readonly syncFailed: boolean;
}

export interface SandboxLoginAttempt {
  readonly kind: 'qr' | 'push';
  /** Login session id; also the token in http://weixin.qq.com/x/<uuid>. */
  readonly uuid: string;
  readonly status: SandboxQrStatus;
  readonly scannerWxid: string | null;
  /** Device verification: the ticket in auth_url and the pin the phone shows. */
  readonly verifyTicket: string | null;
  readonly verifyPin: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface SandboxPeopleRepository {
  insert(person: SandboxPerson): Promise<void>;
  get(appId: string, wxid: string): Promise<SandboxPerson | undefined>;
  findBy(appId: string, key: SandboxPersonKey, value: string): Promise<SandboxPerson | undefined>;
  /** Oldest first. */
  list(appId: string, offset: number, limit: number): Promise<SandboxPerson[]>;
  count(appId: string): Promise<number>;
  /** Which of `nicknames` someone in the app's world has. */
  nicknamesIn(appId: string, nicknames: readonly string[]): Promise<string[]>;
  /** The nicknames in use that start with `prefix` (the prefix itself included), for numbering a taken one. */
  nicknamesStartingWith(appId: string, prefix: string): Promise<string[]>;
  update(appId: string, wxid: string, patch: SandboxPersonPatch): Promise<void>;
}

export interface SandboxContactRepository {
  /** Adds `entry`, or keeps the existing one (and its seq); returns what is stored. */
  add(entry: NewSandboxContactEntry): Promise<SandboxContactEntry>;
  get(appId: string, ownerWxid: string, contactWxid: string): Promise<SandboxContactEntry | undefined>;
  update(appId: string, ownerWxid: string, contactWxid: string, patch: Partial<Pick<SandboxContactEntry, 'remark' | 'pinned'>>): Promise<void>;
  /** true when there was an entry to remove. */
  remove(appId: string, ownerWxid: string, contactWxid: string): Promise<boolean>;
  /** Entries with seq > afterSeq, in seq order. */
  page(appId: string, ownerWxid: string, afterSeq: number, limit: number): Promise<SandboxContactEntry[]>;
  count(appId: string, ownerWxid: string): Promise<number>;
}

export interface SandboxStrangerTicketRepository {
  /** Stores a new v4 ticket for (viewer, target), keeping the v3 name the viewer already knows, if any. */
  issue(ticket: SandboxStrangerTicket): Promise<SandboxStrangerTicket>;
  get(appId: string, viewerWxid: string, targetWxid: string): Promise<SandboxStrangerTicket | undefined>;
  /** Who a v3 name shown to `viewer` stands for. */
  byEncryptUsername(appId: string, viewerWxid: string, encryptUsername: string): Promise<SandboxStrangerTicket | undefined>;
}

export interface SandboxFriendRequestRepository {
  put(request: SandboxFriendRequest): Promise<void>;
  get(appId: string, fromWxid: string, toWxid: string): Promise<SandboxFriendRequest | undefined>;
  setState(appId: string, fromWxid: string, toWxid: string, state: SandboxFriendRequest['state']): Promise<void>;
}

/** Who is logged in on an instance, as the world sees it: what every call made as the account checks first. */
export interface SandboxAccountView {
  /** The account the instance is logged in on, or null. */
  readonly loginWxid: string | null;
  /** The instance's session has a sync failure (2006) that restore_client has not cleared. */
  readonly syncFailed: boolean;
  /** That account in the app's world; undefined when logged out, or when the world was reset under the login. */
  readonly person: SandboxPerson | undefined;
}

export interface SandboxLoginSessionRepository {
  get(guid: string): Promise<SandboxLoginSession | undefined>;
  put(session: SandboxLoginSession): Promise<void>;
  /** The instance's login, session state and person in `appId`'s world, read together; undefined for no such instance. */
  account(appId: string, guid: string): Promise<SandboxAccountView | undefined>;
}

export interface SandboxWorldRepository {
  readonly people: SandboxPeopleRepository;
  readonly contacts: SandboxContactRepository;
  readonly strangerTickets: SandboxStrangerTicketRepository;
  readonly friendRequests: SandboxFriendRequestRepository;
  readonly loginSessions: SandboxLoginSessionRepository;
  readonly messages: SandboxMessageRepository;
  readonly rooms: SandboxRoomRepository;
  readonly labels: SandboxLabelRepository;
  readonly moments: SandboxMomentRepository;
  readonly deviceLogins: SandboxDeviceLoginRepository;
  readonly thirdPartyApps: SandboxThirdPartyAppRepository;
  readonly openim: SandboxOpenImRepository;
  /** Removes the app's whole world (people, contacts, tickets, requests, login sessions); returns how many people went. */
  reset(appId: string): Promise<number>;
}

// ── rooms, labels, moments ───────────────────────────────────────────────────────────────────────────

/** A group chat (…@chatroom). */
export interface SandboxRoom {
  readonly appId: string;
  readonly roomId: string;
  /** The topic; "" until someone names it (WeChat then shows the members' names). */
  readonly name: string;
  readonly ownerWxid: string;
  readonly announcement: string;
  readonly announcementEditor: string;
  /** unix ms; 0 when never set. */
  readonly announcementAt: number;
  /** chatroomVersion / serverVersion: bumped by every change of the member list or a member's room data. */
  readonly version: number;
  /** chatRoomInfoVersion: bumped when the name or announcement changes. */
  readonly infoVersion: number;
  /** When the current room QR code was issued (unix ms); null before the first. */
  readonly qrcodeIssuedAt: number | null;
  readonly createdAt: number;
}

export type SandboxRoomPatch = Partial<Pick<SandboxRoom,
  'name' | 'ownerWxid' | 'announcement' | 'announcementEditor' | 'announcementAt' | 'version' | 'infoVersion' | 'qrcodeIssuedAt'>>;

/** One member of a room, with the member's own settings for it. */
export interface SandboxRoomMember {
  readonly appId: string;
  readonly roomId: string;
  readonly wxid: string;
  /** The member's nickname in this room (群昵称); "" when not set. */
  readonly displayName: string;
  /** Who added or invited the member (the creator for the first members). */
  readonly inviterWxid: string;
  /** 群管理员 */
  readonly admin: boolean;
  /** The member's flags: 显示群成员昵称, 折叠, 免打扰, 置顶. */
  readonly showNames: boolean;
  readonly folded: boolean;
  readonly muted: boolean;
  readonly pinned: boolean;
  /** 保存到通讯录: the InitContact cursor of the saved room, null when not saved. */
  readonly savedSeq: number | null;
  readonly joinedAt: number;
}

export type NewSandboxRoomMember = Omit<SandboxRoomMember, 'savedSeq'>;
export type SandboxRoomMemberPatch = Partial<Pick<SandboxRoomMember, 'displayName' | 'admin' | 'showNames' | 'folded' | 'muted' | 'pinned'>>;

/** An invitation card sent to someone for a room; joining completes it. */
export interface SandboxRoomInvite {
  readonly appId: string;
  readonly roomId: string;
  readonly inviteeWxid: string;
  readonly inviterWxid: string;
  readonly createdAt: number;
}

/** A pinned message of a room (set_top_msg), as the request described it. */
export interface SandboxRoomTopMsg {
  readonly appId: string;
  readonly roomId: string;
  readonly msgId: string;
  readonly summary: string;
  /** The ChatMsgModel the request carried. */
  readonly msgInfo: Record<string, unknown>;
  readonly operatorWxid: string;
  readonly createdAt: number;
}

export interface SandboxRoomRepository {
  insert(room: SandboxRoom): Promise<void>;
  get(appId: string, roomId: string): Promise<SandboxRoom | undefined>;
  update(appId: string, roomId: string, patch: SandboxRoomPatch): Promise<void>;
  /** Removes the room with its members, saved entries, invitations and pinned messages. */
  remove(appId: string, roomId: string): Promise<void>;
  /** In the order they joined. */
  members(appId: string, roomId: string): Promise<SandboxRoomMember[]>;
  member(appId: string, roomId: string, wxid: string): Promise<SandboxRoomMember | undefined>;
  memberCount(appId: string, roomId: string): Promise<number>;
  addMember(member: NewSandboxRoomMember): Promise<void>;
  updateMember(appId: string, roomId: string, wxid: string, patch: SandboxRoomMemberPatch): Promise<void>;
  /** Removes the member and their saved entry. */
  removeMember(appId: string, roomId: string, wxid: string): Promise<void>;
  /** 保存到通讯录 on (a new cursor, so init_contact pages see it once) or off. */
  setSaved(appId: string, roomId: string, wxid: string, saved: boolean): Promise<void>;
  /** Rooms `wxid` saved, with cursor > afterSeq, in cursor order. */
  savedPage(appId: string, wxid: string, afterSeq: number, limit: number): Promise<Array<{ readonly seq: number; readonly roomId: string }>>;
  putInvite(invite: SandboxRoomInvite): Promise<void>;
  invite(appId: string, roomId: string, inviteeWxid: string): Promise<SandboxRoomInvite | undefined>;
  removeInvite(appId: string, roomId: string, inviteeWxid: string): Promise<void>;
  /** Pins (or re-pins) a message. */
  putTopMsg(pin: SandboxRoomTopMsg): Promise<void>;
  /** true when the message was pinned. */
  removeTopMsg(appId: string, roomId: string, msgId: string): Promise<boolean>;
  /** Oldest pin first. */
  topMsgs(appId: string, roomId: string): Promise<SandboxRoomTopMsg[]>;
}

/** A contact label (标签) of one person. */
export interface SandboxLabel {
  readonly appId: string;
  readonly ownerWxid: string;
  readonly labelId: number;
  readonly name: string;
}

export interface SandboxLabelRepository {
  /** The owner's labels by id. */
  list(appId: string, ownerWxid: string): Promise<SandboxLabel[]>;
  get(appId: string, ownerWxid: string, labelId: number): Promise<SandboxLabel | undefined>;
  byName(appId: string, ownerWxid: string, name: string): Promise<SandboxLabel | undefined>;
  /** A new label with the next id: ids start at 1 and are never reused, even after a deletion. */
  create(appId: string, ownerWxid: string, name: string): Promise<SandboxLabel>;
  rename(appId: string, ownerWxid: string, labelId: number, name: string): Promise<void>;
  /** Deletes the label and takes it off every contact; answers those contacts. */
  remove(appId: string, ownerWxid: string, labelId: number): Promise<string[]>;
  /** Replaces the labels the owner put on one contact. */
  setContactLabels(appId: string, ownerWxid: string, contactWxid: string, labelIds: readonly number[]): Promise<void>;
  /** The owner's contacts carrying any of the labels, in contact-list order. */
  contactsWith(appId: string, ownerWxid: string, labelIds: readonly number[]): Promise<string[]>;
  /** How many contacts carry the label. */
  usage(appId: string, ownerWxid: string, labelId: number): Promise<number>;
}

/** A Moments (朋友圈) post. */
export interface SandboxMoment {
  readonly appId: string;
  /** Timeline order: strictly increasing over the app's world, never reused (paging follows it). */
  readonly seq: number;
  /** The 64-bit object id as a decimal string. */
  readonly objectId: string;
  readonly authorWxid: string;
  /** TimelineObject XML as stored (id, username and createTime filled in). */
  readonly objectDesc: string;
  /** 提醒谁看 */
  readonly withWxids: readonly string[];
  /** Who may see it besides the author; null = every friend. Resolved when posted (labels included). */
  readonly allowedWxids: readonly string[] | null;
  /** Who may not see it (不给谁看), labels resolved when posted. */
  readonly blockedWxids: readonly string[];
  readonly deleted: boolean;
  readonly createdAt: number;
}

export type NewSandboxMoment = Omit<SandboxMoment, 'seq' | 'deleted'>;

/** A like or a comment on a post; ids count up per post from 1. */
export interface SandboxMomentComment {
  readonly appId: string;
  readonly momentSeq: number;
  readonly commentId: number;
  readonly authorWxid: string;
  readonly kind: 'like' | 'comment';
  readonly content: string;
  /** The comment replied to, 0 for none. */
  readonly replyCommentId: number;
  /** Its author, "" for none. */
  readonly replyWxid: string;
  readonly createdAt: number;
}

export type NewSandboxMomentComment = Omit<SandboxMomentComment, 'commentId'>;

export interface SandboxMomentRepository {
  insert(moment: NewSandboxMoment): Promise<SandboxMoment>;
  get(appId: string, objectId: string): Promise<SandboxMoment | undefined>;
  markDeleted(appId: string, objectId: string): Promise<void>;
  /** Posts (not deleted) by any of `authors` with seq < beforeSeq, newest first. */
  page(appId: string, authors: readonly string[], beforeSeq: number, limit: number): Promise<SandboxMoment[]>;
  /** Adds a like or comment with the post's next comment id; answers it. */
  addComment(comment: NewSandboxMomentComment): Promise<SandboxMomentComment>;
  /** Likes and comments of a post, oldest first. */
  comments(appId: string, momentSeq: number): Promise<SandboxMomentComment[]>;
  removeComment(appId: string, momentSeq: number, commentId: number): Promise<void>;
}

/** When an account first logged in on a device (instance): WeChat's new-device risk rules count from it. */
export interface SandboxDeviceLoginRepository {
  /** Records the first login of `wxid` on `guid` (later logins keep the first time); answers it (unix ms). */
  record(appId: string, guid: string, wxid: string, at: number): Promise<number>;
  firstLogin(guid: string, wxid: string): Promise<number | undefined>;
}
