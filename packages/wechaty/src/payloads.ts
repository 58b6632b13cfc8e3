// WeChat's objects as wxgate answers them (contacts, rooms, members, 1010 messages) turned into Wechaty's payloads.
import * as PUPPET from 'wechaty-puppet';
import { XMLParser } from 'fast-xml-parser';

/** `{string: …}` (SKBuiltinString), `{}` when empty, or a plain string (room members, OpenIM). */
export type WxString = { readonly string?: string } | string | undefined;
export const text = (value: WxString): string => (typeof value === 'string' ? value : value?.string ?? '');

/** The fields of get_contact's contactList entries the puppet reads. */
export interface RawContact {
  readonly userName?: WxString;
  readonly nickName?: WxString;
  readonly remark?: WxString;
  readonly alias?: string;
  readonly sex?: number;
  readonly city?: string;
  readonly province?: string;
  readonly signature?: string;
  readonly bigHeadImgUrl?: string;
  readonly smallHeadImgUrl?: string;
  readonly labelIdList?: string;
  readonly encryptUserName?: WxString | string;
  readonly isInChatRoom?: number;
  readonly chatRoomOwner?: string;
  readonly newChatroomData?: { readonly chatRoomMember?: readonly RawMember[] };
}

/** An entry of get_chatroom_member_detail's chatRoomMember. */
export interface RawMember {
  readonly userName?: string;
  readonly nickName?: string;
  readonly displayName?: string;
  readonly bigHeadImgUrl?: string;
  readonly smallHeadImgUrl?: string;
  readonly chatroomMemberFlag?: number;
  readonly inviterUserName?: string;
}

/** A room as the puppet keeps it: the room contact plus its members in detail. */
export interface RawRoom {
  readonly contact: RawContact;
  readonly owner: string;
  readonly members: readonly RawMember[];
}

/** A 1010 NewMsg `data` (or an archive row, which has the same fields). */
export interface RawMessage {
  readonly msg_id: string;
  readonly msg_type: number;
  readonly from_username: string;
  readonly to_username: string;
  readonly content: string;
  readonly create_time: number;
  readonly chatroom_sender?: string;
  readonly chatroom?: string;
  readonly is_chatroom_msg?: number;
  readonly source?: string;
}

/** The sandbox's admins flag (chatroomMemberFlag 2048, docs/sandbox.md). */
const ADMIN_FLAG = 2048;

export const isRoomId = (id: string): boolean => id.endsWith('@chatroom');

export function contactPayload(raw: RawContact, friend: boolean): PUPPET.payloads.Contact {
  const id = text(raw.userName);
  return {
    id,
    name: text(raw.nickName),
    alias: text(raw.remark) || undefined,
    avatar: raw.bigHeadImgUrl || raw.smallHeadImgUrl || '',
    gender: raw.sex === 1 ? PUPPET.types.ContactGender.Male : raw.sex === 2 ? PUPPET.types.ContactGender.Female : PUPPET.types.ContactGender.Unknown,
    // Official accounts are gh_…; WeCom people …@openim.
    type: id.startsWith('gh_') ? PUPPET.types.Contact.Official
      : id.endsWith('@openim') ? PUPPET.types.Contact.Corporation : PUPPET.types.Contact.Individual,
    weixin: raw.alias || undefined,
    city: raw.city || undefined,
    province: raw.province || undefined,
    signature: raw.signature || undefined,
    friend,
    phone: [],
  };
}

export function roomPayload(raw: RawRoom): PUPPET.payloads.Room {
  return {
    id: text(raw.contact.userName),
    topic: text(raw.contact.nickName),
    avatar: raw.contact.smallHeadImgUrl || undefined,
    memberIdList: raw.members.map((m) => m.userName ?? ''),
    ownerId: raw.owner || undefined,
    adminIdList: raw.members.filter((m) => ((m.chatroomMemberFlag ?? 0) & ADMIN_FLAG) !== 0).map((m) => m.userName ?? ''),
  };
}

export function roomMemberPayload(raw: RawMember): PUPPET.payloads.RoomMember {
  return {
    id: raw.userName ?? '',
    name: raw.nickName ?? '',
    roomAlias: raw.displayName || undefined,
    avatar: raw.bigHeadImgUrl || raw.smallHeadImgUrl || '',
    inviterId: raw.inviterUserName || undefined,
  };
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false });

/** WeChat's message XML as an object; null when the content is not XML. */
export function parseXml(content: string): Record<string, any> | null {
  if (!content.trimStart().startsWith('<')) return null;
  try {
    return xml.parse(content) as Record<string, any>;
  } catch {
    return null;
  }
}

/** The appmsg `<type>` of a 49 message, 0 when there is none. */
export function appMsgType(raw: RawMessage): number {
  return Number(parseXml(raw.content)?.msg?.appmsg?.type ?? 0);
}

function messageType(raw: RawMessage): PUPPET.types.Message {
  const T = PUPPET.types.Message;
  switch (raw.msg_type) {
    case 1: return T.Text;
    case 3: return T.Image;
    case 34: return T.Audio;
    case 42: return T.Contact;
    case 43: case 62: return T.Video;
    case 47: return T.Emoticon;
    case 48: return T.Location;
    case 49: {
      const type = appMsgType(raw);
      if (type === 6) return T.Attachment;
      if (type === 5) return T.Url;
      if (type === 33 || type === 36) return T.MiniProgram;
      if (type === 57) return T.Text;
      if (type === 19) return T.ChatHistory;
      return T.Unknown;
    }
    case 10002: return T.Recalled;
    default: return T.Unknown;
  }
}

/** Mentions of a room message: `<atuserlist>` of its msgsource, comma-separated. */
function mentions(source: string | undefined): string[] {
  const list = source?.match(/<atuserlist>(?:<!\[CDATA\[)?([^<\]]*)/)?.[1] ?? '';
  return list.split(',').map((s) => s.trim()).filter(Boolean);
}

export function messagePayload(raw: RawMessage, self: string): PUPPET.payloads.Message {
  const type = messageType(raw);
  const appmsg = raw.msg_type === 49 ? parseXml(raw.content)?.msg?.appmsg : undefined;
  const base = {
    id: raw.msg_id,
    timestamp: raw.create_time * 1000,
    type,
    // A quote (appmsg 57) reads as its reply text; other appmsgs keep their XML, as WeChat clients show them.
    text: type === PUPPET.types.Message.Text && appmsg ? String(appmsg.title ?? '') : raw.content,
    filename: type === PUPPET.types.Message.Attachment ? String(appmsg?.title ?? '') : undefined,
  };
  const roomId = raw.is_chatroom_msg === 1 || isRoomId(raw.from_username) || isRoomId(raw.to_username)
    ? (raw.chatroom || (isRoomId(raw.from_username) ? raw.from_username : raw.to_username))
    : '';
  if (roomId) {
    return { ...base, roomId, talkerId: raw.chatroom_sender || raw.from_username, mentionIdList: mentions(raw.source) };
  }
  // One-to-one: the talker sent it, the listener got it (the account's own sends come back with from = the account).
  return { ...base, talkerId: raw.from_username, listenerId: raw.to_username || self };
}
