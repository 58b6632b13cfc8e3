// The operations an ilink session serves: the bot QR login, sends (text here, media in ilink-media-out.ts) with the
// conversation's last context_token, the instance's CDN, and logout; every other path is absent, so core answers
// NOT_SUPPORTED (50101).
import { randomBytes } from 'node:crypto';
import { ApiError, invalidField } from '@wxgate/contract';
import type { IlinkLinkRecord } from '../../storage/ports.ts';
import type { DriverOperations, DriverPath, DriverSession } from '../driver.ts';
import type { IlinkQrLogin } from './ilink-login.ts';
import { endLink, type IlinkDeps } from './ilink-link.ts';
import { mediaOperations } from './ilink-media-out.ts';

/** What iLink can serve of the vendor API (docs/ilink.md, "The ilink driver"). */
export const ILINK_CAPABILITIES: readonly DriverPath[] = Object.freeze([
  '/login/get_login_qrcode', '/login/check_login_qrcode', '/login/verify_login_url', '/user/logout', '/msg/send_text',
  '/msg/send_image', '/msg/send_file', '/msg/send_video', '/msg/send_voice', '/msg/send_refer_msg',
  '/cloud/cdn_upload', '/cloud/cdn_download', '/cloud/download_voice',
] as const);

/** One item sent by sendmessage into a conversation; answers the vendor's newMsgId and clientMsgId, and when. */
export type IlinkSend = (link: IlinkLinkRecord, to: string, item: Record<string, unknown>) => Promise<{ newMsgId: string; clientMsgId: string; at: number }>;

/** proto MessageType.BOT, MessageState.FINISH, MessageItemType.TEXT. */
const FROM_BOT = 2;
const FINISHED = 2;
const ITEM_TEXT = 1;

/**
 * sendmessage with the `context_token` of the conversation's latest message (a person who never wrote may be refused).
 * newMsgId is iLink's message_id when the server answers one, else a random id of wxgate's own.
 */
function sender(guid: string, deps: IlinkDeps): IlinkSend {
  return async (link, to, item) => {
    const contextToken = await deps.store.ilinkLinks.contextToken(guid, to);
    const clientMsgId = `wxgate-${randomBytes(8).toString('hex')}`;
    const sent = await deps.client.sendMessage(link, {
      from_user_id: '', to_user_id: to, client_id: clientMsgId, message_type: FROM_BOT, message_state: FINISHED,
      ...(contextToken ? { context_token: contextToken } : {}),
      item_list: [item],
    });
    const newMsgId = sent.messageId && /^[1-9]\d*$/.test(sent.messageId) ? sent.messageId : randomMsgId();
    return { newMsgId, clientMsgId, at: deps.now() };
  };
}

/** qrcode, loaded with the first QR (not on every start). */
let qrcodeModule: Promise<typeof import('qrcode')> | undefined;

/** The QR code's text as a PNG, as get_login_qrcode answers it. */
async function qrPng(text: string): Promise<string> {
  const QRCode = await (qrcodeModule ??= import('qrcode'));
  return (await QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 280 })).toString('base64');
}

/** The driver's per-instance state that sessions reach into. */
export interface IlinkInstanceState {
  /** The QR login in progress (or the last one), if any. */
  login(guid: string): IlinkQrLogin | undefined;
  /** Starts a new QR login, ending the previous one. */
  startLogin(guid: string): Promise<IlinkQrLogin>;
  /** Stops the updates loop (after a logout). */
  stopUpdates(guid: string): Promise<void>;
}

const seconds = (ms: number) => Math.floor(ms / 1000);
/** A 64-bit id as WeChat prints them (decimal, never 0). */
const randomMsgId = () => (randomBytes(8).readBigUInt64BE(0) >> 1n | 1n).toString();

export function ilinkSession(guid: string, appId: string, deps: IlinkDeps, state: IlinkInstanceState, close: () => Promise<void>): DriverSession {
  const send = sender(guid, deps);
  const operations: DriverOperations = {
    ...mediaOperations(guid, appId, deps, send),
    '/login/get_login_qrcode': async () => {
      const link = await deps.store.ilinkLinks.get(guid);
      if (link) throw new ApiError('ALREADY_LOGGED_IN', `${link.ilinkUserId} is already logged in on this instance; log it out with /user/logout first`, { wxid: link.ilinkUserId });
      const login = await state.startLogin(guid);
      return {
        qrcode: await qrPng(login.content),
        qrcode_content: login.content,
        uuid: login.qrcode,
        expired_time: seconds(login.expiresAt),
        expire_seconds: seconds(login.expiresAt - login.createdAt),
      };
    },
    '/login/check_login_qrcode': async () => {
      const login = state.login(guid);
      if (!login) {
        // The login was done before a restart (QR logins in progress live in memory; the link is stored).
        const link = await deps.store.ilinkLinks.get(guid);
        if (link) return { status: 2, wxid: link.ilinkUserId };
        throw new ApiError('NO_LOGIN_IN_PROGRESS');
      }
      await login.expireIfDue();
      return login.state() as { status: number };
    },
    '/login/verify_login_url': async (request) => {
      const login = state.login(guid);
      if (!login) throw new ApiError('NO_LOGIN_IN_PROGRESS');
      login.verify(request.ticket, request.pin);
      return {};
    },
    // iLink has no logout call: the bot stays bound on Tencent's side until the user removes it in WeChat; here its
    // token is forgotten and the instance is logged out.
    '/user/logout': async () => {
      if (!(await endLink(deps, guid, 'logged out with /user/logout'))) throw new ApiError('NOT_LOGGED_IN');
      await state.stopUpdates(guid);
      return { baseResponse: { ret: 0, errMsg: {} } };
    },
    '/msg/send_text': async (request) => {
      const link = await deps.store.ilinkLinks.get(guid);
      if (!link) throw new ApiError('NOT_LOGGED_IN');
      if (request.content.length === 0) throw invalidField('content', 'the text to send is empty');
      const to = request.to_username;
      const sent = await send(link, to, { type: ITEM_TEXT, text_item: { text: request.content } });
      const now = seconds(sent.at);
      const newMsgId = sent.newMsgId;
      return {
        baseResponse: { ret: 0, errMsg: {} },
        count: 1,
        list: [{ ret: 0, toUserName: { string: to }, msgId: 0, clientMsgId: now, createTime: now, serverTime: now, type: 1, newMsgId }],
      };
    },
  };
  return { guid, operations, close };
}
