// The shapes of WeChat's objects and of wxgate's callback payloads, as data for json-shape.ts. Where a real capture shows
// a field (spec catalog §4.3/§4.4, diting's schema of 52,554 real callbacks, a captured GetContact answer), its type wins.
import { list, type ObjectShape } from './json-shape.ts';

export const BASE_RESPONSE = { ret: 'integer', errMsg: 'sk' } as const satisfies ObjectShape;

/** 1010 NewMsg, the 11 keys of every capture; msg_id a 64-bit id as a decimal string, the flags integers. */
export const NEW_MSG = {
  from_username: 'string', to_username: 'string', chatroom_sender: 'string', chatroom: 'string', is_chatroom_msg: 'integer',
  msg_id: 'id64', msg_type: 'integer', content: 'string', desc: 'string', source: 'string', create_time: 'integer',
} as const satisfies ObjectShape;

/** SnsUserInfo as captured in contacts: snsBgimgId only when a cover is set (simulated people have none). */
export const SNS_USER_INFO = { snsFlag: 'integer', snsBgobjectId: 'id64', snsFlagEx: 'integer', snsPrivacyRecent: 'integer' } as const satisfies ObjectShape;

/** A ChatRoomMemberInfo: plain strings, unlike a contact. */
export const CHAT_ROOM_MEMBER = {
  userName: 'string', nickName: 'string', displayName: 'string', bigHeadImgUrl: 'string', smallHeadImgUrl: 'string',
  chatroomMemberFlag: 'integer', inviterUserName: 'string',
} as const satisfies ObjectShape;

/** The ModContact keys friends and rooms share (1200, get_contact): empty messages `{}`, uint64 values decimal strings. */
const MOD_CONTACT_COMMON = {
  userName: 'sk', nickName: 'sk', pyinitial: 'sk', quanPin: 'sk', sex: 'integer', imgBuf: { iLen: 'integer' }, bitMask: 'integer',
  bitVal: 'integer', imgFlag: 'integer', remark: 'sk', remarkPyinitial: 'sk', remarkQuanPin: 'sk', contactType: 'integer',
  roomInfoCount: 'integer', domainList: {}, chatRoomNotify: 'integer', addContactScene: 'integer', province: 'string', city: 'string',
  signature: 'string', personalCard: 'integer', hasWeiXinHdHeadImg: 'integer', verifyFlag: 'integer', level: 'integer', source: 'integer',
  weiboFlag: 'integer', albumStyle: 'integer', albumFlag: 'integer', albumBgimgId: 'string', snsUserInfo: SNS_USER_INFO, country: 'string',
  bigHeadImgUrl: 'string', smallHeadImgUrl: 'string', customizedInfo: { brandFlag: 'integer' },
  additionalContactList: { linkedinContactItem: {} }, chatroomVersion: 'integer', chatroomMaxCount: 'integer',
  chatroomAccessType: 'integer', encryptUserName: 'string', deleteFlag: 'integer', phoneNumListInfo: { count: 'integer' },
  chatroomInfoVersion: 'integer', deleteContactScene: 'integer', chatroomStatus: 'integer', extFlag: 'integer',
  chatRoomBusinessType: 'id64', textStatusFlag: 'integer', ringBackSetting: { finderObjectId: 'id64', startTs: 'integer', endTs: 'integer' },
  bitMask2: 'id64', bitValue2: 'id64', contactExtraInfoBuf: { iLen: 'integer' }, isInChatRoom: 'integer',
  eraseChatRoomMemberData: 'integer', alias: 'string', labelIdList: 'string',
} as const satisfies ObjectShape;

/** A person as a contact. */
export const PERSON_CONTACT = {
  ...MOD_CONTACT_COMMON,
  newChatroomData: { memberCount: 'integer', infoMask: 'integer', chatRoomUserName: 'sk', watchMemberCount: 'integer' },
} as const satisfies ObjectShape;

/** A room as a contact: its owner and members (`min` = members the test expects to see). */
export const roomContact = (min: number) => ({
  ...MOD_CONTACT_COMMON,
  chatRoomOwner: 'string',
  newChatroomData: { memberCount: 'integer', chatRoomMember: list(CHAT_ROOM_MEMBER, min), infoMask: 'integer', chatRoomUserName: 'sk', watchMemberCount: 'integer' },
}) as const satisfies ObjectShape;

/** What get_contact answers for a username WeChat does not know. */
export const UNKNOWN_CONTACT = {
  userName: 'sk', nickName: 'sk', pyinitial: 'sk', quanPin: 'sk', sex: 'integer', imgBuf: { iLen: 'integer' }, bitMask: 'integer',
  bitVal: 'integer', imgFlag: 'integer', remark: 'sk', remarkPyinitial: 'sk', remarkQuanPin: 'sk', contactType: 'integer',
  chatRoomNotify: 'integer', addContactScene: 'integer', verifyFlag: 'integer', encryptUserName: 'string', deleteFlag: 'integer',
  alias: 'string', bigHeadImgUrl: 'string', smallHeadImgUrl: 'string',
} as const satisfies ObjectShape;

/** 1201 DelContact, exactly as captured. */
export const DEL_CONTACT = { userName: 'sk', deleteContactScene: 'integer' } as const satisfies ObjectShape;

/** An OpenIM (WeCom) contact, 1202/1203 and the openim answers: plain strings, flag a string, source an integer. */
export const OPENIM_CONTACT = {
  tpUsername: 'string', nickname: 'string', type: 'integer', source: 'integer', remark: 'string', bigHeadimg: 'string',
  smallHeadimg: 'string', nicknamePyinit: 'string', nicknameQuanpin: 'string', remarkPyinit: 'string', remarkQuanpin: 'string',
  customInfo: { detailVisible: 'integer', detail: 'string' }, appId: 'string', sex: 'integer', descWordingId: 'string',
  finderUsername: 'string', flag: 'string',
} as const satisfies ObjectShape;

/** An OpenIM room as the sandbox shows it (1204, room detail, room lists). */
export const OPENIM_ROOM = {
  chatroomUsername: 'string', nickname: 'string', ownerUsername: 'string', memberCount: 'integer', serverVersion: 'integer', createTime: 'integer',
} as const satisfies ObjectShape;

/** A member of an OpenIM room. */
export const OPENIM_MEMBER = {
  userName: 'string', nickName: 'string', bigHeadImgUrl: 'string', smallHeadImgUrl: 'string', memberType: 'integer', corpName: 'string', joinTime: 'integer',
} as const satisfies ObjectShape;

/** 1042–1048: the sandbox's one room-notice shape (the vendor never published these payloads). */
export const ROOM_NOTICE = {
  chatroom: 'string', chatroom_name: 'string', operator: 'string', member_list: list('string', 1), member_count: 'integer', time: 'integer',
} as const satisfies ObjectShape;

/** 1004, 1006, 1007 and 2006: who, and why. */
export const SESSION_NOTICE = { wxid: 'string', reason: 'string', time: 'integer' } as const satisfies ObjectShape;

/** A per-member result of create/add/del_chatroom_member. */
export const MEMBER_RESULT = {
  memberName: 'sk', memberStatus: 'integer', nickName: 'sk', pyInitial: 'sk', quanPin: 'sk', sex: 'integer', remark: 'sk',
  contactType: 'integer', province: 'string', city: 'string', signature: 'string', personalCard: 'integer', verifyFlag: 'integer', country: 'string',
} as const satisfies ObjectShape;

/** SnsCommentInfo: likes, comments and mentions alike; the comment ids are 32-bit (integers). */
export const SNS_COMMENT = {
  username: 'string', nickname: 'string', source: 'integer', type: 'integer', content: 'string', createTime: 'integer', commentId: 'integer',
  replyCommentId: 'integer', replyUsername: 'string', replyNickname: 'string', isNotRichText: 'integer', deleteFlag: 'integer',
} as const satisfies ObjectShape;

/** SnsObject: the post id a 64-bit decimal string, objectDesc an SKBuiltinBuffer; the lists need `min` entries each. */
export const snsObject = (min: { likes: number; comments: number; mentions: number }) => ({
  id: 'id64', username: 'string', nickname: 'string', createTime: 'integer', objectDesc: { iLen: 'integer', buffer: 'base64' },
  likeFlag: 'integer', likeCount: 'integer', likeUserListCount: 'integer', likeUserList: list(SNS_COMMENT, min.likes),
  commentCount: 'integer', commentUserListCount: 'integer', commentUserList: list(SNS_COMMENT, min.comments), withUserCount: 'integer',
  withUserListCount: 'integer', withUserList: list(SNS_COMMENT, min.mentions), extFlag: 'integer', noChange: 'integer', groupCount: 'integer',
  groupList: list('string'), isNotRichText: 'integer', referUsername: 'string', referId: 'id64', blackListCount: 'integer',
  blackList: list('sk'), groupUserCount: 'integer', groupUser: list('sk'), deleteFlag: 'integer',
}) as const satisfies ObjectShape;
