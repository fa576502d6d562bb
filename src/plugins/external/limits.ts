import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { getHeapStatistics } from 'node:v8';
import { Problem } from '../../http/problem.js';

export interface LimitOptions {
  /** Requests per minute for one key, or for one address without a key. */
  perMinute: number;
  /** Shed load when the event loop lags longer than this; 0 turns the check off. */
  maxEventLoopDelayMs: number;
}

/**
 * No client may take the service down: requests are counted per key (per address without one) and
 * answered 429 past the limit; an overloaded process (event loop or memory) sheds load with 503.
 * Both carry Retry-After. Health checks are exempt, so that an orchestrator still sees the process.
 */
export default fp(
  async function limits(app: FastifyInstance, options: LimitOptions) {
    await app.register(rateLimit, {
      global: true,
      max: options.perMinute,
      timeWindow: 60_000,
      keyGenerator: (request: FastifyRequest) => request.principal?.keyId ?? request.ip,
      allowList: (request: FastifyRequest) => ['/healthz', '/readyz', '/metrics'].includes(request.url),
      errorResponseBuilder: (_request, context) =>
        new Problem('too-many-requests', `More than ${context.max} requests a minute; try again in ${Math.ceil(context.ttl / 1000)} s.`, {
          retryAfter: Math.ceil(context.ttl / 1000),
        }),
    });
    await app.register(underPressure, {
      maxEventLoopDelay: options.maxEventLoopDelayMs,
      // Shed load before V8 runs out of heap.
      maxHeapUsedBytes: Math.floor(getHeapStatistics().heap_size_limit * 0.9),
      retryAfter: 10,
      exposeStatusRoute: false,
      pressureHandler: (_request, _reply, type, value) => {
        throw new Problem('service-unavailable', `The service is overloaded (${type}: ${value}); try again shortly.`, {
          retryAfter: 10,
        });
      },
    });
  },
  { name: 'limits', dependencies: ['auth'] },
);
