// WeChat message XML the sandbox sends, built as pure functions: the friend request (msg_type 37) of catalog §7.
import type { SandboxPerson } from '../../storage/sandbox-ports.ts';
import { namePinyin } from './contact/pinyin.ts';

/** Escapes text for a double-quoted XML attribute. */
export function xmlAttr(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!);
}

export interface FriendRequestXml {
  readonly from: SandboxPerson;
  /** The sender as the receiver sees them (v3_…@stranger). */
  readonly encryptUsername: string;
  /** v4_…@stranger, for verify_friend opcode 3. */
  readonly ticket: string;
  /** The greeting. */
  readonly content: string;
  readonly scene: number;
}

/** The `content` of a friend-request message (fmessage, msg_type 37), attribute for attribute as WeChat sends it. */
export function friendRequestXml(r: FriendRequestXml): string {
  const { quanPin, pyinitial } = namePinyin(r.from.nickname);
  const attrs: Array<[string, string | number]> = [
    ['fromusername', r.from.wxid],
    ['encryptusername', r.encryptUsername],
    ['fromnickname', r.from.nickname],
    ['content', r.content],
    ['fullpy', quanPin],
    ['shortpy', pyinitial],
    ['imagestatus', 3],
    ['scene', r.scene],
    ['country', r.from.country],
    ['province', r.from.province],
    ['city', r.from.city],
    ['sign', r.from.signature],
    ['percard', 1],
    ['sex', r.from.sex],
    ['alias', r.from.alias],
    ['weibo', ''],
    ['albumflag', 0],
    ['albumstyle', 0],
    ['albumbgimgid', ''],
    ['snsflag', 1],
    ['snsbgimgid', ''],
    ['snsbgobjectid', 0],
    ['mhash', ''],
    ['mfullhash', ''],
    ['bigheadimgurl', r.from.bigHeadImgUrl],
    ['smallheadimgurl', r.from.smallHeadImgUrl],
    ['ticket', r.ticket],
    ['opcode', 2],
    ['googlecontact', ''],
    ['qrticket', ''],
    ['chatroomusername', ''],
    ['sourceusername', ''],
    ['sourcenickname', ''],
    ['sharecardusername', ''],
    ['sharecardnickname', ''],
    ['cardversion', ''],
    ['extflag', 0],
  ];
  return `<msg ${attrs.map(([k, v]) => `${k}="${xmlAttr(v)}"`).join(' ')}><brandlist count="0" ver="0"></brandlist></msg>`;
}
