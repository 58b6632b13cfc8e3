// WeChat's shapes for rooms as pure functions: the room as a contact (ModContact of …@chatroom), its members
// (ChatRoomMemberInfo), per-member results, the invitation card, group 1010 messages, the data of callbacks 1042–1048
// and the system lines (10000) WeChat writes into a room.
import type { SandboxPerson, SandboxRoom, SandboxRoomMember } from '../../../storage/sandbox-ports.ts';
import { APP_TYPES, appMsgXml } from '../msg/msg-xml.ts';
import { namePinyin } from '../contact/pinyin.ts';
import { CHAT_CONTACT_FLAG, CONTACT_FLAG, modContactConstants, skString, snsUserInfo, TOP_CONTACT_FLAG } from '../wechat-objects.ts';

const seconds = (ms: number) => Math.floor(ms / 1000);

/** WeChat's member limit of a room (chatroomMaxCount). */
export const ROOM_MEMBER_LIMIT = 500;

/** chatroomMemberFlag of a 群管理员 (the sandbox's value; WeChat's bit is not documented publicly). */
export const ADMIN_MEMBER_FLAG = 2048;

/**
 * The viewer's own room settings in `chatroomStatus` (the sandbox's bits: WeChat keeps these in client-side state):
 * 1 folded (折叠该群聊), 2 members' nicknames shown (显示群成员昵称).
 */
export const ROOM_STATUS = { folded: 1, showNames: 2 } as const;

/** A member with the person behind it. */
export interface RoomMemberView {
  readonly member: SandboxRoomMember;
  readonly person: SandboxPerson;
}

/** ChatRoomMemberInfo: one member as get_chatroom_member_detail and the room contact list them. */
export function chatRoomMember({ member, person }: RoomMemberView) {
  return {
    userName: person.wxid,
    nickName: person.nickname,
    displayName: member.displayName,
    bigHeadImgUrl: person.bigHeadImgUrl,
    smallHeadImgUrl: person.smallHeadImgUrl,
    chatroomMemberFlag: member.admin ? ADMIN_MEMBER_FLAG : 0,
    inviterUserName: member.inviterWxid,
  };
}

/**
 * The room as a contact, as `viewer` sees it (get_contact, 1200): the member list with versions, and the viewer's
 * own settings — saved to contacts and pinned in bitVal, muted in chatRoomNotify, folded / nicknames shown in
 * chatroomStatus. Someone who is not (or no longer) a member gets the room without members and isInChatRoom 0.
 */
export function roomContactObject(room: SandboxRoom, members: readonly RoomMemberView[], viewer: SandboxRoomMember | undefined) {
  const names = namePinyin(room.name);
  const bitVal = viewer ? (viewer.savedSeq !== null ? CONTACT_FLAG : 0) | CHAT_CONTACT_FLAG | (viewer.pinned ? TOP_CONTACT_FLAG : 0) : 0;
  const chatroomStatus = viewer ? (viewer.folded ? ROOM_STATUS.folded : 0) | (viewer.showNames ? ROOM_STATUS.showNames : 0) : 0;
  const shown = viewer ? members : [];
  return {
    ...modContactConstants(),
    userName: skString(room.roomId),
    nickName: skString(room.name),
    pyinitial: skString(names.pyinitial),
    quanPin: skString(names.quanPin),
    sex: 0,
    bitVal,
    imgFlag: 1,
    remark: {},
    remarkPyinitial: {},
    remarkQuanPin: {},
    chatRoomNotify: viewer?.muted ? 0 : 1,
    addContactScene: 0,
    personalCard: 0,
    hasWeiXinHdHeadImg: 0,
    source: 0,
    snsUserInfo: snsUserInfo(0),
    country: '',
    province: '',
    city: '',
    signature: '',
    bigHeadImgUrl: '',
    smallHeadImgUrl: '',
    chatRoomOwner: room.ownerWxid,
    chatroomVersion: room.version,
    chatroomMaxCount: ROOM_MEMBER_LIMIT,
    newChatroomData: {
      memberCount: shown.length, chatRoomMember: shown.map(chatRoomMember), infoMask: 1, chatRoomUserName: {}, watchMemberCount: 0,
    },
    encryptUserName: '',
    chatroomInfoVersion: room.infoVersion,
    chatroomStatus,
    isInChatRoom: viewer ? 1 : 0,
    alias: '',
    labelIdList: '',
  };
}

/** One entry of create/add/del_chatroom_member's memberList. */
export function memberResult(person: SandboxPerson) {
  const names = namePinyin(person.nickname);
  return {
    memberName: skString(person.wxid),
    memberStatus: 0,
    nickName: skString(person.nickname),
    pyInitial: skString(names.pyinitial),
    quanPin: skString(names.quanPin),
    sex: person.sex,
    remark: {},
    contactType: 0,
    province: person.province,
    city: person.city,
    signature: person.signature,
    personalCard: 1,
    verifyFlag: 0,
    country: person.country,
  };
}

/**
 * The data of the room callbacks (1042 RoomAdd … 1048 RoomMemberDel): which room, who acted, whom it concerns, and
 * the size after the change. The vendor never published these payloads; this is the sandbox's one shape for all.
 */
export function roomNotice(room: SandboxRoom, operator: string, memberList: readonly string[], memberCount: number, now: number) {
  return { chatroom: room.roomId, chatroom_name: room.name, operator, member_list: [...memberList], member_count: memberCount, time: seconds(now) };
}

export interface RoomMsgInput {
  readonly msgId: string;
  readonly room: string;
  readonly to: string;
  /** The real sender; "" for WeChat's own system lines. */
  readonly sender: string;
  readonly msgType: number;
  readonly content: string;
  readonly desc: string;
  readonly source: string;
  readonly now: number;
}

/** 1010 NewMsg of a group message, with the observed field set (spec README §3): from_username is the room. */
export function roomMsg(m: RoomMsgInput) {
  return {
    from_username: m.room,
    to_username: m.to,
    chatroom_sender: m.sender,
    chatroom: m.room,
    is_chatroom_msg: 1,
    msg_id: m.msgId,
    msg_type: m.msgType,
    content: m.content,
    desc: m.desc,
    source: m.source,
    create_time: seconds(m.now),
  };
}

/** The link WeChat puts in an invitation card; opening it (get_a8key on a phone) joins the room. */
const roomInviteUrl = (ticket: string) => `https://support.weixin.qq.com/cgi-bin/mmsupport-bin/addchatroombyinvite?ticket=${ticket}`;

/** The invitation card (appmsg type 5 link) a member sends to invite someone; `roomLabel` names the room. */
export function roomInviteCard(inviter: SandboxPerson, roomLabel: string, ticket: string) {
  const title = '邀请你加入群聊';
  const content = appMsgXml({
    appid: '',
    type: APP_TYPES.link,
    title,
    des: `"${inviter.nickname}"邀请你加入群聊"${roomLabel}"，进入可查看详情。`,
    url: roomInviteUrl(ticket),
    fromUsername: inviter.wxid,
  });
  return { title, content };
}

/** The name a room goes by in system lines: its topic, else its members' nicknames, as WeChat shows unnamed rooms. */
export function roomLabel(room: SandboxRoom, members: readonly RoomMemberView[]): string {
  return room.name || members.slice(0, 3).map((m) => m.person.nickname).join('、');
}

/** The system lines (msg_type 10000) WeChat writes into a room, worded for whoever reads them. */
export const roomLines = {
  /** To the one who added people (also at creation). */
  youInvited: (added: readonly string[]) => `你邀请"${added.join('、')}"加入了群聊`,
  /** To someone added at creation, with the others added alongside. */
  invitedYouWith: (inviter: string, others: readonly string[]) =>
    others.length > 0 ? `"${inviter}"邀请你和"${others.join('、')}"加入了群聊` : `"${inviter}"邀请你加入了群聊`,
  /** To someone added to an existing room, with who else is in it. */
  invitedYouInto: (inviter: string, participants: readonly string[]) =>
    participants.length > 0 ? `"${inviter}"邀请你加入了群聊，群聊参与人还有：${participants.join('、')}` : `"${inviter}"邀请你加入了群聊`,
  /** To the members who were already there. */
  invited: (inviter: string, added: readonly string[]) => `"${inviter}"邀请"${added.join('、')}"加入了群聊`,
  youRemoved: (removed: readonly string[]) => `你将"${removed.join('、')}"移出了群聊`,
  removedYou: (remover: string) => `你被"${remover}"移出群聊`,
  renamed: (who: string, name: string) => `"${who}"修改群名为"${name}"`,
  youRenamed: (name: string) => `你修改群名为"${name}"`,
  newOwner: (owner: string) => `"${owner}"已成为新群主`,
  youAreOwner: () => '你已成为新群主',
} as const;
