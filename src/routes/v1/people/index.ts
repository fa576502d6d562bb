import type { FastifyInstance } from 'fastify';
import { registerListRoute, registerResourceRoutes } from '../../../http/resource.js';
import personTimelineRoutes from './timeline.js';
import { vcardAlternative } from './vcard.js';
import { peopleCsv } from './csv.js';
import dataProtectionRoutes from './data-protection.js';
import { insertPerson, listPeople, loadPerson, personKeyset, presentPerson, updatePerson } from './queries.js';
import { listPeopleQuery, person, personInput } from './schemas.js';

export default async function peopleRoutes(app: FastifyInstance) {
  registerListRoute(app, {
    summary: 'List people',
    description: 'Sorted by family name, then given name. `organisationId` and `at` keep the people with an assignment there, then.',
    tag: 'people',
    query: listPeopleQuery,
    item: person,
    list: listPeople,
    keyset: personKeyset,
    present: presentPerson,
    csv: peopleCsv,
  });
  registerResourceRoutes(app, {
    entity: 'person',
    noun: 'person',
    tag: 'people',
    basePath: '/v1/people',
    input: personInput,
    representation: person,
    load: loadPerson,
    insert: insertPerson,
    update: updatePerson,
    alternatives: [vcardAlternative(app.database)],
  });
  await app.register(personTimelineRoutes);
  await app.register(dataProtectionRoutes);
}
