import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ACCESS_LEVELS, ROLES, allows } from '../../../domain/access.js';
import { problemResponses } from '../../../http/problem.js';
import { uuid } from '../../../http/schemas.js';

const me = z
  .object({
    role: z.enum(ROLES),
    name: z.string().meta({ description: 'The name of the key ("anonymous" without one)' }),
    keyId: uuid.nullable(),
    scopes: z.array(uuid).nullable().meta({ description: 'Editor keys: the organisations whose subtrees it may write; null = all' }),
    may: z
      .array(z.enum(ACCESS_LEVELS))
      .meta({ description: 'The access levels routes declare that this caller passes: public, write, audit, admin' }),
  })
  .meta({ id: 'Me' });

/**
 * Who the caller is: what a client (the web UI) asks after a sign-in, to check the key and to show
 * only what the key may do. Answers for anonymous callers too; an unknown key is a 401.
 */
export default async function meRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Who the caller is: the role and name of the key sent, and what it may do',
        tags: ['keys'],
        querystring: z.strictObject({}),
        response: { 200: me, ...problemResponses(400, 401) },
      },
    },
    async (request) => {
      const { role, name, keyId, scopes } = request.principal;
      return { role, name, keyId, scopes, may: ACCESS_LEVELS.filter((level) => allows(role, level)) };
    },
  );
}
