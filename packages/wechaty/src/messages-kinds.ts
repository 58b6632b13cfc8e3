// Sending the richer kinds — link cards, mini-programs, contact cards, locations — and forwarding a received message.
import type * as PUPPET from 'wechaty-puppet';
import type { WxgateInstancePort as Port } from './instance-port.ts';
import { sendFile, sendText, sentId, downloadMessageFile } from './messages.ts';
import { contactCardId, locationPayload, miniProgramPayload, urlLinkPayload } from './payloads-kinds.ts';
import { appMsgType, parseXml, type RawMessage } from './payloads.ts';

const escapeXml = (value: string | undefined): string =>
  (value ?? '').replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/**
 * A link card as the appmsg (type 5) WeChat sends: /msg/send_app_msg, since /msg/send_link_card wants a thumbnail
 * image to fetch and Wechaty's UrlLink may have none.
 */
export async function sendUrlLink(port: Port, to: string, link: PUPPET.payloads.UrlLink): Promise<string | undefined> {
  const xml = '<appmsg appid="" sdkver="0">'
    + `<title>${escapeXml(link.title)}</title><des>${escapeXml(link.description)}</des><type>5</type>`
    + `<url>${escapeXml(link.url)}</url><thumburl>${escapeXml(link.thumbnailUrl)}</thumburl></appmsg>`;
  return sentId(await port.call('/msg/send_app_msg', { to_username: to, app_type: 5, xml, appid: '' }));
}

/**
 * A mini-program card (appmsg 33) with its weappinfo: /msg/send_app_msg, since /msg/send_mini_app wants a thumbnail
 * already on the CDN, which Wechaty's MiniProgram payload does not carry (only a URL or a key of someone else's).
 */
export async function sendMiniProgram(port: Port, to: string, mp: PUPPET.payloads.MiniProgram): Promise<string | undefined> {
  const xml = '<appmsg appid="" sdkver="0">'
    + `<title>${escapeXml(mp.title)}</title><des>${escapeXml(mp.description)}</des><type>33</type>`
    + `<sourceusername>${escapeXml(mp.username)}</sourceusername><sourcedisplayname>${escapeXml(mp.description)}</sourcedisplayname>`
    + `<thumburl>${escapeXml(mp.thumbUrl)}</thumburl>`
    + `<weappinfo><username>${escapeXml(mp.username)}</username><appid>${escapeXml(mp.appid)}</appid>`
    + `<pagepath>${escapeXml(mp.pagePath)}</pagepath><weappiconurl>${escapeXml(mp.iconUrl)}</weappiconurl></weappinfo></appmsg>`;
  return sentId(await port.call('/msg/send_app_msg', { to_username: to, app_type: 33, xml, appid: '' }));
}

/** A contact card of `contactId`, with the nickname and avatar its payload has. */
export async function sendContactCard(port: Port, to: string, contactId: string, contact: { name: string; avatar: string }): Promise<string | undefined> {
  return sentId(await port.call('/msg/send_share_card', {
    to_username: to, share_username: contactId, share_nickname: contact.name, share_head_img: contact.avatar,
  }));
}

export async function sendLocation(port: Port, to: string, location: PUPPET.payloads.Location): Promise<string | undefined> {
  return sentId(await port.call('/msg/send_location', {
    to_username: to, latitude: location.latitude, longitude: location.longitude, title: location.name, address: location.address,
    ...(location.accuracy > 0 ? { scale: Math.round(location.accuracy) } : {}),
  }));
}

/** What forwarding needs of the puppet: a contact's name and avatar for a card. */
export type ContactLookup = (contactId: string) => Promise<{ name: string; avatar: string }>;

/**
 * WeChat's forward re-sends the message: wxgate has no forward endpoint, so each kind goes out by its own send — text,
 * a link card, a mini-program, a contact card, a location, or the media downloaded and sent again. Others (chat
 * histories, recalls, system lines) are not sent: undefined.
 */
export async function forward(port: Port, to: string, raw: RawMessage, contact: ContactLookup): Promise<string | undefined | null> {
  switch (raw.msg_type) {
    case 1: return sendText(port, to, raw.content);
    case 3: case 34: case 43: case 62: return sendFile(port, to, await downloadMessageFile(raw, port));
    case 42: {
      const id = contactCardId(raw);
      return id ? sendContactCard(port, to, id, await contact(id).catch(() => ({ name: String(parseXml(raw.content)?.msg?.nickname ?? ''), avatar: '' }))) : null;
    }
    case 48: {
      const location = locationPayload(raw);
      return location ? sendLocation(port, to, location) : null;
    }
    case 49: {
      const type = appMsgType(raw);
      if (type === 6) return sendFile(port, to, await downloadMessageFile(raw, port));
      if (type === 57) return sendText(port, to, String(parseXml(raw.content)?.msg?.appmsg?.title ?? ''));
      const link = urlLinkPayload(raw);
      if (link) return sendUrlLink(port, to, link);
      const mp = miniProgramPayload(raw);
      if (mp) return sendMiniProgram(port, to, mp);
      return null;
    }
    default: return null;
  }
}
