// The sandbox's control surface (/sandbox/*): a test or a demo acts as any person of an app's world — creates people,
// holds the phone during a login, sends and accepts friend requests, deletes friends, breaks sessions, resets it all.
import { ApiError, invalidField, NOTIFY_TYPES, type Modules, type RequestOf, type ResponseOf } from '@wxgate/contract';
import { acceptRequest, addContact, removeContact, sendRequest } from './contact/friendship.ts';
import { injectFault } from './faults.ts';
import { endLogin, phoneAction } from './login/login.ts';
import type { SandboxMedia } from './cloud.ts';
import { committedView, listMessages, restrictSending, revokeAsPerson, sendAsPerson } from './msg/msg-control.ts';
import { sendMediaAsPerson } from './msg/msg-media-control.ts';
import { addOpenImContact, createCorporation, createOpenImRoom, createWeComPerson, joinOpenImRoom, leaveOpenImRoom } from './openim/openim-control.ts';
import { createPerson, personView, type PersonView } from './contact/people.ts';
import { createRoomAsPerson, dissolveRoomAsOwner, joinRoom, setRoomAdmin } from './room/room-control.ts';
import { commentAsPerson, likeAsPerson, postAsPerson } from './sns/sns-control.ts';
import { createMiniProgram, createOAuthApp, jscode2session, oauthAccessToken } from './thirdparty-app/thirdparty-app-control.ts';
import type { World } from './world.ts';

type Sandbox = Modules['sandbox'];
type Req<P extends keyof Sandbox> = RequestOf<Sandbox[P]>;
type Res<P extends keyof Sandbox> = ResponseOf<Sandbox[P]>;

const seconds = (ms: number) => Math.floor(ms / 1000);

export class SandboxControl {
  constructor(private readonly world: World, private readonly media?: SandboxMedia) {}

  createPerson(appId: string, req: Req<'/sandbox/people/create'>): Promise<PersonView> {
    return this.world.change(appId, async (change) => {
      const { friends = [], ...profile } = req;
      const person = await createPerson(change, profile, 'simulated');
      for (const wxid of new Set(friends)) {
        const friend = await change.requirePerson(wxid);
        // Setting the world up is not news: no callbacks, as if they had been friends for years.
        await addContact(change, person, friend, 3, { notify: false });
        await addContact(change, friend, person, 3, { notify: false });
      }
      return personView(change, person);
    });
  }

  listPeople(appId: string, req: Req<'/sandbox/people/list'>): Promise<Res<'/sandbox/people/list'>> {
    return this.world.change(appId, async (change) => {
      const people = await change.world.people.list(appId, req.offset ?? 0, req.limit ?? 100);
      const views = [];
      for (const person of people) views.push(await personView(change, person));
      return { total: await change.world.people.count(appId), people: views };
    });
  }

  scan(appId: string, guid: string, req: Omit<Req<'/sandbox/login/scan'>, 'guid'>): Promise<Res<'/sandbox/login/scan'>> {
    return phoneAction(this.world, appId, guid, req);
  }

  requestFriend(appId: string, req: Req<'/sandbox/friend/request'>): Promise<Res<'/sandbox/friend/request'>> {
    return this.world.change(appId, async (change) => {
      const from = await change.requirePerson(req.from_wxid);
      const to = await change.requirePerson(req.to_wxid);
      if (from.wxid === to.wxid) throw invalidField('to_wxid', 'a person cannot send a friend request to themselves');
      const scene = req.scene ?? 3;
      // Someone who still has the sender as a friend is taken back without a request.
      if (await change.world.contacts.get(appId, to.wxid, from.wxid)) {
        await addContact(change, from, to, scene, { notify: true });
        return { status: 'accepted' as const, encryptusername: '', ticket: '', scene, expired_time: 0 };
      }
      const outcome = await sendRequest(change, from, to, req.verify_content ?? '', scene);
      return {
        status: outcome.status,
        encryptusername: outcome.request?.encryptUsername ?? '',
        ticket: outcome.request?.ticket ?? '',
        scene,
        expired_time: outcome.request ? seconds(outcome.request.expiresAt) : 0,
      };
    });
  }

  acceptFriend(appId: string, req: Req<'/sandbox/friend/accept'>): Promise<Res<'/sandbox/friend/accept'>> {
    return this.world.change(appId, async (change) => {
      const requester = await change.requirePerson(req.from_wxid);
      const accepter = await change.requirePerson(req.to_wxid);
      const request = await change.world.friendRequests.get(appId, requester.wxid, accepter.wxid);
      if (!request || request.state !== 'pending') throw new ApiError('SANDBOX_FRIEND_REQUEST_NOT_FOUND', `no pending friend request from ${requester.wxid} to ${accepter.wxid}`);
      if (request.expiresAt <= change.now) {
        throw new ApiError('SANDBOX_FRIEND_REQUEST_NOT_FOUND', `the friend request from ${requester.wxid} to ${accepter.wxid} expired at ${new Date(request.expiresAt).toISOString()}`);
      }
      await acceptRequest(change, request, requester, accepter);
      return {};
    });
  }

  deleteFriend(appId: string, req: Req<'/sandbox/friend/delete'>): Promise<Res<'/sandbox/friend/delete'>> {
    return this.world.change(appId, async (change) => {
      const owner = await change.requirePerson(req.wxid);
      const contact = await change.requirePerson(req.contact_wxid);
      if (!(await removeContact(change, owner, contact))) throw new ApiError('NOT_IN_CONTACTS', `${contact.wxid} is not in ${owner.wxid}'s contact list`);
      return {};
    });
  }

  injectFault(appId: string, guid: string, req: Omit<Req<'/sandbox/faults/inject'>, 'guid'>): Promise<Res<'/sandbox/faults/inject'>> {
    return this.world.change(appId, async (change) => ({ notify_types: await injectFault(change, guid, req.fault) }));
  }

  async sendMessage(appId: string, req: Req<'/sandbox/messages/send'>): Promise<Res<'/sandbox/messages/send'>> {
    return committedView(this.world, appId, await this.world.change(appId, (change) => sendAsPerson(change, req)));
  }

  sendMedia(appId: string, req: Req<'/sandbox/messages/send_media'>): Promise<Res<'/sandbox/messages/send_media'>> {
    return sendMediaAsPerson(this.world, this.media, appId, req);
  }

  async revokeMessage(appId: string, req: Req<'/sandbox/messages/revoke'>): Promise<Res<'/sandbox/messages/revoke'>> {
    return committedView(this.world, appId, await this.world.change(appId, (change) => revokeAsPerson(change, req)));
  }

  listMessages(appId: string, req: Req<'/sandbox/messages/list'>): Promise<Res<'/sandbox/messages/list'>> {
    return this.world.change(appId, (change) => listMessages(change, req));
  }

  restrictSending(appId: string, req: Req<'/sandbox/messages/restrict'>): Promise<Res<'/sandbox/messages/restrict'>> {
    return this.world.change(appId, (change) => restrictSending(change, req));
  }

  createRoom(appId: string, req: Req<'/sandbox/room/create'>): Promise<Res<'/sandbox/room/create'>> {
    return this.world.change(appId, (change) => createRoomAsPerson(change, req));
  }

  joinRoom(appId: string, req: Req<'/sandbox/room/join'>): Promise<Res<'/sandbox/room/join'>> {
    return this.world.change(appId, (change) => joinRoom(change, req));
  }

  setRoomAdmin(appId: string, req: Req<'/sandbox/room/set_admin'>): Promise<Res<'/sandbox/room/set_admin'>> {
    return this.world.change(appId, (change) => setRoomAdmin(change, req));
  }

  dissolveRoom(appId: string, req: Req<'/sandbox/room/dissolve'>): Promise<Res<'/sandbox/room/dissolve'>> {
    return this.world.change(appId, (change) => dissolveRoomAsOwner(change, req));
  }

  postMoment(appId: string, req: Req<'/sandbox/sns/post'>): Promise<Res<'/sandbox/sns/post'>> {
    return this.world.change(appId, (change) => postAsPerson(change, req));
  }

  commentOnMoment(appId: string, req: Req<'/sandbox/sns/comment'>): Promise<Res<'/sandbox/sns/comment'>> {
    return this.world.change(appId, (change) => commentAsPerson(change, req));
  }

  likeMoment(appId: string, req: Req<'/sandbox/sns/like'>): Promise<Res<'/sandbox/sns/like'>> {
    return this.world.change(appId, (change) => likeAsPerson(change, req));
  }

  createMiniProgram(appId: string, req: Req<'/sandbox/apps/create_mini_program'>): Promise<Res<'/sandbox/apps/create_mini_program'>> {
    return this.world.change(appId, (change) => createMiniProgram(change, req));
  }

  createOAuthApp(appId: string, req: Req<'/sandbox/apps/create_oauth_app'>): Promise<Res<'/sandbox/apps/create_oauth_app'>> {
    return this.world.change(appId, (change) => createOAuthApp(change, req));
  }

  jscode2session(appId: string, req: Req<'/sandbox/apps/jscode2session'>): Promise<Res<'/sandbox/apps/jscode2session'>> {
    return this.world.change(appId, (change) => jscode2session(change, req));
  }

  oauthAccessToken(appId: string, req: Req<'/sandbox/apps/oauth_access_token'>): Promise<Res<'/sandbox/apps/oauth_access_token'>> {
    return this.world.change(appId, (change) => oauthAccessToken(change, req));
  }

  createCorporation(appId: string, req: Req<'/sandbox/openim/create_corp'>): Promise<Res<'/sandbox/openim/create_corp'>> {
    return this.world.change(appId, (change) => createCorporation(change, req));
  }

  createWeComPerson(appId: string, req: Req<'/sandbox/openim/create_person'>): Promise<Res<'/sandbox/openim/create_person'>> {
    return this.world.change(appId, (change) => createWeComPerson(change, req));
  }

  addOpenImContact(appId: string, req: Req<'/sandbox/openim/add_contact'>): Promise<Res<'/sandbox/openim/add_contact'>> {
    return this.world.change(appId, (change) => addOpenImContact(change, req));
  }

  createOpenImRoom(appId: string, req: Req<'/sandbox/openim/room_create'>): Promise<Res<'/sandbox/openim/room_create'>> {
    return this.world.change(appId, (change) => createOpenImRoom(change, req));
  }

  joinOpenImRoom(appId: string, req: Req<'/sandbox/openim/room_join'>): Promise<Res<'/sandbox/openim/room_join'>> {
    return this.world.change(appId, (change) => joinOpenImRoom(change, req));
  }

  leaveOpenImRoom(appId: string, req: Req<'/sandbox/openim/room_leave'>): Promise<Res<'/sandbox/openim/room_leave'>> {
    return this.world.change(appId, (change) => leaveOpenImRoom(change, req));
  }

  resetWorld(appId: string): Promise<Res<'/sandbox/world/reset'>> {
    return this.world.change(appId, async (change) => {
      const loggedOut: string[] = [];
      for (const instance of await change.tx.instances.listByApp(appId)) {
        if (!instance.loginWxid) continue;
        await endLogin(change, instance.guid, instance.loginWxid, [[NOTIFY_TYPES.UserLogout, 'the sandbox world was reset']]);
        loggedOut.push(instance.guid);
      }
      return { people_removed: await change.world.reset(appId), logged_out: loggedOut };
    });
  }
}
