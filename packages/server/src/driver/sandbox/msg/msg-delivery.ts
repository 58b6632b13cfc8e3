// The world's message engine: who may send to whom (friendship, room membership, risk control, length), the archive
// row a message becomes (stored once), and the 1010 each instance that should see it gets — inside the caller's change.
import { createHash } from 'node:crypto';
import { invalidField, MSG_TYPES, NOTIFY_TYPES, wechatRefusal } from '@wxgate/contract';
import type { NewSandboxMessage, SandboxContactEntry, SandboxMessage, SandboxPerson, SandboxRoomMember } from '../../../storage/sandbox-ports.ts';
import { MAX_XML_BYTES } from '../../../wechat/caller-xml.ts';
import { msgSource, pushText } from './msg-xml.ts';
import type { WorldChange } from '../world.ts';

/** How long after sending a message can be revoked (WeChat's 2 minutes). */
export const REVOKE_WINDOW_MS = 2 * 60_000;
/** The longest text message WeChat takes, in characters. */
export const MAX_TEXT_CHARS = 16_384;
/** WeChat's 文件传输助手: messages to it reach only the account's own devices. */
export const FILEHELPER = 'filehelper';
/** send_room_at's @everyone. */
export const AT_ALL = 'notify@all';

export const isRoomId = (username: string): boolean => username.endsWith('@chatroom');
/** An OpenIM (external, WeCom) group: `…@im.chatroom`. */
export const isOpenImRoomId = (username: string): boolean => username.endsWith('@im.chatroom');
/** Any group chat a message can go to: a WeChat room or an OpenIM room. */
export const isGroupChat = (username: string): boolean => isRoomId(username) || isOpenImRoomId(username);

/** The key of a one-to-one conversation: both names sorted and joined by `|`, the same from either side. */
export const privateSession = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

const seconds = (ms: number) => Math.floor(ms / 1000);
const iso = (ms: number) => new Date(ms).toISOString();

/** Where a message goes. */
export type Conversation =
  | {
    readonly kind: 'private'; readonly session: string; readonly username: string; readonly peer: SandboxPerson;
    /** The sender in the peer's contacts (its remark names the sender in the push); undefined when not looked up. */
    readonly senderInPeerContacts?: SandboxContactEntry;
  }
  /** filehelper, or the account itself: only the sender's own devices see it. */
  | { readonly kind: 'self'; readonly session: string; readonly username: string }
  | {
    readonly kind: 'room'; readonly session: string; readonly username: string; readonly ownerWxid: string;
    /** In joining order. */
    readonly members: readonly ConversationMember[];
  };

/** What the message engine needs of a group member (a WeChat room's member row has more). */
export type ConversationMember = Pick<SandboxRoomMember, 'wxid' | 'displayName' | 'admin'>;

export interface OpenOptions {
  /**
   * false for a revoke: taking back one's own message needs neither the friendship nor the membership any more, and
   * risk control does not stop it.
   */
  readonly checkRelation?: boolean;
}

/** Resolves `toUsername` for `sender`, refusing as WeChat does: unknown user or room, not a friend, not a member, muted. */
export async function openConversation(change: WorldChange, sender: SandboxPerson, toUsername: string, options: OpenOptions = {}): Promise<Conversation> {
  const checkRelation = options.checkRelation ?? true;
  const { appId, world } = change;
  // A send's reads are independent of one another: each branch asks them with the restriction at once (on PostgreSQL,
  // one round trip), then checks them in WeChat's order, so the refusal is the same as if they were read one by one.
  const restriction = checkRelation ? world.messages.sendRestriction(appId, sender.wxid) : Promise.resolve(0);
  const withRestriction = async <T extends unknown[]>(...reads: { [K in keyof T]: Promise<T[K]> }): Promise<T> => {
    const [until, ...values] = await Promise.all([restriction, ...reads]);
    if ((until as number) > change.now) {
      throw wechatRefusal('SEND_RESTRICTED', -106, `WeChat's risk control restricts ${sender.wxid} from sending messages until ${iso(until as number)} (ret -106)`);
    }
    return values as T;
  };
  if (toUsername === FILEHELPER || toUsername === sender.wxid) {
    await withRestriction();
    return { kind: 'self', session: privateSession(sender.wxid, toUsername), username: toUsername };
  }
  if (isRoomId(toUsername)) {
    const [room, members] = await withRestriction(world.rooms.get(appId, toUsername), world.rooms.members(appId, toUsername));
    if (!room) throw wechatRefusal('ROOM_NOT_FOUND', -21, `no room ${toUsername} (WeChat ret -21); it was dissolved, or never existed`);
    if (checkRelation && !members.some((m) => m.wxid === sender.wxid)) {
      throw wechatRefusal('NOT_ROOM_MEMBER', -21, `${sender.wxid} is not a member of ${toUsername} (WeChat ret -21); it was removed or left`);
    }
    return { kind: 'room', session: toUsername, username: toUsername, ownerWxid: room.ownerWxid, members };
  }
  if (isOpenImRoomId(toUsername)) {
    // An external group: WeChat and WeCom members alike; the WeCom ones have no instance, so only WeChat members get 1010s.
    const [room, openImMembers] = await withRestriction(world.openim.room(appId, toUsername), world.openim.members(appId, toUsername));
    if (!room) throw wechatRefusal('ROOM_NOT_FOUND', -21, `no OpenIM room ${toUsername} (WeChat ret -21); it was dissolved, or never existed`);
    const members = openImMembers.map((m) => ({ wxid: m.username, displayName: '', admin: false }));
    if (checkRelation && !members.some((m) => m.wxid === sender.wxid)) {
      throw wechatRefusal('NOT_ROOM_MEMBER', -21, `${sender.wxid} is not a member of ${toUsername} (WeChat ret -21); it left or was never invited`);
    }
    return { kind: 'room', session: toUsername, username: toUsername, ownerWxid: room.ownerUsername, members };
  }
  const [peer, senderInPeerContacts] = await withRestriction(
    change.person(toUsername),
    checkRelation ? world.contacts.get(appId, toUsername, sender.wxid) : Promise.resolve(undefined),
  );
  if (!peer) {
    throw wechatRefusal('WECHAT_USER_NOT_FOUND', -4, `no WeChat user ${toUsername} (ret -4); send to a friend's wxid, a room id (…@chatroom) or filehelper`);
  }
  const conversation = { kind: 'private', session: privateSession(sender.wxid, peer.wxid), username: peer.wxid, peer } as const;
  if (!checkRelation) return conversation;
  // Delivery needs the receiver to have the sender in their contacts: someone who deleted you refuses your messages.
  if (!senderInPeerContacts) {
    throw wechatRefusal('NOT_A_FRIEND', -44, `${peer.wxid} does not have ${sender.wxid} as a friend (deleted it, or never accepted), so WeChat refuses the message (ret -44); send a friend request with /contact/add_friend`);
  }
  return { ...conversation, senderInPeerContacts };
}

/** What is sent, before it has ids. */
export interface Outgoing {
  readonly msgType: number;
  /** appmsg <type> for msg_type 49. */
  readonly appType?: number;
  readonly content: string;
  /** What the push text quotes: the text, or an appmsg's title. */
  readonly pushDetail?: string;
  /** wxids (or notify@all) a group message @-mentions. */
  readonly atUserList?: readonly string[];
  /** A revoke: the msg_id it takes back. */
  readonly refersTo?: string;
  /** The content on the sender's own views when it differs (a revoke reads "你撤回了一条消息" there). */
  readonly selfContent?: string;
}

function requireLength(out: Outgoing): void {
  if (out.msgType === MSG_TYPES.Text) {
    const length = [...out.content].length;
    if (length > MAX_TEXT_CHARS) {
      throw wechatRefusal('CONTENT_TOO_LONG', -2, `the text has ${length} characters; WeChat takes at most ${MAX_TEXT_CHARS} (ret -2): split it`);
    }
  } else if (Buffer.byteLength(out.content) > MAX_XML_BYTES) {
    throw wechatRefusal('CONTENT_TOO_LONG', -2, `the message XML is ${Buffer.byteLength(out.content)} bytes; WeChat takes at most ${MAX_XML_BYTES} (ret -2)`);
  }
}

/** The 32-bit local id and the client id WeChat carries beside newMsgId, drawn from one more random 64-bit value. */
function localIds(random64: string): { localId: number; clientMsgId: number } {
  const n = BigInt(random64);
  return { localId: Number(n & 0x7fff_ffffn) || 1, clientMsgId: Number((n >> 32n) & 0x7fff_ffffn) || 1 };
}

/** The per-message signature of <msgsource> (opaque to clients; stable for a message). */
const signatureOf = (msgId: string) => `v1_${createHash('sha256').update(msgId).digest('base64url').slice(0, 8)}`;

/** The 1010 `data` with the observed field set (spec README §3, catalog §4.3). */
export function newMsgData(m: NewSandboxMessage, view: { from: string; to: string; chatroomSender: string; content: string; desc: string }) {
  return {
    from_username: view.from,
    to_username: view.to,
    chatroom_sender: view.chatroomSender,
    chatroom: m.chatroom,
    is_chatroom_msg: m.chatroom ? 1 : 0,
    msg_id: m.msgId,
    msg_type: m.msgType,
    content: view.content,
    desc: view.desc,
    source: m.source,
    create_time: seconds(m.createdAt),
  };
}

/**
 * Archives the message once and raises a 1010 on every instance that should see it: the peer's, every other room
 * member's, and the sender's own (self-sent messages show there as WeChat syncs them to the account's other devices:
 * from_username = the sender, to_username = the peer or room, desc "").
 */
export async function deliver(change: WorldChange, sender: SandboxPerson, conversation: Conversation, out: Outgoing): Promise<NewSandboxMessage> {
  requireLength(out);
  const { appId, world } = change;
  const msgId = change.msgId();
  const { localId, clientMsgId } = localIds(change.msgId());
  const room = conversation.kind === 'room' ? conversation : null;
  const senderInRoom = room?.members.find((m) => m.wxid === sender.wxid);
  const pushInput = { msgType: out.msgType, appType: out.appType ?? 0, text: out.pushDetail ?? '' };
  // The instances of the people who see it (one iPad per account): the sender, the peer or the room's members. Read
  // before the archive insert: from there to the commit the app's sends wait for this one (the archive lock).
  const audience = new Set([sender.wxid]);
  if (conversation.kind === 'private') audience.add(conversation.peer.wxid);
  for (const member of room?.members ?? []) audience.add(member.wxid);
  const instances = await change.instancesOf([...audience]);
  const message: NewSandboxMessage = {
    appId,
    msgId,
    localId,
    clientMsgId,
    session: conversation.session,
    fromWxid: sender.wxid,
    toUsername: conversation.username,
    chatroom: room ? room.username : '',
    msgType: out.msgType,
    appType: out.appType ?? 0,
    content: out.content,
    source: msgSource({ atUserList: out.atUserList, memberCount: room?.members.length, signature: signatureOf(msgId) }),
    pushDesc: pushText({ senderName: senderInRoom?.displayName || sender.nickname, ...pushInput }),
    refersTo: out.refersTo ?? '',
    createdAt: change.now,
  };
  // With the commit, like the callbacks below: the app's archive lock is then held only while PostgreSQL runs them.
  await world.messages.insertWithCommit(message);

  const emitTo = (wxid: string, data: ReturnType<typeof newMsgData>) => {
    const guid = instances.get(wxid);
    if (guid) change.emit(guid, NOTIFY_TYPES.NewMsg, data);
  };
  if (conversation.kind === 'private') {
    const { peer } = conversation;
    if (instances.has(peer.wxid)) {
      // The push names the sender as the receiver saved them (remark), else by nickname.
      const entry = conversation.senderInPeerContacts ?? await world.contacts.get(appId, peer.wxid, sender.wxid);
      const remark = entry?.remark;
      const desc = pushText({ senderName: remark || sender.nickname, ...pushInput });
      emitTo(peer.wxid, newMsgData(message, { from: sender.wxid, to: peer.wxid, chatroomSender: '', content: out.content, desc }));
    }
  } else if (room) {
    const senderName = senderInRoom?.displayName || sender.nickname;
    const mentionsAll = out.atUserList?.includes(AT_ALL) ?? false;
    for (const member of room.members) {
      if (member.wxid === sender.wxid || !instances.has(member.wxid)) continue;
      const mentioned = mentionsAll || (out.atUserList?.includes(member.wxid) ?? false);
      const desc = mentioned ? `${senderName}在群聊中@了你` : pushText({ senderName, ...pushInput });
      emitTo(member.wxid, newMsgData(message, { from: room.username, to: member.wxid, chatroomSender: sender.wxid, content: out.content, desc }));
    }
  }
  emitTo(sender.wxid, newMsgData(message, {
    from: sender.wxid,
    to: conversation.username,
    chatroomSender: room ? sender.wxid : '',
    content: out.selfContent ?? out.content,
    desc: '',
  }));
  return message;
}

/** A message `me` sent in `toUsername` and may still take back; the reasons why not, as WeChat gives them. */
export async function revocableMessage(change: WorldChange, me: SandboxPerson, toUsername: string, msgId: string): Promise<SandboxMessage> {
  const message = /^\d{1,20}$/.test(msgId) ? await change.world.messages.get(change.appId, msgId) : undefined;
  const inChat = message && (message.chatroom ? message.chatroom === toUsername : message.toUsername === toUsername);
  if (!message || !inChat || message.fromWxid !== me.wxid || message.msgType === MSG_TYPES.SysMsg) {
    throw wechatRefusal('MESSAGE_NOT_FOUND', -2, `${me.wxid} sent no message ${msgId} to ${toUsername} (WeChat ret -2); pass the newMsgId the send call returned, with the same to_username`);
  }
  if (message.revokedAt !== null) throw wechatRefusal('MESSAGE_ALREADY_REVOKED', -2, `message ${msgId} was already revoked at ${iso(message.revokedAt)}`);
  if (change.now - message.createdAt > REVOKE_WINDOW_MS) {
    throw wechatRefusal('REVOKE_TIME_LIMIT', -430, `message ${msgId} was sent at ${iso(message.createdAt)}; WeChat allows revoking for 2 minutes (ret -430)`);
  }
  return message;
}

/** A room member `wxid`, or a 422 on `field` naming the room. */
export function requireMember(conversation: Conversation & { kind: 'room' }, wxid: string, field: string): ConversationMember {
  const member = conversation.members.find((m) => m.wxid === wxid);
  if (!member) throw invalidField(field, `${wxid} is not a member of ${conversation.username}`);
  return member;
}
