// Wechaty's tags as wxgate's contact labels: a tag id is a label id; WeChat sets a contact's whole label list at once.
import type { WxgateInstancePort as Port } from './instance-port.ts';

/** A Wechaty tag id is a wxgate label id (an integer); anything else names no label. */
export function labelNumber(tagId: string): number {
  const id = Number(tagId);
  if (!Number.isInteger(id) || id < 0) throw new Error(`wxgate: tag id ${JSON.stringify(tagId)} is not a label id (an integer)`);
  return id;
}

/** Every label of the account, or the labels on one contact. */
export async function tagsOf(port: Port, contactId?: string): Promise<string[]> {
  const answer = await port.call('/label/get_contact_label_list', {}) as { labelPairList?: Array<{ labelId?: number }> };
  const all = (answer.labelPairList ?? []).map((l) => Number(l.labelId));
  if (contactId === undefined) return all.map(String);
  if (all.length === 0) return [];
  // get_contact does not carry the account's labels on a contact; the labels' contact list does.
  const tagged = await port.call('/label/get_contacts', { label_id_list: all });
  return (tagged.find((row) => row.username === contactId)?.label_id_list ?? []).map(String);
}

/** Adds (`on` true) or removes the tag on the contact; answers whether the contact's labels changed. */
export async function setTag(port: Port, tagId: string, contactId: string, on: boolean): Promise<boolean> {
  labelNumber(tagId);
  const labels = await tagsOf(port, contactId);
  if (labels.includes(tagId) === on) return false;
  const next = on ? [...labels, tagId] : labels.filter((l) => l !== tagId);
  await port.call('/label/modify_contact_label_list', { username_list: [contactId], label_id_list: next.map(labelNumber) });
  return true;
}

export async function deleteTag(port: Port, tagId: string): Promise<void> {
  await port.call('/label/del_contact_label', { label_id: labelNumber(tagId) });
}
