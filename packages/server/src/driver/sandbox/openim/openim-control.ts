// The /sandbox/openim/* control: corporations and their WeCom people (world people with …@openim usernames and a
// contact card), an account's phone adding one through the card's ticket, and OpenIM room membership (1204).
import { ApiError, invalidField, NOTIFY_TYPES, wechatRefusal, type Modules, type RequestOf, type ResponseOf } from '@wxgate/contract';
import type { SandboxOpenImRoom, SandboxPerson } from '../../../storage/sandbox-ports.ts';
import { CARD_URL_PREFIX, openImContact, openImRoomObject, requireOpenImRoom, requireWeComPerson } from './openim-objects.ts';
import type { WorldChange } from '../world.ts';

type Sandbox = Modules['sandbox'];
type Req<P extends keyof Sandbox> = RequestOf<Sandbox[P]>;
type Res<P extends keyof Sandbox> = ResponseOf<Sandbox[P]>;

/** Adding through a WeCom card is add scene 30 (QR code). */
const CARD_SCENE = 30;

export async function createCorporation(change: WorldChange, req: Req<'/sandbox/openim/create_corp'>): Promise<Res<'/sandbox/openim/create_corp'>> {
  const corpId = 'ww' + change.ids.verifyTicket().slice(0, 16);
  const openimAppid = String(3_000_000_000 + (Number.parseInt(change.ids.verifyTicket().slice(0, 8), 16) % 1_000_000_000));
  const wordingId = change.ids.verifyTicket();
  await change.world.openim.insertCorporation({
    appId: change.appId, corpId, name: req.name, fullName: req.full_name ?? req.name, openimAppid, wordingId, createdAt: change.now,
  });
  return { corp_id: corpId, appid: openimAppid, wording_id: wordingId };
}

export async function createWeComPerson(change: WorldChange, req: Req<'/sandbox/openim/create_person'>): Promise<Res<'/sandbox/openim/create_person'>> {
  const corp = await change.world.openim.corporation(change.appId, req.corp_id);
  if (!corp) throw new ApiError('SANDBOX_CORPORATION_NOT_FOUND', `no corporation ${req.corp_id} in your app's sandbox world`, { corp_id: req.corp_id });
  let username: string;
  // WeCom people's usernames are 1688 + digits @openim.
  do username = `1688${change.ids.msgId().padStart(19, '0').slice(-12)}@openim`;
  while (await change.world.people.get(change.appId, username));
  const avatar = req.avatar_url ?? `https://wework.qpic.cn/wwhead/${change.ids.avatarToken()}`;
  const person: SandboxPerson = {
    appId: change.appId, wxid: username, alias: '', nickname: req.nickname, sex: req.sex ?? 0, signature: '', country: 'CN', province: '', city: '',
    phone: '', qq: '', bigHeadImgUrl: req.avatar_url ?? `${avatar}/0`, smallHeadImgUrl: req.avatar_url ?? `${avatar}/100`, needsVerification: false,
    kind: 'simulated', createdAt: change.now,
  };
  await change.world.people.insert(person);
  const qrToken = change.ids.avatarToken().slice(0, 24);
  await change.world.openim.insertProfile({
    appId: change.appId, username, corpId: corp.corpId, realName: req.real_name ?? '', position: req.position ?? '', qrToken,
    cardBlocked: req.card_blocked ?? false, createdAt: change.now,
  });
  return { username, qr_url: CARD_URL_PREFIX + qrToken, corp_id: corp.corpId };
}

export async function addOpenImContact(change: WorldChange, req: Req<'/sandbox/openim/add_contact'>): Promise<Res<'/sandbox/openim/add_contact'>> {
  const adder = await change.requirePerson(req.wxid);
  const wecom = await requireWeComPerson(change, req.username);
  if (wecom.profile.cardBlocked) throw wechatRefusal('OPENIM_CARD_BLOCKED', -24, `the card of ${req.username} is blocked (ret -24)`);
  const issued = await change.world.strangerTickets.get(change.appId, adder.wxid, req.username);
  if (!issued || issued.ticket !== req.ticket || issued.expiresAt <= change.now) {
    throw wechatRefusal('FRIEND_TICKET_INVALID', -48, `the ticket is not the newest one /openim/search_openim_contact gave ${adder.wxid} for ${req.username}, or it expired (ret -48)`);
  }
  if (await change.world.contacts.get(change.appId, adder.wxid, req.username)) return { added: false };
  const entry = await change.world.contacts.add({
    appId: change.appId, ownerWxid: adder.wxid, contactWxid: req.username, remark: '', pinned: false, addScene: CARD_SCENE, createdAt: change.now,
  });
  // The WeCom side has the account too, so messages go both ways.
  await change.world.contacts.add({
    appId: change.appId, ownerWxid: req.username, contactWxid: adder.wxid, remark: '', pinned: false, addScene: CARD_SCENE, createdAt: change.now,
  });
  await change.emitToAccount(adder.wxid, NOTIFY_TYPES.OpenImContactAdd, openImContact(wecom, entry));
  return { added: true };
}

/** 1204 to every logged-in WeChat member (and whoever just left): the room as it is now and what changed. */
async function notifyMembership(change: WorldChange, room: SandboxOpenImRoom, changeType: 'create' | 'join' | 'leave', usernames: readonly string[]): Promise<void> {
  const current = (await change.world.openim.room(change.appId, room.roomUsername))!;
  const members = await change.world.openim.members(change.appId, room.roomUsername);
  const data = { ...openImRoomObject(current, members.length), changeType, changedUsernames: [...usernames] };
  const audience = new Set([...members.map((m) => m.username), ...(changeType === 'leave' ? usernames : [])]);
  for (const username of audience) await change.emitToAccount(username, NOTIFY_TYPES.OpenImRoomContactChange, data);
}

export async function createOpenImRoom(change: WorldChange, req: Req<'/sandbox/openim/room_create'>): Promise<Res<'/sandbox/openim/room_create'>> {
  const owner = await requireWeComPerson(change, req.owner_username);
  const others = [...new Set(req.member_usernames)].filter((u) => u !== owner.person.wxid);
  if (others.length === 0) throw invalidField('member_usernames', 'name at least one member besides the owner');
  for (const username of others) await change.requirePerson(username);
  let roomUsername: string;
  do roomUsername = change.ids.roomId().replace(/@chatroom$/, '@im.chatroom');
  while (await change.world.openim.room(change.appId, roomUsername));
  const room: SandboxOpenImRoom = { appId: change.appId, roomUsername, name: req.name ?? '', ownerUsername: owner.person.wxid, version: 0, createdAt: change.now };
  await change.world.openim.insertRoom(room);
  let version = 0;
  for (const username of [owner.person.wxid, ...others]) version = await change.world.openim.addMember(change.appId, roomUsername, username, change.now);
  await notifyMembership(change, room, 'create', others);
  return { room_username: roomUsername, member_count: others.length + 1, version };
}

export async function joinOpenImRoom(change: WorldChange, req: Req<'/sandbox/openim/room_join'>): Promise<Res<'/sandbox/openim/room_join'>> {
  const room = await requireOpenImRoom(change, req.room_username);
  await change.requirePerson(req.username);
  if ((await change.world.openim.members(change.appId, room.roomUsername)).some((m) => m.username === req.username)) {
    throw wechatRefusal('ALREADY_ROOM_MEMBER', -2, `${req.username} is already a member of ${room.roomUsername} (ret -2)`);
  }
  const version = await change.world.openim.addMember(change.appId, room.roomUsername, req.username, change.now);
  await notifyMembership(change, room, 'join', [req.username]);
  return { member_count: (await change.world.openim.members(change.appId, room.roomUsername)).length, version };
}

export async function leaveOpenImRoom(change: WorldChange, req: Req<'/sandbox/openim/room_leave'>): Promise<Res<'/sandbox/openim/room_leave'>> {
  const room = await requireOpenImRoom(change, req.room_username);
  if (!(await change.world.openim.members(change.appId, room.roomUsername)).some((m) => m.username === req.username)) {
    throw wechatRefusal('ROOM_MEMBER_NOT_FOUND', -2, `${req.username} is not a member of ${room.roomUsername} (ret -2)`);
  }
  if (req.username === room.ownerUsername) throw invalidField('username', 'the owner cannot leave an OpenIM room');
  const version = await change.world.openim.removeMember(change.appId, room.roomUsername, req.username);
  await notifyMembership(change, room, 'leave', [req.username]);
  return { member_count: (await change.world.openim.members(change.appId, room.roomUsername)).length, version };
}
