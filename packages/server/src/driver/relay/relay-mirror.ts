// The relay's mirror: contacts, rooms, room members and messages seen in upstream callbacks and answers are kept in our
// store, so the local-store endpoints (label/get_contacts, openim/get_openim_*) answer from it like the vendor's own.
import { NOTIFY_TYPES } from '@wxgate/contract';
import type { RelayArchivedMessage, RelayEntryKind, RelayMessage, RelayMirrorEntry, RelayMirrorRepository, RelayRoomMember } from '../../storage/ports.ts';
import type { ArchivedMessage, DriverEvent, MessageArchive } from '../driver.ts';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** WeChat's {"string": …} wrapper or a plain string. */
const text = (v: unknown): string => (typeof v === 'string' ? v : isObject(v) && typeof v.string === 'string' ? v.string : '');
const int = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : 0);

export function entryKind(username: string): RelayEntryKind {
  if (username.endsWith('@im.chatroom')) return 'openim_room';
  if (username.endsWith('@chatroom')) return 'room';
  if (username.endsWith('@openim')) return 'openim';
  return 'contact';
}

/** labelIdList as WeChat sends it: "1,3" (a string) or [1, 3]. */
export function labelIds(contact: Obj): number[] {
  const raw = contact.labelIdList ?? contact.labelIDList ?? contact.label_id_list;
  const parts = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
  return [...new Set(parts.map((p) => Number(String(p).trim())).filter((n) => Number.isInteger(n) && n > 0))];
}

const usernameOf = (contact: Obj): string => text(contact.userName) || text(contact.UserName) || text(contact.tpUsername) || text(contact.username);

async function upsertContact(mirror: RelayMirrorRepository, guid: string, contact: Obj, now: number): Promise<void> {
  const username = usernameOf(contact);
  if (!username) return;
  await mirror.upsert({ guid, username, kind: entryKind(username), data: contact, labelIds: labelIds(contact), updatedAt: now });
}

/** The archive row of a 1010 callback's message, or undefined when it names no msg_id. */
export function mirroredMessage(guid: string, ownWxid: string | null, event: DriverEvent): RelayMessage | undefined {
  const data = event.data;
  if (event.notifyType !== NOTIFY_TYPES.NewMsg || !isObject(data)) return undefined;
  const msgId = text(data.msg_id) || String(data.msg_id ?? '');
  if (!msgId) return undefined;
  const from = text(data.from_username);
  const sender = text(data.chatroom_sender) || from;
  return {
    guid,
    msgId,
    direction: ownWxid && sender === ownWxid ? 'out' : 'in',
    fromUsername: from,
    toUsername: text(data.to_username),
    msgType: int(data.msg_type),
    createTime: int(data.create_time),
    data,
  };
}

/** Records what a batch of callbacks shows: messages, contacts added or changed, contacts removed. */
export async function mirrorEvents(mirror: RelayMirrorRepository, guid: string, ownWxid: string | null, events: readonly DriverEvent[], now: number): Promise<void> {
  for (const event of events) {
    const data = event.data;
    if (!isObject(data)) continue;
    switch (event.notifyType) {
      case NOTIFY_TYPES.NewMsg: {
        const message = mirroredMessage(guid, ownWxid, event);
        if (message) await mirror.addMessage(message);
        break;
      }
      case NOTIFY_TYPES.ModContact:
      case NOTIFY_TYPES.FriendAdd:
      case NOTIFY_TYPES.ContactInfoChange:
      case NOTIFY_TYPES.OpenImContactAdd:
        await upsertContact(mirror, guid, data, now);
        break;
      case NOTIFY_TYPES.DelContact:
      case NOTIFY_TYPES.FriendDel:
      case NOTIFY_TYPES.OpenImContactDel: {
        const username = usernameOf(data);
        if (username) await mirror.remove(guid, username);
        break;
      }
      default:
        break;
    }
  }
}

/** Records what an upstream answer shows: messages sent, contacts and rooms looked up, room member lists. */
export async function mirrorAnswer(mirror: RelayMirrorRepository, guid: string, path: string, request: Obj, data: unknown, now: number): Promise<void> {
  if (!isObject(data)) return;
  if (path.startsWith('/msg/send_') && Array.isArray(data.list)) {
    for (const sent of data.list) {
      if (!isObject(sent) || int(sent.ret) !== 0) continue;
      const msgId = text(sent.newMsgId) || String(sent.newMsgId ?? '');
      if (!msgId || msgId === '0') continue;
      await mirror.addMessage({
        guid,
        msgId,
        direction: 'out',
        fromUsername: '',
        toUsername: text(sent.toUserName) || text(request.to_username),
        msgType: int(sent.type),
        createTime: int(sent.createTime),
        data: { ...sent, content: request.content ?? null },
      });
    }
    return;
  }
  if (path === '/contact/get_contact' && Array.isArray(data.contactList)) {
    for (const contact of data.contactList) {
      if (!isObject(contact)) continue;
      const username = usernameOf(contact);
      if (!username || text(contact.encryptUserName)) continue;
      // Friends (bitVal bit 1), rooms, and anything already mirrored; strangers looked up are not contacts.
      const known = (int(contact.bitVal) & 1) === 1 || entryKind(username) !== 'contact' || (await mirror.get(guid, username)) !== undefined;
      if (known) await upsertContact(mirror, guid, contact, now);
    }
    return;
  }
  if (path === '/contact/del_friend' && typeof request.username === 'string') {
    await mirror.remove(guid, request.username);
    return;
  }
  if (path === '/room/get_chatroom_member_detail' || path === '/openim/get_openim_room_member_detail') {
    const room = typeof request.room_username === 'string' ? request.room_username : text(data.chatroomUserName);
    const list = isObject(data.newChatroomData) ? data.newChatroomData.chatRoomMember : data.memberList ?? data.member_list;
    if (!room || !Array.isArray(list)) return;
    const members: RelayRoomMember[] = [];
    for (const m of list) {
      if (!isObject(m)) continue;
      const username = usernameOf(m);
      if (username) members.push({ guid, room, username, data: m });
    }
    await mirror.setRoomMembers(guid, room, members);
  }
}

/** The local-store endpoints: answered from the mirror when the upstream does not serve them. */
export const LOCAL_STORE_PATHS = [
  '/label/get_contacts', '/label/get_label_usage_amount', '/openim/get_openim_friends', '/openim/get_openim_rooms', '/openim/get_openim_room_members',
] as const;
export type LocalStorePath = (typeof LOCAL_STORE_PATHS)[number];

const page = (request: Obj) => {
  const size = Math.min(Math.max(int(request.page_size) || 50, 1), 500);
  const number = Math.max(int(request.page_num) || 1, 1);
  return { offset: (number - 1) * size, limit: size };
};

/** A label/get_contacts row (the contract's columns) from a mirrored contact object. */
function contactRow(entry: RelayMirrorEntry) {
  const c = isObject(entry.data) ? entry.data : {};
  return {
    username: entry.username,
    nickname: text(c.nickName),
    remark: text(c.remark),
    alias: text(c.alias),
    small_head_img_url: text(c.smallHeadImgUrl),
    label_id_list: [...entry.labelIds].sort((a, b) => a - b),
  };
}

export async function answerFromMirror(mirror: RelayMirrorRepository, guid: string, path: LocalStorePath, request: Obj): Promise<unknown> {
  const ids = Array.isArray(request.label_id_list) ? request.label_id_list.map(Number).filter(Number.isInteger) : [];
  switch (path) {
    case '/label/get_contacts':
      return (await mirror.withLabels(guid, ids)).map(contactRow);
    case '/label/get_label_usage_amount': {
      // No ids asks about every label: here, every label some mirrored contact carries.
      const all = ids.length > 0 ? ids : await mirror.labelIds(guid);
      const out = [];
      for (const id of all) out.push({ label_id: id, count: (await mirror.withLabels(guid, [id])).length });
      return out;
    }
    case '/openim/get_openim_friends':
    case '/openim/get_openim_rooms': {
      const kind: RelayEntryKind = path === '/openim/get_openim_friends' ? 'openim' : 'openim_room';
      const { offset, limit } = page(request);
      return { list: (await mirror.list(guid, kind, offset, limit)).map((e) => e.data), total: await mirror.count(guid, kind) };
    }
    case '/openim/get_openim_room_members': {
      const room = typeof request.room_username === 'string' ? request.room_username : '';
      const { offset, limit } = page(request);
      return { list: (await mirror.roomMembers(guid, room, offset, limit)).map((m) => m.data), total: await mirror.countRoomMembers(guid, room) };
    }
  }
}

/**
 * A mirrored message in the 1010 shape: callbacks are stored as they came; a send known only from its answer (its own
 * 1010 never came back) is shown with what the answer and the request said.
 */
function archivedView(m: RelayArchivedMessage, ownWxid: string): ArchivedMessage {
  const data = isObject(m.data) ? m.data : {};
  if (typeof data.msg_id === 'string' || typeof data.msg_id === 'number') {
    return { seq: m.seq, direction: m.direction, revoked: m.revoked, data };
  }
  const room = m.toUsername.endsWith('@chatroom') ? m.toUsername : '';
  return {
    seq: m.seq,
    direction: m.direction,
    revoked: m.revoked,
    data: {
      from_username: ownWxid,
      to_username: m.toUsername,
      chatroom_sender: room ? ownWxid : '',
      chatroom: room,
      is_chatroom_msg: room ? 1 : 0,
      msg_id: m.msgId,
      msg_type: m.msgType,
      content: typeof data.content === 'string' ? data.content : '',
      desc: '',
      source: '',
      create_time: m.createTime,
    },
  };
}

/** `/events/messages` on the relay: the mirror's messages, whatever the upstream keeps. */
export function relayArchive(mirror: () => RelayMirrorRepository, writes: { settled(): Promise<void> }): MessageArchive {
  return {
    list: async (instance, query) => {
      await writes.settled();
      return (await mirror().messages(instance.guid, query)).map((m) => archivedView(m, instance.loginWxid ?? ''));
    },
    get: async (instance, msgId) => {
      await writes.settled();
      const m = await mirror().message(instance.guid, msgId);
      return m && archivedView(m, instance.loginWxid ?? '');
    },
  };
}
