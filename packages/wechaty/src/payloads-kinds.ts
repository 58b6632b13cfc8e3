// The richer messages' XML (link cards, mini-programs, contact cards, locations, room invitations) as Wechaty's payloads.
import type * as PUPPET from 'wechaty-puppet';
import { appMsgType, parseXml, type RawMessage } from './payloads.ts';

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** The `<appmsg>` of a 49 message of one of `types`, or undefined. */
function appmsgOf(raw: RawMessage, ...types: number[]): Record<string, any> | undefined {
  if (raw.msg_type !== 49 || !types.includes(appMsgType(raw))) return undefined;
  return parseXml(raw.content)?.msg?.appmsg;
}

/** The link of an invitation card: opening it joins the room (docs/sandbox.md#rooms). */
const INVITE_LINK = /\/addchatroombyinvite\?ticket=/;

/** A link card (appmsg 5) that is not a room invitation. */
export function urlLinkPayload(raw: RawMessage): PUPPET.payloads.UrlLink | undefined {
  const appmsg = appmsgOf(raw, 5);
  if (!appmsg || INVITE_LINK.test(str(appmsg.url))) return undefined;
  return { title: str(appmsg.title), url: str(appmsg.url), description: str(appmsg.des) || undefined, thumbnailUrl: str(appmsg.thumburl) || undefined };
}

export function miniProgramPayload(raw: RawMessage): PUPPET.payloads.MiniProgram | undefined {
  const appmsg = appmsgOf(raw, 33, 36);
  if (!appmsg) return undefined;
  const info = appmsg.weappinfo ?? {};
  return {
    appid: str(info.appid), username: str(info.username), pagePath: str(info.pagepath), iconUrl: str(info.weappiconurl) || undefined,
    title: str(appmsg.title), description: str(appmsg.sourcedisplayname || appmsg.des) || undefined,
    thumbUrl: str(appmsg.thumburl) || undefined, thumbKey: str(appmsg.appattach?.aeskey) || undefined,
  };
}

/** The wxid a contact card (42) shares. */
export function contactCardId(raw: RawMessage): string | undefined {
  if (raw.msg_type !== 42) return undefined;
  return str(parseXml(raw.content)?.msg?.username) || undefined;
}

/** A location (48): WeChat's x is the latitude, y the longitude; `poiname` the place, `label` its address. */
export function locationPayload(raw: RawMessage): PUPPET.payloads.Location | undefined {
  const location = raw.msg_type === 48 ? parseXml(raw.content)?.msg?.location : undefined;
  if (!location) return undefined;
  return {
    latitude: Number(location.x), longitude: Number(location.y), name: str(location.poiname), address: str(location.label),
    accuracy: Number(location.scale ?? 0),
  };
}

/** A room invitation card (appmsg 5 with the addchatroombyinvite link): who invited, and the room's name from its text. */
export function roomInvitationPayload(raw: RawMessage, self: string): PUPPET.payloads.RoomInvitation | undefined {
  const appmsg = appmsgOf(raw, 5);
  if (!appmsg || !INVITE_LINK.test(str(appmsg.url))) return undefined;
  // `"Alice"邀请你加入群聊"Hiking"，进入可查看详情。`: the card names the room only in words.
  const topic = /邀请你加入群聊"(.*)"，/s.exec(str(appmsg.des))?.[1] ?? '';
  return {
    id: raw.msg_id, inviterId: raw.from_username, receiverId: raw.to_username || self, topic, avatar: str(appmsg.thumburl),
    invitation: str(appmsg.url), memberCount: 0, memberIdList: [], timestamp: raw.create_time * 1000,
  };
}
