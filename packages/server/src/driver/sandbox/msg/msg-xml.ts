// The message content WeChat carries in 1010 `content` and `source`, built as pure functions in the formats of
// catalog §7: card (42), location (48), emoji (47), appmsg (49: link 5, mini-program 33, finder 51, quote 57),
// revoke and pat system messages (10002), <msgsource>, and the push text (`desc`).
import { MSG_TYPES } from '@wxgate/contract';
import { xmlAttr } from '../wechat-xml.ts';

/** Escapes element text. */
export function xmlText(value: string | number): string {
  return String(value).replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch]!);
}

/** A CDATA section; a `]]>` inside is split across two sections, as XML requires. */
export function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** `<name>text</name>`, or `<name />` when empty, as WeChat writes them. */
const el = (name: string, text: string | number = ''): string => (text === '' ? `<${name} />` : `<${name}>${xmlText(text)}</${name}>`);
const attrs = (list: ReadonlyArray<readonly [string, string | number]>) => list.map(([k, v]) => `${k}="${xmlAttr(v)}"`).join(' ');
const indent = (lines: readonly string[], depth: number) => lines.map((l) => '\t'.repeat(depth) + l).join('\n');

// ── 42 contact card ──────────────────────────────────────────────────────────────────────────────────

export interface CardInput {
  readonly username: string;
  readonly nickname: string;
  readonly alias: string;
  readonly bigHeadImgUrl: string;
  readonly smallHeadImgUrl: string;
  readonly province: string;
  readonly city: string;
  readonly signature: string;
  readonly sex: number;
  readonly fullPy: string;
  readonly shortPy: string;
  /** v4_…@stranger: lets the receiver add the person (scene 17). */
  readonly antispamTicket: string;
}

/** A contact card: one `<msg …/>` whose attributes describe the shared person. */
export function cardXml(c: CardInput): string {
  return `<?xml version="1.0"?>\n<msg ${attrs([
    ['bigheadimgurl', c.bigHeadImgUrl], ['smallheadimgurl', c.smallHeadImgUrl], ['username', c.username], ['nickname', c.nickname],
    ['fullpy', c.fullPy], ['shortpy', c.shortPy], ['alias', c.alias], ['imagestatus', 3], ['scene', 17], ['province', c.province],
    ['city', c.city], ['sign', c.signature], ['sex', c.sex], ['certflag', 0], ['certinfo', ''], ['brandIconUrl', ''], ['brandHomeUrl', ''],
    ['brandSubscriptConfigUrl', ''], ['brandFlags', 0], ['regionCode', ''], ['biznamecardinfo', ''], ['antispamticket', c.antispamTicket],
  ])} />\n`;
}

// ── 48 location ──────────────────────────────────────────────────────────────────────────────────────

export interface LocationInput {
  readonly latitude: number;
  readonly longitude: number;
  readonly scale: number;
  /** The address line (label). */
  readonly label: string;
  /** The place's name (poiname). */
  readonly poiName: string;
  readonly fromUsername: string;
}

export function locationXml(l: LocationInput): string {
  const location = attrs([
    ['x', l.latitude], ['y', l.longitude], ['scale', l.scale], ['label', l.label], ['maptype', 'roadmap'], ['poiname', l.poiName],
    ['poiid', ''], ['buildingId', ''], ['floorName', ''], ['poiCategoryTips', ''], ['poiBusinessHour', ''], ['poiPhone', ''],
    ['poiPriceTips', ''], ['isFromPoiList', 'false'], ['adcode', ''], ['cityname', ''], ['fromusername', l.fromUsername],
  ]);
  return `<?xml version="1.0"?>\n<msg>\n\t<location ${location} />\n</msg>\n`;
}

// ── 47 emoji ─────────────────────────────────────────────────────────────────────────────────────────

export interface EmojiInput {
  readonly fromUsername: string;
  readonly toUsername: string;
  readonly md5: string;
  readonly size: number;
  readonly cdnUrl: string;
  readonly aesKey: string;
  readonly externUrl: string;
}

export function emojiXml(e: EmojiInput): string {
  const emoji = attrs([
    ['fromusername', e.fromUsername], ['tousername', e.toUsername], ['type', 2], ['idbuffer', 'media:0_0'], ['md5', e.md5], ['len', e.size],
    ['productid', ''], ['androidmd5', e.md5], ['androidlen', e.size], ['s60v3md5', e.md5], ['s60v3len', e.size], ['s60v5md5', e.md5],
    ['s60v5len', e.size], ['cdnurl', e.cdnUrl], ['designerid', ''], ['thumburl', ''], ['encrypturl', ''], ['aeskey', e.aesKey],
    ['externurl', e.externUrl], ['externmd5', ''], ['width', 0], ['height', 0], ['tpurl', ''], ['tpauthkey', ''], ['attachedtext', ''],
    ['attachedtextcolor', ''], ['lensid', ''], ['emojiattr', ''], ['linkid', ''], ['desc', ''],
  ]);
  return `<msg><emoji ${emoji}></emoji><gameext type="0" content="0"></gameext></msg>`;
}

// ── 49 appmsg ────────────────────────────────────────────────────────────────────────────────────────

/** appmsg <type> values the sandbox builds. */
export const APP_TYPES = { link: 5, file: 6, miniProgram: 33, finder: 51, quote: 57 } as const;

/** A thumbnail on the CDN, as appattach carries it. */
export interface CdnThumb {
  readonly fileId: string;
  readonly aesKey: string;
  readonly size: number;
  readonly md5: string;
}

export interface ReferInput {
  readonly msgType: number;
  readonly msgId: string;
  /** The chat the quoted message is in, as WeChat names it: the room id in groups, else its sender. */
  readonly fromUsr: string;
  /** The quoted message's real sender. */
  readonly chatUsr: string;
  readonly displayName: string;
  readonly content: string;
  readonly msgSource: string;
  /** unix seconds */
  readonly createTime: number;
}

export interface MiniProgramInput {
  /** The mini-program's gh_…@app username. */
  readonly username: string;
  readonly appid: string;
  readonly appName: string;
  readonly iconUrl: string;
  readonly pagePath: string;
}

export interface FinderInput {
  readonly objectId: string;
  readonly objectNonceId: string;
  readonly username: string;
  readonly nickname: string;
  readonly avatar: string;
  readonly desc: string;
  readonly thumbUrl: string;
  readonly url: string;
  readonly feedType: number;
}

export interface AppMsgInput {
  readonly appid: string;
  readonly type: number;
  readonly title: string;
  readonly des?: string;
  readonly url?: string;
  readonly fromUsername: string;
  readonly thumb?: CdnThumb;
  readonly refer?: ReferInput;
  readonly miniProgram?: MiniProgramInput;
  readonly finder?: FinderInput;
}

function appAttach(thumb: CdnThumb | undefined): string[] {
  if (!thumb) return ['<appattach>', '\t<totallen>0</totallen>', '\t<attachid />', '\t<emoticonmd5 />', '\t<fileext />', '\t<aeskey />', '</appattach>'];
  return [
    '<appattach>',
    '\t<totallen>0</totallen>',
    '\t<attachid />',
    '\t<emoticonmd5 />',
    '\t<fileext />',
    `\t${el('cdnthumburl', thumb.fileId)}`,
    `\t${el('cdnthumbmd5', thumb.md5)}`,
    `\t${el('cdnthumblength', thumb.size)}`,
    '\t<cdnthumbheight>100</cdnthumbheight>',
    '\t<cdnthumbwidth>100</cdnthumbwidth>',
    `\t${el('cdnthumbaeskey', thumb.aesKey)}`,
    `\t${el('aeskey', thumb.aesKey)}`,
    '\t<encryver>1</encryver>',
    '</appattach>',
  ];
}

/** `<refermsg>`: the quoted message; its content is escaped text (quoted XML included). */
export function referMsgLines(r: ReferInput): string[] {
  return [
    '<refermsg>',
    `\t${el('type', r.msgType)}`,
    `\t${el('svrid', r.msgId)}`,
    `\t${el('fromusr', r.fromUsr)}`,
    `\t${el('chatusr', r.chatUsr)}`,
    `\t${el('displayname', r.displayName)}`,
    `\t${el('content', r.content)}`,
    `\t${el('msgsource', r.msgSource)}`,
    `\t${el('createtime', r.createTime)}`,
    '</refermsg>',
  ];
}

function weAppInfoLines(m: MiniProgramInput): string[] {
  return [
    '<weappinfo>',
    `\t<username>${cdata(m.username)}</username>`,
    `\t<appid>${cdata(m.appid)}</appid>`,
    '\t<type>2</type>',
    '\t<version>1</version>',
    `\t<weappiconurl>${cdata(m.iconUrl)}</weappiconurl>`,
    `\t<pagepath>${cdata(m.pagePath)}</pagepath>`,
    '\t<shareId />',
    '\t<appservicetype>0</appservicetype>',
    '</weappinfo>',
  ];
}

function finderFeedLines(f: FinderInput): string[] {
  return [
    '<finderFeed>',
    `\t${el('objectId', f.objectId)}`,
    `\t${el('objectNonceId', f.objectNonceId)}`,
    `\t${el('feedType', f.feedType)}`,
    `\t${el('nickname', f.nickname)}`,
    `\t${el('username', f.username)}`,
    `\t${el('avatar', f.avatar)}`,
    `\t${el('desc', f.desc)}`,
    '\t<mediaCount>1</mediaCount>',
    '\t<liveId>0</liveId>',
    '\t<mediaList>',
    '\t\t<media>',
    `\t\t\t${el('thumbUrl', f.thumbUrl)}`,
    `\t\t\t${el('fullCoverUrl', f.thumbUrl)}`,
    `\t\t\t${el('coverUrl', f.thumbUrl)}`,
    `\t\t\t${el('url', f.url)}`,
    `\t\t\t${el('mediaType', f.feedType)}`,
    '\t\t\t<videoPlayDuration>0</videoPlayDuration>',
    '\t\t\t<width>0</width>',
    '\t\t\t<height>0</height>',
    '\t\t</media>',
    '\t</mediaList>',
    '</finderFeed>',
  ];
}

/** The whole `<appmsg>` element. */
export function appMsgElement(a: AppMsgInput): string {
  const lines = [
    el('title', a.title),
    el('des', a.des ?? ''),
    el('action', a.type === APP_TYPES.link ? 'view' : ''),
    el('type', a.type),
    '<showtype>0</showtype>',
    '<content />',
    el('url', a.url ?? ''),
    '<dataurl />',
    '<lowurl />',
    '<lowdataurl />',
    '<recorditem />',
    '<thumburl />',
    '<messageaction />',
    '<laninfo />',
    '<extinfo />',
    el('sourceusername', a.miniProgram?.username ?? ''),
    el('sourcedisplayname', a.miniProgram?.appName ?? ''),
    '<commenturl />',
    ...appAttach(a.thumb),
    ...(a.refer ? referMsgLines(a.refer) : []),
    ...(a.miniProgram ? weAppInfoLines(a.miniProgram) : []),
    ...(a.finder ? finderFeedLines(a.finder) : []),
  ];
  return `<appmsg ${attrs([['appid', a.appid], ['sdkver', '0']])}>\n${indent(lines, 2)}\n\t</appmsg>`;
}

/** The `<msg>` around an appmsg: the sender and the app info, as WeChat delivers it. */
export function appMsgEnvelope(appMsg: string, fromUsername: string): string {
  return [
    '<?xml version="1.0"?>',
    '<msg>',
    `\t${appMsg}`,
    `\t${el('fromusername', fromUsername)}`,
    '\t<scene>0</scene>',
    '\t<appinfo>',
    '\t\t<version>1</version>',
    '\t\t<appname />',
    '\t</appinfo>',
    '\t<commenturl />',
    '</msg>',
    '',
  ].join('\n');
}

export function appMsgXml(a: AppMsgInput): string {
  return appMsgEnvelope(appMsgElement(a), a.fromUsername);
}

// ── 10002 system messages ────────────────────────────────────────────────────────────────────────────

export interface RevokeInput {
  /** The chat as the receiver names it: the revoker for one-to-one, the room id in groups. */
  readonly session: string;
  readonly localId: number;
  readonly msgId: string;
  /** `"Alice" 撤回了一条消息`, or `你撤回了一条消息` on the revoker's own views. */
  readonly replaceMsg: string;
}

export function revokeSysMsg(r: RevokeInput): string {
  return `<sysmsg type="revokemsg"><revokemsg><session>${xmlText(r.session)}</session><msgid>${r.localId}</msgid>` +
    `<newmsgid>${xmlText(r.msgId)}</newmsgid><replacemsg>${cdata(r.replaceMsg)}</replacemsg></revokemsg></sysmsg>`;
}

export interface PatInput {
  readonly fromUsername: string;
  /** The chat the pat happened in: the peer or the room id. */
  readonly chatUsername: string;
  readonly pattedUsername: string;
}

/** 拍一拍: the template names people by `${wxid}` placeholders that clients fill with display names. */
export function patSysMsg(p: PatInput): string {
  const template = p.fromUsername === p.pattedUsername
    ? `"\${${p.fromUsername}}" 拍了拍自己`
    : `"\${${p.fromUsername}}" 拍了拍 "\${${p.pattedUsername}}"`;
  return [
    '<sysmsg type="pat">',
    '<pat>',
    `\t<fromusername>${xmlText(p.fromUsername)}</fromusername>`,
    `\t<chatusername>${xmlText(p.chatUsername)}</chatusername>`,
    `\t<pattedusername>${xmlText(p.pattedUsername)}</pattedusername>`,
    `\t<patsuffix>${cdata('')}</patsuffix>`,
    '\t<patsuffixversion>0</patsuffixversion>',
    `\t<template>${cdata(template)}</template>`,
    '</pat>',
    '</sysmsg>',
  ].join('\n');
}

// ── source and push text ─────────────────────────────────────────────────────────────────────────────

export interface SourceInput {
  /** wxids (or notify@all) the message @-mentions. */
  readonly atUserList?: readonly string[];
  /** Group messages: the room's member count. */
  readonly memberCount?: number;
  /** Per-message signature (opaque to clients). */
  readonly signature: string;
}

/** `<msgsource>`: @-mentions, room size and the signature, in WeChat's layout. */
export function msgSource(s: SourceInput): string {
  const lines = [
    ...(s.atUserList && s.atUserList.length > 0 ? [`<atuserlist>${cdata(s.atUserList.join(','))}</atuserlist>`] : []),
    '<pua>1</pua>',
    ...(s.memberCount !== undefined ? ['<silence>0</silence>', `<membercount>${s.memberCount}</membercount>`] : []),
    `<signature>${xmlText(s.signature)}</signature>`,
    '<tmp_node>',
    '\t<publisher-id></publisher-id>',
    '</tmp_node>',
  ];
  return `<msgsource>\n${indent(lines, 1)}\n</msgsource>\n`;
}

/** What the notification shows for each kind of message (WeChat's Chinese labels). */
const APP_LABELS: Record<number, string> = {
  3: '[音乐]', 4: '[视频]', 5: '[链接]', 6: '[文件]', 19: '[聊天记录]', 33: '[小程序]', 36: '[小程序]', 51: '[视频号]', 2000: '[转账]', 2001: '[红包]',
};
const TYPE_LABELS: Record<number, string> = {
  [MSG_TYPES.Image]: '[图片]', [MSG_TYPES.Voice]: '[语音]', [MSG_TYPES.Card]: '[名片]', [MSG_TYPES.Video]: '[视频]',
  [MSG_TYPES.Emoji]: '[动画表情]', [MSG_TYPES.Location]: '[位置]',
};

export interface PushInput {
  /** The sender as the receiver knows them (remark, room nickname or nickname). */
  readonly senderName: string;
  readonly msgType: number;
  readonly appType: number;
  /** Text messages: the text; appmsg: the title. */
  readonly text: string;
}

/** The push text (1010 `desc`), e.g. "Alice : 你好", "Alice : [位置]", "Alice : [链接]标题"; "" for system messages. */
export function pushText(p: PushInput): string {
  if (p.msgType === MSG_TYPES.SysMsg || p.msgType === MSG_TYPES.System) return '';
  if (p.msgType === MSG_TYPES.Text) return `${p.senderName} : ${p.text}`;
  if (p.msgType === MSG_TYPES.App) {
    if (p.appType === APP_TYPES.quote) return `${p.senderName} : ${p.text}`;
    const label = APP_LABELS[p.appType] ?? '[链接]';
    return `${p.senderName} : ${label}${p.appType === APP_TYPES.finder ? '' : p.text}`;
  }
  return `${p.senderName} : ${TYPE_LABELS[p.msgType] ?? '[消息]'}`;
}
