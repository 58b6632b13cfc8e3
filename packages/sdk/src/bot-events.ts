// Which bot handler a callback goes to: notify_type (and msg_type for 1010) → `message`, `friend-request`, `room-join`, …
import type { NewMessage } from './content-types.ts';
import type { CallbackEvent } from './webhook.ts';

/** 1046 RoomMemberAdd / 1048 RoomMemberDel: who joined or left which room, and who did it. */
export interface RoomMembersChange {
  readonly room: string;
  readonly roomName: string;
  /** The wxids that joined (room-join) or left / were removed (room-leave). */
  readonly members: readonly string[];
  /** Who invited or removed them (the member itself when it left on its own). */
  readonly operator: string;
  readonly memberCount: number;
  readonly time: number;
}

/** 1003 UserLogin / 1004 UserLogout. */
export interface AccountChange {
  readonly wxid: string;
  readonly nickName: string;
  readonly reason: string;
  readonly time: number;
}

/** The handler a callback is dispatched to, with what it gets. */
export type BotDispatch =
  | { readonly name: 'message'; readonly message: NewMessage }
  | { readonly name: 'friend-request'; readonly message: NewMessage }
  | { readonly name: 'room-join' | 'room-leave'; readonly change: RoomMembersChange }
  | { readonly name: 'login' | 'logout'; readonly change: AccountChange };

const NOTIFY = { login: 1003, logout: 1004, message: 1010, batch: 1011, roomMemberAdd: 1046, roomMemberDel: 1048 } as const;
const FRIEND_REQUEST_MSG_TYPE = 37;

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const int = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

function ofMessage(message: NewMessage): BotDispatch {
  // WeChat delivers friend requests as 1010s of msg_type 37 from the system account `fmessage`.
  return message.msg_type === FRIEND_REQUEST_MSG_TYPE ? { name: 'friend-request', message } : { name: 'message', message };
}

function roomChange(data: Record<string, unknown>): RoomMembersChange {
  return {
    room: str(data.chatroom),
    roomName: str(data.chatroom_name),
    members: Array.isArray(data.member_list) ? data.member_list.filter((m): m is string => typeof m === 'string') : [],
    operator: str(data.operator),
    memberCount: int(data.member_count),
    time: int(data.time),
  };
}

/**
 * The handlers one callback goes to, in order: a 1011 batch gives one per message; types without a named handler
 * (contacts, QR codes, faults) give none and reach only `event` handlers.
 */
export function dispatchOf(event: CallbackEvent): BotDispatch[] {
  const data = event.data as unknown;
  switch (event.notify_type) {
    case NOTIFY.message:
      return data && typeof data === 'object' && !Array.isArray(data) ? [ofMessage(data as NewMessage)] : [];
    case NOTIFY.batch:
      return Array.isArray(data) ? data.filter((m) => m && typeof m === 'object').map((m) => ofMessage(m as NewMessage)) : [];
    case NOTIFY.roomMemberAdd:
      return [{ name: 'room-join', change: roomChange(data as Record<string, unknown>) }];
    case NOTIFY.roomMemberDel:
      return [{ name: 'room-leave', change: roomChange(data as Record<string, unknown>) }];
    case NOTIFY.login:
    case NOTIFY.logout: {
      const d = data as Record<string, unknown>;
      const change = { wxid: str(d.wxid), nickName: str(d.nick_name), reason: str(d.reason), time: int(d.login_time ?? d.time) };
      return [{ name: event.notify_type === NOTIFY.login ? 'login' : 'logout', change }];
    }
    default:
      return [];
  }
}
