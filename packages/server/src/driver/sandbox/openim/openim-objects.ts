// What WeChat shows of WeCom (企业微信) people and OpenIM rooms: the OpenIM contact object (notify 1202, catalog §4.4),
// room and member objects, contact-card QR URLs, and the lookups every OpenIM operation starts with.
import { invalidField, wechatRefusal } from '@wxgate/contract';
import type { SandboxContactEntry, SandboxCorporation, SandboxOpenImRoom, SandboxPerson, SandboxWeComProfile } from '../../../storage/sandbox-ports.ts';
import { namePinyin } from '../contact/pinyin.ts';
import { TOP_CONTACT_FLAG } from '../wechat-objects.ts';
import type { WorldChange } from '../world.ts';

/** WeCom contact cards: https://work.weixin.qq.com/u/<token>. */
export const CARD_URL_PREFIX = 'https://work.weixin.qq.com/u/';

export const isOpenImUsername = (username: string): boolean => username.endsWith('@openim');
export const isOpenImRoom = (username: string): boolean => username.endsWith('@im.chatroom');

/** A WeCom person as a world person, their WeCom profile and their corporation. */
export interface WeComPerson {
  readonly person: SandboxPerson;
  readonly profile: SandboxWeComProfile;
  readonly corp: SandboxCorporation;
}

export async function weComPerson(change: WorldChange, username: string): Promise<WeComPerson | undefined> {
  if (!isOpenImUsername(username)) return undefined;
  const [person, profile] = [await change.person(username), await change.world.openim.profile(change.appId, username)];
  const corp = profile && (await change.world.openim.corporation(change.appId, profile.corpId));
  return person && profile && corp ? { person, profile, corp } : undefined;
}

export async function requireWeComPerson(change: WorldChange, username: string): Promise<WeComPerson> {
  const found = await weComPerson(change, username);
  if (!found) throw wechatRefusal('OPENIM_CONTACT_NOT_FOUND', -4, `no WeCom contact ${username} (ret -4); WeCom usernames end in @openim`);
  return found;
}

/** The card token of a contact-card URL; a URL of another shape is the caller's mistake (422). */
export function cardToken(url: string): string {
  const match = /^https?:\/\/work\.weixin\.qq\.com\/u\/([A-Za-z0-9_-]{4,64})(?:[?#].*)?$/.exec(url.trim());
  if (!match) throw invalidField('url', `expected a WeCom contact card URL, ${CARD_URL_PREFIX}<token>`);
  return match[1]!;
}

export async function weComPersonByCard(change: WorldChange, url: string): Promise<WeComPerson> {
  const profile = await change.world.openim.profileByQrToken(change.appId, cardToken(url));
  const found = profile && (await weComPerson(change, profile.username));
  if (!found) throw wechatRefusal('OPENIM_CONTACT_NOT_FOUND', -4, `no WeCom contact card ${url.slice(0, 200)} in your app's sandbox world (ret -4)`);
  return found;
}

/** The OpenIM contact object with the observed 1202 field set; `entry` = the viewer's contact entry, if any. */
export function openImContact({ person, profile, corp }: WeComPerson, entry?: SandboxContactEntry) {
  const name = namePinyin(person.nickname);
  const remark = entry?.remark ?? '';
  const remarkPinyin = namePinyin(remark);
  return {
    tpUsername: person.wxid,
    nickname: person.nickname,
    // type 1: a WeCom person (not a room); source 1: added through their card.
    type: 1,
    source: 1,
    remark,
    bigHeadimg: person.bigHeadImgUrl,
    smallHeadimg: person.smallHeadImgUrl,
    nicknamePyinit: name.pyinitial,
    nicknameQuanpin: name.quanPin,
    remarkPyinit: remarkPinyin.pyinitial,
    remarkQuanpin: remarkPinyin.quanPin,
    customInfo: {
      detailVisible: 1,
      detail: JSON.stringify({ corp_name: corp.name, corp_full_name: corp.fullName, real_name: profile.realName, position: profile.position }),
    },
    appId: corp.openimAppid,
    sex: person.sex,
    descWordingId: corp.wordingId,
    finderUsername: '',
    flag: String(entry ? 1 | (entry.pinned ? TOP_CONTACT_FLAG : 0) : 0),
  };
}

/** A member of an OpenIM room as WeChat lists it: WeChat people and WeCom people alike. */
export async function openImMember(change: WorldChange, username: string, joinedAt: number) {
  const person = await change.person(username);
  const wecom = await weComPerson(change, username);
  return {
    userName: username,
    nickName: person?.nickname ?? '',
    bigHeadImgUrl: person?.bigHeadImgUrl ?? '',
    smallHeadImgUrl: person?.smallHeadImgUrl ?? '',
    // 1 a WeChat member, 2 a WeCom member (with their corporation).
    memberType: wecom ? 2 : 1,
    corpName: wecom?.corp.name ?? '',
    joinTime: Math.floor(joinedAt / 1000),
  };
}

export function openImRoomObject(room: SandboxOpenImRoom, memberCount: number) {
  return {
    chatroomUsername: room.roomUsername,
    nickname: room.name,
    ownerUsername: room.ownerUsername,
    memberCount,
    serverVersion: room.version,
    createTime: Math.floor(room.createdAt / 1000),
  };
}

/** The room, or WeChat's "no such room" (ret -21). */
export async function requireOpenImRoom(change: WorldChange, roomUsername: string): Promise<SandboxOpenImRoom> {
  const room = isOpenImRoom(roomUsername) ? await change.world.openim.room(change.appId, roomUsername) : undefined;
  if (!room) throw wechatRefusal('ROOM_NOT_FOUND', -21, `no OpenIM room ${roomUsername} (ret -21); OpenIM room ids end in @im.chatroom`);
  return room;
}

/** A page (1-based page_num) of `rows`, as the local-store endpoints answer: {list, total}. */
export function localPage<T>(rows: readonly T[], pageNum = 1, pageSize = 50): { list: T[]; total: number } {
  if (pageNum < 1) throw invalidField('page_num', 'pages count from 1');
  if (pageSize < 1 || pageSize > 1000) throw invalidField('page_size', 'a page holds 1 to 1000 rows');
  return { list: rows.slice((pageNum - 1) * pageSize, pageNum * pageSize), total: rows.length };
}
