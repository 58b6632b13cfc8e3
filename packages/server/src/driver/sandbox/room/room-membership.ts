// Room membership as WeChat runs it: creating, adding, removing, leaving and dissolving, the limits and roles that
// govern them, the version bumps, and what every logged-in member's instance hears — inside the caller's change.
import { createHash } from 'node:crypto';
import { invalidField, MSG_TYPES, NOTIFY_TYPES, wechatRefusal } from '@wxgate/contract';
import type { SandboxPerson, SandboxRoom, SandboxRoomMember } from '../../../storage/sandbox-ports.ts';
import { msgSource } from '../msg/msg-xml.ts';
import {
  roomContactObject, roomLines, roomMsg, roomNotice, ROOM_MEMBER_LIMIT, type RoomMemberView,
} from './room-objects.ts';
import type { WorldChange } from '../world.ts';

/** At creation WeChat wants at least two others besides the creator. */
export const MIN_OTHERS_AT_CREATION = 2;

/** A room as it stands: the record and its members (with the people), in joining order. */
export interface LoadedRoom {
  readonly room: SandboxRoom;
  readonly members: readonly RoomMemberView[];
}

/** A callback for one member: notify type and data. */
type Notice = readonly [number, unknown];

const nicknames = (people: readonly SandboxPerson[]) => people.map((p) => p.nickname);

export async function loadRoom(change: WorldChange, roomId: string): Promise<LoadedRoom> {
  const room = await change.world.rooms.get(change.appId, roomId);
  if (!room) throw wechatRefusal('ROOM_NOT_FOUND', -21, `no room ${roomId} (WeChat ret -21); room ids look like 12345678901@chatroom`);
  const members: RoomMemberView[] = [];
  for (const member of await change.world.rooms.members(change.appId, roomId)) {
    members.push({ member, person: await change.requirePerson(member.wxid) });
  }
  return { room, members };
}

export const findMember = (loaded: LoadedRoom, wxid: string): RoomMemberView | undefined => loaded.members.find((m) => m.member.wxid === wxid);

/** The account's own membership, or WeChat's "not a member" (-21). */
export function requireMembership(loaded: LoadedRoom, me: SandboxPerson): SandboxRoomMember {
  const mine = findMember(loaded, me.wxid);
  if (!mine) throw wechatRefusal('NOT_ROOM_MEMBER', -21, `${me.wxid} is not a member of ${loaded.room.roomId} (WeChat ret -21); it was removed or left`);
  return mine.member;
}

export function requireOwner(loaded: LoadedRoom, wxid: string, what: string): void {
  if (loaded.room.ownerWxid !== wxid) {
    throw wechatRefusal('NOT_ROOM_OWNER', -66, `only the owner of ${loaded.room.roomId} (${loaded.room.ownerWxid}) can ${what} (WeChat ret -66)`);
  }
}

export function requireAdmin(loaded: LoadedRoom, member: SandboxRoomMember, what: string): void {
  if (loaded.room.ownerWxid !== member.wxid && !member.admin) {
    throw wechatRefusal('NOT_ROOM_ADMIN', -66, `only the owner or an admin of ${loaded.room.roomId} can ${what} (WeChat ret -66)`);
  }
}

/** Members named in a request, or WeChat's "not a member" for the first who is not (-2). */
export function requireMembers(loaded: LoadedRoom, wxids: readonly string[]): RoomMemberView[] {
  return wxids.map((wxid) => {
    const found = findMember(loaded, wxid);
    if (!found) throw wechatRefusal('ROOM_MEMBER_NOT_FOUND', -2, `${wxid} is not a member of ${loaded.room.roomId} (WeChat ret -2)`);
    return found;
  });
}

/** People named in a request (each once), or WeChat's "no such user" for the first unknown one. */
export async function requirePeople(change: WorldChange, usernames: readonly string[], field: string): Promise<SandboxPerson[]> {
  if (new Set(usernames).size !== usernames.length) throw invalidField(field, 'each username may appear only once');
  const people: SandboxPerson[] = [];
  for (const username of usernames) {
    const person = await change.person(username);
    if (!person) throw wechatRefusal('WECHAT_USER_NOT_FOUND', -4, `no WeChat user ${username} (ret -4)`);
    people.push(person);
  }
  return people;
}

/** WeChat lets people bring only their own contacts into a room. */
export async function requireContactsOf(change: WorldChange, owner: SandboxPerson, people: readonly SandboxPerson[]): Promise<void> {
  for (const person of people) {
    if (!(await change.world.contacts.get(change.appId, owner.wxid, person.wxid))) {
      throw wechatRefusal('NOT_IN_CONTACTS', -4, `${person.wxid} is not in ${owner.wxid}'s contact list; only friends can be brought into a room (WeChat ret -4)`);
    }
  }
}

/** Refuses what would push the room past WeChat's 500 members, or bring in someone already there. */
export function requireRoomFor(loaded: LoadedRoom, people: readonly SandboxPerson[]): void {
  for (const person of people) {
    if (findMember(loaded, person.wxid)) throw wechatRefusal('ALREADY_ROOM_MEMBER', -2, `${person.wxid} is already a member of ${loaded.room.roomId}`);
  }
  const after = loaded.members.length + people.length;
  if (after > ROOM_MEMBER_LIMIT) {
    throw wechatRefusal('ROOM_FULL', -23, `${loaded.room.roomId} has ${loaded.members.length} members; ${people.length} more would pass WeChat's ${ROOM_MEMBER_LIMIT} (ret -23)`);
  }
}

/** Which instance each logged-in member of the room is on: O(members). */
function onlineMembers(change: WorldChange, loaded: LoadedRoom): Promise<Map<string, string>> {
  return change.instancesOf(loaded.members.map((m) => m.person.wxid));
}

/** A system line (msg_type 10000) in the room, as one member reads it. */
export function systemLine(change: WorldChange, loaded: LoadedRoom, to: string, text: string): Notice {
  const msgId = change.msgId();
  // An opaque per-message signature, as every <msgsource> carries one.
  const signature = `v1_${createHash('sha256').update(msgId).digest('base64url').slice(0, 8)}`;
  return [NOTIFY_TYPES.NewMsg, roomMsg({
    msgId,
    room: loaded.room.roomId,
    to,
    sender: '',
    msgType: MSG_TYPES.System,
    content: text,
    desc: '',
    source: msgSource({ memberCount: loaded.members.length, signature }),
    now: change.now,
  })];
}

/**
 * Tells `wxids` (the room's members when omitted) about the room as it now stands: each logged-in one gets their
 * 1200 (the room contact with its new version), then the notices `noticesFor` gives them.
 */
export async function tellMembers(change: WorldChange, loaded: LoadedRoom, noticesFor: (member: RoomMemberView) => Notice[]): Promise<void> {
  const online = await onlineMembers(change, loaded);
  for (const view of loaded.members) {
    const guid = online.get(view.member.wxid);
    if (!guid) continue;
    change.emit(guid, NOTIFY_TYPES.ModContact, roomContactObject(loaded.room, loaded.members, view.member));
    for (const [notifyType, data] of noticesFor(view)) change.emit(guid, notifyType, data);
  }
}

/**
 * Tells one person about the room: their 1200 (as a member sees it, or as an outsider — isInChatRoom 0 — once they
 * are out), then `notices`.
 */
export async function tellPerson(change: WorldChange, loaded: LoadedRoom, wxid: string, notices: readonly Notice[] = []): Promise<void> {
  const guid = await change.instanceOf(wxid);
  if (!guid) return;
  change.emit(guid, NOTIFY_TYPES.ModContact, roomContactObject(loaded.room, loaded.members, findMember(loaded, wxid)?.member));
  for (const [notifyType, data] of notices) change.emit(guid, notifyType, data);
}

/** Bumps the member-list version (and the info version when the name or announcement changed); answers the room anew. */
export async function bumpVersions(change: WorldChange, roomId: string, what: { members?: boolean; info?: boolean }): Promise<LoadedRoom> {
  const room = (await change.world.rooms.get(change.appId, roomId))!;
  await change.world.rooms.update(change.appId, roomId, {
    ...(what.members ? { version: room.version + 1 } : {}),
    ...(what.info ? { infoVersion: room.infoVersion + 1 } : {}),
  });
  return loadRoom(change, roomId);
}

async function insertMembers(change: WorldChange, roomId: string, people: readonly SandboxPerson[], inviter: string): Promise<void> {
  for (const person of people) {
    await change.world.rooms.addMember({
      appId: change.appId, roomId, wxid: person.wxid, displayName: '', inviterWxid: inviter, admin: false,
      showNames: false, folded: false, muted: false, pinned: false, joinedAt: change.now,
    });
  }
}

/**
 * `owner` creates a room with `others` (at least two, all the owner's contacts). Everyone gets 1200, 1042 RoomAdd and
 * the line "你邀请…" (the owner) or "\"owner\"邀请你和…加入了群聊" (the others).
 */
export async function createRoom(change: WorldChange, owner: SandboxPerson, others: readonly SandboxPerson[], name: string): Promise<LoadedRoom> {
  if (others.some((p) => p.wxid === owner.wxid)) throw invalidField('username_list', 'the creator is in the room anyway; list only the others');
  if (others.length < MIN_OTHERS_AT_CREATION) {
    throw invalidField('username_list', `WeChat creates a room with at least ${MIN_OTHERS_AT_CREATION} others besides the creator`);
  }
  if (others.length + 1 > ROOM_MEMBER_LIMIT) throw wechatRefusal('ROOM_FULL', -23, `a room holds at most ${ROOM_MEMBER_LIMIT} members (ret -23)`);
  await requireContactsOf(change, owner, others);
  let roomId: string;
  do roomId = change.ids.roomId();
  while (await change.world.rooms.get(change.appId, roomId));
  await change.world.rooms.insert({
    appId: change.appId, roomId, name, ownerWxid: owner.wxid, announcement: '', announcementEditor: '', announcementAt: 0,
    version: 1, infoVersion: 1, qrcodeIssuedAt: null, createdAt: change.now,
  });
  await insertMembers(change, roomId, [owner, ...others], owner.wxid);
  const loaded = await loadRoom(change, roomId);
  const added = others.map((p) => p.wxid);
  await tellMembers(change, loaded, ({ person }) => [
    [NOTIFY_TYPES.RoomAdd, roomNotice(loaded.room, owner.wxid, added, loaded.members.length, change.now)],
    person.wxid === owner.wxid
      ? systemLine(change, loaded, person.wxid, roomLines.youInvited(nicknames(others)))
      : systemLine(change, loaded, person.wxid, roomLines.invitedYouWith(owner.nickname, nicknames(others.filter((p) => p.wxid !== person.wxid)))),
  ]);
  return loaded;
}

/**
 * `actor` brings `people` into the room (a direct add, or an accepted invitation). Those already there get 1200,
 * 1046 RoomMemberAdd and "\"actor\"邀请…加入了群聊"; the newcomers 1200, 1042 RoomAdd and who else is in the room.
 */
export async function addMembers(change: WorldChange, before: LoadedRoom, actor: SandboxPerson, people: readonly SandboxPerson[]): Promise<LoadedRoom> {
  requireRoomFor(before, people);
  const { roomId } = before.room;
  await insertMembers(change, roomId, people, actor.wxid);
  for (const person of people) await change.world.rooms.removeInvite(change.appId, roomId, person.wxid);
  const loaded = await bumpVersions(change, roomId, { members: true });
  const added = new Set(people.map((p) => p.wxid));
  const addedNames = nicknames(people);
  await tellMembers(change, loaded, ({ person }) => {
    if (!added.has(person.wxid)) {
      return [
        [NOTIFY_TYPES.RoomMemberAdd, roomNotice(loaded.room, actor.wxid, [...added], loaded.members.length, change.now)],
        systemLine(change, loaded, person.wxid, person.wxid === actor.wxid ? roomLines.youInvited(addedNames) : roomLines.invited(actor.nickname, addedNames)),
      ];
    }
    const participants = loaded.members.filter((m) => m.person.wxid !== person.wxid && m.person.wxid !== actor.wxid).map((m) => m.person.nickname);
    return [
      [NOTIFY_TYPES.RoomAdd, roomNotice(loaded.room, actor.wxid, [person.wxid], loaded.members.length, change.now)],
      systemLine(change, loaded, person.wxid, roomLines.invitedYouInto(actor.nickname, participants)),
    ];
  });
  return loaded;
}

/**
 * The owner or an admin removes members. The remaining members get 1200 and 1048 RoomMemberDel (the remover also
 * "你将…移出了群聊"; WeChat tells nobody else); each removed account 1200 (as an outsider), 1044 RoomDelMe and
 * "你被…移出群聊".
 */
export async function removeMembers(change: WorldChange, before: LoadedRoom, actor: SandboxPerson, removed: readonly RoomMemberView[]): Promise<LoadedRoom> {
  const { roomId } = before.room;
  for (const { member } of removed) await change.world.rooms.removeMember(change.appId, roomId, member.wxid);
  const loaded = await bumpVersions(change, roomId, { members: true });
  const wxids = removed.map((r) => r.person.wxid);
  await tellMembers(change, loaded, ({ person }) => [
    [NOTIFY_TYPES.RoomMemberDel, roomNotice(loaded.room, actor.wxid, wxids, loaded.members.length, change.now)],
    ...(person.wxid === actor.wxid ? [systemLine(change, loaded, person.wxid, roomLines.youRemoved(removed.map((r) => r.person.nickname)))] : []),
  ]);
  for (const wxid of wxids) {
    await tellPerson(change, loaded, wxid, [
      [NOTIFY_TYPES.RoomDelMe, roomNotice(loaded.room, actor.wxid, [wxid], loaded.members.length, change.now)],
      systemLine(change, loaded, wxid, roomLines.removedYou(actor.nickname)),
    ]);
  }
  return loaded;
}

/**
 * `me` leaves: 1200 and 1043 RoomQuit for them, 1200 and 1048 for those who stay. An owner who leaves hands the room
 * to the member who joined first after them ("你已成为新群主"); the last member leaving ends the room.
 */
export async function leaveRoom(change: WorldChange, before: LoadedRoom, me: SandboxPerson): Promise<void> {
  const { roomId } = before.room;
  const successor = before.room.ownerWxid === me.wxid ? before.members.find((m) => m.person.wxid !== me.wxid) : undefined;
  await change.world.rooms.removeMember(change.appId, roomId, me.wxid);
  if (before.members.length === 1) {
    await change.world.rooms.remove(change.appId, roomId);
    await tellPerson(change, { room: before.room, members: [] }, me.wxid, [[NOTIFY_TYPES.RoomQuit, roomNotice(before.room, me.wxid, [me.wxid], 0, change.now)]]);
    return;
  }
  if (successor) await change.world.rooms.update(change.appId, roomId, { ownerWxid: successor.person.wxid });
  if (successor?.member.admin) await change.world.rooms.updateMember(change.appId, roomId, successor.person.wxid, { admin: false });
  const loaded = await bumpVersions(change, roomId, { members: true });
  await tellMembers(change, loaded, ({ person }) => [
    [NOTIFY_TYPES.RoomMemberDel, roomNotice(loaded.room, me.wxid, [me.wxid], loaded.members.length, change.now)],
    ...(person.wxid === successor?.person.wxid ? [systemLine(change, loaded, person.wxid, roomLines.youAreOwner())] : []),
  ]);
  await tellPerson(change, loaded, me.wxid, [[NOTIFY_TYPES.RoomQuit, roomNotice(loaded.room, me.wxid, [me.wxid], loaded.members.length, change.now)]]);
}

/** The owner dissolves the room (解散群聊): every logged-in member gets 1045 RoomDisband, and the room is gone. */
export async function dissolveRoom(change: WorldChange, loaded: LoadedRoom, owner: SandboxPerson): Promise<number> {
  requireOwner(loaded, owner.wxid, 'dissolve it');
  const online = await onlineMembers(change, loaded);
  for (const { person } of loaded.members) {
    const guid = online.get(person.wxid);
    if (guid) change.emit(guid, NOTIFY_TYPES.RoomDisband, roomNotice(loaded.room, owner.wxid, loaded.members.map((m) => m.person.wxid), 0, change.now));
  }
  await change.world.rooms.remove(change.appId, loaded.room.roomId);
  return loaded.members.length;
}
