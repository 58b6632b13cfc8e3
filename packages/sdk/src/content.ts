// Parses 1010 `content` (plain text or WeChat's XML, catalog §7) into a discriminated union keyed by `kind`.
import { XMLParser } from 'fast-xml-parser';
import type {
  AppMessageContent, Attributes, FinderMedia, MessageContent, NewMessage, ReferMessage, SystemContent,
} from './content-types.ts';

export type * from './content-types.ts';

type Node = Record<string, unknown>;

// Values stay strings: ids such as svrid are 64-bit and would lose digits as numbers.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
});

const MSG = { text: 1, image: 3, voice: 34, friendRequest: 37, card: 42, video: 43, emoji: 47, location: 48, app: 49, system: 10000, sysmsg: 10002 } as const;
const APP = { link: 5, file: 6, miniProgram: 33, miniProgramNew: 36, finder: 51, quote: 57 } as const;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An element's text whether the parser gave a string, or an object with attributes and `#text`. */
function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return text(value[0]);
  if (isNode(value)) return text(value['#text'] ?? '');
  return '';
}

function num(value: unknown): number {
  const n = Number(text(value));
  return Number.isFinite(n) ? n : 0;
}

function child(node: unknown, name: string): Node {
  const value = isNode(node) ? node[name] : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return isNode(first) ? first : {};
}

function attributes(node: Node): Attributes {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(node)) if (typeof v === 'string' && k !== '#text') out[k] = v;
  return out;
}

/** In a room the raw content starts with the sender's `wxid:\n`; wxgate strips it, other sources may not. */
function stripSenderPrefix(content: string): string {
  const match = /^[A-Za-z0-9_@.-]+:\n(?=\s*<)/.exec(content);
  return match ? content.slice(match[0].length) : content;
}

/** Sections whose text is not markup: a declaration-looking text inside them is harmless. */
const OPAQUE: ReadonlyArray<readonly [string, string]> = [['<![CDATA[', ']]>'], ['<!--', '-->'], ['<?', '?>']];

/**
 * Whether the XML declares a DTD (`<!DOCTYPE`, `<!ENTITY`) outside CDATA and comments. WeChat's XML never does; one only
 * serves entity expansion or external entities against the parser, so such content is left unparsed ('unknown').
 */
function declaresDtd(xml: string): boolean {
  for (let i = xml.indexOf('<'); i !== -1; i = xml.indexOf('<', i + 1)) {
    const opaque = OPAQUE.find(([open]) => xml.startsWith(open, i));
    if (opaque) {
      const end = xml.indexOf(opaque[1], i + opaque[0].length);
      if (end === -1) return false;
      i = end;
    } else if (xml.startsWith('<!', i)) {
      return true;
    }
  }
  return false;
}

function parseXml(content: string): Node | null {
  const xml = stripSenderPrefix(content).trim();
  if (declaresDtd(xml)) return null;
  try {
    const doc: unknown = parser.parse(xml);
    return isNode(doc) ? doc : null;
  } catch {
    return null;
  }
}

function referMessage(node: Node): ReferMessage {
  return {
    msgType: num(node.type),
    msgId: text(node.svrid),
    fromUsername: text(node.fromusr),
    chatUsername: text(node.chatusr),
    displayName: text(node.displayname),
    content: text(node.content),
    msgSource: text(node.msgsource),
    createTime: num(node.createtime),
  };
}

function finderMedia(feed: Node): FinderMedia[] {
  const media = child(feed, 'mediaList').media;
  const list = Array.isArray(media) ? media : media === undefined ? [] : [media];
  return list.filter(isNode).map((m) => ({ url: text(m.url), thumbUrl: text(m.thumbUrl), coverUrl: text(m.coverUrl), mediaType: num(m.mediaType) }));
}

function appMessage(msgType: number, msg: Node): AppMessageContent {
  const appmsg = child(msg, 'appmsg');
  const appType = num(appmsg.type);
  const attach = child(appmsg, 'appattach');
  const base = {
    msgType, appType, appmsg,
    appId: text(appmsg.appid),
    title: text(appmsg.title),
    des: text(appmsg.des),
    url: text(appmsg.url),
    fromUsername: text(msg.fromusername),
  };
  switch (appType) {
    case APP.link:
      return { ...base, kind: 'link', thumbUrl: text(appmsg.thumburl) };
    case APP.file:
      return {
        ...base, kind: 'file', totalLen: num(attach.totallen), fileExt: text(attach.fileext), attachId: text(attach.attachid),
        cdnAttachUrl: text(attach.cdnattachurl), aesKey: text(attach.aeskey), md5: text(appmsg.md5),
      };
    case APP.miniProgram:
    case APP.miniProgramNew: {
      const info = child(appmsg, 'weappinfo');
      return {
        ...base, kind: 'mini_program', username: text(info.username) || text(appmsg.sourceusername), weAppId: text(info.appid),
        pagePath: text(info.pagepath), iconUrl: text(info.weappiconurl), sourceDisplayName: text(appmsg.sourcedisplayname),
      };
    }
    case APP.finder: {
      const feed = child(appmsg, 'finderFeed');
      return {
        ...base, kind: 'finder', objectId: text(feed.objectId), objectNonceId: text(feed.objectNonceId), feedType: num(feed.feedType),
        nickname: text(feed.nickname), username: text(feed.username), avatar: text(feed.avatar), desc: text(feed.desc), mediaList: finderMedia(feed),
      };
    }
    case APP.quote:
      return { ...base, kind: 'quote', refer: referMessage(child(appmsg, 'refermsg')) };
    default:
      return { ...base, kind: 'app' };
  }
}

/** 10000 is usually plain text; some are `<sysmsg type="sysmsgtemplate">` whose template is the visible line. */
function systemMessage(msgType: number, content: string, doc: Node | null): SystemContent {
  const sysmsg = doc ? child(doc, 'sysmsg') : {};
  if (!doc || Object.keys(sysmsg).length === 0) return { kind: 'system', msgType, text: content, sysmsgType: '', xml: null };
  const template = child(child(sysmsg, 'sysmsgtemplate'), 'content_template');
  return { kind: 'system', msgType, text: text(template.template), sysmsgType: text(sysmsg.type), xml: sysmsg };
}

function sysMessage(msgType: number, content: string): MessageContent {
  const doc = parseXml(content);
  const sysmsg = doc ? child(doc, 'sysmsg') : {};
  const type = text(sysmsg.type);
  if (type === 'revokemsg') {
    const r = child(sysmsg, 'revokemsg');
    return { kind: 'revoke', msgType, session: text(r.session), msgId: text(r.msgid), newMsgId: text(r.newmsgid), replaceMsg: text(r.replacemsg) };
  }
  if (type === 'pat') {
    const p = child(sysmsg, 'pat');
    return {
      kind: 'pat', msgType, fromUsername: text(p.fromusername), chatUsername: text(p.chatusername),
      pattedUsername: text(p.pattedusername), template: text(p.template), suffix: text(p.patsuffix),
    };
  }
  if (!doc || Object.keys(sysmsg).length === 0) return { kind: 'unknown', msgType, content, reason: 'content of msg_type 10002 is not <sysmsg> XML' };
  return systemMessage(msgType, content, doc);
}

/**
 * Parses the `content` of a 1010 message by its `msg_type`. Never throws: content that does not parse as its
 * type promises comes back as `{kind: 'unknown', reason}`. Numeric attributes become numbers; ids stay strings.
 */
export function parseMessageContent(message: Pick<NewMessage, 'msg_type' | 'content'>): MessageContent {
  const msgType = Number(message.msg_type);
  const content = typeof message.content === 'string' ? message.content : '';
  if (msgType === MSG.text) return { kind: 'text', msgType, text: content };
  if (msgType === MSG.sysmsg) return sysMessage(msgType, content);
  if (msgType === MSG.system) return systemMessage(msgType, content, content.trimStart().startsWith('<') ? parseXml(content) : null);
  const doc = parseXml(content);
  const msg = doc ? child(doc, 'msg') : {};
  const unknown = (reason: string): MessageContent => ({ kind: 'unknown', msgType, content, reason });
  if (!doc || Object.keys(msg).length === 0) return unknown(`content of msg_type ${msgType} is not <msg> XML`);
  switch (msgType) {
    case MSG.image: {
      const img = child(msg, 'img');
      return {
        kind: 'image', msgType, attrs: attributes(img), aesKey: text(img.aeskey), cdnThumbUrl: text(img.cdnthumburl),
        cdnMidImgUrl: text(img.cdnmidimgurl), cdnBigImgUrl: text(img.cdnbigimgurl), cdnThumbAesKey: text(img.cdnthumbaeskey),
        length: num(img.length), hdLength: num(img.hdlength), thumbLength: num(img.cdnthumblength), md5: text(img.md5),
      };
    }
    case MSG.voice: {
      const v = child(msg, 'voicemsg');
      return {
        kind: 'voice', msgType, attrs: attributes(v), voiceLength: num(v.voicelength), length: num(v.length), aesKey: text(v.aeskey),
        voiceUrl: text(v.voiceurl), bufId: text(v.bufid), voiceFormat: num(v.voiceformat), fromUsername: text(v.fromusername),
      };
    }
    case MSG.video: {
      const v = child(msg, 'videomsg');
      return {
        kind: 'video', msgType, attrs: attributes(v), aesKey: text(v.aeskey), cdnVideoUrl: text(v.cdnvideourl), cdnThumbUrl: text(v.cdnthumburl),
        cdnThumbAesKey: text(v.cdnthumbaeskey), length: num(v.length), playLength: num(v.playlength), thumbLength: num(v.cdnthumblength),
        md5: text(v.md5), fromUsername: text(v.fromusername),
      };
    }
    case MSG.emoji: {
      const e = child(msg, 'emoji');
      return {
        kind: 'emoji', msgType, attrs: attributes(e), md5: text(e.md5), length: num(e.len), cdnUrl: text(e.cdnurl), encryptUrl: text(e.encrypturl),
        aesKey: text(e.aeskey), externUrl: text(e.externurl), width: num(e.width), height: num(e.height),
      };
    }
    case MSG.location: {
      const l = child(msg, 'location');
      return {
        kind: 'location', msgType, attrs: attributes(l), latitude: num(l.x), longitude: num(l.y), scale: num(l.scale), label: text(l.label),
        poiName: text(l.poiname), fromUsername: text(l.fromusername),
      };
    }
    case MSG.card:
      return {
        kind: 'card', msgType, attrs: attributes(msg), username: text(msg.username), nickname: text(msg.nickname), alias: text(msg.alias),
        bigHeadImgUrl: text(msg.bigheadimgurl), smallHeadImgUrl: text(msg.smallheadimgurl), province: text(msg.province), city: text(msg.city),
        signature: text(msg.sign), sex: num(msg.sex), antispamTicket: text(msg.antispamticket),
      };
    case MSG.friendRequest:
      return {
        kind: 'friend_request', msgType, attrs: attributes(msg), fromUsername: text(msg.fromusername), fromNickname: text(msg.fromnickname),
        encryptUsername: text(msg.encryptusername), ticket: text(msg.ticket), scene: num(msg.scene), content: text(msg.content),
      };
    case MSG.app:
      return appMessage(msgType, msg);
    default:
      return unknown(`msg_type ${msgType} has no parser`);
  }
}
