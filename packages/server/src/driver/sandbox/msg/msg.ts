// The /msg/* operations of one instance: every non-media send (text, @, quote, card, location, pat, link, appmsg,
// mini-program, Channels, emoji), revoke and read marks. The sends are a table any person can use, so the /sandbox
// control makes simulated people send exactly what a bot sends.
import { createHash } from 'node:crypto';
import { ApiError, invalidField, MSG_TYPES, wechatRefusal, type Contract, type RequestOf, type ResponseOf } from '@wxgate/contract';
import type { NewSandboxMessage, SandboxPerson } from '../../../storage/sandbox-ports.ts';
import { aesKeyVerifier } from '../../../wechat/cdn-crypto.ts';
import { parseFileId } from '../../../wechat/file-id.ts';
import type { DriverOperations } from '../../driver.ts';
import {
  AT_ALL, deliver, isGroupChat, openConversation, privateSession, requireMember, revocableMessage, type Conversation, type Outgoing,
} from './msg-delivery.ts';
import { callerAppMsg, callerCardXml, refuseDeclarationsInMessage, withoutReferMsg } from './msg-xml-input.ts';
import {
  APP_TYPES, appMsgEnvelope, appMsgXml, cardXml, emojiXml, locationXml, patSysMsg, revokeSysMsg, type CdnThumb, type ReferInput,
} from './msg-xml.ts';
import { namePinyin } from '../contact/pinyin.ts';
import { OK_BASE_RESPONSE, skString } from '../wechat-objects.ts';
import { requireAccount, type World, type WorldChange } from '../world.ts';

/** The sends any person can make through this table (send_image, send_video and send_file are in msg-media.ts). */
export const SEND_PATHS = [
  '/msg/send_text', '/msg/send_room_at', '/msg/send_refer_msg', '/msg/send_share_card', '/msg/send_share_card_raw', '/msg/send_location',
  '/msg/send_pat', '/msg/send_link_card_cdn', '/msg/send_app_msg', '/msg/send_mini_app', '/msg/send_finder_video', '/msg/send_emoji',
  '/msg/send_emoji_url', '/msg/send_emoji_md5',
] as const;
export type SendPath = (typeof SEND_PATHS)[number];
export type SendRequest<P extends SendPath> = Omit<RequestOf<Contract[P]>, 'guid'>;

/** A send's outcome: the archived message and WeChat's answer to the sender. */
export interface Sent<P extends SendPath> {
  readonly message: NewSandboxMessage;
  readonly response: ResponseOf<Contract[P]>;
}

type SendFn<P extends SendPath> = (change: WorldChange, me: SandboxPerson, req: SendRequest<P>) => Promise<Sent<P>>;

const seconds = (ms: number) => Math.floor(ms / 1000);
const HEX = /^[0-9a-fA-F]+$/;
const MD5 = /^[0-9a-fA-F]{32}$/;

// ── answers ──────────────────────────────────────────────────────────────────────────────────────────

/** NewSendMsg's list entry; text-like sends carry msgId 0 there (as captured), the others their local id. */
function sendListEntry(m: NewSandboxMessage, msgId: number) {
  return {
    ret: 0,
    toUserName: skString(m.toUsername),
    msgId,
    clientMsgId: m.clientMsgId,
    createTime: seconds(m.createdAt),
    serverTime: seconds(m.createdAt),
    type: m.msgType,
    newMsgId: m.msgId,
  };
}

const newSendMsgResponse = (m: NewSandboxMessage) => ({ baseResponse: OK_BASE_RESPONSE, count: 1, list: [sendListEntry(m, 0)] });

export function sendAppMsgResponse(m: NewSandboxMessage, me: SandboxPerson, appId: string) {
  return {
    baseResponse: OK_BASE_RESPONSE,
    appId,
    fromUserName: me.wxid,
    toUserName: m.toUsername,
    msgId: m.localId,
    clientMsgId: String(m.clientMsgId),
    createTime: seconds(m.createdAt),
    type: m.msgType,
    newMsgId: m.msgId,
    count: 1,
    list: [sendListEntry(m, m.localId)],
  };
}

function emojiResponse(m: NewSandboxMessage, md5: string, size: number) {
  return {
    baseResponse: OK_BASE_RESPONSE,
    emojiItemCount: 1,
    emojiItem: [{ ret: 0, startPos: size, totalLen: size, md5, msgId: m.localId, newMsgId: m.msgId }],
    count: 1,
    list: [sendListEntry(m, m.localId)],
  };
}

// ── checks of the caller's input ─────────────────────────────────────────────────────────────────────

function requireText(field: string, value: string): void {
  if (value.trim() === '') throw invalidField(field, 'WeChat does not send an empty message; pass some text');
}

/** A CDN reference in WeChat's format (hex file id, 32-hex AES key and md5); the CDN itself checks it once it exists. */
function cdnThumb(field: string, fileId: string, aesKey: string, size: number, md5: string): CdnThumb {
  if (!HEX.test(fileId) || fileId.length < 16) throw invalidField(field, 'a CDN file id is a hex string (it begins 3057020100044b…): upload the file first');
  if (!/^[0-9a-fA-F]{32}$/.test(aesKey)) throw invalidField(field.replace('file_id', 'aes_key'), 'a CDN AES key is 32 hex characters');
  if (!MD5.test(md5)) throw invalidField(field.replace('file_id', 'file_md5'), 'md5 is 32 hex characters');
  if (size <= 0) throw invalidField(field.replace('file_id', 'file_size'), 'the file size must be positive');
  return { fileId, aesKey: aesKey.toLowerCase(), size, md5: md5.toLowerCase() };
}

/**
 * A reference to an object of this network's CDN (a file id in its shape) must exist in the app's CDN and open with the
 * key given; other hex ids are taken as given (they name objects this CDN cannot know, as a real client's may).
 */
async function checkCdnReference(change: WorldChange, thumb: CdnThumb): Promise<void> {
  if (!parseFileId(thumb.fileId)) return;
  const records = (await change.tx.media.renditions(thumb.fileId)).filter((r) => r.appId === change.appId);
  if (records.length === 0) throw new ApiError('CDN_OBJECT_NOT_FOUND');
  if (aesKeyVerifier(thumb.aesKey) !== records[0]!.keyVerifier) throw new ApiError('CDN_KEY_MISMATCH');
}

// ── the sends ────────────────────────────────────────────────────────────────────────────────────────

/** `<refermsg>` for a quote: from the archive when the quoted message is in this chat, else from refer_msg as given. */
async function referTo(change: WorldChange, conversation: Conversation, refer: SendRequest<'/msg/send_refer_msg'>['refer_msg']): Promise<ReferInput> {
  const quoted = /^\d{1,20}$/.test(refer.msg_id) ? await change.world.messages.get(change.appId, refer.msg_id) : undefined;
  // Quoting a quote carries its reply, not the chain it quoted (as WeChat does).
  const quotable = (type: number, content: string) => (type === MSG_TYPES.App ? withoutReferMsg(content) : content);
  if (quoted && quoted.session === conversation.session) {
    const sender = await change.person(quoted.fromWxid);
    const member = conversation.kind === 'room' ? conversation.members.find((m) => m.wxid === quoted.fromWxid) : undefined;
    return {
      msgType: quoted.msgType,
      msgId: quoted.msgId,
      fromUsr: quoted.chatroom || quoted.fromWxid,
      chatUsr: quoted.fromWxid,
      displayName: refer.from_nickname || member?.displayName || sender?.nickname || quoted.fromWxid,
      content: quotable(quoted.msgType, quoted.content),
      msgSource: quoted.source,
      createTime: seconds(quoted.createdAt),
    };
  }
  return {
    msgType: refer.msg_type,
    msgId: refer.msg_id,
    fromUsr: refer.from_username,
    chatUsr: refer.from_username,
    displayName: refer.from_nickname ?? '',
    content: quotable(refer.msg_type, refer.content ?? ''),
    msgSource: refer.source ?? '',
    createTime: 0,
  };
}

async function sendEmoji(change: WorldChange, me: SandboxPerson, toUsername: string, emoji: { md5: string; size: number; cdnUrl: string; aesKey: string; externUrl: string }) {
  const conversation = await openConversation(change, me, toUsername);
  const stored = await change.world.messages.putEmoji({ appId: change.appId, ...emoji, md5: emoji.md5.toLowerCase(), createdAt: change.now });
  const content = emojiXml({ fromUsername: me.wxid, toUsername: conversation.username, md5: stored.md5, size: stored.size, cdnUrl: stored.cdnUrl, aesKey: stored.aesKey, externUrl: stored.externUrl });
  const message = await deliver(change, me, conversation, { msgType: MSG_TYPES.Emoji, content });
  return { message, response: emojiResponse(message, stored.md5, stored.size) };
}

const sendAppMsg = async (change: WorldChange, me: SandboxPerson, toUsername: string, appId: string, build: (conversation: Conversation) => Promise<{ content: string; type: number; title: string }> | { content: string; type: number; title: string }) => {
  const conversation = await openConversation(change, me, toUsername);
  const { content, type, title } = await build(conversation);
  const message = await deliver(change, me, conversation, { msgType: MSG_TYPES.App, appType: type, content, pushDetail: title });
  return { message, response: sendAppMsgResponse(message, me, appId) };
};

export const MESSAGE_SENDS: { readonly [P in SendPath]: SendFn<P> } = {
  '/msg/send_text': async (change, me, req) => {
    requireText('content', req.content);
    const conversation = await openConversation(change, me, req.to_username);
    const message = await deliver(change, me, conversation, { msgType: MSG_TYPES.Text, content: req.content, pushDetail: req.content });
    return { message, response: newSendMsgResponse(message) };
  },
  '/msg/send_room_at': async (change, me, req) => {
    requireText('content', req.content);
    if (!isGroupChat(req.to_username)) throw invalidField('to_username', 'send_room_at sends to a room (…@chatroom or …@im.chatroom); use send_text for a person');
    const conversation = await openConversation(change, me, req.to_username);
    if (conversation.kind !== 'room') throw invalidField('to_username', 'send_room_at sends to a room (…@chatroom)');
    const atUserList = [...new Set(req.at_list)];
    for (const wxid of atUserList) {
      if (wxid !== AT_ALL) requireMember(conversation, wxid, 'at_list');
    }
    if (atUserList.includes(AT_ALL)) {
      const self = conversation.members.find((m) => m.wxid === me.wxid);
      if (conversation.ownerWxid !== me.wxid && !self?.admin) {
        throw wechatRefusal('AT_ALL_NOT_ALLOWED', -66, `only the owner or an admin of ${conversation.username} may @ everyone (WeChat ret -66)`);
      }
    }
    const message = await deliver(change, me, conversation, { msgType: MSG_TYPES.Text, content: req.content, pushDetail: req.content, atUserList });
    return { message, response: newSendMsgResponse(message) };
  },
  '/msg/send_refer_msg': (change, me, req) => {
    requireText('content', req.content);
    refuseDeclarationsInMessage(req.refer_msg, 'refer_msg');
    return sendAppMsg(change, me, req.to_username, '', async (conversation) => {
      const refer = await referTo(change, conversation, req.refer_msg);
      return { content: appMsgXml({ appid: '', type: APP_TYPES.quote, title: req.content, fromUsername: me.wxid, refer }), type: APP_TYPES.quote, title: req.content };
    });
  },
  '/msg/send_share_card': async (change, me, req) => {
    const conversation = await openConversation(change, me, req.to_username);
    const shared = await change.person(req.share_username);
    const nickname = req.share_nickname || shared?.nickname || req.share_username;
    const names = namePinyin(nickname);
    const avatar = req.share_head_img || shared?.smallHeadImgUrl || '';
    const content = cardXml({
      username: req.share_username,
      nickname,
      alias: shared?.alias ?? '',
      bigHeadImgUrl: req.share_head_img || shared?.bigHeadImgUrl || avatar,
      smallHeadImgUrl: avatar,
      province: shared?.province ?? '',
      city: shared?.city ?? '',
      signature: shared?.signature ?? '',
      sex: shared?.sex ?? 0,
      fullPy: names.quanPin,
      shortPy: names.pyinitial,
      antispamTicket: change.ids.strangerTicket(),
    });
    const message = await deliver(change, me, conversation, { msgType: MSG_TYPES.Card, content });
    return { message, response: newSendMsgResponse(message) };
  },
  '/msg/send_share_card_raw': async (change, me, req) => {
    callerCardXml(req.xml);
    const conversation = await openConversation(change, me, req.to_username);
    const message = await deliver(change, me, conversation, { msgType: MSG_TYPES.Card, content: req.xml });
    return { message, response: newSendMsgResponse(message) };
  },
  '/msg/send_location': async (change, me, req) => {
    if (!(req.latitude >= -90 && req.latitude <= 90)) throw invalidField('latitude', 'latitude is between -90 and 90');
    if (!(req.longitude >= -180 && req.longitude <= 180)) throw invalidField('longitude', 'longitude is between -180 and 180');
    const conversation = await openConversation(change, me, req.to_username);
    const content = locationXml({
      latitude: req.latitude, longitude: req.longitude, scale: req.scale ?? 15, label: req.address ?? '', poiName: req.title ?? '', fromUsername: me.wxid,
    });
    const message = await deliver(change, me, conversation, { msgType: MSG_TYPES.Location, content });
    return { message, response: newSendMsgResponse(message) };
  },
  '/msg/send_pat': async (change, me, req) => {
    const conversation = await openConversation(change, me, req.to_username);
    if (conversation.kind === 'room') requireMember(conversation, req.patted_username, 'patted_username');
    else if (conversation.kind === 'self') throw invalidField('to_username', 'nobody to pat here: pat a friend, or someone in a room');
    else if (![me.wxid, conversation.peer.wxid].includes(req.patted_username)) {
      // In a one-to-one chat you can pat the other person, or yourself.
      throw invalidField('patted_username', `in a one-to-one chat you can pat ${conversation.peer.wxid} or yourself`);
    }
    const content = patSysMsg({ fromUsername: me.wxid, chatUsername: conversation.username, pattedUsername: req.patted_username });
    const message = await deliver(change, me, conversation, { msgType: MSG_TYPES.SysMsg, content });
    return { message, response: newSendMsgResponse(message) };
  },
  '/msg/send_link_card_cdn': async (change, me, req) => {
    requireText('title', req.title);
    const thumb = cdnThumb('thumb_file_id', req.thumb_file_id, req.thumb_aes_key, req.thumb_file_size, req.thumb_file_md5);
    await checkCdnReference(change, thumb);
    return sendAppMsg(change, me, req.to_username, '', () => ({
      content: appMsgXml({ appid: '', type: APP_TYPES.link, title: req.title, des: req.desc, url: req.url, fromUsername: me.wxid, thumb }),
      type: APP_TYPES.link,
      title: req.title,
    }));
  },
  '/msg/send_app_msg': (change, me, req) => {
    const appMsg = callerAppMsg(req.xml, req.app_type ?? 0);
    return sendAppMsg(change, me, req.to_username, req.appid, () => ({
      content: appMsgEnvelope(appMsg.element, me.wxid),
      type: appMsg.type,
      title: appMsg.title,
    }));
  },
  '/msg/send_mini_app': async (change, me, req) => {
    requireText('appid', req.appid);
    const thumb = cdnThumb('file_id', req.file_id, req.aes_key, req.file_size, req.file_md5);
    const title = req.title ?? '';
    await checkCdnReference(change, thumb);
    return sendAppMsg(change, me, req.to_username, req.appid, () => ({
      content: appMsgXml({
        appid: '',
        type: APP_TYPES.miniProgram,
        title,
        url: `https://mp.weixin.qq.com/mp/waerrpage?appid=${encodeURIComponent(req.appid)}&type=upgrade&upgradetype=3#wechat_redirect`,
        fromUsername: me.wxid,
        thumb,
        miniProgram: { username: req.username, appid: req.appid, appName: req.appname ?? '', iconUrl: req.appicon ?? '', pagePath: req.page_path ?? '' },
      }),
      type: APP_TYPES.miniProgram,
      title,
    }));
  },
  '/msg/send_finder_video': (change, me, req) => {
    requireText('object_id', req.object_id);
    return sendAppMsg(change, me, req.to_username, '', () => ({
      content: appMsgXml({
        appid: '',
        type: APP_TYPES.finder,
        // What clients that cannot show Channels cards display, as WeChat puts it.
        title: '当前版本不支持展示该内容，请升级至最新版本。',
        url: 'https://support.weixin.qq.com/update/',
        fromUsername: me.wxid,
        finder: {
          objectId: req.object_id, objectNonceId: req.object_nonce_id ?? '', username: req.username, nickname: req.nickname ?? '', avatar: req.avatar ?? '',
          desc: req.desc ?? '', thumbUrl: req.thumb_url ?? '', url: req.url, feedType: req.feed_type ?? 4,
        },
      }),
      type: APP_TYPES.finder,
      title: req.desc ?? '',
    }));
  },
  '/msg/send_emoji': async (change, me, req) => {
    const thumb = cdnThumb('file_id', req.file_id, req.aes_key, req.file_size, req.file_md5);
    await checkCdnReference(change, thumb);
    return sendEmoji(change, me, req.to_username, { md5: thumb.md5, size: thumb.size, cdnUrl: thumb.fileId, aesKey: thumb.aesKey, externUrl: '' });
  },
  '/msg/send_emoji_url': (change, me, req) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      throw invalidField('url', 'not a URL; pass the http(s) address of the emoji image');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidField('url', 'only http and https URLs');
    // The sandbox never fetches: the emoji is known by the md5 of its URL, its size unknown (0).
    const md5 = createHash('md5').update(url.href).digest('hex');
    return sendEmoji(change, me, req.to_username, { md5, size: 0, cdnUrl: url.href, aesKey: '', externUrl: url.href });
  },
  '/msg/send_emoji_md5': async (change, me, req) => {
    if (!MD5.test(req.file_md5)) throw invalidField('file_md5', 'md5 is 32 hex characters');
    const known = await change.world.messages.getEmoji(change.appId, req.file_md5.toLowerCase());
    if (!known) throw wechatRefusal('EMOJI_NOT_FOUND', -2, `WeChat does not know an emoji with md5 ${req.file_md5} (ret -2); send it once with /msg/send_emoji or /msg/send_emoji_url`);
    if (known.size > 0 && req.file_size !== known.size) {
      throw wechatRefusal('EMOJI_NOT_FOUND', -2, `the emoji with md5 ${known.md5} has ${known.size} bytes, not ${req.file_size} (ret -2)`);
    }
    return sendEmoji(change, me, req.to_username, known);
  },
};

/** Takes back a message `me` sent within the last 2 minutes: every view of the chat gets the revokemsg (10002). */
export async function revokeMessage(change: WorldChange, me: SandboxPerson, toUsername: string, msgId: string): Promise<NewSandboxMessage> {
  const original = await revocableMessage(change, me, toUsername, msgId);
  const conversation = await openConversation(change, me, toUsername, { checkRelation: false });
  await change.world.messages.markRevoked(change.appId, original.msgId, change.now);
  const member = conversation.kind === 'room' ? conversation.members.find((m) => m.wxid === me.wxid) : undefined;
  const revoke = (session: string, replaceMsg: string) => revokeSysMsg({ session, localId: original.localId, msgId: original.msgId, replaceMsg });
  return deliver(change, me, conversation, {
    msgType: MSG_TYPES.SysMsg,
    content: revoke(conversation.kind === 'room' ? conversation.username : me.wxid, `"${member?.displayName || me.nickname}" 撤回了一条消息`),
    selfContent: revoke(conversation.username, '你撤回了一条消息'),
    refersTo: original.msgId,
  });
}

/** The conversation key set_session_read marks for `me`. */
export const sessionOf = (me: string, username: string): string => (isGroupChat(username) ? username : privateSession(me, username));

export function msgOperations(world: World, appId: string, guid: string): DriverOperations {
  const asAccount = <T>(work: (change: WorldChange, me: SandboxPerson) => Promise<T>) =>
    world.change(appId, async (change) => work(change, await requireAccount(change, guid)));
  // A send only adds a message and reads the rest of the world: sends of one app run side by side.
  const asSender = <T>(work: (change: WorldChange, me: SandboxPerson) => Promise<T>) =>
    world.addMessages(appId, async (change) => work(change, await requireAccount(change, guid)));
  const sends: Record<string, (req: { guid: string }) => Promise<unknown>> = {};
  for (const path of SEND_PATHS) {
    const send = MESSAGE_SENDS[path] as SendFn<SendPath>;
    sends[path] = ({ guid: _guid, ...req }) => asSender(async (change, me) => (await send(change, me, req as never)).response);
  }
  return {
    ...(sends as DriverOperations),
    '/msg/revoke_msg': (req) => asAccount(async (change, me) => {
      await revokeMessage(change, me, req.to_username, req.msg_id);
      return { baseResponse: OK_BASE_RESPONSE, introduction: '', sysWording: '你撤回了一条消息' };
    }),
    '/msg/set_session_read': (req) => asAccount(async (change, me) => {
      // WeChat's StatusNotify answers ret 0 for any talker; the mark covers everything in the chat so far.
      const session = sessionOf(me.wxid, req.to_username);
      await change.world.messages.setReadMark(appId, me.wxid, session, await change.world.messages.lastSeq(appId, session));
      return { baseResponse: OK_BASE_RESPONSE };
    }),
  };
}
