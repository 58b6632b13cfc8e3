// Handlers of /ilink/*: binding instances as iLink bots, served by core (core/ilink-bots.ts); the wire is transport/ilink.ts.
import type { Modules } from '@wxgate/contract';
import { ilinkBotId } from '../core/ilink-bots.ts';
import type { IlinkBotRecord } from '../storage/ports.ts';
import type { HandlersFor } from './handler.ts';

const view = (b: IlinkBotRecord) => ({ bot_id: b.id, ilink_bot_id: ilinkBotId(b), ilink_user_id: b.userWxid, created_at: Math.floor(b.createdAt / 1000) });

export const ilinkHandlers: HandlersFor<Modules['ilink']> = {
  '/ilink/scan_qrcode': async (req, { instance, services }) => {
    const { status, botId } = await services.ilink.scan(instance, req.qrcode, req.action);
    return { status, bot_id: botId };
  },
  '/ilink/revoke_bot': async (req, { instance, services }) => ({ revoked: await services.ilink.revoke(instance, req.bot_id) }),
  '/ilink/status': async (_req, { instance, services }) => {
    const bots = (await services.ilink.list(instance)).map(view);
    return { bots, bot_count: bots.length };
  },
};
