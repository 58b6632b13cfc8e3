// Incoming iLink messages into wxgate's outbox: WeixinMessage → the vendor's 1010, published in ONE transaction with
// the conversations' context tokens and the new get_updates_buf, so a crash or restart neither loses nor repeats one.
import { MSG_TYPES, NOTIFY_TYPES } from '@wxgate/contract';
import type { IlinkLinkRecord, Store } from '../../storage/ports.ts';
import type { DriverEvent, DriverEventSink } from '../driver.ts';
import { ILINK_ITEM } from '../../wechat/ilink-protocol.ts';
import { APP_TYPES, appMsgXml } from '../sandbox/msg/msg-xml.ts';
import type { IlinkMessageItem, IlinkUpdates, IlinkWeixinMessage } from './ilink-client.ts';
import { mediaItemOf, type IncomingContent } from './ilink-media-in.ts';

/** proto MessageType.BOT. */
const FROM_BOT = 2;
/** WeChat's msg_type of a quoted iLink item type (what <refermsg><type> says). */
const WECHAT_TYPE_OF_ITEM: Readonly<Record<number, number>> = {
  [ILINK_ITEM.TEXT]: MSG_TYPES.Text, [ILINK_ITEM.IMAGE]: MSG_TYPES.Image, [ILINK_ITEM.VOICE]: MSG_TYPES.Voice, [ILINK_ITEM.FILE]: MSG_TYPES.App, [ILINK_ITEM.VIDEO]: MSG_TYPES.Video,
};

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

type Node = Record<string, unknown>;
const node = (v: unknown): Node => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Node : {});
const isText = (item: IlinkMessageItem | null | undefined) => item?.type === ILINK_ITEM.TEXT && typeof item.text_item?.text === 'string';

/** The items of a message, junk left out. */
const itemsOf = (m: IlinkWeixinMessage): IlinkMessageItem[] => (Array.isArray(m.item_list) ? m.item_list.filter((i) => typeof i === 'object' && i !== null) : []);

/** Whether a message is delivered as a media message (it has no text, and a media item): its content is fetched first. */
export function mediaOf(m: IlinkWeixinMessage, ownWxid: string): IlinkMessageItem | undefined {
  if (!deliverable(m, ownWxid)) return undefined;
  const items = itemsOf(m);
  return items.some(isText) ? undefined : mediaItemOf(items);
}

const deliverable = (m: IlinkWeixinMessage, ownWxid: string) => {
  const from = idOf(m.from_user_id);
  return m.message_type !== FROM_BOT && from !== '' && from !== ownWxid;
};

/**
 * A text item's quote (`ref_msg`) as the quote 1010 WeChat delivers (49, appmsg type 57): the reply is the title, the
 * quoted message's id, kind and text (its `message_item`, else `title`) go into <refermsg>. iLink does not say who sent
 * the quoted message: <chatusr> stays empty and <fromusr> names the chat.
 */
function quoteContent(item: IlinkMessageItem, sender: string, chat: string): string | undefined {
  const ref = node(item.ref_msg);
  if (Object.keys(ref).length === 0) return undefined;
  const quoted = node(ref.message_item);
  const svrId = idOf(ref.svr_id) || idOf(quoted.msg_id);
  const quotedText = typeof node(quoted.text_item).text === 'string' ? node(quoted.text_item).text as string : typeof ref.title === 'string' ? ref.title : '';
  const quotedType = typeof quoted.type === 'number' ? WECHAT_TYPE_OF_ITEM[quoted.type] ?? MSG_TYPES.Text : MSG_TYPES.Text;
  return appMsgXml({
    appid: '', type: APP_TYPES.quote, title: item.text_item!.text!, fromUsername: sender,
    refer: { msgType: quotedType, msgId: svrId || '0', fromUsr: chat, chatUsr: '', displayName: '', content: quotedText, msgSource: '', createTime: 0 },
  });
}

/**
 * The 1010 a WeixinMessage becomes, or null when it is not one the driver delivers: the bot's own messages, and
 * messages without a text or media item. Texts are joined; a text with ref_msg is a quote; a message without text is
 * its media item, whose fields `media` carries (what storeIncomingMedia made of it, fetched before the transaction).
 */
export function toNewMsg(m: IlinkWeixinMessage, ownWxid: string, now: number, media?: IncomingContent): IlinkNewMsg | null {
  if (!deliverable(m, ownWxid)) return null;
  const from = idOf(m.from_user_id);
  const items = itemsOf(m);
  const texts = items.filter(isText);
  const room = idOf(m.group_id);
  let msgType: number = MSG_TYPES.Text;
  let content: string;
  const quote = texts.length === 1 ? quoteContent(texts[0]!, from, room || from) : undefined;
  if (quote) {
    msgType = MSG_TYPES.App;
    content = quote;
  } else if (texts.length > 0) {
    content = texts.map((item) => item.text_item!.text!).join('\n');
  } else if (media) {
    msgType = media.msgType;
    content = media.content;
  } else {
    return null;
  }
  const sentAt = typeof m.create_time_ms === 'number' && Number.isFinite(m.create_time_ms) && m.create_time_ms > 0 ? m.create_time_ms : now;
  return {
    from_username: room || from,
    to_username: ownWxid,
    chatroom_sender: room ? from : '',
    chatroom: room,
    is_chatroom_msg: room ? 1 : 0,
    // iLink's message ids are 64-bit decimal, like WeChat's; a message without one is named by its sequence number.
    msg_id: messageIdOf(m),
    msg_type: msgType,
    content,
    // The push text WeChat shows would name the sender's nickname, which iLink does not send.
    desc: '',
    source: '<msgsource />',
    create_time: Math.floor(sentAt / 1000),
  };
}

/** The 1010 msg_id of a message. */
export const messageIdOf = (m: IlinkWeixinMessage): string => idOf(m.message_id) || idOf(m.seq) || '0';

/**
 * Publishes one getupdates answer for the link it was fetched with: 1010s, context tokens and the cursor commit
 * together. Answers false (nothing written) when the link changed meanwhile (a new login, a logout): that answer
 * belonged to a bot the instance no longer has.
 */
export async function publishUpdates(
  store: Store, sink: DriverEventSink, link: IlinkLinkRecord, updates: IlinkUpdates, now: number,
  media: ReadonlyMap<IlinkWeixinMessage, IncomingContent> = new Map(),
): Promise<boolean> {
  return store.transaction(async (tx) => {
    const current = await tx.ilinkLinks.get(link.guid);
    if (!current || current.botToken !== link.botToken || current.updatesBuf !== link.updatesBuf) return false;
    const events: DriverEvent[] = [];
    for (const m of updates.msgs) {
      const peer = conversationOf(m);
      const contextToken = contextTokenOf(m);
      if (peer && contextToken) await tx.ilinkLinks.setContextToken(link.guid, peer, contextToken, now);
      const content = media.get(m);
      const data = toNewMsg(m, link.ilinkUserId, now, content);
      if (!data) continue;
      events.push({ notifyType: NOTIFY_TYPES.NewMsg, data });
      // download_voice names a voice by its message id: where its CDN object is.
      if (content?.voice) await tx.ilinkLinks.setVoice(link.guid, data.msg_id, content.voice, now);
    }
    if (events.length > 0) await sink.emit(link.guid, events, tx);
    await tx.ilinkLinks.setUpdatesBuf(link.guid, updates.get_updates_buf);
    return true;
    // One poll loop per instance writes here, but a logout or a new login may race it: they take the same key.
  }, { serializeOn: `ilink-link:${link.guid}` });
}
