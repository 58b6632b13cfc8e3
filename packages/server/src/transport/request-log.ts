// The access log: one line per request, written when the answer is sent (fastify's default writes two).
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * Fastify logs "incoming request" and "request completed" for every request; at `info` that doubled the cost of
 * logging. This keeps one line, on completion, with what the first one carried (method, url) and what only the
 * second knows (status, response time), plus the contract path the call resolved to (the gateway's inner path). The
 * request id comes from the request's child logger (`reqId`). Routes with their own `logLevel` (the token-carrying
 * media and upstream-notify routes: `warn`) stay out of it, as before.
 */
export class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const line = {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTime: reply.elapsedTime,
      // undefined is left out of the line (routes outside the contract: health, metrics, docs, console)
      endpoint: request.endpointPath || undefined,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
