// Quotes on the iLink wire: a sendmessage text item's ref_msg as the refer_msg of /msg/send_refer_msg.
import { ApiError } from '@wxgate/contract';
import { ILINK_ITEM } from '../../wechat/ilink-protocol.ts';

type Body = Record<string, unknown>;
const isObject = (v: unknown): v is Body => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (what: string) => new ApiError('ILINK_BAD_REQUEST', `the iLink request is malformed: ${what}`);

/** WeChat's msg_type of a quoted iLink item type. */
const WECHAT_TYPE_OF_ITEM: Readonly<Record<number, number>> = {
  [ILINK_ITEM.TEXT]: 1, [ILINK_ITEM.IMAGE]: 3, [ILINK_ITEM.VOICE]: 34, [ILINK_ITEM.FILE]: 49, [ILINK_ITEM.VIDEO]: 43,
};

/**
 * The refer_msg of a quote: the quoted message is named by `svr_id` (or its item's `msg_id`), which is the WeChat
 * message id getupdates gave; the instance finds it in the chat and quotes it as WeChat shows it. The quoted text, when
 * given, is used only if the instance does not have that message.
 */
export function referMsgOf(ref: unknown, peer: string, index: number): Body {
  const where = `msg.item_list[${index}].ref_msg`;
  if (!isObject(ref)) throw bad(`${where} must be an object`);
  const item = ref.message_item;
  if (item !== undefined && !isObject(item)) throw bad(`${where}.message_item must be an object`);
  const id = ref.svr_id ?? item?.msg_id;
  if (typeof id !== 'string' || !/^\d{1,20}$/.test(id)) throw bad(`${where}.svr_id (or message_item.msg_id) must be the id of the quoted message`);
  const quotedText = isObject(item?.text_item) ? item.text_item.text : undefined;
  const title = ref.title;
  if (quotedText !== undefined && typeof quotedText !== 'string') throw bad(`${where}.message_item.text_item.text must be a string`);
  if (title !== undefined && typeof title !== 'string') throw bad(`${where}.title must be a string`);
  const msgType = typeof item?.type === 'number' ? WECHAT_TYPE_OF_ITEM[item.type] ?? 1 : 1;
  return { msg_type: msgType, msg_id: id, from_username: peer, from_nickname: '', content: quotedText ?? title ?? '' };
}
