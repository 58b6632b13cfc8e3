// Handlers of /wechaty/*: the instance's Wechaty bridge tokens, served by core (core/wechaty-tokens.ts).
import type { Modules } from '@wxgate/contract';
import type { WechatyTokenRecord } from '../storage/ports.ts';
import type { HandlersFor } from './handler.ts';

const view = (t: WechatyTokenRecord) => ({ token_id: t.id, created_at: Math.floor(t.createdAt / 1000) });

export const wechatyHandlers: HandlersFor<Modules['wechaty']> = {
  '/wechaty/create_token': async (_req, { instance, services }) => {
    const { token, record } = await services.wechaty.create(instance);
    // A bot on a new token starts with the events after this moment: its cursor is set here.
    await services.events.saveCursor(instance.guid, wechatyConsumer(record.id), await services.events.lastSn(instance.guid));
    return { ...view(record), token, endpoint: services.wechaty.endpoint };
  },
  '/wechaty/revoke_token': async (req, { instance, services }) => ({ revoked: await services.wechaty.revoke(instance, req.token_id) }),
  '/wechaty/status': async (_req, { instance, services }) => {
    const tokens = (await services.wechaty.list(instance)).map(view);
    return { endpoint: services.wechaty.endpoint, tokens, token_count: tokens.length };
  },
};

/** The event-log consumer (stream cursor) of a token: its place in the outbox survives reconnects and restarts. */
export const wechatyConsumer = (tokenId: string): string => `wechaty:${tokenId}`;
