// The /label/* operations of one instance: the account's contact labels (标签) — listing, creating with unique names,
// renaming, deleting (off every contact too), setting a contact's labels — and the two local-store label queries.
import { invalidField, wechatRefusal } from '@wxgate/contract';
import type { SandboxLabel, SandboxPerson } from '../../storage/sandbox-ports.ts';
import type { DriverOperations } from '../driver.ts';
import { notifyContactChanged } from './contact/contact.ts';
import { OK_BASE_RESPONSE } from './wechat-objects.ts';
import { requireAccount, type World, type WorldChange } from './world.ts';

const labelPair = (label: SandboxLabel) => ({ labelName: label.name, labelId: label.labelId });

/** A label name as WeChat takes it: not blank, and not one the account already uses (`except` = the label renamed). */
async function requireFreeName(change: WorldChange, me: SandboxPerson, name: string, except?: number): Promise<string> {
  const trimmed = name.trim();
  if (trimmed === '') throw invalidField('label_name', 'a label needs a name');
  const holder = await change.world.labels.byName(change.appId, me.wxid, trimmed);
  if (holder && holder.labelId !== except) {
    throw wechatRefusal('LABEL_NAME_TAKEN', -2, `${me.wxid} already has the label "${trimmed}" (id ${holder.labelId}); label names are unique (ret -2)`);
  }
  return trimmed;
}

async function requireLabel(change: WorldChange, me: SandboxPerson, labelId: number): Promise<SandboxLabel> {
  const label = await change.world.labels.get(change.appId, me.wxid, labelId);
  if (!label) throw wechatRefusal('LABEL_NOT_FOUND', -2, `${me.wxid} has no label ${labelId}; list labels with /label/get_contact_label_list (ret -2)`);
  return label;
}

/** Each changed contact's new object reaches the account's instance (1200, 1039), as for a remark. */
async function notifyContacts(change: WorldChange, me: SandboxPerson, wxids: readonly string[]): Promise<void> {
  for (const wxid of wxids) {
    const person = await change.person(wxid);
    if (person) await notifyContactChanged(change, me, person);
  }
}

export function labelOperations(world: World, appId: string, guid: string): DriverOperations {
  const asAccount = <T>(work: (change: WorldChange, me: SandboxPerson) => Promise<T>) =>
    world.change(appId, async (change) => work(change, await requireAccount(change, guid)));

  return {
    '/label/get_contact_label_list': () => asAccount(async (change, me) => {
      const labels = await change.world.labels.list(appId, me.wxid);
      return { baseResponse: OK_BASE_RESPONSE, labelCount: labels.length, labelPairList: labels.map(labelPair) };
    }),
    '/label/add_contact_label': (req) => asAccount(async (change, me) => {
      const label = await change.world.labels.create(appId, me.wxid, await requireFreeName(change, me, req.label_name));
      // WeChat answers the labels it added (here the one).
      return { baseResponse: OK_BASE_RESPONSE, labelCount: 1, labelPairList: [labelPair(label)] };
    }),
    '/label/update_contact_label': (req) => asAccount(async (change, me) => {
      await requireLabel(change, me, req.label_id);
      await change.world.labels.rename(appId, me.wxid, req.label_id, await requireFreeName(change, me, req.label_name, req.label_id));
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/label/del_contact_label': (req) => asAccount(async (change, me) => {
      await requireLabel(change, me, req.label_id);
      await notifyContacts(change, me, await change.world.labels.remove(appId, me.wxid, req.label_id));
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/label/modify_contact_label_list': (req) => asAccount(async (change, me) => {
      if (req.username_list.length === 0) throw invalidField('username_list', 'name at least one contact');
      const labelIds = [...new Set(req.label_id_list)].sort((a, b) => a - b);
      for (const id of labelIds) await requireLabel(change, me, id);
      // Every contact is checked before any changes, so a refusal leaves all of them as they were.
      for (const username of req.username_list) {
        if (!(await change.world.contacts.get(appId, me.wxid, username))) {
          throw wechatRefusal('NOT_IN_CONTACTS', -4, `${username} is not in ${me.wxid}'s contact list; only contacts carry labels (ret -4)`);
        }
      }
      const usernames = [...new Set(req.username_list)];
      for (const username of usernames) await change.world.labels.setContactLabels(appId, me.wxid, username, labelIds);
      await notifyContacts(change, me, usernames);
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/label/get_contacts': (req) => asAccount(async (change, me) => {
      const rows = [];
      for (const wxid of await change.world.labels.contactsWith(appId, me.wxid, req.label_id_list)) {
        const [person, entry] = [await change.person(wxid), await change.world.contacts.get(appId, me.wxid, wxid)];
        if (!person || !entry) continue;
        rows.push({
          username: person.wxid,
          nickname: person.nickname,
          remark: entry.remark,
          alias: person.alias,
          small_head_img_url: person.smallHeadImgUrl,
          label_id_list: [...entry.labelIds],
        });
      }
      return rows;
    }),
    '/label/get_label_usage_amount': (req) => asAccount(async (change, me) => {
      // No ids asks about every label the account has.
      const ids = req.label_id_list.length > 0 ? req.label_id_list : (await change.world.labels.list(appId, me.wxid)).map((l) => l.labelId);
      const usage = [];
      for (const id of ids) {
        const exists = await change.world.labels.get(appId, me.wxid, id);
        usage.push({ label_id: id, count: exists ? await change.world.labels.usage(appId, me.wxid, id) : 0 });
      }
      return usage;
    }),
  };
}
