// WeChat's protobuf-JSON objects for the simulated people (ModContact, GetProfile, SearchContact), as pure functions:
// camelCase keys, SKBuiltinString wrappers, and the many zero-valued keys real objects carry.
import type { SandboxContactEntry, SandboxPerson } from '../../storage/sandbox-ports.ts';
import { namePinyin } from './contact/pinyin.ts';

/** SKBuiltinString: `{"string": …}`, and `{}` when empty, as WeChat sends it. */
export const skString = (value: string): { string?: string } => (value === '' ? {} : { string: value });

export const OK_BASE_RESPONSE = Object.freeze({ ret: 0, errMsg: {} });

/** Contact-type bits (bitVal): 1 a contact, 2 a chat contact, 2048 pinned (置顶). */
export const CONTACT_FLAG = 1;
export const CHAT_CONTACT_FLAG = 2;
export const TOP_CONTACT_FLAG = 2048;
export const ALL_BITS = 4294967295;
/** bitMask2 is 64-bit, so WeChat sends it (like every 64-bit value) as a decimal string. */
export const ALL_BITS_64 = '18446744073709551615';

/**
 * SnsUserInfo as captured: snsBgobjectId is a 64-bit id (a decimal string); snsBgimgId appears only when the account has
 * a moments cover, which simulated people do not have, so it is left out.
 */
export function snsUserInfo(snsFlag: number) {
  return { snsFlag, snsBgobjectId: '0', snsFlagEx: 0, snsPrivacyRecent: 0 };
}

/**
 * The ModContact keys whose value is the same for every person and room the sandbox simulates, with the JSON types of
 * real captures (diting's 1200 schema from 669 real events, a captured GetContact answer): empty nested messages are
 * `{}` (domainList is one, never an array), uint64 fields are decimal strings (chatRoomBusinessType, bitMask2,
 * bitValue2, ringBackSetting.finderObjectId), SKBuiltinBuffers are `{"iLen": 0}`. A fresh object each call.
 */
export function modContactConstants() {
  return {
    imgBuf: { iLen: 0 },
    bitMask: ALL_BITS,
    contactType: 0,
    roomInfoCount: 0,
    domainList: {},
    verifyFlag: 0,
    level: 0,
    weiboFlag: 0,
    albumStyle: 0,
    albumFlag: 0,
    albumBgimgId: '',
    customizedInfo: { brandFlag: 0 },
    additionalContactList: { linkedinContactItem: {} },
    chatroomAccessType: 0,
    deleteFlag: 0,
    phoneNumListInfo: { count: 0 },
    deleteContactScene: 0,
    extFlag: 0,
    chatRoomBusinessType: '0',
    textStatusFlag: 0,
    ringBackSetting: { finderObjectId: '0', startTs: 0, endTs: 0 },
    bitMask2: ALL_BITS_64,
    bitValue2: '0',
    contactExtraInfoBuf: { iLen: 0 },
    eraseChatRoomMemberData: 0,
  };
}

/** How the viewer relates to the person: their own contact entry for them, and the v3 name a stranger is shown under. */
export interface ContactView {
  readonly entry?: SandboxContactEntry;
  readonly encryptUsername?: string;
}

/** The ModContact object of `person` as the viewer sees them (get_contact, callbacks 1200/1039/1040/1041). */
export function contactObject(person: SandboxPerson, view: ContactView = {}) {
  const names = namePinyin(person.nickname);
  const remark = view.entry?.remark ?? '';
  const remarkNames = namePinyin(remark);
  const bitVal = view.entry ? CONTACT_FLAG | CHAT_CONTACT_FLAG | (view.entry.pinned ? TOP_CONTACT_FLAG : 0) : 0;
  return {
    ...modContactConstants(),
    userName: skString(person.wxid),
    nickName: skString(person.nickname),
    pyinitial: skString(names.pyinitial),
    quanPin: skString(names.quanPin),
    sex: person.sex,
    bitVal,
    imgFlag: 1,
    remark: skString(remark),
    remarkPyinitial: skString(remarkNames.pyinitial),
    remarkQuanPin: skString(remarkNames.quanPin),
    chatRoomNotify: 0,
    addContactScene: view.entry?.addScene ?? 0,
    province: person.province,
    city: person.city,
    signature: person.signature,
    personalCard: 1,
    hasWeiXinHdHeadImg: 1,
    source: view.entry?.addScene ?? 0,
    snsUserInfo: snsUserInfo(1),
    country: person.country,
    bigHeadImgUrl: person.bigHeadImgUrl,
    smallHeadImgUrl: person.smallHeadImgUrl,
    chatroomVersion: 0,
    chatroomMaxCount: 0,
    // chatRoomUserName is an SKBuiltinString: {} outside a room view, as captured.
    newChatroomData: { memberCount: 0, infoMask: 0, chatRoomUserName: {}, watchMemberCount: 0 },
    encryptUserName: view.entry ? '' : (view.encryptUsername ?? ''),
    chatroomInfoVersion: 0,
    chatroomStatus: 0,
    isInChatRoom: 0,
    alias: person.alias,
    // The viewer's labels on the contact, comma-separated as WeChat's labelIdlist string ("" when none).
    labelIdList: (view.entry?.labelIds ?? []).join(','),
  };
}

export type ContactObject = ReturnType<typeof contactObject>;

/** What WeChat answers for a username it does not know: the name, and everything else empty. */
export function unknownContactObject(username: string) {
  return {
    userName: skString(username),
    nickName: {},
    pyinitial: {},
    quanPin: {},
    sex: 0,
    imgBuf: { iLen: 0 },
    bitMask: ALL_BITS,
    bitVal: 0,
    imgFlag: 0,
    remark: {},
    remarkPyinitial: {},
    remarkQuanPin: {},
    contactType: 0,
    chatRoomNotify: 0,
    addContactScene: 0,
    verifyFlag: 0,
    encryptUserName: '',
    deleteFlag: 0,
    alias: '',
    bigHeadImgUrl: '',
    smallHeadImgUrl: '',
  };
}

/** GetProfileResponse of the logged-in account. */
export function profileResponse(me: SandboxPerson) {
  return {
    baseResponse: OK_BASE_RESPONSE,
    userInfo: {
      bitFlag: 0,
      userName: skString(me.wxid),
      nickName: skString(me.nickname),
      bindUin: 0,
      bindEmail: {},
      bindMobile: skString(me.phone),
      status: 0,
      sex: me.sex,
      province: me.province,
      city: me.city,
      signature: me.signature,
      personalCard: 1,
      alias: me.alias,
      country: me.country,
      pluginFlag: 0,
      pluginSwitch: 0,
      imgLen: 0,
    },
    userInfoExt: {
      snsUserInfo: snsUserInfo(1),
      myBrandList: '',
      bigHeadImgUrl: me.bigHeadImgUrl,
      smallHeadImgUrl: me.smallHeadImgUrl,
      mainAcctType: 0,
      extXml: {},
      safeDevice: 1,
      grayscaleFlag: 0,
      registCountry: me.country,
      userStatus: 0,
      payWalletType: 0,
    },
  };
}

/** SearchContactResponse: `userName` is the wxid for friends and oneself, the v3 name (with a v4 ticket) for strangers. */
export function searchContactResponse(person: SandboxPerson, userName: string, antispamTicket: string) {
  const names = namePinyin(person.nickname);
  return {
    baseResponse: OK_BASE_RESPONSE,
    userName: skString(userName),
    nickName: skString(person.nickname),
    pyinitial: skString(names.pyinitial),
    quanPin: skString(names.quanPin),
    sex: person.sex,
    signature: person.signature,
    province: person.province,
    city: person.city,
    country: person.country,
    alias: person.alias,
    bigHeadImgUrl: person.bigHeadImgUrl,
    smallHeadImgUrl: person.smallHeadImgUrl,
    personalCard: 1,
    verifyFlag: 0,
    snsUserInfo: snsUserInfo(1),
    antispamTicket,
    contactCount: 0,
    contactList: [],
  };
}
