// Liveness and readiness probes.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../storage/ports.ts';

export function registerHealth(app: FastifyInstance, store: Store, isClosing: () => boolean): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (isClosing()) return reply.code(503).send({ status: 'shutting down' });
    try {
      await store.ping();
      return { status: 'ready', store: store.kind };
    } catch (err) {
      return reply.code(503).send({ status: 'storage unavailable', error: (err as Error).message });
    }
  });
}
