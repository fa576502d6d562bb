import type { FastifyInstance } from 'fastify';
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
}
