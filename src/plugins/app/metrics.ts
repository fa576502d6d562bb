import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics at /metrics: requests by route, method and status with their latencies,
 * the database's readiness, and the process (event loop delay, heap, GC) from prom-client's
 * defaults. Routes are labelled by their pattern (/v1/people/:id), never by the raw URL.
 */
export default fp(
  async function metrics(app: FastifyInstance) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
    const requests = new Counter({
      name: 'rolebook_http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['route', 'method', 'status'] as const,
      registers: [registry],
    });
    const latency = new Histogram({
      name: 'rolebook_http_request_duration_seconds',
      help: 'HTTP request latency by route and method',
      labelNames: ['route', 'method'] as const,
      buckets: [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers: [registry],
    });
    const databaseUp = new Gauge({
      name: 'rolebook_database_up',
      help: '1 when the database answered the last readiness probe, else 0',
      registers: [registry],
      collect: async () => {
        try {
          await app.database.ping();
          databaseUp.set(1);
        } catch {
          databaseUp.set(0);
        }
      },
    });
    new Gauge({
      name: 'rolebook_database_pool_max',
      help: 'Connections the pool may open (1 for the embedded database)',
      registers: [registry],
      collect() {
        this.set(app.database.poolSize);
      },
    });

    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      if (route !== '/metrics') {
        requests.inc({ route, method: request.method, status: String(reply.statusCode) });
        latency.observe({ route, method: request.method }, reply.elapsedTime / 1000);
      }
      done();
    });

    app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
  { name: 'metrics', dependencies: ['database', 'auth'] },
);
