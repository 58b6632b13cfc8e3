// Rooms in the contact list: the room contact get_contact answers for a …@chatroom name, and the rooms an account
// saved to its contacts (保存到通讯录), which init_contact pages after the people.
import type { SandboxPerson } from '../../../storage/sandbox-ports.ts';
import { findMember, loadRoom, requireMembership, type LoadedRoom } from './room-membership.ts';
import { roomContactObject } from './room-objects.ts';
import type { WorldChange } from '../world.ts';

/** The room as `me` sees it, or undefined when there is no such room. */
export async function roomContactFor(change: WorldChange, me: SandboxPerson, roomId: string) {
  if (!(await change.world.rooms.get(change.appId, roomId))) return undefined;
  const loaded = await loadRoom(change, roomId);
  return roomContactObject(loaded.room, loaded.members, findMember(loaded, me.wxid)?.member);
}

/** The rooms `me` saved with cursor > afterSeq, in cursor order. */
export function savedRoomsPage(change: WorldChange, me: SandboxPerson, afterSeq: number, limit: number) {
  return change.world.rooms.savedPage(change.appId, me.wxid, afterSeq, limit);
}

/** The room get_contact's room-member view is about; the account must be in it. */
export async function roomOfMemberView(change: WorldChange, me: SandboxPerson, roomId: string): Promise<LoadedRoom> {
  const loaded = await loadRoom(change, roomId);
  requireMembership(loaded, me);
  return loaded;
}
