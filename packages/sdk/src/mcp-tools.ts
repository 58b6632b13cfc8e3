// What the MCP tools do, on the SDK client alone: every step is an ordinary API call, so auth, tenancy and rate limit apply.
import type { WxgateClient } from './client.ts';
import { parseMessageContent } from './content.ts';
import type { MessageContent } from './content-types.ts';
import type { EventsMessagesResponse } from './endpoints.generated.ts';

export type ArchivedMessage = EventsMessagesResponse['messages'][number];

/** A message as an agent reads it: who, when, which way, and its text or a one-line summary of its media. */
export interface ChatLine {
  msg_id: string;
  seq: number;
  direction: 'in' | 'out';
  /** the person who wrote it (the room member in a room) */
  sender: string;
  /** the chat: the peer's wxid or the room id */
  talker: string;
  time: string;
  kind: MessageContent['kind'];
  text: string;
  revoked: boolean;
}

export interface ContactLine {
  wxid: string;
  nickname: string;
  remark: string;
  alias: string;
  is_room: boolean;
}

export interface FriendRequestLine {
  from_username: string;
  from_nickname: string;
  /** pass to accept_friend_request as encrypt_username */
  encrypt_username: string;
  ticket: string;
  scene: number;
  greeting: string;
  time: string;
}

/** The archive answers at most this many per page (contract: /events/messages limit ≤ 500). */
const ARCHIVE_PAGE = 500;
/** get_contact names per call, kept modest so one answer stays small. */
const CONTACT_BATCH = 50;
/** How far list_contacts reads the archive for rooms (pages of ARCHIVE_PAGE): bounded, so a huge archive stays quick. */
const ARCHIVE_SCAN_PAGES = 20;
const FRIEND_REQUEST_MSG_TYPE = 37;
/** Bare base64 shorter than this is taken for a path (see #media). */
const MIN_BARE_BASE64 = 256;

const isRoom = (username: string): boolean => username.endsWith('@chatroom');
const isoTime = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString();

function summary(content: MessageContent, raw: string): string {
  switch (content.kind) {
    case 'text': return content.text;
    case 'quote': return content.title;
    case 'link': case 'file': case 'mini_program': return `[${content.kind}] ${content.title}`;
    case 'unknown': case 'system': return raw;
    default: return `[${content.kind}]`;
  }
}

export function chatLine(message: ArchivedMessage, self: string | undefined): ChatLine {
  const talker = message.direction === 'out' ? message.to_username : message.from_username;
  const sender = message.chatroom_sender || (message.direction === 'out' ? self ?? message.from_username : message.from_username);
  // A received room message's content starts with "sender:\n"; the sender is already given apart.
  const raw = message.chatroom_sender && message.content.startsWith(`${message.chatroom_sender}:\n`)
    ? message.content.slice(message.chatroom_sender.length + 2) : message.content;
  const content = parseMessageContent({ msg_type: message.msg_type, content: raw });
  return {
    msg_id: message.msg_id, seq: message.seq, direction: message.direction, sender, talker,
    time: isoTime(message.create_time), kind: content.kind, text: summary(content, raw), revoked: message.revoked,
  };
}

/** The MCP tools' behaviour; `readLocalFile` is given only where the caller's own files may be read (stdio). */
export class WxgateAgentActions {
  constructor(readonly client: WxgateClient, readonly readLocalFile?: (path: string) => Promise<string>) {}

  async listInstances(): Promise<Array<{ guid: string; status: number; login_wxid: string }>> {
    const guids = await this.client.call('/client/all_clients', {});
    return Promise.all(guids.map(async (guid) => {
      const s = await this.client.call('/client/get_client_status', { guid });
      return { guid, status: s.status, login_wxid: s.login_wxid ?? '' };
    }));
  }

  /** Every contact and room of the account (init_contact pages, then get_contact), narrowed by kind and a query. */
  async listContacts(guid: string, kind: 'all' | 'people' | 'rooms', query: string | undefined, limit: number): Promise<ContactLine[]> {
    const usernames: string[] = [];
    let contactSeq = 0;
    let roomSeq = 0;
    for (;;) {
      const page = await this.client.call('/contact/init_contact', { guid, contact_seq: contactSeq, room_seq: roomSeq });
      usernames.push(...page.contactUsernameList);
      if (page.countinueFlag !== 1 || (page.currentWxcontactSeq === contactSeq && page.currentChatRoomContactSeq === roomSeq)) break;
      contactSeq = page.currentWxcontactSeq;
      roomSeq = page.currentChatRoomContactSeq;
    }
    // WeChat lists only rooms saved to contacts; rooms the account talks in are found in its archive too.
    if (kind !== 'people') usernames.push(...await this.#roomsInArchive(guid));
    const wanted = [...new Set(usernames)].filter((u) => kind === 'all' || (kind === 'rooms') === isRoom(u));
    const needle = query?.trim().toLowerCase();
    const found: ContactLine[] = [];
    for (let i = 0; i < wanted.length && found.length < limit; i += CONTACT_BATCH) {
      const { contactList } = await this.client.call('/contact/get_contact', { guid, username_list: wanted.slice(i, i + CONTACT_BATCH) });
      for (const c of contactList) {
        const line: ContactLine = {
          wxid: c.userName.string ?? '', nickname: c.nickName.string ?? '', remark: c.remark.string ?? '', alias: c.alias ?? '',
          is_room: isRoom(c.userName.string ?? ''),
        };
        if (!needle || [line.wxid, line.nickname, line.remark, line.alias].some((v) => v.toLowerCase().includes(needle))) found.push(line);
      }
    }
    return found.slice(0, limit);
  }

  async #roomsInArchive(guid: string): Promise<string[]> {
    const rooms = new Set<string>();
    let after = 0;
    for (let page = 0; page < ARCHIVE_SCAN_PAGES; page++) {
      const { messages, next_seq } = await this.client.call('/events/messages', { guid, after_seq: after, limit: ARCHIVE_PAGE });
      for (const message of messages) for (const name of [message.from_username, message.to_username]) if (isRoom(name)) rooms.add(name);
      if (messages.length < ARCHIVE_PAGE || next_seq === after) break;
      after = next_seq;
    }
    return [...rooms];
  }

  /** The newest `limit` messages of a chat, oldest first (the archive pages oldest first, so it is read to its end). */
  async recentMessages(guid: string, talker: string, limit: number): Promise<ChatLine[]> {
    const status = await this.client.call('/client/get_client_status', { guid });
    let kept: ArchivedMessage[] = [];
    let after = 0;
    for (;;) {
      const page = await this.client.call('/events/messages', { guid, talker, after_seq: after, limit: ARCHIVE_PAGE });
      kept = kept.concat(page.messages).slice(-limit);
      if (page.messages.length < ARCHIVE_PAGE || page.next_seq === after) break;
      after = page.next_seq;
    }
    return kept.map((message) => chatLine(message, status.login_wxid || undefined));
  }

  async findMessage(guid: string, msgId: string, talker: string | undefined): Promise<ArchivedMessage | undefined> {
    let after = 0;
    for (;;) {
      const page = await this.client.call('/events/messages', { guid, ...(talker ? { talker } : {}), after_seq: after, limit: ARCHIVE_PAGE });
      const hit = page.messages.find((message) => message.msg_id === msgId);
      if (hit) return hit;
      if (page.messages.length < ARCHIVE_PAGE || page.next_seq === after) return undefined;
      after = page.next_seq;
    }
  }

  async sendText(guid: string, to: string, text: string, mention: string[]): Promise<string> {
    const answer = mention.length > 0
      ? await this.client.call('/msg/send_room_at', { guid, to_username: to, content: text, at_list: mention })
      : await this.client.call('/msg/send_text', { guid, to_username: to, content: text });
    return answer.list[0]?.newMsgId ?? '';
  }

  /**
   * A URL (http(s) or data:) or bare base64 goes to the upload as given; anything else is a local path, read only where
   * reading is allowed (stdio). Short strings count as paths: base64 of real media is long, and a data: URL carries small content.
   */
  async #media(source: string): Promise<string> {
    if (/^(https?|data):/i.test(source)) return source;
    if (source.length > MIN_BARE_BASE64 && /^[A-Za-z0-9+/=\s]+$/.test(source)) return source;
    if (this.readLocalFile) return this.readLocalFile(source);
    throw new Error(`${JSON.stringify(source.slice(0, 80))} is not an http(s) URL, a data: URL or base64; local files are read only by the stdio server (npx wxgate mcp)`);
  }

  async sendImage(guid: string, to: string, source: string): Promise<string> {
    const up = await this.client.call('/cloud/cdn_upload', { guid, file_type: 2, url: await this.#media(source) });
    const answer = await this.client.call('/msg/send_image', {
      guid, to_username: to, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_md5: up.file_md5,
      big_file_size: up.big_file_size ?? up.file_size, thumb_file_size: up.thumb_file_size ?? 0,
      thumb_width: up.thumb_width ?? 0, thumb_height: up.thumb_height ?? 0, file_crc: up.file_crc ?? 0,
    });
    return answer.newMsgId;
  }

  async sendFile(guid: string, to: string, source: string, fileName: string): Promise<string> {
    const up = await this.client.call('/cloud/cdn_upload', { guid, file_type: 5, url: await this.#media(source) });
    const answer = await this.client.call('/msg/send_file', {
      guid, to_username: to, file_id: up.file_id, aes_key: up.aes_key, file_size: up.file_size, file_md5: up.file_md5,
      file_name: fileName, file_crc: up.file_crc ?? 0, file_key: up.file_key ?? '',
    });
    return answer.newMsgId;
  }

  /**
   * Answers a message where it was said. `quote` cites it as WeChat's quote reply; `mention` @-mentions its writer (rooms
   * only); `plain` just answers. Default as people do: quote in rooms, plain in private chats.
   */
  async reply(guid: string, msgId: string, text: string, style: 'quote' | 'mention' | 'plain' | undefined, talker?: string): Promise<{ to: string; style: string; msg_id: string }> {
    const original = await this.findMessage(guid, msgId, talker);
    if (!original) throw new Error(`msg_id ${msgId} is not in the archive of instance ${guid}${talker ? ` (chat ${talker})` : ''}`);
    const status = await this.client.call('/client/get_client_status', { guid });
    const line = chatLine(original, status.login_wxid || undefined);
    const inRoom = isRoom(line.talker);
    const chosen = style ?? (inRoom ? 'quote' : 'plain');
    if (chosen === 'mention') {
      if (!inRoom) throw new Error('style "mention" is for room messages; use "quote" or "plain" in a private chat');
      const { contactList } = await this.client.call('/contact/get_contact', { guid, username_list: [line.sender], room_username: line.talker });
      const nickname = contactList[0]?.nickName.string || line.sender;
      return { to: line.talker, style: chosen, msg_id: await this.sendText(guid, line.talker, `@${nickname}\u2005${text}`, [line.sender]) };
    }
    if (chosen === 'plain') return { to: line.talker, style: chosen, msg_id: await this.sendText(guid, line.talker, text, []) };
    const answer = await this.client.call('/msg/send_refer_msg', {
      guid, to_username: line.talker, content: text,
      refer_msg: { msg_type: original.msg_type, msg_id: original.msg_id, from_username: line.sender, from_nickname: '', source: original.source, content: line.text },
    });
    return { to: line.talker, style: chosen, msg_id: answer.newMsgId };
  }

  /** Friend requests received (1010 with msg_type 37) among the instance's newest `scan` events, newest first, one per person. */
  async friendRequests(guid: string, scan = 1000): Promise<FriendRequestLine[]> {
    const { last_sn } = await this.client.call('/events/list', { guid, limit: 1, after_sn: 0 });
    const { events } = await this.client.call('/events/list', { guid, notify_type: 1010, after_sn: Math.max(0, last_sn - scan), limit: 1000 });
    const byPerson = new Map<string, FriendRequestLine>();
    for (const event of events.reverse()) {
      const data = event.data as { msg_type?: number; content?: string; create_time?: number } | null;
      if (data?.msg_type !== FRIEND_REQUEST_MSG_TYPE || typeof data.content !== 'string') continue;
      const parsed = parseMessageContent({ msg_type: data.msg_type, content: data.content });
      if (parsed.kind !== 'friend_request' || byPerson.has(parsed.fromUsername)) continue;
      byPerson.set(parsed.fromUsername, {
        from_username: parsed.fromUsername, from_nickname: parsed.fromNickname, encrypt_username: parsed.encryptUsername,
        ticket: parsed.ticket, scene: parsed.scene, greeting: parsed.content, time: isoTime(data.create_time ?? event.created_at),
      });
    }
    return [...byPerson.values()];
  }

  async acceptFriendRequest(guid: string, encryptUsername: string, ticket: string, scene: number): Promise<string> {
    const answer = await this.client.call('/contact/verify_friend', { guid, username: encryptUsername, ticket, scene, opcode: 3 });
    return answer.userName ?? encryptUsername;
  }
}
