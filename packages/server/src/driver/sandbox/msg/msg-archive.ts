// The sandbox's message archive as an instance sees it: the world's messages its account sent or received, each shown
// with the 1010 fields the account got (or would have got) for it; and the sync of what arrived while it was offline.
import { NOTIFY_TYPES } from '@wxgate/contract';
import type { SandboxMessage, SandboxPerson } from '../../../storage/sandbox-ports.ts';
import type { ArchivedMessage, ArchiveQuery, MessageArchive } from '../../driver.ts';
import { newMsgData } from './msg-delivery.ts';
import { sessionOf } from './msg.ts';
import { requireAccount, type World, type WorldChange } from '../world.ts';

/** The message from `me`'s side: a room message received comes from the room, with the real sender beside it. */
function asSeenBy(me: string, m: SandboxMessage): ArchivedMessage {
  const mine = m.fromWxid === me;
  const inRoom = m.chatroom !== '';
  const view = {
    from: mine || !inRoom ? m.fromWxid : m.chatroom,
    to: mine ? m.toUsername : me,
    chatroomSender: inRoom ? m.fromWxid : '',
    content: m.content,
    // The sender's own copy carries no push text, as WeChat syncs it to the account's other devices.
    desc: mine ? '' : m.pushDesc,
  };
  return { seq: m.seq, direction: mine ? 'out' : 'in', revoked: m.revokedAt !== null, data: newMsgData(m, view) };
}

export function sandboxArchive(world: World): MessageArchive {
  return {
    list: (instance, query: ArchiveQuery) => world.change(instance.appId, async (change) => {
      const me = await requireAccount(change, instance.guid);
      const { messages } = change.world;
      const page = query.talker === undefined
        ? await messages.listVisibleTo(change.appId, me.wxid, query.afterSeq, query.limit)
        : await messages.listSession(change.appId, sessionOf(me.wxid, query.talker), query.afterSeq, query.limit);
      return page.map((m) => asSeenBy(me.wxid, m));
    }),
    get: (instance, msgId) => world.change(instance.appId, async (change) => {
      const me = await requireAccount(change, instance.guid);
      const m = await change.world.messages.get(change.appId, msgId);
      if (!m) return undefined;
      // The rule of listVisibleTo: one's own one-to-one messages, and those of the rooms one is in.
      const visible = m.chatroom === ''
        ? m.fromWxid === me.wxid || m.toUsername === me.wxid
        : await change.world.rooms.member(change.appId, m.chatroom, me.wxid) !== undefined
          || (await change.world.openim.members(change.appId, m.chatroom)).some((member) => member.username === me.wxid);
      return visible ? asSeenBy(me.wxid, m) : undefined;
    }),
  };
}

/** How many messages a login syncs at most, oldest dropped first (WeChat, too, only keeps so much for an offline device). */
export const OFFLINE_SYNC_LIMIT = 5000;

/** The account logs out: everything archived so far reached it live. */
export async function markOffline(change: WorldChange, wxid: string): Promise<void> {
  const { messages } = change.world;
  await messages.setOfflineMark(change.appId, wxid, await messages.maxSeq(change.appId));
}

/**
 * The account logs in again: what others sent it (private, and in its rooms) while it was logged out arrives now, as
 * WeChat syncs it to the device, one 1010 each in archive order. A first login syncs nothing: no device had it before.
 */
export async function syncOffline(change: WorldChange, guid: string, me: SandboxPerson): Promise<number> {
  const { messages } = change.world;
  const mark = await messages.takeOfflineMark(change.appId, me.wxid);
  if (mark === undefined) return 0;
  const newest = await messages.maxSeq(change.appId);
  let missed: SandboxMessage[] = [];
  for (let after = mark; after < newest;) {
    const page = await messages.listVisibleTo(change.appId, me.wxid, after, 1000);
    if (page.length === 0) break;
    missed.push(...page.filter((m) => m.fromWxid !== me.wxid));
    if (missed.length > OFFLINE_SYNC_LIMIT) missed = missed.slice(-OFFLINE_SYNC_LIMIT);
    after = page.at(-1)!.seq;
  }
  for (const m of missed) change.emit(guid, NOTIFY_TYPES.NewMsg, asSeenBy(me.wxid, m).data);
  return missed.length;
}
