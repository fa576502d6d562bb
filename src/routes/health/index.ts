import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pendingMigrations } from '../../db/migrate.js';
import { Problem, problemResponses } from '../../http/problem.js';

const status = z.object({ status: z.enum(['ok']) });

export default async function healthRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(
    '/healthz',
    { config: { access: 'public' }, schema: { summary: 'Liveness: the process answers', tags: ['service'], response: { 200: status } } },
    async () => ({ status: 'ok' as const }),
  );
  routes.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Readiness: the database answers',
        tags: ['service'],
        response: { 200: status, ...problemResponses(503) },
      },
    },
    async () => {
      let pending: number;
      try {
        pending = await pendingMigrations(app.database);
      } catch {
        throw new Problem('service-unavailable', 'The database does not answer.', { retryAfter: 5 });
      }
      if (pending > 0) {
        throw new Problem('service-unavailable', `The database lacks ${pending} migration(s); run npm run db:migrate.`, { retryAfter: 5 });
      }
      return { status: 'ok' as const };
    },
  );
}
