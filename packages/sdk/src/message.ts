// A received 1010 as a bot sees it: who said what where, whether it mentions the bot, and how to answer or download it.
import type { WxgateClient } from './client.ts';
import { parseMessageContent } from './content.ts';
import type { FriendRequestContent, MessageContent, NewMessage } from './content-types.ts';

/** A file on wxgate's CDN, as `/cloud/cdn_upload` answers it: what media replies send. */
export interface CdnFile {
  readonly file_id: string;
  readonly aes_key: string;
  readonly file_size: number;
  readonly file_md5: string;
}

/** What `reply` sends: text, or an uploaded image or file. */
export type ReplyContent = string | { readonly image: CdnFile } | { readonly file: CdnFile & { readonly file_name: string } };

/** Downloaded media: the decrypted bytes and the name wxgate gives them. */
export interface DownloadedMedia {
  readonly bytes: Uint8Array;
  readonly fileName: string;
}

/** What a Message needs from its bot: the client, the instance and the account logged in on it. */
export interface MessageContext {
  readonly client: WxgateClient;
  readonly guid: string;
  /** The account's wxid ('' while unknown). */
  selfWxid(): string;
}

const isRoomId = (name: string | undefined): name is string => typeof name === 'string' && name.endsWith('@chatroom');

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export class Message {
  #content: MessageContent | undefined;

  constructor(readonly raw: NewMessage, readonly context: MessageContext) {}

  /** `msg_id`: WeChat's 64-bit id as a decimal string. */
  get id(): string {
    return this.raw.msg_id ?? '';
  }

  get type(): number {
    return this.raw.msg_type;
  }

  /** The content parsed by kind (`text`, `image`, `file`, `quote`, …). */
  get content(): MessageContent {
    return (this.#content ??= parseMessageContent(this.raw));
  }

  /** The room id when the message belongs to a group chat, else null. */
  room(): string | null {
    if (this.raw.chatroom) return this.raw.chatroom;
    if (isRoomId(this.raw.from_username)) return this.raw.from_username;
    return isRoomId(this.raw.to_username) ? this.raw.to_username : null;
  }

  /** Who wrote it: the member in a room, else the sender. */
  talker(): string {
    return this.room() !== null && this.raw.chatroom_sender ? this.raw.chatroom_sender : (this.raw.from_username ?? '');
  }

  /** Sent by the bot's own account (through the API, or its phone — WeChat syncs those to every device). */
  self(): boolean {
    const me = this.context.selfWxid();
    return me !== '' && this.talker() === me;
  }

  /** The conversation: the room, or the other person of a one-to-one chat. */
  chat(): string {
    const room = this.room();
    if (room !== null) return room;
    return this.self() ? (this.raw.to_username ?? '') : this.talker();
  }

  /** The text of a text message (a quote's own text too); '' for other kinds. */
  text(): string {
    const c = this.content;
    if (c.kind === 'text') return c.text;
    if (c.kind === 'quote') return c.title;
    return '';
  }

  /** The wxids the message @-mentions (`<atuserlist>` of its msgsource; `notify@all` for @所有人). */
  mentions(): string[] {
    const match = /<atuserlist>(?:<!\[CDATA\[)?([^<\]]*)/.exec(this.raw.source ?? '');
    return match ? match[1]!.split(',').map((s) => s.trim()).filter(Boolean) : [];
  }

  /** Whether it @-mentions this account, or everyone. */
  mentionsMe(): boolean {
    const me = this.context.selfWxid();
    return this.mentions().some((wxid) => wxid === me || wxid === 'notify@all');
  }

  /** The talker's name as shown in the push text (`desc` "Alice : 你好"), or '' when it does not carry one. */
  talkerName(): string {
    const match = /^(.+?) : /s.exec(this.raw.desc ?? '');
    return match ? match[1]! : '';
  }

  /**
   * Answers in the same chat. In a room a text reply @-mentions the talker as WeChat does (`@name text`,
   * `/msg/send_room_at`); to a message of this account's own it answers the chat without a mention.
   */
  async reply(content: ReplyContent): Promise<{ msgId: string }> {
    const { client, guid } = this.context;
    const to = this.chat();
    if (typeof content !== 'string') {
      const answer = 'image' in content
        ? await client.call('/msg/send_image', { guid, to_username: to, ...content.image })
        : await client.call('/msg/send_file', { guid, to_username: to, ...content.file });
      return { msgId: String(answer.newMsgId ?? '') };
    }
    if (this.room() !== null && !this.self()) {
      const name = this.talkerName() || await this.#roomNickname(to, this.talker());
      const answer = await client.call('/msg/send_room_at', { guid, to_username: to, content: `@${name} ${content}`, at_list: [this.talker()] });
      return { msgId: String(answer.list?.[0]?.newMsgId ?? '') };
    }
    const answer = await client.call('/msg/send_text', { guid, to_username: to, content });
    return { msgId: String(answer.list?.[0]?.newMsgId ?? '') };
  }

  async #roomNickname(room: string, wxid: string): Promise<string> {
    const detail = await this.context.client.call('/room/get_chatroom_member_detail', { guid: this.context.guid, room_username: room });
    const member = detail.newChatroomData.chatRoomMember.find((m) => m.userName === wxid);
    return member?.displayName || member?.nickName || wxid;
  }

  /** The media's decrypted bytes: image (original), video, file or voice; throws for other kinds. */
  async download(): Promise<DownloadedMedia> {
    const { client, guid } = this.context;
    const c = this.content;
    const cdn = async (file_type: number, file_id: string, aes_key: string, file_size: number, file_name = '') => {
      const answer = await client.call('/cloud/cdn_download', { guid, file_type, file_id, aes_key, file_size, file_name });
      return { bytes: fromBase64(answer.base64 ?? ''), fileName: answer.file_name ?? file_name };
    };
    switch (c.kind) {
      case 'image':
        return cdn(1, c.cdnBigImgUrl || c.cdnMidImgUrl, c.aesKey, c.hdLength || c.length);
      case 'video':
        return cdn(4, c.cdnVideoUrl, c.aesKey, c.length);
      case 'file':
        return cdn(5, c.cdnAttachUrl || c.attachId, c.aesKey, c.totalLen, c.title);
      case 'voice': {
        const room = this.room();
        const answer = await client.call('/cloud/download_voice', { guid, msg_id: this.id, length: c.length, ...(room ? { room_username: room } : {}) });
        const a = answer as { base64?: string; file_name?: string };
        return { bytes: fromBase64(a.base64 ?? ''), fileName: a.file_name ?? 'voice.silk' };
      }
      default:
        throw new TypeError(`a ${c.kind} message has no media to download`);
    }
  }
}

/** A friend request (1010 msg_type 37 from `fmessage`). */
export class FriendRequest {
  constructor(readonly message: Message) {}

  get content(): FriendRequestContent {
    const c = this.message.content;
    if (c.kind !== 'friend_request') throw new TypeError('not a friend request');
    return c;
  }

  /** Who asks (their wxid as WeChat shows it) and what they wrote. */
  get from(): string {
    return this.content.fromUsername;
  }

  get greeting(): string {
    return this.content.content;
  }

  /** Accepts it: `/contact/verify_friend` with opcode 3 and the request's ticket. */
  async accept(): Promise<void> {
    const c = this.content;
    await this.message.context.client.call('/contact/verify_friend', {
      guid: this.message.context.guid, username: c.encryptUsername || c.fromUsername, ticket: c.ticket, scene: c.scene, opcode: 3,
    });
  }
}
