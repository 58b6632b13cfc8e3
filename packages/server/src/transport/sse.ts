// Server-Sent Events at GET /events/stream: an instance's callbacks for consumers behind NAT or in a browser, resumable.
import { ApiError } from '@wxgate/contract';
import type { FastifyInstance } from 'fastify';
import { EventFollower } from '../delivery/event-follower.ts';
import type { Services } from '../handlers/handler.ts';
import { credentialsFromHeaders } from './auth.ts';
import { errorReply } from './envelope.ts';
import { isUuid } from './validation.ts';

const HEARTBEAT_MS = 15_000;

export function registerSse(app: FastifyInstance, services: Services): void {
  const open = new Set<() => void>();
  // Streams never end by themselves: end them before the server waits for its connections to close.
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });
  app.get<{ Querystring: { guid?: string; last_sn?: string } }>('/events/stream', async (request, reply) => {
    let follower: EventFollower;
    try {
      const credentials = credentialsFromHeaders(request.headers);
      if (!credentials) throw new ApiError('MISSING_CREDENTIALS');
      const appRecord = await services.apps.authenticate(credentials.appKey, credentials.appSecret);
      const guid = request.query.guid;
      if (!isUuid(guid)) throw new ApiError('VALIDATION', 'Validation Error', { errors: [{ loc: ['query', 'guid'], msg: 'Input should be a valid UUID', type: 'uuid_parsing' }] });
      const instance = await services.instances.require(appRecord, guid);
      // Resume: Last-Event-ID (what EventSource sends on reconnect) wins over ?last_sn; neither = new events only.
      const resume = request.headers['last-event-id'] ?? request.query.last_sn;
      const from = resume !== undefined && /^\d+$/.test(String(resume)) ? Number(resume) : await services.events.lastSn(instance.guid);
      const raw = reply.raw;
      follower = new EventFollower(services.events, instance.guid, from, (event) => {
        const payload = JSON.stringify({ event_id: event.id, guid: event.guid, notify_type: event.notifyType, data: event.data });
        if (!raw.write(`id: ${event.sn}\nevent: callback\ndata: ${payload}\n\n`)) {
          return new Promise<void>((resolve) => raw.once('drain', resolve));
        }
        return undefined;
      }, (err) => request.log.error({ err }, 'SSE stream failed'));
    } catch (err) {
      // A stream that cannot open must answer non-2xx in every mode: EventSource clients only see the status.
      const out = errorReply('standard', err instanceof ApiError ? err : new ApiError('INTERNAL'));
      return reply.code(out.status).headers(out.headers).send(out.body);
    }
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    });
    reply.raw.write('retry: 3000\n\n');
    const heartbeat = setInterval(() => reply.raw.write(': ping\n\n'), HEARTBEAT_MS);
    const end = () => {
      if (!open.delete(end)) return;
      clearInterval(heartbeat);
      follower.stop();
      reply.raw.end();
    };
    open.add(end);
    request.raw.on('close', end);
    follower.start();
  });
}
