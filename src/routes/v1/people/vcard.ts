import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Database, Executor } from '../../../db/client.js';
import { ANONYMOUS } from '../../../plugins/app/auth.js';
import { visibleTo } from '../../../domain/access.js';
import { foldPlain } from '../../../domain/folding.js';
import { lastDay, parsePartialDate, today } from '../../../domain/partial-date.js';
import { VCARD_MEDIA_TYPE, writeVcard, type VcardAffiliation, type VcardPerson, type VcardTelephone } from '../../../domain/vcard.js';
import type { Alternative } from '../../../http/resource.js';
import type { Person } from './schemas.js';

/**
 * GET /v1/people/{id} with `Accept: text/vcard`: the person as a vCard 4.0 (RFC 6350). Names (FN, N,
 * and the other names in use today as further FN), the contact details the caller may see (public
 * ones for anonymous callers, like the JSON answer), the links, and what the person does today: one
 * ORG per current assignment (the organisation and the units above it, as they stand today), with
 * TITLE (the post) and ROLE (the role).
 */

interface AffiliationRow {
  role: string | null;
  post_label: string | null;
  organisations: string[] | string;
}

/** The person's assignments that may cover `day`, each with its organisation's chain of names that day. */
async function affiliationsOn(database: Database, db: Executor, personId: string, day: string): Promise<VcardAffiliation[]> {
  const rows = await database.rows<AffiliationRow>(
    sql`WITH RECURSIVE current AS (
          SELECT a.id, a.role, a.organisation_id, a.start_date, p.label AS post_label
            FROM assignments a LEFT JOIN posts p ON p.id = a.post_id
           WHERE a.person_id = ${personId} AND a.possible_span @> ${day}::date
        ), up(assignment_id, organisation_id, depth) AS (
          SELECT id, organisation_id, 0 FROM current
          UNION ALL
          SELECT up.assignment_id, op.parent_id, up.depth + 1
            FROM up JOIN organisation_parents op ON op.organisation_id = up.organisation_id AND op.possible_span @> ${day}::date
           WHERE up.depth < 12
        )
        SELECT c.role, c.post_label,
               (SELECT array_agg(rb_organisation_name_on(up.organisation_id, ${day}::date) ORDER BY up.depth DESC)
                  FROM up WHERE up.assignment_id = c.id) AS organisations
          FROM current c
         ORDER BY c.start_date NULLS FIRST, c.id`,
    db,
  );
  return rows.map((row) => {
    // postgres.js returns text[] as an array; PGlite too, but be lenient with the literal form.
    const organisations = Array.isArray(row.organisations)
      ? row.organisations
      : String(row.organisations).replace(/^\{|\}$/g, '').split(',').map((s) => s.replace(/^"|"$/g, ''));
    const title = row.post_label ?? row.role;
    return { organisation: organisations, title, role: row.post_label && row.role !== row.post_label ? row.role : null };
  });
}

const TELEPHONES: Record<string, string[]> = {
  phone: ['voice', 'work'],
  mobile: ['cell', 'work'],
  fax: ['fax', 'work'],
};

/** Whether a dated other name is in use on `day`: started (or no start) and not ended. */
function inUseOn(name: Person['otherNames'][number], day: string): boolean {
  const start = name.startDate ? parsePartialDate(name.startDate) : null;
  const end = name.endDate ? parsePartialDate(name.endDate) : null;
  return (!start || start.first <= day) && (!end || lastDay(end) >= day);
}

export async function vcardOf(database: Database, db: Executor, person: Person, request: FastifyRequest): Promise<string> {
  const day = (request.query as { at?: string } | undefined)?.at ?? today();
  const visible = visibleTo((request.principal ?? ANONYMOUS).role);
  const contacts = person.contactDetails.filter((c) => visible.has(c.visibility));
  const telephones: VcardTelephone[] = contacts.filter((c) => TELEPHONES[c.type]).map((c) => ({ value: c.value, types: TELEPHONES[c.type]! }));
  const card: VcardPerson = {
    uid: person.id,
    formattedName: person.name,
    otherNames: person.otherNames.filter((n) => inUseOn(n, day)).map((n) => n.name),
    familyName: person.familyName,
    givenName: person.givenName,
    honorificPrefix: person.honorificPrefix,
    emails: contacts.filter((c) => c.type === 'email').map((c) => c.value),
    telephones,
    urls: [...contacts.filter((c) => c.type === 'url').map((c) => c.value), ...person.links.map((l) => l.url)],
    addresses: contacts.filter((c) => c.type === 'address').map((c) => ({ value: c.value, label: c.label })),
    extensions: contacts
      .filter((c) => !['email', 'url', 'address'].includes(c.type) && !TELEPHONES[c.type])
      .map((c) => [c.type, c.value] as [string, string]),
    affiliations: await affiliationsOn(database, db, person.id, day),
    revision: person.updatedAt,
  };
  return writeVcard(card);
}

export function vcardAlternative(database: Database): Alternative<Person> {
  return {
    mediaType: VCARD_MEDIA_TYPE,
    description:
      'a vCard 4.0 (RFC 6350): names, the contact details the caller may see, links, and the organisations (ORG) with post (TITLE) and role (ROLE) of the day `at` (default today)',
    render: (db, person, request) => vcardOf(database, db, person, request),
    filename: (person) => `${foldPlain(person.name).replaceAll(' ', '-') || person.id}.vcf`,
  };
}
