// iLink's wire shapes from wxgate's outbox: 1010 messages as WeixinMessage, and the get_updates_buf cursor.
import { NOTIFY_TYPES } from '@wxgate/contract';
import type { EventRecord } from '../../storage/ports.ts';
import { ILINK_MESSAGE_STATE, ILINK_MESSAGE_TYPE, type WeixinMessage } from '../../wechat/ilink-protocol.ts';
import { incomingItem, type CdnReferrer } from './ilink-incoming-items.ts';

export { ILINK_ITEM } from '../../wechat/ilink-protocol.ts';
export type { WeixinMessage } from '../../wechat/ilink-protocol.ts';

interface NewMsg {
  from_username?: string;
  to_username?: string;
  chatroom_sender?: string;
  create_time?: number;
  msg_id?: string;
  msg_type?: number;
  content?: string;
}

/** The 1010 messages an event carries (a 1011 batch carries several). */
function messagesOf(event: EventRecord): NewMsg[] {
  if (event.notifyType === NOTIFY_TYPES.NewMsg) return [event.data as NewMsg];
  if (event.notifyType === NOTIFY_TYPES.BatchNewMsg && Array.isArray(event.data)) return event.data as NewMsg[];
  return [];
}

/**
 * The messages an event gives an iLink bot: text, media and quotes that others sent to the instance (what the account
 * sends itself is not an incoming message). `seq` is the event's sn, so the order is the outbox's.
 */
export function toWeixinMessages(
  event: EventRecord,
  bot: { readonly ilinkBotId: string; readonly ownWxid: string | null },
  contextToken: (peer: string) => string,
  cdnRef: CdnReferrer,
): WeixinMessage[] {
  if (event.filtered) return [];
  return messagesOf(event).flatMap((m) => {
    if (typeof m.msg_type !== 'number' || typeof m.content !== 'string' || !m.from_username) return [];
    const room = m.from_username.endsWith('@chatroom') ? m.from_username : undefined;
    const sender = room ? (m.chatroom_sender || '') : m.from_username;
    if (!sender || sender === bot.ownWxid) return [];
    // A room message's content may still carry WeChat's "sender:\n" prefix; the sender is in from_user_id already.
    const text = room && m.content.startsWith(`${sender}:\n`) ? m.content.slice(sender.length + 2) : m.content;
    const peer = room ?? sender;
    const createTimeMs = (m.create_time ?? Math.floor(event.createdAt / 1000)) * 1000;
    const messageId = m.msg_id ?? event.id;
    const item = incomingItem({ msgType: m.msg_type, content: text, msgId: messageId, room }, cdnRef);
    if (!item) return [];
    return [{
      seq: event.sn,
      message_id: messageId,
      from_user_id: sender,
      to_user_id: bot.ilinkBotId,
      client_id: event.id,
      create_time_ms: createTimeMs,
      session_id: peer,
      ...(room ? { group_id: room } : {}),
      message_type: ILINK_MESSAGE_TYPE.USER,
      message_state: ILINK_MESSAGE_STATE.FINISH,
      item_list: [{ ...item, create_time_ms: createTimeMs, msg_id: messageId, is_completed: true }],
      context_token: contextToken(peer),
    }];
  });
}

const CURSOR_PREFIX = 'wxgate-ilink:1:';

/** get_updates_buf: base64 (the protocol's bytes fields are base64) of the last outbox sn the answer covered. */
export const encodeCursor = (sn: number): string => Buffer.from(`${CURSOR_PREFIX}${sn}`).toString('base64');

/** The sn a get_updates_buf names; undefined for "" or a buf wxgate did not issue (a reset, as the protocol has it). */
export function decodeCursor(buf: string): number | undefined {
  if (!buf) return undefined;
  const text = Buffer.from(buf, 'base64').toString();
  if (!text.startsWith(CURSOR_PREFIX)) return undefined;
  const sn = Number(text.slice(CURSOR_PREFIX.length));
  return Number.isSafeInteger(sn) && sn >= 0 ? sn : undefined;
}
