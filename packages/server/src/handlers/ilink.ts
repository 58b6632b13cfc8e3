// Handlers of /ilink/*: binding instances as iLink bots, served by core (core/ilink/ilink-bots.ts); the wire is transport/ilink/ilink.ts.
import { invalidField, type Modules } from '@wxgate/contract';
import { ilinkBotId } from '../core/ilink/ilink-bots.ts';
import type { IlinkBotRecord } from '../storage/ports.ts';
import type { HandlersFor } from './handler.ts';

const view = (b: IlinkBotRecord) => ({ bot_id: b.id, ilink_bot_id: ilinkBotId(b), ilink_user_id: b.userWxid, created_at: Math.floor(b.createdAt / 1000) });

export const ilinkHandlers: HandlersFor<Modules['ilink']> = {
  '/ilink/scan_qrcode': async (req, { instance, services }) => {
    if (req.redirect_host !== undefined && req.action !== 'scan') throw invalidField('redirect_host', 'redirect_host goes with action scan (the scan is answered from another data centre)');
    const { status, botId } = await services.ilink.qr.scan(instance, req.qrcode, req.action, req.verify_code, req.redirect_host);
    // scan_qrcode moves a code only to these (the schema's union); the client's other statuses come from its own polls.
    return { status: status as 'scaned' | 'scaned_but_redirect' | 'confirmed' | 'need_verifycode' | 'binded_redirect' | 'expired', bot_id: botId };
  },
  '/ilink/revoke_bot': async (req, { instance, services }) => ({ revoked: await services.ilink.revoke(instance, req.bot_id) }),
  '/ilink/status': async (_req, { instance, services }) => {
    const bots = (await services.ilink.list(instance)).map(view);
    return { bots, bot_count: bots.length };
  },
};
