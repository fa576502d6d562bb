import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** Security headers, and cross-origin reads for intranet pages that embed Rolebook. */
export default fp(
  async function security(app: FastifyInstance) {
    await app.register(helmet, { global: true, contentSecurityPolicy: false });
    await app.register(cors, {
      origin: true,
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'X-Reason'],
      exposedHeaders: ['ETag', 'Location', 'Retry-After'],
      maxAge: 600,
    });
  },
  { name: 'security' },
);
