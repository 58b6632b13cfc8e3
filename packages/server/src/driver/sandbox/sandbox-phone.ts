// The sandbox's phone for the driver conformance suite: what real people do on their phones, played through the
// sandbox's control surface. Shared by the sandbox's subject and the relay's (which hands in the upstream's control);
// a method added to ConformancePhone is added here once and both drivers run it.
import type { ConformancePhone } from '../conformance/subject.ts';
import type { SandboxControl } from './control.ts';

/**
 * `control`: the world's control surface; `appOf`: the app an instance belongs to; `main`: the app whose world the
 * suite's people live in.
 */
export function sandboxPhone(control: SandboxControl, appOf: (guid: string) => string, main: string): ConformancePhone {
  return {
    async createPerson(p) {
      const person = await control.createPerson(main, {
        nickname: p.nickname, alias: p.alias, phone: p.phone, qq: p.qq, needs_verification: p.needsVerification, friends: p.friends ? [...p.friends] : undefined,
      });
      return { wxid: person.wxid, nickname: person.nickname };
    },
    async scan(guid, wxid) {
      const done = await control.scan(appOf(guid), guid, { action: 'scan', wxid });
      return { wxid: done.wxid, nickname: done.nick_name };
    },
    async confirm(guid) {
      await control.scan(appOf(guid), guid, { action: 'confirm' });
    },
    async cancel(guid) {
      await control.scan(appOf(guid), guid, { action: 'cancel' });
    },
    async confirmWithVerification(guid) {
      return { pin: (await control.scan(appOf(guid), guid, { action: 'verify' })).pin! };
    },
    async sendFriendRequest(from, to, greeting, scene) {
      await control.requestFriend(main, { from_wxid: from, to_wxid: to, verify_content: greeting, scene });
    },
    async acceptFriendRequest(from, to) {
      await control.acceptFriend(main, { from_wxid: from, to_wxid: to });
    },
    async injectFault(guid, fault) {
      await control.injectFault(appOf(guid), guid, { fault });
    },
    async deleteFriend(wxid, contactWxid) {
      await control.deleteFriend(main, { wxid, contact_wxid: contactWxid });
    },
    async sendMessage(fromWxid, path, body) {
      const sent = await control.sendMessage(main, { from_wxid: fromWxid, path: path as never, body });
      return { msgId: sent.msg_id };
    },
    async sendMedia(fromWxid, toUsername, media) {
      const sent = await control.sendMedia(main, {
        from_wxid: fromWxid, to_username: toUsername, kind: media.kind,
        ...(media.url ? { url: media.url } : {}), ...(media.fileName ? { file_name: media.fileName } : {}), ...(media.durationMs ? { duration_ms: media.durationMs } : {}),
      });
      return { msgId: sent.msg_id };
    },
    async revokeMessage(wxid, toUsername, msgId) {
      await control.revokeMessage(main, { wxid, to_username: toUsername, msg_id: msgId });
    },
    async messagesOf(wxid, talker) {
      const { messages } = await control.listMessages(main, { wxid, talker, limit: 1000 });
      return messages.map((m) => ({
        msgId: m.msg_id, from: m.from_username, to: m.to_username, msgType: m.msg_type, appType: m.app_type, content: m.content, revoked: m.revoked, unread: m.unread,
      }));
    },
    async restrictSending(wxid, seconds) {
      await control.restrictSending(main, { wxid, seconds });
    },
    async createRoom(ownerWxid, memberWxids, name) {
      return (await control.createRoom(main, { owner_wxid: ownerWxid, member_wxids: [...memberWxids], name })).room_username;
    },
    async joinRoom(roomId, wxid) {
      await control.joinRoom(main, { room_username: roomId, wxid });
    },
    async setRoomAdmin(roomId, ownerWxid, memberWxid, admin) {
      await control.setRoomAdmin(main, { room_username: roomId, wxid: ownerWxid, member_wxid: memberWxid, admin });
    },
    async dissolveRoom(roomId, ownerWxid) {
      await control.dissolveRoom(main, { room_username: roomId, wxid: ownerWxid });
    },
    async postMoment(wxid, post) {
      const posted = await control.postMoment(main, {
        wxid, content: post.content, object_desc: post.objectDesc,
        group_user_list: post.groupUsers ? [...post.groupUsers] : undefined, block_user_list: post.blockUsers ? [...post.blockUsers] : undefined,
      });
      return posted.object_id;
    },
    async commentOnMoment(wxid, objectId, content, replyCommentId) {
      return (await control.commentOnMoment(main, { wxid, object_id: objectId, content, reply_comment_id: replyCommentId })).comment_id;
    },
    async likeMoment(wxid, objectId, like) {
      await control.likeMoment(main, { wxid, object_id: objectId, status: like ? 1 : 0 });
    },
    async createMiniProgram(name, pages) {
      return (await control.createMiniProgram(main, { name, pages: pages ? [...pages] : undefined })).appid;
    },
    async createOAuthApp(name, redirectUri, scopes) {
      return (await control.createOAuthApp(main, { name, redirect_uri: redirectUri, scopes: [...scopes] as never })).appid;
    },
    async redeemJsCode(appid, code) {
      const { openid, unionid } = await control.jscode2session(main, { appid, js_code: code });
      return { openid, unionid };
    },
    async redeemOAuthCode(appid, code) {
      const { openid, unionid, scope } = await control.oauthAccessToken(main, { appid, code });
      return { openid, unionid, scope };
    },
    async createCorporation(name) {
      return (await control.createCorporation(main, { name })).corp_id;
    },
    async createWeComPerson(corpId, nickname) {
      const created = await control.createWeComPerson(main, { corp_id: corpId, nickname });
      return { username: created.username, qrUrl: created.qr_url };
    },
    async addOpenImContact(wxid, username, ticket) {
      await control.addOpenImContact(main, { wxid, username, ticket });
    },
    async createOpenImRoom(ownerUsername, memberUsernames, name) {
      return (await control.createOpenImRoom(main, { owner_username: ownerUsername, member_usernames: [...memberUsernames], name })).room_username;
    },
    async joinOpenImRoom(roomUsername, username) {
      await control.joinOpenImRoom(main, { room_username: roomUsername, username });
    },
    async leaveOpenImRoom(roomUsername, username) {
      await control.leaveOpenImRoom(main, { room_username: roomUsername, username });
    },
  };
}
