// WeChat XML that callers hand in (send_app_msg, send_share_card_raw) and that quotes carry: finding an element
// verbatim and reading the few fields the sandbox needs. Parsing goes through wechat/caller-xml.ts, never by regex.
import { invalidField, MSG_TYPES } from '@wxgate/contract';
import { readXml, refuseXmlDeclarations } from '../../../wechat/caller-xml.ts';

/** The index of the `>` that ends the tag opened at `start`, outside quoted attribute values; -1 if none. */
function tagEndFrom(xml: string, start: number): number {
  let quote = '';
  for (let i = start + 1; i < xml.length; i++) {
    const ch = xml[i]!;
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '>') {
      return i;
    }
  }
  return -1;
}

/**
 * Where the first top-level `<name …>…</name>` (or `<name/>`) starts and ends in well-formed XML, skipping CDATA,
 * comments and processing instructions, so a `<name>` inside them is never mistaken for the element.
 */
export function elementSpan(xml: string, name: string): { start: number; end: number } | null {
  let depth = 0;
  let start = -1;
  const skips: Array<[string, string]> = [['<![CDATA[', ']]>'], ['<!--', '-->'], ['<?', '?>'], ['<!', '>']];
  for (let i = xml.indexOf('<'); i !== -1 && i < xml.length; i = xml.indexOf('<', i + 1)) {
    const skip = skips.find(([open]) => xml.startsWith(open, i));
    if (skip) {
      const close = xml.indexOf(skip[1], i + skip[0].length);
      if (close === -1) return null;
      i = close;
      continue;
    }
    const tagEnd = tagEndFrom(xml, i);
    if (tagEnd === -1) return null;
    const closing = xml[i + 1] === '/';
    const tagName = /^[^\s/>]+/.exec(xml.slice(i + (closing ? 2 : 1), tagEnd))?.[0];
    if (tagName === name) {
      const selfClosing = !closing && xml[tagEnd - 1] === '/';
      if (!closing && depth === 0) start = i;
      if (selfClosing && depth === 0) return { start, end: tagEnd + 1 };
      if (!closing && !selfClosing) depth++;
      if (closing && --depth === 0) return { start, end: tagEnd + 1 };
    }
    i = tagEnd;
  }
  return null;
}

export interface CallerAppMsg {
  /** The `<appmsg>` element as the caller wrote it. */
  readonly element: string;
  readonly type: number;
  readonly title: string;
}

/**
 * send_app_msg's `xml`: a `<msg>` with an `<appmsg>` in it, or the `<appmsg>` alone. The element passes through as
 * written; its `<type>` must agree with `app_type` (a missing one is taken from app_type).
 */
export function callerAppMsg(xml: string, appType: number): CallerAppMsg {
  readXml(xml, 'xml');
  const span = elementSpan(xml, 'appmsg');
  if (!span) throw invalidField('xml', 'no <appmsg> element: pass <msg><appmsg …>…</appmsg></msg> or the <appmsg> alone');
  let element = xml.slice(span.start, span.end);
  const appmsg = (readXml(element, 'xml').appmsg ?? {}) as Record<string, unknown>;
  const declared = typeof appmsg.type === 'string' && appmsg.type !== '' ? Number(appmsg.type) : null;
  if (declared !== null && !Number.isInteger(declared)) throw invalidField('xml', `<type> must be an integer, got ${String(appmsg.type)}`);
  if (declared !== null && appType !== 0 && declared !== appType) {
    throw invalidField('app_type', `app_type ${appType} contradicts the XML's <type>${declared}</type>; pass the same value or 0`);
  }
  const type = declared ?? appType;
  if (type === 0) throw invalidField('xml', 'the appmsg has no <type>; put one in the XML or pass app_type');
  if (declared === null) {
    // Insert the type right after the opening tag, keeping everything else as written.
    const open = tagEndFrom(element, 0) + 1;
    element = element.endsWith('/>') && open === element.length
      ? `${element.slice(0, -2)}><type>${type}</type></appmsg>`
      : `${element.slice(0, open)}<type>${type}</type>${element.slice(open)}`;
  }
  return { element, type, title: typeof appmsg.title === 'string' ? appmsg.title : '' };
}

/** send_share_card_raw's `xml`: a card `<msg username="…" …/>`, passed through as written. */
export function callerCardXml(xml: string): { username: string; nickname: string } {
  const msg = readXml(xml, 'xml').msg as Record<string, unknown> | string | undefined;
  const username = typeof msg === 'object' && typeof msg.username === 'string' ? msg.username : '';
  if (!username) throw invalidField('xml', 'a contact card is <msg username="wxid_…" nickname="…" …/>: the username attribute is missing');
  return { username, nickname: typeof msg === 'object' && typeof msg.nickname === 'string' ? msg.nickname : '' };
}

/** Removes the first `<refermsg>` of an appmsg: quoting a quote carries the reply, not the whole chain (as WeChat does). */
export function withoutReferMsg(xml: string): string {
  const span = elementSpan(xml, 'refermsg');
  if (!span) return xml;
  // Drop the line the element sat on too, when it had one of its own.
  const lineStart = xml.lastIndexOf('\n', span.start - 1);
  const start = /^\s*$/.test(xml.slice(lineStart + 1, span.start)) ? lineStart : span.start;
  return xml.slice(0, start) + xml.slice(span.end);
}

/** The `<title>` of an appmsg in stored content (for push text and quotes); "" when none. */
export function appMsgTitle(xml: string): string {
  try {
    const msg = readXml(xml, 'content').msg as { appmsg?: { title?: unknown } } | undefined;
    return typeof msg?.appmsg?.title === 'string' ? msg.appmsg.title : '';
  } catch {
    return '';
  }
}

/**
 * A message a client quotes or pins (refer_msg, msg_info) as it copied it from a callback: its content is XML unless
 * it is text, its source <msgsource> XML. Neither is parsed here (they are passed on escaped, or stored), but a
 * declaration in them would reach whoever parses them next, so it is refused as in any caller XML.
 */
export function refuseDeclarationsInMessage(message: { readonly msg_type: number; readonly content?: string; readonly source?: string }, field: string): void {
  if (message.msg_type !== MSG_TYPES.Text) refuseXmlDeclarations(message.content ?? '', [field, 'content']);
  refuseXmlDeclarations(message.source ?? '', [field, 'source']);
}
