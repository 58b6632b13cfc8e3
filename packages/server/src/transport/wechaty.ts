// The Wechaty bridge: wechaty-puppet-service's gRPC protocol on one port (WXGATE_WECHATY_PORT), each token a puppet over its instance.
import { ApiError, findEndpoint } from '@wxgate/contract';
import type { WxgateInstancePort } from '@wxgate/wechaty';
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { EventFollower } from '../delivery/event-follower.ts';
import type { Services } from '../handlers/handler.ts';
import { wechatyConsumer } from '../handlers/wechaty.ts';
import type { WechatyTokenRecord } from '../storage/ports.ts';
import { callAs } from './dispatch.ts';
import { errorText, languageOf } from './language.ts';

/** A failure as the bot sees it: the catalog's code and text in the server's language (gRPC carries no Accept-Language). */
function botError(err: unknown, services: Services): Error {
  if (!(err instanceof ApiError)) return err instanceof Error ? err : new Error(String(err));
  return new Error(`wxgate ${err.spec.code}: ${errorText(err, languageOf(undefined, services.config.language))}`);
}

/** Events written to a bot's stream and not yet known received, at most: the outbox waits for receipts beyond it. */
const UNRECEIVED_LIMIT = 100;

/** The puppet's door into its instance: calls run the HTTP pipeline in-process as the token's app; events from its cursor. */
function instancePort(services: Services, token: WechatyTokenRecord, log: FastifyBaseLogger): WxgateInstancePort {
  const { guid } = token;
  const consumer = wechatyConsumer(token.id);
  /** The last follow's receipts: the next follow reads the cursor only after they moved it. */
  let settled: Promise<void> = Promise.resolve();
  return {
    guid,
    async call(path, request) {
      try {
        const app = await services.apps.byId(token.appId);
        const spec = findEndpoint(path)!;
        const body = { ...request, guid };
        return await callAs(app, { spec, body, headers: {}, requestId: `wechaty-${randomUUID()}`, log }, services) as never;
      } catch (err) {
        throw botError(err, services);
      }
    },
    async archivedMessage(msgId) {
      const instance = await services.instances.find(guid);
      const found = instance && await services.driver.archive?.get(instance, msgId);
      return found && { ...found.data, seq: found.seq, direction: found.direction, revoked: found.revoked };
    },
    async loginWxid() {
      // A stopped instance serves no account: the bot is logged out until it runs again.
      const instance = await services.instances.find(guid);
      return instance?.runState === 'running' ? instance.loginWxid ?? null : null;
    },
    follow(deliver, onError) {
      let follower: EventFollower | undefined;
      let stopped = false;
      const previous = settled;
      let receipts: Promise<void> = Promise.resolve();
      let pending = 0;
      let lost = false;
      const started = (async () => {
        // The previous connection's receipts settle first (its stream ended, so they resolve at once): its cursor is read.
        await previous;
        const from = (await services.events.cursor(guid, consumer)) ?? await services.events.lastSn(guid);
        if (stopped) return;
        follower = new EventFollower(services.events, guid, from, async (event) => {
          const { received } = await deliver({ sn: event.sn, notifyType: event.notifyType, data: event.data });
          pending++;
          // Receipts settle in order; after one that failed, none moves the cursor (its event comes again next time).
          const saved = receipts = receipts.then(async () => {
            const ok = await received;
            pending--;
            if (!ok) lost = true;
            if (!lost) await services.events.saveCursor(guid, consumer, event.sn);
          }).catch(onError);
          if (pending >= UNRECEIVED_LIMIT) await saved;
        }, onError);
        follower.start();
      })().catch(onError);
      let markStopped!: () => void;
      const stopSignal = new Promise<void>((resolve) => (markStopped = resolve));
      // Settled once this follow was stopped (its stream ended, so its receipts resolve) and its receipts were saved.
      settled = (async () => {
        await started;
        await stopSignal;
        for (let seen = receipts; ; seen = receipts) {
          await seen;
          if (seen === receipts) return;
        }
      })();
      return {
        stop() {
          stopped = true;
          follower?.stop();
          markStopped();
        },
      };
    },  };
}

/** Starts the bridge when WXGATE_WECHATY_PORT is set; answers how to close it. */
export async function startWechatyBridge(services: Services, log: FastifyBaseLogger): Promise<(() => Promise<void>) | undefined> {
  const { wechatyPort, host } = services.config;
  if (wechatyPort === undefined) return undefined;
  // Loaded only for a bridge: wechaty-puppet, file-box and gRPC took about a third of every start.
  const { WechatyGrpcRouter } = await import('@wxgate/wechaty');
  const router = await WechatyGrpcRouter.start({
    address: `${host.includes(':') ? `[${host}]` : host}:${wechatyPort}`,
    resolve: async (token) => {
      try {
        const record = await services.wechaty.resolve(token);
        return { tokenId: record.id, port: instancePort(services, record, log) };
      } catch (err) {
        throw botError(err, services);
      }
    },
    onError: (err) => log.error({ err }, 'wechaty bridge: event stream failed'),
  });
  services.wechaty.listening(`${host === '0.0.0.0' ? '127.0.0.1' : host}:${router.port}`);
  services.wechaty.onRevoke((tokenId) => router.drop(tokenId));
  services.wechaty.onRunState((guid, running) => router.runStateChanged(guid, running));
  return async () => {
    services.wechaty.listening(null);
    await router.close();
  };
}
