/**
 * `GET /v1/export/popolo`: the directory as one Popolo JSON document (https://www.popoloproject.com),
 * valid against the official Popolo schemas (popolo/schemas/, checked by the tests).
 *
 * The document is built in memory and sent whole, not streamed: it comes from one consistent set
 * of a few queries (assignments first, so that every person, organisation and post they name is in
 * the later reads even while others write), the embedded database has a single connection that a
 * stream held open for a slow download would block for every other request, and a directory of
 * organisations (tens of thousands of people) makes a document of tens of megabytes.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { asc, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../../db/client.js';
import { coversDay } from '../../../db/dates.js';
import { assignments, organisationEventOrganisations, organisationEvents, organisations, people, posts } from '../../../db/schema.js';
import { visibleTo } from '../../../domain/access.js';
import { lastDay, parsePartialDate, today } from '../../../domain/partial-date.js';
import { problemResponses } from '../../../http/problem.js';
import { asOf, day } from '../../../http/schemas.js';
import { presentAssignment } from '../assignments/queries.js';
import { presentOrganisation, withChildren as organisationChildren } from '../organisations/queries.js';
import type { Organisation } from '../organisations/schemas.js';
import { presentPerson, withChildren as personChildren } from '../people/queries.js';
import type { Person } from '../people/schemas.js';
import { presentPost } from '../posts/queries.js';
import { ABBREVIATION_NOTE } from '../import/popolo-document.js';

const exportQuery = z.strictObject({
  at: day
    .optional()
    .meta({ description: 'Only the memberships that may cover this day, and parents as of this day (default: all memberships, parents as of today)' }),
  asOf,
});

type Json = Record<string, unknown>;

/** Popolo writes absent values by leaving the member out. */
function compact(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

const isUrl = (text: string) => /^https?:\/\/\S+$/i.test(text);

/**
 * Popolo's links are URIs (RFC 3986): an IRI such as `https://cs.wikipedia.org/wiki/Alena_Hanáková`
 * is written with its non-ASCII characters percent-encoded, as a browser sends it.
 */
function asUri(url: string): string {
  if (!/[^\x21-\x7e]/.test(url)) return url;
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

/** Whether a dated link may cover the day (a partial date covers its whole period). */
function covers(link: { startDate: string | null; endDate: string | null }, on: string): 'certain' | 'possible' | null {
  const start = link.startDate ? parsePartialDate(link.startDate) : null;
  const end = link.endDate ? parsePartialDate(link.endDate) : null;
  if ((start && start.first > on) || (end && lastDay(end) < on)) return null;
  return (!start || lastDay(start) <= on) && (!end || end.first >= on) ? 'certain' : 'possible';
}

function parentOn(organisation: Organisation, on: string): string | undefined {
  const candidates = organisation.parents
    .map((link) => ({ link, cover: covers(link, on) }))
    .filter((c) => c.cover !== null)
    .sort((a, b) => (a.cover === b.cover ? 0 : a.cover === 'certain' ? -1 : 1));
  return candidates[0]?.link.organisationId;
}

function names(list: { name: string; startDate: string | null; endDate: string | null; note: string | null }[]) {
  return list.map((n) => compact({ name: n.name, start_date: n.startDate, end_date: n.endDate, note: n.note }));
}

function popoloPerson(person: Person, visible: ReadonlySet<string>): Json {
  return compact({
    id: person.id,
    name: [person.givenName, person.familyName].filter(Boolean).join(' '),
    given_name: person.givenName,
    family_name: person.familyName,
    honorific_prefix: person.honorificPrefix,
    sort_name: person.familyName && person.givenName ? `${person.familyName}, ${person.givenName}` : null,
    other_names: names(person.otherNames),
    identifiers: person.identifiers,
    // Popolo's key is contact_details: the visibility shaping of responses (contactDetails) does not see it.
    contact_details: person.contactDetails
      .filter((c) => visible.has(c.visibility))
      .map((c) => compact({ type: c.type, value: c.value, label: c.label, visibility: c.visibility })),
    links: person.links.map((l) => compact({ url: asUri(l.url), note: l.note })),
  });
}

function popoloOrganisation(organisation: Organisation, on: string): Json {
  return compact({
    id: organisation.id,
    name: organisation.name,
    classification: organisation.classification,
    parent_id: parentOn(organisation, on),
    founding_date: organisation.foundingDate,
    dissolution_date: organisation.dissolutionDate,
    identifiers: organisation.identifiers,
    // Popolo has no abbreviation: it travels as an undated other name (the import reads it back).
    other_names: [
      ...(organisation.abbreviation ? [{ name: organisation.abbreviation, note: ABBREVIATION_NOTE }] : []),
      ...names(organisation.otherNames),
    ],
  });
}

async function buildDocument(db: Executor, options: { at?: string; visible: ReadonlySet<string> }) {
  const on = options.at ?? today();
  // Assignments first: whatever they name is stored before them, so the later reads see it too.
  const assignmentRows = await db
    .select()
    .from(assignments)
    .where(options.at ? coversDay(assignments, options.at) : undefined)
    .orderBy(sql`coalesce(${assignments.startDate}, '-infinity'::date)`, asc(assignments.id));
  const postRows = await db.select().from(posts).orderBy(asc(posts.sortLabel), asc(posts.id));
  const personRows = await db.query.people.findMany({ with: personChildren, orderBy: [asc(people.sortName), asc(people.id)] });
  const organisationRows = await db.query.organisations.findMany({
    with: organisationChildren,
    orderBy: [asc(organisations.sortName), asc(organisations.id)],
  });
  const eventRows = await db.select().from(organisationEvents).orderBy(asc(organisationEvents.date), asc(organisationEvents.id));
  const eventOrganisations = await db
    .select()
    .from(organisationEventOrganisations)
    .orderBy(asc(organisationEventOrganisations.eventId), asc(organisationEventOrganisations.position));
  const organisationNames = new Map(organisationRows.map((o) => [o.id, o.name]));

  return {
    persons: personRows.map((row) => popoloPerson(presentPerson(row), options.visible)),
    organizations: organisationRows.map((row) => popoloOrganisation(presentOrganisation(row), on)),
    posts: postRows.map(presentPost).map((p) => compact({ id: p.id, label: p.label, organization_id: p.organisationId })),
    memberships: assignmentRows.map(presentAssignment).map((a) =>
      compact({
        id: a.id,
        person_id: a.personId,
        organization_id: a.organisationId,
        post_id: a.postId,
        on_behalf_of_id: a.onBehalfOfId,
        role: a.role,
        start_date: a.startDate,
        end_date: a.endDate,
        label: a.note,
        // Where it is known from: a URL as a Popolo source, other text in Rolebook's `source`.
        sources: a.source && isUrl(a.source) ? [{ url: asUri(a.source) }] : null,
        source: a.source && !isUrl(a.source) ? a.source : null,
      }),
    ),
    events: eventRows.map((event) => {
      const involved = eventOrganisations.filter((e) => e.eventId === event.id);
      const original = involved.find((e) => e.role === 'original')?.organisationId;
      return compact({
        id: event.id,
        name: `${event.type}${original ? ` of ${organisationNames.get(original) ?? original}` : ''}`,
        classification: event.type,
        start_date: event.date,
        organization_id: original,
        description: event.note,
      });
    }),
  };
}

export default async function popoloExportRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/popolo',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Export the directory as a Popolo JSON document',
        description:
          'People, organisations (with `parent_id` as of `at`, default today), posts, memberships (all, or those that may ' +
          'cover `at`) and organisation events, valid against the Popolo schemas. Partial dates keep their precision ' +
          '(`2016`, `2016-06`). Contact details as the caller may see them. Rolebook extensions: a contact detail\'s ' +
          '`visibility`, a membership\'s `source` when it is not a URL, an abbreviation as an other name noted `abbreviation`.',
        tags: ['interchange'],
        querystring: exportQuery,
        response: {
          200: z.looseObject({
            persons: z.array(z.unknown()),
            organizations: z.array(z.unknown()),
            posts: z.array(z.unknown()),
            memberships: z.array(z.unknown()),
            events: z.array(z.unknown()),
          }).meta({ id: 'PopoloExport' }),
          ...problemResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { at } = request.query;
      const visible = visibleTo(request.principal.role);
      const document = await request.read((db) => buildDocument(db, { at, visible }));
      // No time of export in it: the same directory gives the same bytes, so the ETag can answer 304.
      const body = JSON.stringify({ meta: compact({ generator: 'Rolebook', at, asOf: request.query.asOf }), ...document });
      // Sent as text: already the JSON it is, and its contact details already shaped for the caller.
      return reply.type('application/json; charset=utf-8').send(body as never);
    },
  );
}
