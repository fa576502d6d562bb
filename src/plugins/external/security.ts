import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

const HELMET: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      frameAncestors: ["'none'"],
      // Helmet's default would send the web UI's own scripts and API calls to https:// when it is
      // served over plain HTTP under any name but localhost (the container on an intranet host),
      // and so break it; behind a TLS proxy every same-origin request is https anyway.
      upgradeInsecureRequests: null,
    },
  },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
};

/**
 * Helmet's headers, worked out once. With a fixed configuration (no CSP nonces) they are the same
 * for every answer; @fastify/helmet runs helmet(options) on every request instead, which parses the
 * CSP directives anew each time: 4.6 % of a post-holders read's CPU (bench/profile.ts).
 */
export function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: () => undefined,
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

/**
 * Security headers, and cross-origin reads for the intranet pages that embed Rolebook: the
 * configured origins (CORS_ORIGINS, `*` by default) may read; writes come from the service's own
 * pages only.
 */
export default fp(
  async function security(app: FastifyInstance, options: { corsOrigins: string[] }) {
    const headers = helmetHeaders(HELMET);
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
    await app.register(cors, {
      origin: options.corsOrigins.includes('*') ? '*' : options.corsOrigins,
      methods: ['GET', 'HEAD'],
      allowedHeaders: ['Authorization', 'If-None-Match'],
      exposedHeaders: ['ETag', 'Retry-After', 'Link'],
      maxAge: 600,
    });
  },
  { name: 'security' },
);
