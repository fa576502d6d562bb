import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { today } from '../../../domain/partial-date.js';
import { notFound, problemResponses } from '../../../http/problem.js';
import { idParams } from '../../../http/schemas.js';
import { chartJsonOn } from './chart.js';
import { membersOn } from './day-queries.js';
import organisationEventRoutes from './events.js';
import { members, membersQuery, tree, treeQuery } from './day-schemas.js';
import { registerListRoute, registerResourceRoutes } from '../../../http/resource.js';
import {
  insertOrganisation,
  listOrganisations,
  loadOrganisation,
  organisationKeyset,
  presentOrganisation,
  updateOrganisation,
} from './queries.js';
import { listOrganisationsQuery, organisation, organisationInput } from './schemas.js';

export default async function organisationRoutes(app: FastifyInstance) {
  registerListRoute(app, {
    summary: 'List organisations',
    description: 'Sorted by name. `parentId` keeps direct sub-units; with `at`, as attached that day.',
    tag: 'organisations',
    query: listOrganisationsQuery,
    item: organisation,
    list: listOrganisations,
    keyset: organisationKeyset,
    present: presentOrganisation,
  });
  registerResourceRoutes(app, {
    entity: 'organisation',
    noun: 'organisation',
    tag: 'organisations',
    basePath: '/v1/organisations',
    input: organisationInput,
    representation: organisation,
    load: loadOrganisation,
    insert: insertOrganisation,
    update: updateOrganisation,
  });
  await app.register(organisationDayRoutes);
  await app.register(organisationEventRoutes);
}

/** The organisation on a day: its chart and its members. */
async function organisationDayRoutes(app: FastifyInstance) {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(
    '/:id/tree',
    {
      config: { access: 'public' },
      schema: {
        summary: 'The organisation chart on a day',
        description:
          'Sub-units recursively as they were attached that day, with their names of that day; each unit\'s posts ' +
          '(vacant ones marked) with their holders; with `members=true` also each unit\'s members without a post ' +
          '(a team page). Holdings whose partial dates make the day uncertain have `certainty: possible`.',
        tags: ['organisations'],
        params: idParams,
        querystring: treeQuery,
        response: { 200: tree, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const at = request.query.at ?? today();
      const found = await request.read((db) => chartJsonOn(app.database, db, request.params.id, at, request.query.members));
      if (!found) throw notFound('organisation', request.params.id);
      // Already JSON (chart.ts): fastify sends a string as it is.
      return reply
        .type('application/json; charset=utf-8')
        .send(`{"at":${JSON.stringify(at)},"existed":${found.existed},"root":${found.root}}` as never);
    },
  );
  routes.get(
    '/:id/members',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Everyone with an assignment in the organisation on a day',
        tags: ['organisations'],
        params: idParams,
        querystring: membersQuery,
        response: { 200: members, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const at = request.query.at ?? today();
      const items = await request.read((db) =>
        membersOn(app.database, db, request.params.id, at, request.query.includeSubUnits),
      );
      if (!items) throw notFound('organisation', request.params.id);
      return { at, organisationId: request.params.id, includeSubUnits: request.query.includeSubUnits, items };
    },
  );
}
