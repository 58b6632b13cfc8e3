// wxgate's callbacks (the instance's outbox) turned into the events a Wechaty puppet emits.
import { NOTIFY_TYPES } from '@wxgate/contract';
import * as PUPPET from 'wechaty-puppet';
import { roomInvitationPayload } from './payloads-kinds.ts';
import { isRoomId, text, type RawContact, type RawMessage } from './payloads.ts';
import type { InstanceEvent } from './instance-port.ts';

/** What the mapping needs of the puppet: its emitter, its login state and the caches the payload calls read. */
export interface EventTarget {
  emit(event: string, payload: unknown): boolean;
  readonly isLoggedIn: boolean;
  readonly currentUserId: string;
  login(wxid: string): void;
  logout(reason?: string): Promise<void>;
  /** Keeps a received message so messageRawPayload answers it without searching the archive. */
  remember(message: RawMessage): void;
  /** A room the account is in, heard of by a join or a change of the room's contact. */
  heardOfRoom(roomId: string): void;
  /** Remembers a room's topic as seen now (a 1200 or a payload read). */
  noteTopic(roomId: string, topic: string): void;
  /** The topic a room had before `topic` ('' when never seen). */
  topicBefore(roomId: string, topic: string): string;
  /** The wxid of the room member whose room nickname or nickname is `name` ('' when none is). */
  memberNamed(roomId: string, name: string): Promise<string>;
}

/** 1002's `status` (check_login_qrcode) as Wechaty's scan status. */
const SCAN_STATUS: Record<number, PUPPET.types.ScanStatus> = {
  0: PUPPET.types.ScanStatus.Waiting,
  1: PUPPET.types.ScanStatus.Scanned,
  2: PUPPET.types.ScanStatus.Confirmed,
  4: PUPPET.types.ScanStatus.Timeout,
};

/** The friend request's 1010 comes from this sender with msg_type 37 (docs/sandbox.md). */
const FRIEND_REQUEST = 37;

interface RoomNotice {
  readonly chatroom: string;
  readonly chatroom_name?: string;
  readonly operator: string;
  readonly member_list: readonly string[];
  readonly time: number;
}

export async function emitFor(target: EventTarget, event: InstanceEvent): Promise<void> {
  const data = event.data as Record<string, any>;
  switch (event.notifyType) {
    case NOTIFY_TYPES.LoginQRCodeChange: {
      const status = SCAN_STATUS[Number(data.status)] ?? PUPPET.types.ScanStatus.Unknown;
      // A confirmed scan is followed by 1003, which logs in; the scan event still tells the bot it was confirmed.
      target.emit('scan', { status, qrcode: data.qrcode_content ?? undefined, data: data.uuid ?? undefined });
      return;
    }
    case NOTIFY_TYPES.UserLogin:
      if (!target.isLoggedIn) target.login(String(data.wxid));
      return;
    case NOTIFY_TYPES.UserLogout:
      if (target.isLoggedIn) await target.logout(String(data.reason ?? 'logout'));
      return;
    case NOTIFY_TYPES.NewMsg:
      await emitMessage(target, data as RawMessage);
      return;
    case NOTIFY_TYPES.BatchNewMsg:
      for (const message of data as unknown as RawMessage[]) await emitMessage(target, message);
      return;
    case NOTIFY_TYPES.RoomAdd:
    case NOTIFY_TYPES.RoomMemberAdd: {
      const n = data as RoomNotice;
      target.heardOfRoom(n.chatroom);
      target.emit('room-join', { roomId: n.chatroom, inviteeIdList: [...n.member_list], inviterId: n.operator, timestamp: n.time });
      return;
    }
    case NOTIFY_TYPES.RoomQuit:
    case NOTIFY_TYPES.RoomDelMe:
    case NOTIFY_TYPES.RoomMemberDel: {
      const n = data as RoomNotice;
      target.emit('room-leave', { roomId: n.chatroom, removeeIdList: [...n.member_list], removerId: n.operator, timestamp: n.time });
      return;
    }
    case NOTIFY_TYPES.ModContact:
      contactChanged(target, data as RawContact);
      return;
    case NOTIFY_TYPES.DelContact:
      target.emit('dirty', { payloadType: PUPPET.types.Dirty.Contact, payloadId: text((data as RawContact).userName) });
      return;
    case NOTIFY_TYPES.HeartBeatError:
      target.emit('error', { data: `heartbeat error: ${String(data.reason ?? '')}` });
      return;
    default:
      // Every other callback (1001, 1005, 1009, 1039–1041, …) says nothing Wechaty has an event for; it still shows life.
      target.emit('heartbeat', { data: `wxgate ${event.notifyType}` });
  }
}

async function emitMessage(target: EventTarget, message: RawMessage): Promise<void> {
  target.remember(message);
  if (message.msg_type === FRIEND_REQUEST && message.from_username === 'fmessage') {
    target.emit('friendship', { friendshipId: message.msg_id });
    return;
  }
  target.emit('message', { messageId: message.msg_id });
  // An invitation card is a message too (WeChat shows it in the chat); Wechaty's room-invite event tells of it as well.
  if (roomInvitationPayload(message, target.isLoggedIn ? target.currentUserId : '')) target.emit('room-invite', { roomInvitationId: message.msg_id });
  const rename = message.msg_type === SYSTEM && isRoomId(message.from_username) ? renameLine(message.content) : undefined;
  if (rename) {
    const roomId = message.from_username;
    // WeChat's ModContact does not say who renamed the room; its system line does, by name ("你" being the account).
    const changerId = rename.by === null ? target.currentUserId : await target.memberNamed(roomId, rename.by);
    target.emit('room-topic', {
      roomId, newTopic: rename.topic, oldTopic: target.topicBefore(roomId, rename.topic), changerId, timestamp: message.create_time * 1000,
    });
  }
}

/** A system line of a room (msg_type 10000). */
const SYSTEM = 10000;

/** The rename a room's system line tells: `"Alice"修改群名为"X"` (by Alice) or `你修改群名为"X"` (by the account, `by` null). */
export function renameLine(content: string): { by: string | null; topic: string } | undefined {
  const other = /^"(.+)"修改群名为"(.*)"$/s.exec(content);
  if (other) return { by: other[1]!, topic: other[2]! };
  const own = /^你修改群名为"(.*)"$/s.exec(content);
  return own ? { by: null, topic: own[1]! } : undefined;
}

/** A changed contact (1200) makes its cached payload stale; a room's new name is remembered for its room-topic. */
function contactChanged(target: EventTarget, contact: RawContact): void {
  const id = text(contact.userName);
  if (!isRoomId(id)) {
    target.emit('dirty', { payloadType: PUPPET.types.Dirty.Contact, payloadId: id });
    return;
  }
  if (contact.isInChatRoom === 1) target.heardOfRoom(id);
  target.noteTopic(id, text(contact.nickName));
  target.emit('dirty', { payloadType: PUPPET.types.Dirty.Room, payloadId: id });
}
