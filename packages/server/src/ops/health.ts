// Liveness and readiness probes.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../storage/ports.ts';

/** Another service a node cannot work without (Redis in a cluster): ready only while it answers. */
export interface Dependency {
  readonly name: string;
  ping(): Promise<void>;
}

export function registerHealth(app: FastifyInstance, store: Store, isClosing: () => boolean, dependencies: readonly Dependency[] = []): void {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (isClosing()) return reply.code(503).send({ status: 'shutting down' });
    try {
      await store.ping();
    } catch (err) {
      return reply.code(503).send({ status: 'storage unavailable', error: (err as Error).message });
    }
    for (const dependency of dependencies) {
      try {
        await dependency.ping();
      } catch (err) {
        return reply.code(503).send({ status: `${dependency.name} unavailable`, error: (err as Error).message });
      }
    }
    return { status: 'ready', store: store.kind, ...(dependencies.length > 0 ? { dependencies: dependencies.map((d) => d.name) } : {}) };
  });
}
