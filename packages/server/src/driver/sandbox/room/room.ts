// The /room/* operations of one instance: creating rooms and managing their members, roles, name, announcement, the
// account's own room settings, member friend requests, details and versions, the room QR code and pinned messages.
import { createHash } from 'node:crypto';
import { invalidField, MSG_TYPES, NOTIFY_TYPES, wechatRefusal } from '@wxgate/contract';
import type { SandboxPerson, SandboxRoomMemberPatch } from '../../../storage/sandbox-ports.ts';
import type { DriverOperations } from '../../driver.ts';
import { addOrRequest } from '../contact/friendship.ts';
import { AT_ALL, deliver, openConversation } from '../msg/msg-delivery.ts';
import { APP_TYPES } from '../msg/msg-xml.ts';
import { refuseDeclarationsInMessage } from '../msg/msg-xml-input.ts';
import { qrPng } from '../login/qr-png.ts';
import { requireSettledDevice } from '../login/risk-control.ts';
import {
  addMembers, bumpVersions, createRoom, leaveRoom, loadRoom, removeMembers, requireAdmin, requireContactsOf, requireMembers,
  requireMembership, requireOwner, requirePeople, requireRoomFor, systemLine, tellMembers, tellPerson, type LoadedRoom,
} from './room-membership.ts';
import { chatRoomMember, memberResult, roomInviteCard, roomLabel, roomLines, roomNotice } from './room-objects.ts';
import { OK_BASE_RESPONSE, skString } from '../wechat-objects.ts';
import { requireAccount, type World, type WorldChange } from '../world.ts';

/** Direct adds are for rooms under 40 members; bigger rooms need an invitation the invitee accepts (WeChat's rule). */
export const DIRECT_ADD_LIMIT = 40;
/** Rooms above 200 members have no QR code: joining them takes an invitation. */
export const ROOM_QR_MEMBER_LIMIT = 200;
/** A room QR code works for 7 days; asking again within them gives the same code. */
export const ROOM_QR_LIFETIME_MS = 7 * 24 * 3600_000;
/** Add-friend scene of a request made to someone met in a room. */
const ROOM_SCENE = 14;

/** The account's own settings for a room, by the endpoint that sets each. */
const FLAG_FIELDS = {
  '/room/modify_chatroom_show_name_flag': 'showNames',
  '/room/modify_chatroom_fold_flag': 'folded',
  '/room/modify_chatroom_disturb_flag': 'muted',
  '/room/modify_chatroom_top_flag': 'pinned',
} as const satisfies Record<string, keyof SandboxRoomMemberPatch>;

const seconds = (ms: number) => Math.floor(ms / 1000);

/** A 0/1 status of the flag endpoints, or a 422 naming what each value means. */
function flagStatus(status: number, meaning: string): boolean {
  if (status !== 0 && status !== 1) throw invalidField('status', `status must be 0 or 1 (${meaning})`);
  return status === 1;
}

/** What the room's QR code encodes while `issuedAt`'s code lasts. */
function roomQrUrl(appId: string, roomId: string, issuedAt: number): string {
  return `https://weixin.qq.com/g/${createHash('sha256').update(`${appId}\0${roomId}\0${issuedAt}`).digest('base64url').slice(0, 22)}`;
}

/** "该二维码7天内(3月5日前)有效，重新进入将更新", the date in China time as the phone shows it. */
function qrValidityWording(expiresAt: number): string {
  const china = new Date(expiresAt + 8 * 3600_000);
  return `该二维码7天内(${china.getUTCMonth() + 1}月${china.getUTCDate()}日前)有效，重新进入将更新`;
}

export function roomOperations(world: World, appId: string, guid: string): DriverOperations {
  /** Runs `work` as the logged-in account, on a room it is a member of. */
  const inRoom = <T>(roomId: string, work: (change: WorldChange, me: SandboxPerson, loaded: LoadedRoom) => Promise<T>) =>
    world.change(appId, async (change) => {
      const me = await requireAccount(change, guid);
      const loaded = await loadRoom(change, roomId);
      requireMembership(loaded, me);
      return work(change, me, loaded);
    });
  const memberChangeResponse = (people: readonly SandboxPerson[]) =>
    ({ baseResponse: OK_BASE_RESPONSE, memberCount: people.length, memberList: people.map(memberResult) });

  /** One of the account's own room settings: stored, and its 1200 tells the account's instance. */
  const setOwnFlag = (path: keyof typeof FLAG_FIELDS, roomId: string, status: number, meaning: string) =>
    inRoom(roomId, async (change, me) => {
      await change.world.rooms.updateMember(appId, roomId, me.wxid, { [FLAG_FIELDS[path]]: flagStatus(status, meaning) });
      await tellPerson(change, await loadRoom(change, roomId), me.wxid);
      return { baseResponse: OK_BASE_RESPONSE };
    });

  return {
    '/room/create_chatroom': (req) => world.change(appId, async (change) => {
      const me = await requireAccount(change, guid);
      const others = await requirePeople(change, req.username_list, 'username_list');
      const loaded = await createRoom(change, me, others, '');
      return {
        baseResponse: OK_BASE_RESPONSE,
        chatRoomName: skString(loaded.room.roomId),
        topic: {},
        memberCount: loaded.members.length,
        memberList: loaded.members.map((m) => memberResult(m.person)),
        bigHeadImgUrl: '',
        smallHeadImgUrl: '',
      };
    }),
    '/room/add_chatroom_member': (req) => inRoom(req.room_username, async (change, me, loaded) => {
      const people = await requirePeople(change, req.username_list, 'username_list');
      if (people.length === 0) throw invalidField('username_list', 'name at least one friend to add');
      await requireContactsOf(change, me, people);
      requireRoomFor(loaded, people);
      const after = loaded.members.length + people.length;
      if (after > DIRECT_ADD_LIMIT) {
        const room = `${loaded.room.roomId} has ${loaded.members.length} members`;
        const why = loaded.members.length >= DIRECT_ADD_LIMIT
          ? `${room}: from ${DIRECT_ADD_LIMIT} on, WeChat adds people only by an invitation they accept`
          : `${room}: a direct add can bring it to at most ${DIRECT_ADD_LIMIT}, so add at most ${DIRECT_ADD_LIMIT - loaded.members.length} and invite the rest`;
        throw wechatRefusal('ROOM_INVITE_REQUIRED', -23, `${why}; use /room/invite_chatroom_member (ret -23)`);
      }
      await addMembers(change, loaded, me, people);
      return memberChangeResponse(people);
    }),
    '/room/invite_chatroom_member': (req) => inRoom(req.room_username, async (change, me, loaded) => {
      const people = await requirePeople(change, req.username_list, 'username_list');
      if (people.length === 0) throw invalidField('username_list', 'name at least one friend to invite');
      await requireContactsOf(change, me, people);
      requireRoomFor(loaded, people);
      for (const person of people) {
        await change.world.rooms.putInvite({ appId, roomId: loaded.room.roomId, inviteeWxid: person.wxid, inviterWxid: me.wxid, createdAt: change.now });
        const card = roomInviteCard(me, roomLabel(loaded.room, loaded.members), change.ids.roomInviteTicket());
        await deliver(change, me, await openConversation(change, me, person.wxid), {
          msgType: MSG_TYPES.App, appType: APP_TYPES.link, content: card.content, pushDetail: card.title,
        });
      }
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/room/del_chatroom_member': (req) => inRoom(req.room_username, async (change, me, loaded) => {
      const mine = requireMembership(loaded, me);
      requireAdmin(loaded, mine, 'remove members');
      if (req.username_list.length === 0) throw invalidField('username_list', 'name at least one member to remove');
      if (new Set(req.username_list).size !== req.username_list.length) throw invalidField('username_list', 'each username may appear only once');
      if (req.username_list.includes(me.wxid)) throw invalidField('username_list', 'to leave the room yourself, use /room/quit_chatroom');
      const removed = requireMembers(loaded, req.username_list);
      for (const { member } of removed) {
        if (member.wxid === loaded.room.ownerWxid) throw wechatRefusal('NOT_ROOM_OWNER', -66, `${member.wxid} owns ${loaded.room.roomId} and cannot be removed (ret -66)`);
        if (member.admin) requireOwner(loaded, me.wxid, `remove the admin ${member.wxid}`);
      }
      await removeMembers(change, loaded, me, removed);
      return memberChangeResponse(removed.map((r) => r.person));
    }),
    '/room/quit_chatroom': (req) => inRoom(req.room_username, async (change, me, loaded) => {
      await leaveRoom(change, loaded, me);
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/room/tranfer_chatroom_owner': (req) => inRoom(req.room_username, async (change, me, loaded) => {
      requireOwner(loaded, me.wxid, 'hand it over');
      if (req.username === me.wxid) throw invalidField('username', 'this account already owns the room');
      const [heir] = requireMembers(loaded, [req.username]);
      await change.world.rooms.update(appId, loaded.room.roomId, { ownerWxid: heir!.person.wxid });
      if (heir!.member.admin) await change.world.rooms.updateMember(appId, loaded.room.roomId, heir!.person.wxid, { admin: false });
      const after = await bumpVersions(change, loaded.room.roomId, { members: true });
      await tellMembers(change, after, ({ person }) => [
        [NOTIFY_TYPES.RoomMemberUpdate, roomNotice(after.room, me.wxid, [heir!.person.wxid], after.members.length, change.now)],
        systemLine(change, after, person.wxid, person.wxid === heir!.person.wxid ? roomLines.youAreOwner() : roomLines.newOwner(heir!.person.nickname)),
      ]);
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/room/modify_chatroom_name': (req) => inRoom(req.room_username, async (change, me, loaded) => {
      await change.world.rooms.update(appId, loaded.room.roomId, { name: req.name });
      const after = await bumpVersions(change, loaded.room.roomId, { info: true });
      await tellMembers(change, after, ({ person }) => [
        systemLine(change, after, person.wxid, person.wxid === me.wxid ? roomLines.youRenamed(req.name) : roomLines.renamed(me.nickname, req.name)),
      ]);
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/room/set_chatroom_announcement': (req) => inRoom(req.room_username, async (change, me, loaded) => {
      requireAdmin(loaded, requireMembership(loaded, me), 'set the announcement');
      await change.world.rooms.update(appId, loaded.room.roomId, { announcement: req.announcement, announcementEditor: me.wxid, announcementAt: change.now });
      const after = await bumpVersions(change, loaded.room.roomId, { info: true });
      await tellMembers(change, after, () => []);
      // Posting an announcement puts it in the chat as the poster's message to everyone (@所有人); clearing it does not.
      if (req.announcement !== '') {
        const content = `@所有人\n${req.announcement}`;
        await deliver(change, me, await openConversation(change, me, loaded.room.roomId), {
          msgType: MSG_TYPES.Text, content, pushDetail: content, atUserList: [AT_ALL],
        });
      }
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/room/modify_chatroom_display_name': (req) => inRoom(req.room_username, async (change, me, loaded) => {
      await change.world.rooms.updateMember(appId, loaded.room.roomId, me.wxid, { displayName: req.display_name });
      const after = await bumpVersions(change, loaded.room.roomId, { members: true });
      await tellMembers(change, after, () => [
        [NOTIFY_TYPES.RoomMemberUpdate, roomNotice(after.room, me.wxid, [me.wxid], after.members.length, change.now)],
      ]);
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/room/modify_chatroom_show_name_flag': (req) => setOwnFlag('/room/modify_chatroom_show_name_flag', req.room_username, req.status ?? 0, '0 hide, 1 show member nicknames'),
    '/room/modify_chatroom_fold_flag': (req) => setOwnFlag('/room/modify_chatroom_fold_flag', req.room_username, req.status ?? 0, '0 unfold, 1 fold'),
    '/room/modify_chatroom_disturb_flag': (req) => setOwnFlag('/room/modify_chatroom_disturb_flag', req.room_username, req.status ?? 0, '0 notify, 1 mute'),
    '/room/modify_chatroom_top_flag': (req) => setOwnFlag('/room/modify_chatroom_top_flag', req.room_username, req.status ?? 1, '0 unpin, 1 pin'),
    '/room/modify_chatroom_contact_flag': (req) => inRoom(req.room_username, async (change, me, loaded) => {
      const saved = flagStatus(req.status ?? 0, '0 remove from, 1 save to the address book');
      await change.world.rooms.setSaved(appId, loaded.room.roomId, me.wxid, saved);
      await tellPerson(change, await loadRoom(change, loaded.room.roomId), me.wxid);
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/room/add_chatroom_member_friend': (req) => inRoom(req.room_username, async (change, me, loaded) => {
      if (req.username === me.wxid) throw invalidField('username', 'this is the logged-in account itself');
      const [target] = requireMembers(loaded, [req.username]);
      await requireSettledDevice(change, guid, me, 'friend_add');
      await addOrRequest(change, me, target!.person, req.verify_content ?? '', ROOM_SCENE);
      return { baseResponse: OK_BASE_RESPONSE, userName: target!.person.wxid };
    }),
    '/room/get_chatroom_detail': (req) => inRoom(req.room_username, async (_change, _me, { room }) => ({
      baseResponse: OK_BASE_RESPONSE,
      announcement: room.announcement,
      chatRoomInfoVersion: room.infoVersion,
      announcementEditor: room.announcementEditor,
      announcementPublishTime: seconds(room.announcementAt),
      chatRoomStatus: 0,
      // uint64 in WeChat's answer, hence a decimal string (captured GetChatRoomInfoDetail).
      chatRoomBusinessType: '0',
    })),
    '/room/get_chatroom_member_detail': (req) => inRoom(req.room_username, async (_change, _me, { room, members }) => {
      // A caller whose version is current gets no list, as WeChat answers: nothing changed since.
      const current = (req.version ?? 0) === room.version;
      return {
        baseResponse: OK_BASE_RESPONSE,
        chatroomUserName: room.roomId,
        serverVersion: room.version,
        chatRoomOwner: room.ownerWxid,
        // chatRoomUserName (an empty SKBuiltinString) and watchMemberCount are in every captured answer.
        newChatroomData: current
          ? { memberCount: 0, chatRoomMember: [], infoMask: 0, chatRoomUserName: {}, watchMemberCount: 0 }
          : { memberCount: members.length, chatRoomMember: members.map(chatRoomMember), infoMask: 1, chatRoomUserName: {}, watchMemberCount: 0 },
      };
    }),
    '/room/get_chatroom_qrcode': async (req) => {
      const { room, expiresAt, url } = await inRoom(req.room_username, async (change, _me, loaded) => {
        if (loaded.members.length > ROOM_QR_MEMBER_LIMIT) {
          throw wechatRefusal('ROOM_QRCODE_UNAVAILABLE', -23, `${loaded.room.roomId} has ${loaded.members.length} members; above ${ROOM_QR_MEMBER_LIMIT} WeChat gives no QR code, only invitations (ret -23)`);
        }
        let issuedAt = loaded.room.qrcodeIssuedAt;
        if (issuedAt === null || issuedAt + ROOM_QR_LIFETIME_MS <= change.now) {
          issuedAt = change.now;
          await change.world.rooms.update(appId, loaded.room.roomId, { qrcodeIssuedAt: issuedAt });
        }
        return { room: loaded.room, expiresAt: issuedAt + ROOM_QR_LIFETIME_MS, url: roomQrUrl(appId, loaded.room.roomId, issuedAt) };
      });
      const png = await qrPng(url);
      return {
        baseResponse: OK_BASE_RESPONSE,
        qrcode: { iLen: png.length, buffer: png.toString('base64') },
        revokeQrcodeWording: qrValidityWording(expiresAt),
        footerWording: room.name ? `群聊：${room.name}` : '',
        expiredTime: seconds(expiresAt),
      };
    },
    '/room/set_top_msg': (req) => inRoom(req.room_username, async (change, me, loaded) => {
      refuseDeclarationsInMessage(req.msg_info, 'msg_info');
      requireAdmin(loaded, requireMembership(loaded, me), 'pin messages');
      const roomId = loaded.room.roomId;
      const archived = await change.world.messages.get(appId, req.msg_info.msg_id);
      if (!archived || archived.chatroom !== roomId) {
        throw wechatRefusal('MESSAGE_NOT_FOUND', -2, `no message ${req.msg_info.msg_id} in ${roomId} (WeChat ret -2); pin a message of this room by its msg_id`);
      }
      await change.world.rooms.putTopMsg({
        appId, roomId, msgId: archived.msgId, summary: req.summary, msgInfo: req.msg_info, operatorWxid: me.wxid, createdAt: change.now,
      });
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/room/remove_top_msg': (req) => inRoom(req.room_username, async (change, me, loaded) => {
      requireAdmin(loaded, requireMembership(loaded, me), 'unpin messages');
      if (!(await change.world.rooms.removeTopMsg(appId, loaded.room.roomId, req.msg_id))) {
        throw wechatRefusal('ROOM_TOP_MSG_NOT_FOUND', -2, `message ${req.msg_id} is not pinned in ${loaded.room.roomId} (ret -2)`);
      }
      return { baseResponse: OK_BASE_RESPONSE };
    }),
    '/room/get_top_msg_list': (req) => inRoom(req.room_username, async (change, _me, loaded) => {
      const pins = await change.world.rooms.topMsgs(appId, loaded.room.roomId);
      return {
        baseResponse: OK_BASE_RESPONSE,
        count: pins.length,
        topMsgList: pins.map((p) => ({ msgId: p.msgId, summary: p.summary, operator: p.operatorWxid, createTime: seconds(p.createdAt), msgInfo: p.msgInfo as never })),
      };
    }),
  };
}
