// Friendship as WeChat has it: two one-way contact entries, requests with v3/v4 tickets, acceptance, one-sided deletion,
// and the callbacks each step raises on the instances of the people involved.
import { NOTIFY_TYPES } from '@wxgate/contract';
import type { SandboxFriendRequest, SandboxPerson } from '../../../storage/sandbox-ports.ts';
import {
  contactNotice, delContact, friendAddedSystemMsg, friendRequestMsg, requestAcceptedMsg,
} from '../notifications.ts';
import { contactObject } from '../wechat-objects.ts';
import { friendRequestXml } from '../wechat-xml.ts';
import type { WorldChange } from '../world.ts';

/** How long a search's antispam ticket (v4) stays good for add_friend. */
export const SEARCH_TICKET_LIFETIME_MS = 24 * 3600_000;
/** How long a friend request can be accepted (WeChat lets unanswered requests lapse). */
export const FRIEND_REQUEST_LIFETIME_MS = 7 * 24 * 3600_000;

/** Callbacks are raised for real changes; setting the world up (people/create `friends`) stays quiet. */
export interface Notify {
  readonly notify: boolean;
}

/** The v3 name `viewer` knows `target` by (stable), with a fresh v4 ticket. */
export async function issueStrangerTicket(change: WorldChange, viewer: string, target: string) {
  const existing = await change.world.strangerTickets.get(change.appId, viewer, target);
  return change.world.strangerTickets.issue({
    appId: change.appId,
    viewerWxid: viewer,
    targetWxid: target,
    encryptUsername: existing?.encryptUsername ?? change.ids.encryptUsername(),
    ticket: change.ids.strangerTicket(),
    expiresAt: change.now + SEARCH_TICKET_LIFETIME_MS,
  });
}

/** Puts `contact` in `owner`'s list; raises 1200 and 1040 on the owner's instance when it is new. Returns whether it was. */
export async function addContact(change: WorldChange, owner: SandboxPerson, contact: SandboxPerson, scene: number, { notify }: Notify): Promise<boolean> {
  const existing = await change.world.contacts.get(change.appId, owner.wxid, contact.wxid);
  if (existing) return false;
  const entry = await change.world.contacts.add({
    appId: change.appId, ownerWxid: owner.wxid, contactWxid: contact.wxid, remark: '', pinned: false, addScene: scene, createdAt: change.now,
  });
  if (notify) {
    const object = contactObject(contact, { entry });
    await change.emitToAccount(owner.wxid, NOTIFY_TYPES.ModContact, object);
    await change.emitToAccount(owner.wxid, NOTIFY_TYPES.FriendAdd, contactNotice(object));
  }
  return true;
}

/** Removes `contactWxid` from `owner`'s list only (the other side keeps theirs); raises 1201 and 1041 for the owner. */
export async function removeContact(change: WorldChange, owner: SandboxPerson, contact: SandboxPerson): Promise<boolean> {
  const entry = await change.world.contacts.get(change.appId, owner.wxid, contact.wxid);
  if (!entry) return false;
  await change.world.contacts.remove(change.appId, owner.wxid, contact.wxid);
  await change.emitToAccount(owner.wxid, NOTIFY_TYPES.DelContact, delContact(contact.wxid));
  await change.emitToAccount(owner.wxid, NOTIFY_TYPES.FriendDel, contactNotice(contactObject(contact, { entry })));
  return true;
}

/** Both become friends without a request (the target needs no verification): each side gets "你已添加了…". */
export async function befriendDirectly(change: WorldChange, adder: SandboxPerson, target: SandboxPerson, scene: number): Promise<void> {
  for (const [owner, other] of [[adder, target], [target, adder]] as const) {
    if (await addContact(change, owner, other, scene, { notify: true })) {
      await change.emitToAccount(owner.wxid, NOTIFY_TYPES.NewMsg, friendAddedSystemMsg(change.msgId(), other, owner.wxid, change.now));
    }
  }
}

/** Marks a pending request accepted and makes both friends: the accepter sees "你已添加了…", the requester the accepter's hello. */
export async function acceptRequest(change: WorldChange, request: SandboxFriendRequest, requester: SandboxPerson, accepter: SandboxPerson): Promise<void> {
  await change.world.friendRequests.setState(change.appId, requester.wxid, accepter.wxid, 'accepted');
  if (await addContact(change, accepter, requester, request.scene, { notify: true })) {
    await change.emitToAccount(accepter.wxid, NOTIFY_TYPES.NewMsg, friendAddedSystemMsg(change.msgId(), requester, accepter.wxid, change.now));
  }
  if (await addContact(change, requester, accepter, request.scene, { notify: true })) {
    await change.emitToAccount(requester.wxid, NOTIFY_TYPES.NewMsg, requestAcceptedMsg(change.msgId(), accepter, requester.wxid, change.now));
  }
}

/**
 * What add_friend (and verify_friend opcode 2, add_chatroom_member_friend) does: someone who still has `me` as a
 * friend takes `me` back without a request (as WeChat does); anyone else gets a request.
 */
export async function addOrRequest(change: WorldChange, me: SandboxPerson, target: SandboxPerson, verifyContent: string, scene: number): Promise<void> {
  if (await change.world.contacts.get(change.appId, target.wxid, me.wxid)) {
    await addContact(change, me, target, scene, { notify: true });
    return;
  }
  await sendRequest(change, me, target, verifyContent, scene);
}

export type SendRequestOutcome =
  | { readonly status: 'pending'; readonly request: SandboxFriendRequest }
  | { readonly status: 'accepted'; readonly request: SandboxFriendRequest | null };

/**
 * `from` asks `to` to be friends. As in WeChat: someone who needs no verification becomes a friend at once, and asking
 * someone whose own request to you is still pending accepts theirs. Otherwise `to` gets the msg_type 37 request.
 */
export async function sendRequest(change: WorldChange, from: SandboxPerson, to: SandboxPerson, verifyContent: string, scene: number): Promise<SendRequestOutcome> {
  const theirs = await change.world.friendRequests.get(change.appId, to.wxid, from.wxid);
  if (theirs?.state === 'pending' && theirs.expiresAt > change.now) {
    await acceptRequest(change, theirs, to, from);
    return { status: 'accepted', request: theirs };
  }
  if (!to.needsVerification) {
    await befriendDirectly(change, from, to, scene);
    return { status: 'accepted', request: null };
  }
  const seen = await issueStrangerTicket(change, to.wxid, from.wxid);
  const request: SandboxFriendRequest = {
    appId: change.appId,
    fromWxid: from.wxid,
    toWxid: to.wxid,
    encryptUsername: seen.encryptUsername,
    ticket: change.ids.strangerTicket(),
    verifyContent,
    scene,
    state: 'pending',
    createdAt: change.now,
    expiresAt: change.now + FRIEND_REQUEST_LIFETIME_MS,
  };
  await change.world.friendRequests.put(request);
  const xml = friendRequestXml({ from, encryptUsername: request.encryptUsername, ticket: request.ticket, content: verifyContent, scene });
  await change.emitToAccount(to.wxid, NOTIFY_TYPES.NewMsg, friendRequestMsg(change.msgId(), to.wxid, xml, from.nickname, change.now));
  return { status: 'pending', request };
}
