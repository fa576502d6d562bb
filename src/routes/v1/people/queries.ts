import { and, asc, eq, exists, ilike, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { replaceChildren } from '../../../db/children.js';
import { prepared } from '../../../db/prepared.js';
import { coversDay, fromColumns, toColumns } from '../../../db/dates.js';
import { assignments, contactDetails, people, personIdentifiers, personLinks, personNames } from '../../../db/schema.js';
import { afterCursor, orderBy, type Keyset } from '../../../http/pagination.js';
import { likePattern } from '../../../db/text.js';
import type { Person, PersonInput } from './schemas.js';

export const withChildren = {
  otherNames: { orderBy: [asc(personNames.position)] },
  contactDetails: { orderBy: [asc(contactDetails.position)] },
  identifiers: { orderBy: [asc(personIdentifiers.position)] },
  links: { orderBy: [asc(personLinks.position)] },
};

type PersonRow = NonNullable<Awaited<ReturnType<ReturnType<typeof byId>['execute']>>>;

/** One person with their lists, by `id`: the hot read of contact cards, prepared once. */
const byId = (db: Executor, name: string) =>
  db.query.people.findFirst({ where: eq(people.id, sql.placeholder('id')), with: withChildren }).prepare(name);

export function displayName(p: { honorificPrefix: string | null; givenName: string | null; familyName: string | null }) {
  return [p.honorificPrefix, p.givenName, p.familyName].filter(Boolean).join(' ');
}

export function presentPerson(row: PersonRow): Person {
  return {
    id: row.id,
    name: displayName(row),
    givenName: row.givenName,
    familyName: row.familyName,
    honorificPrefix: row.honorificPrefix,
    otherNames: row.otherNames.map((n) => ({
      name: n.name,
      startDate: fromColumns(n.startDate, n.startPrecision),
      endDate: fromColumns(n.endDate, n.endPrecision),
      note: n.note,
    })),
    contactDetails: row.contactDetails.map((c) => ({
      type: c.type,
      value: c.value,
      label: c.label,
      visibility: c.visibility,
    })),
    identifiers: row.identifiers.map((i) => ({ scheme: i.scheme, identifier: i.identifier })),
    links: row.links.map((l) => ({ url: l.url, note: l.note })),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export async function loadPerson(tx: Executor, id: string, forUpdate = false): Promise<Person | undefined> {
  if (forUpdate) {
    const locked = await tx.select({ id: people.id }).from(people).where(eq(people.id, id)).for('update');
    if (locked.length === 0) return undefined;
  }
  const row = await prepared(tx, 'person_by_id', byId).execute({ id });
  return row && presentPerson(row);
}

function personColumns(input: PersonInput) {
  return {
    givenName: input.givenName ?? null,
    familyName: input.familyName ?? null,
    honorificPrefix: input.honorificPrefix ?? null,
  };
}

const otherNameColumns = (n: NonNullable<PersonInput['otherNames']>[number]) => ({
  name: n.name,
  ...toColumns('start', n.startDate),
  ...toColumns('end', n.endDate),
  note: n.note ?? null,
});

async function writeChildren(tx: Executor, id: string, input: PersonInput, replaceAll: boolean) {
  const list = <T>(items: T[] | undefined) => (replaceAll ? (items ?? []) : items);
  await replaceChildren(tx, personNames, 'personId', id, list(input.otherNames)?.map(otherNameColumns));
  await replaceChildren(tx, contactDetails, 'personId', id, list(input.contactDetails));
  await replaceChildren(tx, personIdentifiers, 'personId', id, list(input.identifiers));
  await replaceChildren(tx, personLinks, 'personId', id, list(input.links));
}

export async function insertPerson(tx: Executor, input: PersonInput, id?: string): Promise<string> {
  const [row] = await tx.insert(people).values({ ...personColumns(input), ...(id ? { id } : {}) }).returning({ id: people.id });
  await writeChildren(tx, row!.id, input, false);
  return row!.id;
}

/**
 * Creates many people in one statement per table, as insertPerson does one by one: for imports,
 * where a statement per person and list would cost most of the time.
 */
export async function insertPeople(tx: Executor, items: Array<{ id: string; input: PersonInput }>): Promise<void> {
  if (items.length === 0) return;
  await tx.insert(people).values(items.map(({ id, input }) => ({ ...personColumns(input), id })));
  const rowsOf = <T, R extends object>(list: (input: PersonInput) => T[] | undefined, columns: (item: T) => R) =>
    items.flatMap(({ id, input }) => (list(input) ?? []).map((item, position) => ({ ...columns(item), personId: id, position })));
  const names = rowsOf((input) => input.otherNames, otherNameColumns);
  if (names.length > 0) await tx.insert(personNames).values(names);
  const contacts = rowsOf((input) => input.contactDetails, (c) => c);
  if (contacts.length > 0) await tx.insert(contactDetails).values(contacts);
  const identifiers = rowsOf((input) => input.identifiers, (i) => i);
  if (identifiers.length > 0) await tx.insert(personIdentifiers).values(identifiers);
  const links = rowsOf((input) => input.links, (l) => l);
  if (links.length > 0) await tx.insert(personLinks).values(links);
}

export async function updatePerson(tx: Executor, id: string, input: PersonInput): Promise<void> {
  await tx
    .update(people)
    .set({ ...personColumns(input), updatedAt: sql`now()` })
    .where(eq(people.id, id));
  await writeChildren(tx, id, input, true);
}

export const personKeyset: Keyset<PersonRow> = {
  columns: [
    { expression: sql`${people.sortName}`, type: 'text' },
    { expression: sql`${people.id}`, type: 'uuid' },
  ],
  valuesOf: (row) => [row.sortName, row.id],
};

export interface PeopleFilter {
  q?: string;
  organisationId?: string;
  at?: string;
  cursor?: string;
  limit: number;
}

export async function listPeople(db: Executor, filter: PeopleFilter): Promise<PersonRow[]> {
  const conditions: (SQL | undefined)[] = [afterCursor(personKeyset, filter.cursor)];
  // Subqueries on other tables are query builders, not sql`` text: the relational query below
  // would qualify every column in its `where` SQL with the people table's alias.
  if (filter.q) {
    const pattern = likePattern(filter.q);
    const formerName = db
      .select({ one: sql`1` })
      .from(personNames)
      .where(and(eq(personNames.personId, people.id), ilike(personNames.name, pattern)));
    conditions.push(
      sql`(${people.sortName} ILIKE ${pattern} OR coalesce(${people.givenName}, '') || ' ' || coalesce(${people.familyName}, '') ILIKE ${pattern}
        OR ${exists(formerName)})`,
    );
  }
  if (filter.organisationId || filter.at) {
    const inAssignment = and(
      eq(assignments.personId, people.id),
      filter.organisationId ? eq(assignments.organisationId, filter.organisationId) : undefined,
      filter.at ? coversDay(assignments, filter.at) : undefined,
    );
    conditions.push(exists(db.select({ one: sql`1` }).from(assignments).where(inAssignment)));
  }
  return db.query.people.findMany({
    where: and(...conditions),
    orderBy: orderBy(personKeyset),
    limit: filter.limit + 1,
    with: withChildren,
  });
}
