// The storage port of the sandbox world: people, their one-way contact entries, stranger tickets, friend requests
// and each instance's login session, all partitioned by app (every app has its own world).

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
}

export type NewSandboxContactEntry = Omit<SandboxContactEntry, 'seq'>;

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

export interface SandboxLoginSessionRepository {
  get(guid: string): Promise<SandboxLoginSession | undefined>;
  put(session: SandboxLoginSession): Promise<void>;
}

export interface SandboxWorldRepository {
  readonly people: SandboxPeopleRepository;
  readonly contacts: SandboxContactRepository;
  readonly strangerTickets: SandboxStrangerTicketRepository;
  readonly friendRequests: SandboxFriendRequestRepository;
  readonly loginSessions: SandboxLoginSessionRepository;
  /** Removes the app's whole world (people, contacts, tickets, requests, login sessions); returns how many people went. */
  reset(appId: string): Promise<number>;
}
