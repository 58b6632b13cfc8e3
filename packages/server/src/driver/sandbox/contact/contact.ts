// The /contact/* operations of one instance: contact sync and details, search, friend requests (add, verify, accept),
// remarks, pinning and one-sided deletion — each a change of the world with the callbacks WeChat raises.
import { invalidField, NOTIFY_TYPES, wechatRefusal } from '@wxgate/contract';
import type { SandboxPerson } from '../../../storage/sandbox-ports.ts';
import type { DriverOperations } from '../../driver.ts';
import { acceptRequest, addContact, addOrRequest, befriendDirectly, issueStrangerTicket, removeContact } from './friendship.ts';
import { isRoomId } from '../msg/msg-delivery.ts';
import { contactNotice } from '../notifications.ts';
import { removeOpenImContact } from '../openim/openim.ts';
import { requireSettledDevice } from '../login/risk-control.ts';
import { roomContactFor, roomOfMemberView, savedRoomsPage } from '../room/room-contacts.ts';
import { contactObject, OK_BASE_RESPONSE, searchContactResponse, unknownContactObject } from '../wechat-objects.ts';
import { requireAccount, type World, type WorldChange } from '../world.ts';

/** Usernames per init_contact page (WeChat pages InitContact by seq cursors). */
export const INIT_CONTACT_PAGE_SIZE = 100;

/** verify_friend opcodes: WeChat's VerifyUser operations. */
const OPCODE = { addDirectly: 1, sendRequest: 2, accept: 3 } as const;
/** search_contact search_scene → the field it matches. */
const SEARCH_SCENES: Record<number, { label: string; keys: ReadonlyArray<'phone' | 'wxid' | 'alias' | 'qq'> }> = {
  1: { label: 'phone number', keys: ['phone'] },
  2: { label: 'WeChat id', keys: ['wxid', 'alias'] },
  3: { label: 'QQ number', keys: ['qq'] },
};

const iso = (ms: number) => new Date(ms).toISOString();
const isV3 = (username: string) => username.startsWith('v3_');

/** The stranger ticket `viewer` holds for `target`: the current one while valid, else a new one. */
async function strangerTicketFor(change: WorldChange, viewer: string, target: string) {
  const current = await change.world.strangerTickets.get(change.appId, viewer, target);
  return current && current.expiresAt > change.now ? current : issueStrangerTicket(change, viewer, target);
}

/** Who add_friend / verify_friend (opcode 1, 2) means: a v3 name with its v4 ticket, or a wxid. */
async function resolveTarget(change: WorldChange, me: SandboxPerson, username: string, ticket: string): Promise<SandboxPerson> {
  let wxid = username;
  if (isV3(username)) {
    const seen = await change.world.strangerTickets.byEncryptUsername(change.appId, me.wxid, username);
    if (!seen) throw wechatRefusal('FRIEND_TICKET_INVALID', -48, `${username} was never shown to this account; find the user with /contact/search_contact`);
    if (ticket !== seen.ticket) throw wechatRefusal('FRIEND_TICKET_INVALID', -48, 'ticket is not the antispamTicket that search_contact returned for this v3 username; pass that v4_… ticket');
    if (seen.expiresAt <= change.now) throw wechatRefusal('FRIEND_TICKET_INVALID', -48, `the ticket expired at ${iso(seen.expiresAt)}; search the user again with /contact/search_contact`);
    wxid = seen.targetWxid;
  }
  const target = await change.person(wxid);
  if (!target) throw wechatRefusal('WECHAT_USER_NOT_FOUND', -4, `no WeChat user ${username}; find people with /contact/search_contact`);
  if (target.wxid === me.wxid) throw invalidField('username', 'this is the logged-in account itself');
  return target;
}

async function entryOf(change: WorldChange, owner: string, contact: string) {
  return change.world.contacts.get(change.appId, owner, contact);
}

/** The account's own entry for `username`, or WeChat's "no such contact" refusal. */
async function requireContact(change: WorldChange, me: SandboxPerson, username: string) {
  const entry = await entryOf(change, me.wxid, username);
  const person = entry && (await change.person(username));
  if (!entry || !person) throw wechatRefusal('NOT_IN_CONTACTS', -4, `${username} is not in ${me.wxid}'s contact list; list contacts with /contact/init_contact`);
  return { entry, person };
}

/** The remark, pin or labels changed: 1200 with the new object, and 1039. */
export async function notifyContactChanged(change: WorldChange, me: SandboxPerson, person: SandboxPerson): Promise<void> {
  const entry = await entryOf(change, me.wxid, person.wxid);
  const object = contactObject(person, entry ? { entry } : {});
  await change.emitToAccount(me.wxid, NOTIFY_TYPES.ModContact, object);
  await change.emitToAccount(me.wxid, NOTIFY_TYPES.ContactInfoChange, contactNotice(object));
}

export function contactOperations(world: World, appId: string, guid: string): DriverOperations {
  const asAccount = <T>(work: (change: WorldChange, me: SandboxPerson) => Promise<T>) =>
    world.change(appId, async (change) => work(change, await requireAccount(change, guid)));

  return {
    '/contact/init_contact': (req) => asAccount(async (change, me) => {
      const contactSeq = req.contact_seq ?? 0;
      const roomSeq = req.room_seq ?? 0;
      // People first, then the rooms saved to contacts fill what is left of the page; one more of each than fits
      // tells whether another page follows.
      const page = await change.world.contacts.page(appId, me.wxid, contactSeq, INIT_CONTACT_PAGE_SIZE + 1);
      const shown = page.slice(0, INIT_CONTACT_PAGE_SIZE);
      const roomSpace = INIT_CONTACT_PAGE_SIZE - shown.length;
      const rooms = await savedRoomsPage(change, me, roomSeq, roomSpace + 1);
      const roomsShown = rooms.slice(0, roomSpace);
      const more = page.length > INIT_CONTACT_PAGE_SIZE || rooms.length > roomSpace ? 1 : 0;
      return {
        baseResponse: OK_BASE_RESPONSE,
        currentWxcontactSeq: shown.at(-1)?.seq ?? contactSeq,
        currentChatRoomContactSeq: roomsShown.at(-1)?.seq ?? roomSeq,
        countinueFlag: more,
        continueFlag: more,
        contactUsernameList: [...shown.map((e) => e.contactWxid), ...roomsShown.map((r) => r.roomId)],
      };
    }),
    '/contact/get_contact': (req) => asAccount(async (change, me) => {
      const roomView = (req.room_username ?? '') !== '';
      // The room-member view is for a room the account is in; its tickets are for that room's members.
      const roomMembers = roomView ? new Set((await roomOfMemberView(change, me, req.room_username!)).members.map((m) => m.person.wxid)) : null;
      const contactList: unknown[] = [];
      const ret: number[] = [];
      const ticket: Array<{ userName: string; antispamTicket: string }> = [];
      for (const username of req.username_list) {
        const room = isRoomId(username) ? await roomContactFor(change, me, username) : undefined;
        if (room) {
          contactList.push(room);
          ret.push(0);
          continue;
        }
        const person = await change.person(username);
        if (!person) {
          contactList.push(unknownContactObject(username));
          ret.push(-4);
          continue;
        }
        ret.push(0);
        const entry = person.wxid === me.wxid ? undefined : await entryOf(change, me.wxid, person.wxid);
        if (entry || person.wxid === me.wxid) {
          contactList.push(contactObject(person, entry ? { entry } : {}));
          continue;
        }
        const seen = await strangerTicketFor(change, me.wxid, person.wxid);
        contactList.push(contactObject(person, { encryptUsername: seen.encryptUsername }));
        // The room-member view carries the ticket that lets the account add a member it met in the room (scene 14).
        if (roomMembers?.has(person.wxid)) ticket.push({ userName: person.wxid, antispamTicket: seen.ticket });
      }
      return { baseResponse: OK_BASE_RESPONSE, contactCount: contactList.length, contactList: contactList as never, ret, ...(roomView ? { ticket } : {}) };
    }),
    '/contact/batch_get_contact_brief_info': (req) => asAccount(async (change, me) => {
      const contactList = [];
      for (const username of req.username_list) {
        const person = await change.person(username);
        const entry = person ? await entryOf(change, me.wxid, person.wxid) : undefined;
        contactList.push({
          contact: (person ? contactObject(person, entry ? { entry } : {}) : unknownContactObject(username)) as never,
          displayName: entry?.remark || person?.nickname || '',
        });
      }
      return { baseResponse: OK_BASE_RESPONSE, contactList };
    }),
    '/contact/search_contact': (req) => asAccount(async (change, me) => {
      const scene = req.search_scene ?? 1;
      const rule = SEARCH_SCENES[scene];
      if (!rule) throw invalidField('search_scene', 'search_scene must be 1 (phone number), 2 (WeChat id) or 3 (QQ number)');
      let found: SandboxPerson | undefined;
      for (const key of rule.keys) found ??= await change.world.people.findBy(appId, key, req.username);
      if (!found) throw wechatRefusal('WECHAT_USER_NOT_FOUND', -4, `no WeChat user with ${rule.label} ${req.username} (search_scene ${scene}: 1 phone number, 2 WeChat id, 3 QQ number)`);
      if (found.wxid === me.wxid || (await entryOf(change, me.wxid, found.wxid))) return searchContactResponse(found, found.wxid, '');
      const seen = await strangerTicketFor(change, me.wxid, found.wxid);
      return searchContactResponse(found, seen.encryptUsername, seen.ticket);
    }),
    '/contact/add_friend': (req) => asAccount(async (change, me) => {
      const target = await resolveTarget(change, me, req.username, req.ticket ?? '');
      await requireSettledDevice(change, guid, me, 'friend_add');
      await addOrRequest(change, me, target, req.verify_content ?? '', req.scene ?? 3);
      return { baseResponse: OK_BASE_RESPONSE, userName: req.username };
    }),
    '/contact/verify_friend': (req) => asAccount(async (change, me) => {
      const opcode = req.opcode ?? OPCODE.addDirectly;
      const scene = req.scene ?? 6;
      const ticket = req.ticket ?? '';
      if (opcode === OPCODE.accept) {
        const requesterWxid = isV3(req.username)
          ? (await change.world.strangerTickets.byEncryptUsername(appId, me.wxid, req.username))?.targetWxid
          : req.username;
        const request = requesterWxid ? await change.world.friendRequests.get(appId, requesterWxid, me.wxid) : undefined;
        const requester = request && (await change.person(request.fromWxid));
        if (!request || request.state !== 'pending' || !requester) {
          throw wechatRefusal('FRIEND_TICKET_INVALID', -48, `no pending friend request from ${req.username} to ${me.wxid}; use the encryptusername of a request this account received`);
        }
        if (ticket !== request.ticket) throw wechatRefusal('FRIEND_TICKET_INVALID', -48, 'ticket is not this request\'s; pass the ticket attribute of the newest friend-request XML');
        if (request.expiresAt <= change.now) throw wechatRefusal('FRIEND_TICKET_INVALID', -48, `the friend request expired at ${iso(request.expiresAt)}; ask the person to send a new one`);
        await acceptRequest(change, request, requester, me);
        return { baseResponse: OK_BASE_RESPONSE, userName: requester.wxid };
      }
      if (opcode !== OPCODE.addDirectly && opcode !== OPCODE.sendRequest) {
        throw invalidField('opcode', 'opcode must be 1 (add without verification / check friendship), 2 (send a friend request) or 3 (accept a request)');
      }
      const target = await resolveTarget(change, me, req.username, ticket);
      await requireSettledDevice(change, guid, me, 'friend_add');
      if (opcode === OPCODE.sendRequest) {
        await addOrRequest(change, me, target, '', scene);
      } else if (await entryOf(change, target.wxid, me.wxid)) {
        await addContact(change, me, target, scene, { notify: true });
      } else if (!target.needsVerification) {
        await befriendDirectly(change, me, target, scene);
      } else {
        throw wechatRefusal('NOT_A_FRIEND', -44, `${req.username} does not have ${me.wxid} as a friend and needs verification (WeChat ret -44); send a request with opcode 2 or /contact/add_friend`);
      }
      return { baseResponse: OK_BASE_RESPONSE, userName: req.username };
    }),
    '/contact/modify_remark': (req) => asAccount(async (change, me) => {
      const { person } = await requireContact(change, me, req.username);
      await change.world.contacts.update(appId, me.wxid, person.wxid, { remark: req.remark });
      await notifyContactChanged(change, me, person);
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/contact/modify_contact_top_flag': (req) => asAccount(async (change, me) => {
      const status = req.status ?? 1;
      if (status !== 0 && status !== 1) throw invalidField('status', 'status must be 0 (unpin) or 1 (pin)');
      const { person } = await requireContact(change, me, req.username);
      await change.world.contacts.update(appId, me.wxid, person.wxid, { pinned: status === 1 });
      await notifyContactChanged(change, me, person);
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/contact/del_friend': (req) => asAccount(async (change, me) => {
      // A WeCom contact leaves as WeCom contacts do (1203), whichever call removes it.
      if (req.username.endsWith('@openim')) {
        await removeOpenImContact(change, me, req.username);
        return { baseResponse: OK_BASE_RESPONSE };
      }
      const { person } = await requireContact(change, me, req.username);
      await removeContact(change, me, person);
      return { baseResponse: OK_BASE_RESPONSE };
    }),
  };
}
