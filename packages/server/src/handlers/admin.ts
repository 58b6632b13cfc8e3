// Handlers of /admin/*: apps (tenants), keys and response modes.
import type { Modules } from '@wxgate/contract';
import type { HandlersFor } from './handler.ts';

export const adminHandlers: HandlersFor<Modules['admin']> = {
  '/admin/create_app': async (req, { services }) => {
    const { app, appSecret } = await services.apps.create(req.name, req.mode ?? services.config.responseMode);
    return { app_key: app.appKey, app_secret: appSecret, name: app.name, mode: app.mode };
  },
  '/admin/list_apps': async (_req, { services }) => {
    const apps = await services.apps.list();
    return Promise.all(apps.map(async (app) => ({
      app_key: app.appKey,
      name: app.name,
      mode: app.mode,
      disabled: app.disabled,
      created_at: Math.floor(app.createdAt / 1000),
      instance_count: (await services.instances.list(app)).length,
    })));
  },
  '/admin/disable_app': async (req, { services }) => {
    await services.apps.setDisabled(req.app_key, true);
    return {};
  },
  '/admin/enable_app': async (req, { services }) => {
    await services.apps.setDisabled(req.app_key, false);
    return {};
  },
  '/admin/rotate_app_secret': async (req, { services }) => {
    const { app, appSecret } = await services.apps.rotateSecret(req.app_key);
    return { app_key: app.appKey, app_secret: appSecret };
  },
  '/admin/set_app_mode': async (req, { services }) => {
    await services.apps.setMode(req.app_key, req.mode);
    return {};
  },
};
