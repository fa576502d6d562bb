import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { etagOf } from '../../../http/etag.js';
import { notFound, problemResponses } from '../../../http/problem.js';
import { idParams, readQuery } from '../../../http/schemas.js';
import { loadTransition, recordTransition } from './queries.js';
import { transition, transitionInput } from './schemas.js';

export default async function transitionRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/',
    {
      config: { access: 'write' },
      schema: {
        summary: 'Record a transition: end assignments and start new ones on one date, atomically',
        description:
          'The ended assignments end on the day before `date`, the new ones start on `date`, so that on a ' +
          'handover day a single-holder post has exactly one holder. All of it is stored or none of it: ' +
          'a conflict (a post already taken, an assignment not current) is a 409 naming the conflicting record.',
        tags: ['transitions'],
        body: transitionInput,
        response: { 201: transition, ...problemResponses(400, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const recorded = await request.write(
        'transition.create',
        async (tx, changes) => {
          const id = await recordTransition(tx, body, request.actor, changes);
          return (await loadTransition(tx, id))!;
        },
        { reason: body.reason ?? undefined },
      );
      return reply
        .code(201)
        .header('location', `/v1/transitions/${recorded.id}`)
        .header('etag', etagOf(recorded))
        .send(recorded);
    },
  );

  routes.get(
    '/:id',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Read a transition with the assignments it ended and started',
        tags: ['transitions'],
        params: idParams,
        querystring: readQuery,
        response: { 200: transition, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const found = await request.read((db) => loadTransition(db, request.params.id));
      if (!found) throw notFound('transition', request.params.id);
      return found;
    },
  );
}
