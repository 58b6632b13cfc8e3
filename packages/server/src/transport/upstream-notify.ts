// POST /upstream/notify/<token>: where a relay's upstream provider delivers callbacks. Internal (not in the tenant
// contract): no app auth or rate limit — the unguessable per-instance token is the authentication.
import type { FastifyInstance } from 'fastify';

/** What takes the callbacks in (the relay driver's inbound side); answers only after the events committed. */
export interface UpstreamNotifyReceiver {
  accept(token: string, body: unknown, webhookId?: string): Promise<{ status: number; accepted: number; duplicates: number; message: string }>;
}

export const UPSTREAM_NOTIFY_ROUTE = '/upstream/notify/:token';

export function registerUpstreamNotify(app: FastifyInstance, receiver: UpstreamNotifyReceiver): void {
  app.post<{ Params: { token: string } }>(UPSTREAM_NOTIFY_ROUTE, {
    // The token is a credential: keep the request line (which carries it) out of the info-level access log.
    logLevel: 'warn',
  }, async (request, reply) => {
    const header = request.headers['webhook-id'];
    const webhookId = typeof header === 'string' && header.length > 0 && header.length <= 200 ? header : undefined;
    const outcome = await receiver.accept(request.params.token, request.body, webhookId);
    if (outcome.status !== 200) request.log.warn({ status: outcome.status, reason: outcome.message }, 'upstream callback refused');
    return reply.code(outcome.status).send({
      errcode: outcome.status === 200 ? 0 : outcome.status,
      errmsg: outcome.message,
      accepted: outcome.accepted,
      duplicates: outcome.duplicates,
    });
  });
}
