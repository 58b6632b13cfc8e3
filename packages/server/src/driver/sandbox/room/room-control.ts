// The room side of the sandbox control (/sandbox/room/*): a person creates a room, accepts an invitation, appoints
// admins or dissolves a room from their phone, with the same rules and callbacks as the bot's /room/* calls.
import { invalidField, NOTIFY_TYPES, wechatRefusal, type Modules, type RequestOf, type ResponseOf } from '@wxgate/contract';
import {
  addMembers, bumpVersions, createRoom, dissolveRoom, loadRoom, requireMembers, requireOwner, requirePeople, tellMembers,
} from './room-membership.ts';
import { roomNotice } from './room-objects.ts';
import type { WorldChange } from '../world.ts';

type Sandbox = Modules['sandbox'];
type Req<P extends keyof Sandbox> = RequestOf<Sandbox[P]>;
type Res<P extends keyof Sandbox> = ResponseOf<Sandbox[P]>;

export async function createRoomAsPerson(change: WorldChange, req: Req<'/sandbox/room/create'>): Promise<Res<'/sandbox/room/create'>> {
  const owner = await change.requirePerson(req.owner_wxid);
  const others = await requirePeople(change, req.member_wxids, 'member_wxids');
  const loaded = await createRoom(change, owner, others, req.name ?? '');
  return { room_username: loaded.room.roomId, member_count: loaded.members.length };
}

/** The invitee accepts the card: they join with the inviter as inviter, as a direct add would have made them. */
export async function joinRoom(change: WorldChange, req: Req<'/sandbox/room/join'>): Promise<Res<'/sandbox/room/join'>> {
  const invitee = await change.requirePerson(req.wxid);
  const loaded = await loadRoom(change, req.room_username);
  const invite = await change.world.rooms.invite(change.appId, loaded.room.roomId, invitee.wxid);
  if (!invite) {
    throw wechatRefusal('SANDBOX_ROOM_INVITE_NOT_FOUND', -2, `${invitee.wxid} has no pending invitation to ${loaded.room.roomId}; a member sends one with /room/invite_chatroom_member`);
  }
  // An inviter who has left since can no longer vouch for the invitee (WeChat: the invitation expires).
  if (!loaded.members.some((m) => m.person.wxid === invite.inviterWxid)) {
    throw wechatRefusal('SANDBOX_ROOM_INVITE_NOT_FOUND', -2, `${invite.inviterWxid}, who invited ${invitee.wxid}, is no longer in ${loaded.room.roomId}: the invitation lapsed`);
  }
  const after = await addMembers(change, loaded, await change.requirePerson(invite.inviterWxid), [invitee]);
  return { member_count: after.members.length, inviter_wxid: invite.inviterWxid };
}

/** The owner appoints or dismisses an admin; every logged-in member gets 1200 and 1047 RoomMemberUpdate. */
export async function setRoomAdmin(change: WorldChange, req: Req<'/sandbox/room/set_admin'>): Promise<Res<'/sandbox/room/set_admin'>> {
  const owner = await change.requirePerson(req.wxid);
  const loaded = await loadRoom(change, req.room_username);
  requireOwner(loaded, owner.wxid, 'appoint admins');
  if (req.member_wxid === owner.wxid) throw invalidField('member_wxid', 'the owner is above the admins; name another member');
  const [member] = requireMembers(loaded, [req.member_wxid]);
  await change.world.rooms.updateMember(change.appId, loaded.room.roomId, member!.person.wxid, { admin: req.admin ?? true });
  const after = await bumpVersions(change, loaded.room.roomId, { members: true });
  await tellMembers(change, after, () => [
    [NOTIFY_TYPES.RoomMemberUpdate, roomNotice(after.room, owner.wxid, [member!.person.wxid], after.members.length, change.now)],
  ]);
  return {};
}

export async function dissolveRoomAsOwner(change: WorldChange, req: Req<'/sandbox/room/dissolve'>): Promise<Res<'/sandbox/room/dissolve'>> {
  const owner = await change.requirePerson(req.wxid);
  return { members_removed: await dissolveRoom(change, await loadRoom(change, req.room_username), owner) };
}
