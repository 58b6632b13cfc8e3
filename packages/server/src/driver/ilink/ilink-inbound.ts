// Incoming iLink messages into wxgate's outbox: WeixinMessage → the vendor's 1010, published in ONE transaction with
// the conversations' context tokens and the new get_updates_buf, so a crash or restart neither loses nor repeats one.
import { MSG_TYPES, NOTIFY_TYPES } from '@wxgate/contract';
import type { IlinkLinkRecord, Store } from '../../storage/ports.ts';
import type { DriverEvent, DriverEventSink } from '../driver.ts';
import type { IlinkUpdates, IlinkWeixinMessage } from './ilink-client.ts';

/** proto MessageItemType.TEXT and MessageType.BOT. */
const ITEM_TEXT = 1;
const FROM_BOT = 2;

/** The vendor's 1010 fields (spec README §3). */
export interface IlinkNewMsg {
  readonly from_username: string;
  readonly to_username: string;
  readonly chatroom_sender: string;
  readonly chatroom: string;
  readonly is_chatroom_msg: number;
  readonly msg_id: string;
  readonly msg_type: number;
  readonly content: string;
  readonly desc: string;
  readonly source: string;
  readonly create_time: number;
}

/** A field of the server's JSON when it is a usable id (text, not absurdly long); anything else counts as absent. */
const idOf = (v: unknown): string => (typeof v === 'string' && v.length <= 256 ? v : typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : '');

/** The conversation a message belongs to: the room for a group message, else the sender. */
export const conversationOf = (m: IlinkWeixinMessage): string => idOf(m.group_id) || idOf(m.from_user_id);

/** A context_token worth keeping: text of a sane length (a server's junk must not stop the poll loop). */
export const contextTokenOf = (m: IlinkWeixinMessage): string | undefined =>
  typeof m.context_token === 'string' && m.context_token.length > 0 && m.context_token.length <= 4096 ? m.context_token : undefined;

/**
 * The 1010 a WeixinMessage becomes, or null when it is not one the driver delivers: the bot's own messages, and (so
 * far) messages without a text item — media items are not translated yet (docs/ilink.md, "The ilink driver").
 */
export function toNewMsg(m: IlinkWeixinMessage, ownWxid: string, now: number): IlinkNewMsg | null {
  const from = idOf(m.from_user_id);
  if (m.message_type === FROM_BOT || !from || from === ownWxid) return null;
  const items = Array.isArray(m.item_list) ? m.item_list : [];
  const texts = items.filter((item) => item?.type === ITEM_TEXT && typeof item.text_item?.text === 'string').map((item) => item.text_item!.text!);
  if (texts.length === 0) return null;
  const room = idOf(m.group_id);
  const sentAt = typeof m.create_time_ms === 'number' && Number.isFinite(m.create_time_ms) && m.create_time_ms > 0 ? m.create_time_ms : now;
  return {
    from_username: room || from,
    to_username: ownWxid,
    chatroom_sender: room ? from : '',
    chatroom: room,
    is_chatroom_msg: room ? 1 : 0,
    // iLink's message ids are 64-bit decimal, like WeChat's; a message without one is named by its sequence number.
    msg_id: idOf(m.message_id) || idOf(m.seq) || '0',
    msg_type: MSG_TYPES.Text,
    content: texts.join('\n'),
    // The push text WeChat shows would name the sender's nickname, which iLink does not send.
    desc: '',
    source: '<msgsource />',
    create_time: Math.floor(sentAt / 1000),
  };
}

/**
 * Publishes one getupdates answer for the link it was fetched with: 1010s, context tokens and the cursor commit
 * together. Answers false (nothing written) when the link changed meanwhile (a new login, a logout): that answer
 * belonged to a bot the instance no longer has.
 */
export async function publishUpdates(store: Store, sink: DriverEventSink, link: IlinkLinkRecord, updates: IlinkUpdates, now: number): Promise<boolean> {
  return store.transaction(async (tx) => {
    const current = await tx.ilinkLinks.get(link.guid);
    if (!current || current.botToken !== link.botToken || current.updatesBuf !== link.updatesBuf) return false;
    const events: DriverEvent[] = [];
    for (const m of updates.msgs) {
      const peer = conversationOf(m);
      const contextToken = contextTokenOf(m);
      if (peer && contextToken) await tx.ilinkLinks.setContextToken(link.guid, peer, contextToken, now);
      const data = toNewMsg(m, link.ilinkUserId, now);
      if (data) events.push({ notifyType: NOTIFY_TYPES.NewMsg, data });
    }
    if (events.length > 0) await sink.emit(link.guid, events, tx);
    await tx.ilinkLinks.setUpdatesBuf(link.guid, updates.get_updates_buf);
    return true;
    // One poll loop per instance writes here, but a logout or a new login may race it: they take the same key.
  }, { serializeOn: `ilink-link:${link.guid}` });
}
