import type { FastifyInstance } from 'fastify';
import { registerListRoute, registerResourceRoutes } from '../../../http/resource.js';
import personTimelineRoutes from './timeline.js';
import { vcardAlternative } from './vcard.js';
import { peopleCsv } from './csv.js';
import dataProtectionRoutes from './data-protection.js';
import { insertPerson, listPeople, loadPerson, personKeyset, presentPerson, updatePerson } from './queries.js';
import { listPeopleQuery, person, personInput } from './schemas.js';
import { currentRoles, rolesOn } from './roles.js';
import { onDay } from '../../../http/schemas.js';
import { today } from '../../../domain/partial-date.js';

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
    embedded: {
      query: { at: onDay },
      representation: person.extend(currentRoles).meta({ id: 'PersonWithRoles' }),
      load: async (db, id, query) => {
        const at = typeof query.at === 'string' ? query.at : today();
        return { at, currentRoles: await rolesOn(db, id, at) };
      },
    },
  });
  await app.register(personTimelineRoutes);
  await app.register(dataProtectionRoutes);
}
