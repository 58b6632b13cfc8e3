// Prometheus metrics: requests by endpoint and code, latency, locked instances, send-pacing queues, webhook lag, cluster membership.
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricSources {
  /** Asynchronous: in a cluster the locks are counted where the nodes share them. */
  readonly lockedInstances: () => Promise<number>;
  /** Instances whose send pacing holds sends: how many and when the next goes (unix ms). */
  readonly sendQueues: () => Array<{ guid: string; length: number; nextSendAt: number }>;
  /** This node's id, the `node` label of the per-node gauges (a lone node has one too). */
  readonly nodeId: string;
  /** How long the oldest event this node has to deliver by webhook has waited (ms; 0 when none waits). */
  readonly webhookLagMs: () => Promise<number>;
  /** In a cluster: the nodes this node sees alive, and the leases (work) it holds now. */
  readonly cluster?: () => { alive: number; leasesHeld: number };
}

export function registerMetrics(app: FastifyInstance, { lockedInstances, sendQueues, nodeId, webhookLagMs, cluster }: MetricSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'wxgate_' });
  const requests = new Counter({
    name: 'wxgate_http_requests_total',
    help: 'HTTP requests by contract endpoint (gateway calls by their inner path) and status code',
    labelNames: ['endpoint', 'code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'wxgate_http_request_duration_seconds',
    help: 'HTTP request latency by contract endpoint, until the answer is handed to the socket',
    labelNames: ['endpoint'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  new Gauge({
    name: 'wxgate_locked_instances',
    help: 'instances whose API is locked by the rate limit right now',
    registers: [registry],
    async collect() {
      this.set(await lockedInstances());
    },
  });

  // Per instance, but only while something waits: an idle instance has no series.
  new Gauge({
    name: 'wxgate_send_queue_length',
    help: 'sends waiting in an instance\'s send pacing queue',
    labelNames: ['guid'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const q of sendQueues()) this.labels(q.guid).set(q.length);
    },
  });
  new Gauge({
    name: 'wxgate_send_queue_next_send_seconds',
    help: 'unix time the next queued send of an instance may go',
    labelNames: ['guid'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const q of sendQueues()) this.labels(q.guid).set(q.nextSendAt / 1000);
    },
  });

  // Per node (labelled with its id), so a dashboard summing over nodes sees each node's own view.
  const nodeGauge = (name: string, help: string, read: () => number | Promise<number>) => new Gauge({
    name, help, labelNames: ['node'] as const, registers: [registry],
    async collect() {
      const value = await read();
      this.reset();
      this.labels(nodeId).set(value);
    },
  });
  nodeGauge('wxgate_webhook_lag_seconds',
    'how long the oldest webhook event this node has to deliver has waited (retries included; 0 when none waits)',
    async () => (await webhookLagMs()) / 1000);
  if (cluster) {
    nodeGauge('wxgate_cluster_nodes', 'nodes of the cluster this node sees alive (itself included)', () => cluster().alive);
    nodeGauge('wxgate_cluster_leases_held',
      'leases this node holds now: instances whose webhooks it is delivering, voice transcriptions and singleton jobs it is running',
      () => cluster().leasesHeld);
  }

  // Label children are looked up once per (endpoint, code): hashing label objects on every request is measurable.
  const counters = new Map<string, Counter.Internal>();
  const timers = new Map<string, Histogram.Internal<'endpoint'>>();
  // Recorded at onSend (the answer is ready, handed to the socket next): an onResponse hook would cost a 'finish'
  // listener per request, measurable at these rates.
  app.addHook('onSend', (request, reply, payload, done) => {
    // Unmatched URLs share one label so junk paths cannot blow up the series count.
    const endpoint = request.endpointPath || request.routeOptions.url || 'unmatched';
    const key = endpoint + ' ' + reply.statusCode;
    let counter = counters.get(key);
    if (!counter) counters.set(key, (counter = requests.labels(endpoint, String(reply.statusCode))));
    counter.inc();
    let timer = timers.get(endpoint);
    if (!timer) timers.set(endpoint, (timer = latency.labels(endpoint)));
    timer.observe(reply.elapsedTime / 1000);
    done(null, payload);
  });

  app.get('/metrics', async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()));
  return registry;
}
