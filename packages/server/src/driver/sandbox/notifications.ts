// The `data` of the callbacks the sandbox raises (notify types 1001–1010, 1039–1041, 1200/1201), as pure functions.
import { MSG_TYPES } from '@wxgate/contract';
import type { SandboxLoginAttempt, SandboxPerson } from '../../storage/sandbox-ports.ts';
import { skString, type ContactObject } from './wechat-objects.ts';
import { loginQrContent } from './login/qr-png.ts';

const seconds = (ms: number) => Math.floor(ms / 1000);

/** The device-verification page the phone's auth_url points at; the ticket is what verify_login_url needs. */
export const authUrl = (ticket: string): string =>
  `https://weixin110.qq.com/security/readtemplate?t=login_verify_entrances/w_tcaptcha&ticket=${ticket}&lang=zh_CN`;

/** check_login_qrcode's answer and the 1002 (QR state changed) payload: the same view of a login attempt. */
export function loginState(attempt: SandboxLoginAttempt, scanner: SandboxPerson | undefined) {
  return {
    status: attempt.status,
    uuid: attempt.uuid,
    ...(attempt.kind === 'qr' ? { qrcode_content: loginQrContent(attempt.uuid) } : {}),
    expired_time: seconds(attempt.expiresAt),
    ...(scanner && attempt.status !== 0 ? { nick_name: scanner.nickname, head_img_url: scanner.smallHeadImgUrl } : {}),
    ...(attempt.status === 1 && attempt.verifyTicket ? { auth_url: authUrl(attempt.verifyTicket) } : {}),
    ...(attempt.status === 2 && scanner ? { wxid: scanner.wxid } : {}),
  };
}

/** 1003 UserLogin. */
export function userLogin(me: SandboxPerson, now: number) {
  return { wxid: me.wxid, nick_name: me.nickname, alias: me.alias, head_img_url: me.smallHeadImgUrl, login_time: seconds(now) };
}

/** 1004 UserLogout, 1006 HeartBeatError, 1007 SessionTimeout, 1008 LoginFailed, 2006 SyncMsgFailed: who, and why. */
export function sessionNotice(wxid: string, reason: string, now: number) {
  return { wxid, reason, time: seconds(now) };
}

/** 1201 DelContact, exactly as captured (catalog §4.4). */
export function delContact(wxid: string) {
  return { userName: skString(wxid), deleteContactScene: 0 };
}

/** 1039 / 1040 / 1041 carry the contact object, like 1200. */
export const contactNotice = (contact: ContactObject) => contact;

export interface NewMsgInput {
  readonly msgId: string;
  readonly from: string;
  readonly to: string;
  readonly msgType: number;
  readonly content: string;
  readonly desc: string;
  readonly now: number;
}

/** 1010 NewMsg for a private (non-room) message, with the observed field set (spec README §3). */
export function newMsg(m: NewMsgInput) {
  return {
    from_username: m.from,
    to_username: m.to,
    chatroom_sender: '',
    chatroom: '',
    is_chatroom_msg: 0,
    msg_id: m.msgId,
    msg_type: m.msgType,
    content: m.content,
    desc: m.desc,
    source: '',
    create_time: seconds(m.now),
  };
}

/** The friend request: from `fmessage`, msg_type 37, the request XML as content. */
export function friendRequestMsg(msgId: string, to: string, xml: string, fromNickname: string, now: number) {
  return newMsg({ msgId, from: 'fmessage', to, msgType: MSG_TYPES.FriendRequest, content: xml, desc: `${fromNickname}请求添加你为朋友`, now });
}

/** The system line "你已添加了X，现在可以开始聊天了。" (msg_type 10000) in the chat with the new friend. */
export function friendAddedSystemMsg(msgId: string, friend: SandboxPerson, me: string, now: number) {
  return newMsg({ msgId, from: friend.wxid, to: me, msgType: MSG_TYPES.System, content: `你已添加了${friend.nickname}，现在可以开始聊天了。`, desc: '', now });
}

/** What the requester sees once accepted: the accepter's text "我通过了你的朋友验证请求，现在我们可以开始聊天了". */
export function requestAcceptedMsg(msgId: string, accepter: SandboxPerson, requester: string, now: number) {
  const content = '我通过了你的朋友验证请求，现在我们可以开始聊天了';
  return newMsg({ msgId, from: accepter.wxid, to: requester, msgType: MSG_TYPES.Text, content, desc: `${accepter.nickname} : ${content}`, now });
}
