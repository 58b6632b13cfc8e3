// The /openim/* operations of one instance: WeCom (企业微信) contacts found by their card QR URL, their details and
// corporation resource, deleting, muting and pinning them, and the OpenIM rooms (…@im.chatroom) the account is in.
import { invalidField, NOTIFY_TYPES, wechatRefusal } from '@wxgate/contract';
import type { SandboxContactEntry, SandboxOpenImRoom, SandboxPerson } from '../../../storage/sandbox-ports.ts';
import type { DriverOperations } from '../../driver.ts';
import { issueStrangerTicket } from '../contact/friendship.ts';
import {
  localPage, openImContact, openImMember, openImRoomObject, requireOpenImRoom, requireWeComPerson, weComPerson, weComPersonByCard, type WeComPerson,
} from './openim-objects.ts';
import { OK_BASE_RESPONSE } from '../wechat-objects.ts';
import { requireAccount, type World, type WorldChange } from '../world.ts';

/** The account's entry for a WeCom contact, or WeChat's "not in your contacts" (ret -4). */
async function requireOpenImEntry(change: WorldChange, me: SandboxPerson, username: string): Promise<{ wecom: WeComPerson; entry: SandboxContactEntry }> {
  const wecom = await requireWeComPerson(change, username);
  const entry = await change.world.contacts.get(change.appId, me.wxid, username);
  if (!entry) throw wechatRefusal('NOT_IN_CONTACTS', -4, `${username} is not among ${me.wxid}'s WeCom contacts (ret -4); add them through their card first`);
  return { wecom, entry };
}

/**
 * The account drops a WeCom contact (del_openim_contact, or del_friend on an …@openim name): one-sided, like deleting a
 * friend — the WeCom person keeps the account, but their messages are refused now; 1203 with the contact as it was.
 */
export async function removeOpenImContact(change: WorldChange, me: SandboxPerson, username: string): Promise<void> {
  const { wecom, entry } = await requireOpenImEntry(change, me, username);
  await change.world.contacts.remove(change.appId, me.wxid, username);
  await change.world.openim.setMuted(change.appId, me.wxid, username, false);
  await change.emitToAccount(me.wxid, NOTIFY_TYPES.OpenImContactDel, openImContact(wecom, entry));
}

/** The room, with the account a member of it (WeChat ret -21 otherwise). */
async function requireMembership(change: WorldChange, me: SandboxPerson, roomUsername: string): Promise<SandboxOpenImRoom> {
  const room = await requireOpenImRoom(change, roomUsername);
  const members = await change.world.openim.members(change.appId, roomUsername);
  if (!members.some((m) => m.username === me.wxid)) {
    throw wechatRefusal('NOT_ROOM_MEMBER', -21, `${me.wxid} is not a member of ${roomUsername} (ret -21)`);
  }
  return room;
}

function requireFlag(status: number): boolean {
  if (status !== 0 && status !== 1) throw invalidField('status', 'status is 0 (off) or 1 (on)');
  return status === 1;
}

export function openImOperations(world: World, appId: string, guid: string): DriverOperations {
  const asAccount = <T>(work: (change: WorldChange, me: SandboxPerson) => Promise<T>) =>
    world.change(appId, async (change) => work(change, await requireAccount(change, guid)));

  /** A changed WeCom contact's object reaches the account's instance again (1202, as on adding). */
  const setFlag = (flag: 'muted' | 'pinned') => (req: { username: string; status: number }) => asAccount(async (change, me) => {
    const on = requireFlag(req.status);
    const { wecom } = await requireOpenImEntry(change, me, req.username);
    if (flag === 'muted') await change.world.openim.setMuted(appId, me.wxid, req.username, on);
    else await change.world.contacts.update(appId, me.wxid, req.username, { pinned: on });
    const entry = await change.world.contacts.get(appId, me.wxid, req.username);
    await change.emitToAccount(me.wxid, NOTIFY_TYPES.OpenImContactAdd, openImContact(wecom, entry));
    return { baseResponse: OK_BASE_RESPONSE };
  });

  return {
    '/openim/search_openim_contact': (req) => asAccount(async (change, me) => {
      const wecom = await weComPersonByCard(change, req.url);
      if (wecom.profile.cardBlocked) throw wechatRefusal('OPENIM_CARD_BLOCKED', -24, `the card of ${wecom.person.wxid} is blocked (ret -24)`);
      const ticket = await issueStrangerTicket(change, me.wxid, wecom.person.wxid);
      const entry = await change.world.contacts.get(appId, me.wxid, wecom.person.wxid);
      return { baseResponse: OK_BASE_RESPONSE, ticket: ticket.ticket, contact: openImContact(wecom, entry) };
    }),
    '/openim/check_openim_contact': (req) => asAccount(async (change) => {
      const wecom = await weComPersonByCard(change, req.url);
      // 0: the card adds people; 1: it is blocked (封了).
      return { status: wecom.profile.cardBlocked ? 1 : 0, username: wecom.person.wxid };
    }),
    '/openim/get_openim_contact': (req) => asAccount(async (change, me) => {
      const wecom = await requireWeComPerson(change, req.username);
      return { baseResponse: OK_BASE_RESPONSE, contact: openImContact(wecom, await change.world.contacts.get(appId, me.wxid, req.username)) };
    }),
    '/openim/get_openim_resource': (req) => asAccount(async (change) => {
      const corp = await change.world.openim.corporationByResource(appId, req.appid, req.wording_id ?? '');
      if (!corp) throw wechatRefusal('OPENIM_RESOURCE_NOT_FOUND', -1, `no WeCom corporation resource ${req.appid}/${req.wording_id ?? ''} (ret -1)`);
      return { baseResponse: OK_BASE_RESPONSE, appid: corp.openimAppid, wordingId: corp.wordingId, wording: corp.fullName, corpName: corp.name };
    }),
    '/openim/del_openim_contact': (req) => asAccount(async (change, me) => {
      await removeOpenImContact(change, me, req.username);
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/openim/modify_openim_disturb_flag': setFlag('muted'),
    '/openim/modify_openim_top_flag': setFlag('pinned'),
    '/openim/get_openim_friends': (req) => asAccount(async (change, me) => {
      const rows = [];
      for (const username of await change.world.openim.contactsOf(appId, me.wxid)) {
        const wecom = await weComPerson(change, username);
        if (wecom) rows.push(openImContact(wecom, await change.world.contacts.get(appId, me.wxid, username)));
      }
      return localPage(rows, req.page_num, req.page_size);
    }),
    '/openim/get_openim_rooms': (req) => asAccount(async (change, me) => {
      const rows = [];
      for (const room of await change.world.openim.roomsOf(appId, me.wxid)) {
        rows.push(openImRoomObject(room, (await change.world.openim.members(appId, room.roomUsername)).length));
      }
      return localPage(rows, req.page_num, req.page_size);
    }),
    '/openim/get_openim_room_members': (req) => asAccount(async (change, me) => {
      await requireMembership(change, me, req.room_username);
      const rows = [];
      for (const m of await change.world.openim.members(appId, req.room_username)) rows.push(await openImMember(change, m.username, m.joinedAt));
      return localPage(rows, req.page_num, req.page_size);
    }),
    '/openim/get_openim_room_detail': (req) => asAccount(async (change, me) => {
      const room = await requireMembership(change, me, req.room_username);
      return { baseResponse: OK_BASE_RESPONSE, ...openImRoomObject(room, (await change.world.openim.members(appId, room.roomUsername)).length) };
    }),
    '/openim/get_openim_room_member_detail': (req) => asAccount(async (change, me) => {
      const room = await requireMembership(change, me, req.room_username);
      const members = await change.world.openim.members(appId, room.roomUsername);
      // A caller already at the room's version gets no list, as WeChat answers an unchanged member list.
      const memberList = [];
      if ((req.version ?? 0) < room.version) for (const m of members) memberList.push(await openImMember(change, m.username, m.joinedAt));
      return { baseResponse: OK_BASE_RESPONSE, chatroomUsername: room.roomUsername, serverVersion: room.version, memberCount: members.length, memberList };
    }),
  };
}
