// Handlers of /client/*: instance lifecycle and settings, served by core (not by a driver).
import type { Modules } from '@wxgate/contract';
import type { HandlersFor } from './handler.ts';
import { sendPacingHandlers } from './send-pacing.ts';

export const clientHandlers: HandlersFor<Modules['client']> = {
  '/client/create_client': async (req, { app, services }) => ({ guid: (await services.instances.create(app, req)).guid }),
  '/client/remove_client': async (_req, { instance, services }) => {
    await services.instances.remove(instance);
    await services.sendPacing.forget(instance.guid);
    return {};
  },
  '/client/all_clients': async (_req, { app, services }) => services.instances.list(app),
  '/client/restore_client': async (req, { instance, services }) => {
    await services.instances.restore(instance, req);
    await services.wechaty.runStateChanged(instance.guid, true);
    return {};
  },
  '/client/stop_client': async (_req, { instance, services }) => {
    await services.instances.stop(instance);
    await services.wechaty.runStateChanged(instance.guid, false);
    return {};
  },
  '/client/set_notify_url': async (req, { instance, services }) => {
    await services.instances.setNotifyUrl(instance, req.notify_url);
    return {};
  },
  '/client/set_bridge': async (req, { instance, services }) => {
    await services.instances.setBridge(instance, req.bridge ?? '');
    return {};
  },
  '/client/set_proxy': async (req, { instance, services }) => {
    await services.instances.setProxy(instance, req.proxy ?? '', req.is_long_proxy ?? false);
    return {};
  },
  '/client/update_client': async (req, { instance, services }) => {
    await services.instances.upgrade(instance, req.new_client_type);
    return {};
  },
  '/client/get_client_status': async (_req, { instance, services }) => {
    const status = await services.instances.statusOf(instance);
    // Only with pacing on, so an instance that never used it answers exactly as before.
    if (!services.sendPacing.settingsOf(instance.guid).enabled) return status;
    const { queueLength, nextSendAt } = await services.sendPacing.state(instance.guid);
    return { ...status, send_queue: { queue_length: queueLength, next_send_time: nextSendAt === null ? null : Math.ceil(nextSendAt / 1000) } };
  },
  '/client/get_client_version': async (_req, { instance, services }) => services.instances.versionOf(instance),
  ...sendPacingHandlers,
};
