// The /user/* operations of one instance: the logged-in account's profile, its personal QR code, and logout.
import { NOTIFY_TYPES } from '@wxgate/contract';
import type { DriverOperations } from '../driver.ts';
import { endLogin } from './login/login.ts';
import { contactCardUrl, qrPng } from './login/qr-png.ts';
import { OK_BASE_RESPONSE, profileResponse } from './wechat-objects.ts';
import { requireAccount, type World } from './world.ts';

export function userOperations(world: World, appId: string, guid: string): DriverOperations {
  return {
    '/user/get_profile': () => world.change(appId, async (change) => profileResponse(await requireAccount(change, guid))),
    '/user/get_qrcode': async (req) => {
      const me = await world.change(appId, (change) => requireAccount(change, guid));
      const style = req.style ?? 0;
      const png = await qrPng(contactCardUrl(appId, me.wxid), style);
      return {
        baseResponse: OK_BASE_RESPONSE,
        qrcode: { iLen: png.length, buffer: png.toString('base64') },
        style,
        footerWording: '扫一扫上面的二维码图案，加我为朋友。',
      };
    },
    '/user/logout': () => world.change(appId, async (change) => {
      // Logging out must work even while sync is broken: it is one way out of that state.
      const me = await requireAccount(change, guid, { allowSyncFailed: true });
      await endLogin(change, guid, me.wxid, [[NOTIFY_TYPES.UserLogout, 'logout']]);
      return { baseResponse: OK_BASE_RESPONSE };
    }),
  };
}
