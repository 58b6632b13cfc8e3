// A Wechaty Puppet for one wxgate instance: every method maps onto the instance's API through the port, or says unsupported.
import * as PUPPET from 'wechaty-puppet';
import { FileBox, type FileBoxInterface } from 'file-box';
import { emitFor, type EventTarget } from './outbox-events.ts';
import type { EventFollow, WxgateInstancePort } from './instance-port.ts';
import { downloadMessageFile, sendFile, sendText } from './messages.ts';
import { forward, sendContactCard, sendLocation, sendMiniProgram, sendUrlLink } from './messages-kinds.ts';
import { contactUsernames } from './contact-list.ts';
import { friendshipOf, type RawFriendship } from './friendships.ts';
import { deleteTag, setTag, tagsOf } from './tags.ts';
import { contactCardId, locationPayload, miniProgramPayload, roomInvitationPayload, urlLinkPayload } from './payloads-kinds.ts';
import {
  contactPayload, isRoomId, messagePayload, roomMemberPayload, roomPayload, text,
  type RawContact, type RawMember, type RawMessage, type RawRoom,
} from './payloads.ts';

const unsupported = PUPPET.throwUnsupportedError;


export class WxgatePuppet extends PUPPET.Puppet implements EventTarget {
  static override readonly VERSION = '0.1.0';
  readonly #port: WxgateInstancePort;
  #follow: EventFollow | undefined;
  /** Messages seen in this run, by msg_id: what messageRawPayload answers first (the archive, by id, is the fallback). */
  readonly #messages = new Map<string, RawMessage>();
  /** Rooms heard of since the bridge started (joins, room messages, room contacts): roomList adds them to the saved ones. */
  readonly #rooms = new Set<string>();
  /** Each room's topic as last seen and the one before it: a room-topic event tells both. */
  readonly #topics = new Map<string, { current: string; previous: string }>();

  constructor(port: WxgateInstancePort, options: PUPPET.PuppetOptions = {}) {
    super(options);
    this.#port = port;
  }

  get guid(): string {
    return this.#port.guid;
  }

  override async onStart(): Promise<void> {
    const wxid = await this.#port.loginWxid();
    if (wxid) {
      if (!this.isLoggedIn) this.login(wxid);
      return;
    }
    // The QR's 1002 reaches the bot through the outbox, like every later scan state.
    await this.#port.call('/login/get_login_qrcode', {});
  }

  /** Brings the puppet's login state to the instance's: a logout (with `reason`, not sent to wxgate) or a login. */
  async syncLogin(reason: string): Promise<void> {
    const wxid = await this.#port.loginWxid();
    if (wxid && !this.isLoggedIn) this.login(wxid);
    else if (!wxid && this.isLoggedIn) await this.logout(reason);
  }

  override async onStop(): Promise<void> {
    this.pauseEvents();
  }

  /**
   * Starts handing the outbox's events to the bot (its event stream is open and it has started); `receipt` answers,
   * after an event was emitted, whether the bot received everything written to its stream so far.
   */
  resumeEvents(receipt: () => Promise<boolean>, onError: (err: unknown) => void): void {
    this.#follow?.stop();
    this.#follow = this.#port.follow(async (event) => {
      await emitFor(this, event);
      return { received: receipt() };
    }, onError);
  }

  /** Stops reading the outbox: what the bot has not been sent stays there for its next stream. */
  pauseEvents(): void {
    this.#follow?.stop();
    this.#follow = undefined;
  }

  remember(message: RawMessage): void {
    this.#messages.set(message.msg_id, message);
    for (const id of [message.from_username, message.to_username]) if (isRoomId(id)) this.#rooms.add(id);
  }

  /** A room the account was heard to be in (a join, a room contact's change). */
  heardOfRoom(roomId: string): void {
    this.#rooms.add(roomId);
  }

  /** A message of this run, else the archive's by id. */
  async #message(id: string): Promise<RawMessage | undefined> {
    return this.#messages.get(id) ?? await this.#port.archivedMessage(id) as RawMessage | undefined;
  }

  noteTopic(roomId: string, topic: string): void {
    const seen = this.#topics.get(roomId);
    if (seen?.current !== topic) this.#topics.set(roomId, { current: topic, previous: seen?.current ?? '' });
  }

  topicBefore(roomId: string, topic: string): string {
    const seen = this.#topics.get(roomId);
    return (seen?.current === topic ? seen.previous : seen?.current) ?? '';
  }

  async memberNamed(roomId: string, name: string): Promise<string> {
    const { members } = await this.roomRawPayload(roomId);
    return (members.find((m) => m.displayName === name) ?? members.find((m) => m.nickName === name))?.userName ?? '';
  }

  override ding(data?: string): void {
    this.emit('dong', { data: data ?? '' });
  }

  override async logout(reason?: string): Promise<void> {
    if (this.isLoggedIn && reason === undefined) await this.#port.call('/user/logout', {});
    await super.logout(reason);
  }

  // Contacts

  // get_qrcode answers the PNG only, not the text Wechaty wants.
  override async contactSelfQRCode(): Promise<string> { return unsupported(); }
  override async contactSelfName(_name: string): Promise<void> { return unsupported(); }
  override async contactSelfSignature(_signature: string): Promise<void> { return unsupported(); }

  override async contactList(): Promise<string[]> {
    return (await contactUsernames(this.#port)).filter((id) => !isRoomId(id));
  }

  override async contactAlias(contactId: string): Promise<string>;
  override async contactAlias(contactId: string, alias: string | null): Promise<void>;
  override async contactAlias(contactId: string, alias?: string | null): Promise<string | void> {
    if (alias === undefined) return (await this.contactPayload(contactId)).alias ?? '';
    await this.#port.call('/contact/modify_remark', { username: contactId, remark: alias ?? '' });
    this.emit('dirty', { payloadType: PUPPET.types.Dirty.Contact, payloadId: contactId });
  }

  override async contactAvatar(contactId: string): Promise<FileBoxInterface>;
  override async contactAvatar(contactId: string, file: FileBoxInterface): Promise<void>;
  override async contactAvatar(contactId: string, file?: FileBoxInterface): Promise<FileBoxInterface | void> {
    if (file) return unsupported();
    const { avatar } = await this.contactPayload(contactId);
    if (!avatar) return unsupported();
    return FileBox.fromUrl(avatar);
  }

  override async contactPhone(_contactId: string, _phoneList: string[]): Promise<void> { return unsupported(); }
  override async contactCorporationRemark(_contactId: string, _remark: string | null): Promise<void> { return unsupported(); }
  override async contactDescription(_contactId: string, _description: string | null): Promise<void> { return unsupported(); }

  override async contactRawPayload(id: string): Promise<RawContact> {
    const answer = await this.#port.call('/contact/get_contact', { username_list: [id] }) as { contactList?: RawContact[] };
    const found = answer.contactList?.find((c) => text(c.userName) === id);
    if (!found) throw new Error(`wxgate: no contact ${id}`);
    return found;
  }

  override async contactRawPayloadParser(raw: RawContact): Promise<PUPPET.payloads.Contact> {
    // get_contact answers strangers with an encryptUserName; friends without.
    return contactPayload(raw, !text(raw.encryptUserName));
  }

  // Rooms

  override async roomList(): Promise<string[]> {
    // WeChat lists the rooms saved to contacts; the others the account is in are known from what it heard (as WeChat
    // clients know them from their chats). Each is checked once for still being a member: no archive is read.
    const rooms = new Set([...(await contactUsernames(this.#port)).filter(isRoomId), ...this.#rooms]);
    const current: string[] = [];
    for (const id of rooms) {
      const room = await this.contactRawPayload(id).catch(() => undefined);
      if (room?.isInChatRoom === 1) current.push(id);
    }
    return current;
  }

  override async roomRawPayload(id: string): Promise<RawRoom> {
    const contact = await this.contactRawPayload(id);
    const detail = await this.#port.call('/room/get_chatroom_member_detail', { room_username: id }) as
      { chatRoomOwner?: string; newChatroomData?: { chatRoomMember?: RawMember[] } };
    this.noteTopic(id, text(contact.nickName));
    return { contact, owner: detail.chatRoomOwner ?? contact.chatRoomOwner ?? '', members: detail.newChatroomData?.chatRoomMember ?? [] };
  }

  override async roomRawPayloadParser(raw: RawRoom): Promise<PUPPET.payloads.Room> {
    return roomPayload(raw);
  }

  override async roomMemberList(roomId: string): Promise<string[]> {
    return (await this.roomPayload(roomId)).memberIdList;
  }

  override async roomMemberRawPayload(roomId: string, contactId: string): Promise<RawMember> {
    const room = await this.roomRawPayload(roomId);
    const member = room.members.find((m) => m.userName === contactId);
    if (!member) throw new Error(`wxgate: ${contactId} is not a member of ${roomId}`);
    return member;
  }

  override async roomMemberRawPayloadParser(raw: RawMember): Promise<PUPPET.payloads.RoomMember> {
    return roomMemberPayload(raw);
  }

  override async roomTopic(roomId: string): Promise<string>;
  override async roomTopic(roomId: string, topic: string): Promise<void>;
  override async roomTopic(roomId: string, topic?: string): Promise<string | void> {
    if (topic === undefined) return (await this.roomPayload(roomId)).topic;
    await this.#port.call('/room/modify_chatroom_name', { room_username: roomId, name: topic });
  }

  override async roomCreate(contactIdList: string[], topic?: string): Promise<string> {
    const answer = await this.#port.call('/room/create_chatroom', { username_list: contactIdList, ...(topic ? { name: topic } : {}) }) as
      { chatRoomName?: { string?: string } };
    const id = text(answer.chatRoomName);
    if (!id) throw new Error('wxgate: create_chatroom answered no room id');
    return id;
  }

  override async roomAdd(roomId: string, contactId: string, inviteOnly?: boolean): Promise<void> {
    const path = inviteOnly ? '/room/invite_chatroom_member' : '/room/add_chatroom_member';
    await this.#port.call(path, { room_username: roomId, username_list: [contactId] });
  }

  override async roomDel(roomId: string, contactId: string): Promise<void> {
    await this.#port.call('/room/del_chatroom_member', { room_username: roomId, username_list: [contactId] });
  }

  override async roomQuit(roomId: string): Promise<void> {
    await this.#port.call('/room/quit_chatroom', { room_username: roomId });
  }

  override async roomAvatar(roomId: string): Promise<FileBoxInterface> {
    const { avatar } = await this.roomPayload(roomId);
    if (!avatar) return unsupported();
    return FileBox.fromUrl(avatar);
  }

  // get_chatroom_qrcode answers the PNG only, not the text Wechaty wants.
  override async roomQRCode(_roomId: string): Promise<string> { return unsupported(); }

  override async roomAnnounce(roomId: string): Promise<string>;
  override async roomAnnounce(roomId: string, text: string): Promise<void>;
  override async roomAnnounce(roomId: string, announcement?: string): Promise<string | void> {
    if (announcement !== undefined) {
      await this.#port.call('/room/set_chatroom_announcement', { room_username: roomId, announcement });
      return;
    }
    return (await this.#port.call('/room/get_chatroom_detail', { room_username: roomId })).announcement ?? '';
  }

  // Accepting means opening the card's link in WeChat; wxgate's API has no call for it.
  override async roomInvitationAccept(_id: string): Promise<void> { return unsupported(); }

  override async roomInvitationRawPayload(id: string): Promise<PUPPET.payloads.RoomInvitation> {
    const message = await this.#message(id);
    const invitation = message && roomInvitationPayload(message, this.isLoggedIn ? this.currentUserId : '');
    if (!invitation) throw new Error(`wxgate: no room invitation ${id}`);
    return invitation;
  }

  override async roomInvitationRawPayloadParser(raw: PUPPET.payloads.RoomInvitation): Promise<PUPPET.payloads.RoomInvitation> { return raw; }

  // Friendships

  override async friendshipRawPayload(id: string): Promise<RawFriendship> {
    return friendshipOf(id, await this.#message(id));
  }

  override async friendshipRawPayloadParser(raw: RawFriendship): Promise<PUPPET.payloads.Friendship> {
    return { ...raw, type: PUPPET.types.Friendship.Receive };
  }

  override async friendshipAccept(id: string): Promise<void> {
    const f = await this.friendshipRawPayload(id);
    await this.#port.call('/contact/verify_friend', { username: f.stranger, ticket: f.ticket, scene: f.scene, opcode: 3 });
  }

  override async friendshipAdd(contactId: string, options: PUPPET.types.FriendshipAddOptions): Promise<void> {
    const hello = typeof options === 'string' ? options : options?.hello ?? '';
    await this.#port.call('/contact/add_friend', { username: contactId, verify_content: hello, scene: 3 });
  }

  override async friendshipSearchPhone(phone: string): Promise<string | null> {
    return this.#search(phone, 1);
  }

  override async friendshipSearchHandle(handle: string): Promise<string | null> {
    return this.#search(handle, 2);
  }

  // Messages

  override async messageRawPayload(id: string): Promise<RawMessage> {
    const message = await this.#message(id);
    if (!message) throw new Error(`wxgate: no message ${id} in the archive`);
    return message;
  }

  override async messageRawPayloadParser(raw: RawMessage): Promise<PUPPET.payloads.Message> {
    return messagePayload(raw, this.isLoggedIn ? this.currentUserId : '');
  }

  override async messageSendText(conversationId: string, content: string, mentionIdList?: string[]): Promise<string | void> {
    return sendText(this.#port, conversationId, content, mentionIdList);
  }

  override async messageSendFile(conversationId: string, file: FileBoxInterface): Promise<string | void> {
    return sendFile(this.#port, conversationId, file);
  }

  override async messageFile(id: string): Promise<FileBoxInterface> {
    return downloadMessageFile(await this.messageRawPayload(id), this.#port);
  }

  override async messageImage(id: string, _type: PUPPET.types.Image): Promise<FileBoxInterface> {
    return downloadMessageFile(await this.messageRawPayload(id), this.#port);
  }

  override async messageRecall(id: string): Promise<boolean> {
    const message = await this.messageRawPayload(id);
    await this.#port.call('/msg/revoke_msg', { to_username: message.to_username, msg_id: message.msg_id });
    return true;
  }

  override async conversationReadMark(conversationId: string, hasRead?: boolean): Promise<void | boolean> {
    if (hasRead === false) return unsupported();
    await this.#port.call('/msg/set_session_read', { to_username: conversationId });
  }

  override async messageContact(id: string): Promise<string> {
    return contactCardId(await this.messageRawPayload(id)) ?? unsupported();
  }

  override async messageLocation(id: string): Promise<PUPPET.payloads.Location> {
    return locationPayload(await this.messageRawPayload(id)) ?? unsupported();
  }

  override async messageMiniProgram(id: string): Promise<PUPPET.payloads.MiniProgram> {
    return miniProgramPayload(await this.messageRawPayload(id)) ?? unsupported();
  }

  override async messageUrl(id: string): Promise<PUPPET.payloads.UrlLink> {
    return urlLinkPayload(await this.messageRawPayload(id)) ?? unsupported();
  }

  override async messageForward(conversationId: string, id: string): Promise<string | void> {
    const sent = await forward(this.#port, conversationId, await this.messageRawPayload(id), (contactId) => this.#cardOf(contactId));
    return sent === null ? unsupported() : sent;
  }

  override async messageSendContact(conversationId: string, contactId: string): Promise<string | void> {
    return sendContactCard(this.#port, conversationId, contactId, await this.#cardOf(contactId));
  }

  override async messageSendLocation(conversationId: string, location: PUPPET.payloads.Location): Promise<string | void> {
    return sendLocation(this.#port, conversationId, location);
  }

  override async messageSendMiniProgram(conversationId: string, mp: PUPPET.payloads.MiniProgram): Promise<string | void> {
    return sendMiniProgram(this.#port, conversationId, mp);
  }

  override async messageSendUrl(conversationId: string, link: PUPPET.payloads.UrlLink): Promise<string | void> {
    return sendUrlLink(this.#port, conversationId, link);
  }

  override async messageSendPost(_conversationId: string, _post: PUPPET.payloads.Post): Promise<string | void> { return unsupported(); }

  // Tags: wxgate's labels

  override async tagContactList(contactId?: string): Promise<string[]> {
    return tagsOf(this.#port, contactId);
  }

  override async tagContactAdd(tagId: string, contactId: string): Promise<void> {
    if (await setTag(this.#port, tagId, contactId, true)) this.emit('dirty', { payloadType: PUPPET.types.Dirty.Contact, payloadId: contactId });
  }

  override async tagContactRemove(tagId: string, contactId: string): Promise<void> {
    if (await setTag(this.#port, tagId, contactId, false)) this.emit('dirty', { payloadType: PUPPET.types.Dirty.Contact, payloadId: contactId });
  }

  override async tagContactDelete(tagId: string): Promise<void> {
    await deleteTag(this.#port, tagId);
  }

  /** A contact card's name and avatar, from the contact's payload. */
  async #cardOf(contactId: string): Promise<{ name: string; avatar: string }> {
    const contact = await this.contactPayload(contactId);
    return { name: contact.name, avatar: contact.avatar };
  }

  // Moments (posts) are not mapped

  override async postRawPayload(_id: string): Promise<unknown> { return unsupported(); }
  override async postRawPayloadParser(_raw: unknown): Promise<PUPPET.payloads.Post> { return unsupported(); }
  override async postPublish(_payload: PUPPET.payloads.Post): Promise<string | void> { return unsupported(); }
  override async postSearch(_filter: PUPPET.filters.Post, _pagination?: PUPPET.filters.PaginationRequest): Promise<PUPPET.filters.PaginationResponse<string[]>> { return unsupported(); }
  override async tap(_postId: string, _type?: PUPPET.types.Tap, _tap?: boolean): Promise<void | boolean> { return unsupported(); }

  async #search(value: string, scene: number): Promise<string | null> {
    const answer = await this.#port.call('/contact/search_contact', { username: value, search_scene: scene }) as { userName?: { string?: string } };
    return text(answer.userName) || null;
  }
}
