import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Security headers, and cross-origin reads for the intranet pages that embed Rolebook: the
 * configured origins (CORS_ORIGINS, `*` by default) may read; writes come from the service's own
 * pages only.
 */
export default fp(
  async function security(app: FastifyInstance, options: { corsOrigins: string[] }) {
    await app.register(helmet, {
      global: true,
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
