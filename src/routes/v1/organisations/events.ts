import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound, problemResponses } from '../../../http/problem.js';
import { idParams, readQuery } from '../../../http/schemas.js';
import { listOrganisationEvents, recordOrganisationEvent } from './event-queries.js';
import { organisationEvent, organisationEventInput, organisationEventResult } from './event-schemas.js';
import { loadOrganisation } from './queries.js';

export default async function organisationEventRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.post(
    '/:id/events',
    {
      config: { access: 'write' },
      schema: {
        summary: 'Record a rename, merge, split or dissolution (W3C ORG ChangeEvent)',
        description:
          '`dissolve`: `date` is the last day; the open assignments and parent links (up and down) end on it. ' +
          '`rename`: from `date` the organisation has its new name; the old one becomes a dated other name. ' +
          '`merge`: this organisation and `with` end the day before `date` (except `resultingId` if it is one of ' +
          'them); their sub-units move to the result. `split`: this organisation ends the day before `date`; ' +
          '`moves` attach sub-units to the resulting organisations. All of it is stored or none of it.',
        tags: ['organisations'],
        params: idParams,
        body: organisationEventInput,
        response: { 201: organisationEventResult, ...problemResponses(400, 404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const body = request.body;
      const result = await request.write(
        `organisation.${body.type}`,
        async (tx, changes) => {
          const { eventId, ...tally } = await recordOrganisationEvent(tx, id, body, request.actor, changes);
          const [event] = await listOrganisationEvents(tx, undefined, eventId);
          return { event: event!, ...tally };
        },
        { reason: body.reason ?? undefined },
      );
      return reply.code(201).header('location', `/v1/organisations/${id}/events`).send(result);
    },
  );

  routes.get(
    '/:id/events',
    {
      config: { access: 'public' },
      schema: {
        summary: 'The events an organisation took part in, in date order',
        tags: ['organisations'],
        params: idParams,
        querystring: readQuery,
        response: { 200: z.object({ items: z.array(organisationEvent) }), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      return request.read(async (db) => {
        if (!(await loadOrganisation(db, id))) throw notFound('organisation', id);
        return { items: await listOrganisationEvents(db, id) };
      });
    },
  );
}
