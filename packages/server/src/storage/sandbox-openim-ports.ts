// The storage port of the sandbox world's OpenIM side: WeCom corporations, the WeCom profile of …@openim people, mute
// flags and OpenIM rooms; part of the world repository (sandbox-ports.ts).

/** A WeCom (企业微信) corporation: what personal WeChat shows of it (name, and its resource appid + wording id). */
export interface SandboxCorporation {
  readonly appId: string;
  readonly corpId: string;
  /** Short name shown after a WeCom person's nickname (@腾讯). */
  readonly name: string;
  /** The verified full name (the resource wording). */
  readonly fullName: string;
  /** OpenIM resource appid (get_openim_resource appid, the contact's appId). */
  readonly openimAppid: string;
  /** The contact's descWordingId (get_openim_resource wording_id). */
  readonly wordingId: string;
  readonly createdAt: number;
}

/**
 * The WeCom side of a person whose username ends in @openim; the person itself is a world person (people
 * repository), so contact entries and messages work for them as for anyone.
 */
export interface SandboxWeComProfile {
  readonly appId: string;
  readonly username: string;
  readonly corpId: string;
  readonly realName: string;
  readonly position: string;
  /** The token of the contact card QR URL https://work.weixin.qq.com/u/<token>. */
  readonly qrToken: string;
  /** The card is blocked (封了): it can no longer add people. */
  readonly cardBlocked: boolean;
  readonly createdAt: number;
}

/** An OpenIM room (…@im.chatroom): an external group mixing WeChat and WeCom members. */
export interface SandboxOpenImRoom {
  readonly appId: string;
  readonly roomUsername: string;
  readonly name: string;
  readonly ownerUsername: string;
  /** Member-list version: bumped by every membership change. */
  readonly version: number;
  readonly createdAt: number;
}

export interface SandboxOpenImRoomMember {
  readonly username: string;
  readonly joinedAt: number;
}

export interface SandboxOpenImRepository {
  insertCorporation(corp: SandboxCorporation): Promise<void>;
  corporation(appId: string, corpId: string): Promise<SandboxCorporation | undefined>;
  corporationByResource(appId: string, openimAppid: string, wordingId: string): Promise<SandboxCorporation | undefined>;
  insertProfile(profile: SandboxWeComProfile): Promise<void>;
  profile(appId: string, username: string): Promise<SandboxWeComProfile | undefined>;
  profileByQrToken(appId: string, qrToken: string): Promise<SandboxWeComProfile | undefined>;
  /** 免打扰 of an account on an OpenIM contact. */
  muted(appId: string, ownerWxid: string, username: string): Promise<boolean>;
  setMuted(appId: string, ownerWxid: string, username: string, muted: boolean): Promise<void>;
  /** The @openim usernames in `ownerWxid`'s contact list, in the order they were added. */
  contactsOf(appId: string, ownerWxid: string): Promise<string[]>;
  insertRoom(room: SandboxOpenImRoom): Promise<void>;
  room(appId: string, roomUsername: string): Promise<SandboxOpenImRoom | undefined>;
  /** Rooms `username` is a member of, oldest first. */
  roomsOf(appId: string, username: string): Promise<SandboxOpenImRoom[]>;
  /** In joining order. */
  members(appId: string, roomUsername: string): Promise<SandboxOpenImRoomMember[]>;
  /** Adds or removes a member and bumps the room's version; answers the new version. */
  addMember(appId: string, roomUsername: string, username: string, at: number): Promise<number>;
  removeMember(appId: string, roomUsername: string, username: string): Promise<number>;
}
