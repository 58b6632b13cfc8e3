// /cdn/*: get_cdn_info issues the private-CDN credential (cdn_info) for a logged-in instance; get_cdn_file says where
// the private-CDN server is — wxgate serves the private-CDN endpoints itself, so there is no package to deploy.
import { ApiError, modules } from '@wxgate/contract';
import { CDN_CLIENT_VERSION, CDN_DEVICE_TYPE } from '../core/media/cdn-info.ts';
import { viaDriver } from './driver-backed.ts';
import type { HandlersFor } from './handler.ts';

export const cdnHandlers: HandlersFor<typeof modules.cdn> = {
  ...viaDriver(modules.cdn),
  '/cdn/get_cdn_info': async (_req, ctx) => {
    const { cdnInfo } = ctx.services;
    if (!cdnInfo) throw new ApiError('NOT_SUPPORTED', 'this wxgate issues no cdn_info (no media store)');
    const instance = await ctx.services.instances.require(ctx.app, ctx.instance.guid);
    if (!instance.loginWxid) throw new ApiError('NOT_LOGGED_IN');
    const issued = cdnInfo.issue(ctx.app.id, instance.guid, instance.loginWxid);
    return { cdn_info: issued.cdnInfo, username: instance.loginWxid, device_type: CDN_DEVICE_TYPE, client_version: CDN_CLIENT_VERSION };
  },
  '/cdn/get_cdn_file': async (_req, ctx) => {
    const base = ctx.services.config.publicUrl ?? `http://${ctx.services.config.host}:${ctx.services.config.port}`;
    // wxgate is its own private CDN: the /cloud/* private-CDN paths are served on this base URL
    return { url: base, self_hosted: true, note: 'wxgate serves the private-CDN endpoints (/cloud/download, /cloud/upload, …) itself at this URL; nothing to deploy' };
  },
};
