// Handlers of /sandbox/*: the simulated world's control surface; only the sandbox driver has one.
import { ApiError, type Modules } from '@wxgate/contract';
import type { SandboxControl } from '../driver/sandbox/control.ts';
import type { HandlersFor, Services } from './handler.ts';

function control(services: Services): SandboxControl {
  if (!services.sandbox) {
    throw new ApiError('NOT_SUPPORTED', `/sandbox/* controls the simulated WeChat world, which the ${services.driver.name} driver does not have`, { driver: services.driver.name });
  }
  return services.sandbox;
}

export const sandboxHandlers: HandlersFor<Modules['sandbox']> = {
  '/sandbox/people/create': (req, { app, services }) => control(services).createPerson(app.id, req),
  '/sandbox/people/list': (req, { app, services }) => control(services).listPeople(app.id, req),
  '/sandbox/login/scan': (req, { app, instance, services }) => control(services).scan(app.id, instance.guid, req),
  '/sandbox/friend/request': (req, { app, services }) => control(services).requestFriend(app.id, req),
  '/sandbox/friend/accept': (req, { app, services }) => control(services).acceptFriend(app.id, req),
  '/sandbox/friend/delete': (req, { app, services }) => control(services).deleteFriend(app.id, req),
  '/sandbox/faults/inject': (req, { app, instance, services }) => control(services).injectFault(app.id, instance.guid, req),
  '/sandbox/messages/send': (req, { app, services }) => control(services).sendMessage(app.id, req),
  '/sandbox/messages/send_media': (req, { app, services }) => control(services).sendMedia(app.id, req),
  '/sandbox/messages/revoke': (req, { app, services }) => control(services).revokeMessage(app.id, req),
  '/sandbox/messages/list': (req, { app, services }) => control(services).listMessages(app.id, req),
  '/sandbox/messages/restrict': (req, { app, services }) => control(services).restrictSending(app.id, req),
  '/sandbox/room/create': (req, { app, services }) => control(services).createRoom(app.id, req),
  '/sandbox/room/join': (req, { app, services }) => control(services).joinRoom(app.id, req),
  '/sandbox/room/set_admin': (req, { app, services }) => control(services).setRoomAdmin(app.id, req),
  '/sandbox/room/dissolve': (req, { app, services }) => control(services).dissolveRoom(app.id, req),
  '/sandbox/sns/post': (req, { app, services }) => control(services).postMoment(app.id, req),
  '/sandbox/sns/comment': (req, { app, services }) => control(services).commentOnMoment(app.id, req),
  '/sandbox/sns/like': (req, { app, services }) => control(services).likeMoment(app.id, req),
  '/sandbox/apps/create_mini_program': (req, { app, services }) => control(services).createMiniProgram(app.id, req),
  '/sandbox/apps/create_oauth_app': (req, { app, services }) => control(services).createOAuthApp(app.id, req),
  '/sandbox/apps/jscode2session': (req, { app, services }) => control(services).jscode2session(app.id, req),
  '/sandbox/apps/oauth_access_token': (req, { app, services }) => control(services).oauthAccessToken(app.id, req),
  '/sandbox/openim/create_corp': (req, { app, services }) => control(services).createCorporation(app.id, req),
  '/sandbox/openim/create_person': (req, { app, services }) => control(services).createWeComPerson(app.id, req),
  '/sandbox/openim/add_contact': (req, { app, services }) => control(services).addOpenImContact(app.id, req),
  '/sandbox/openim/room_create': (req, { app, services }) => control(services).createOpenImRoom(app.id, req),
  '/sandbox/openim/room_join': (req, { app, services }) => control(services).joinOpenImRoom(app.id, req),
  '/sandbox/openim/room_leave': (req, { app, services }) => control(services).leaveOpenImRoom(app.id, req),
  '/sandbox/world/reset': (_req, { app, services }) => control(services).resetWorld(app.id),
};
