import { and, asc, eq, exists, ilike, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { replaceChildren } from '../../../db/children.js';
import { coversDay, fromColumns, toColumns } from '../../../db/dates.js';
import { organisationIdentifiers, organisationNames, organisationParents, organisations } from '../../../db/schema.js';
import { likePattern } from '../../../db/text.js';
import { afterCursor, orderBy, type Keyset } from '../../../http/pagination.js';
import type { Organisation, OrganisationInput } from './schemas.js';

export const withChildren = {
  otherNames: { orderBy: [asc(organisationNames.position)] },
  identifiers: { orderBy: [asc(organisationIdentifiers.position)] },
  parents: { orderBy: [asc(organisationParents.position)] },
};

type OrganisationRow = NonNullable<Awaited<ReturnType<typeof findRow>>>;

function findRow(tx: Executor, where: SQL) {
  return tx.query.organisations.findFirst({ where, with: withChildren });
}

export function presentOrganisation(row: OrganisationRow): Organisation {
  return {
    id: row.id,
    name: row.name,
    abbreviation: row.abbreviation,
    classification: row.classification,
    location: row.location,
    foundingDate: fromColumns(row.foundingDate, row.foundingPrecision),
    dissolutionDate: fromColumns(row.dissolutionDate, row.dissolutionPrecision),
    otherNames: row.otherNames.map((n) => ({
      name: n.name,
      startDate: fromColumns(n.startDate, n.startPrecision),
      endDate: fromColumns(n.endDate, n.endPrecision),
      note: n.note,
    })),
    identifiers: row.identifiers.map((i) => ({ scheme: i.scheme, identifier: i.identifier })),
    parents: row.parents.map((p) => ({
      organisationId: p.parentId,
      startDate: fromColumns(p.startDate, p.startPrecision),
      endDate: fromColumns(p.endDate, p.endPrecision),
    })),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export async function loadOrganisation(tx: Executor, id: string, forUpdate = false): Promise<Organisation | undefined> {
  if (forUpdate) {
    const locked = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.id, id))
      .for('update');
    if (locked.length === 0) return undefined;
  }
  const row = await findRow(tx, eq(organisations.id, id));
  return row && presentOrganisation(row);
}

function organisationColumns(input: OrganisationInput) {
  return {
    name: input.name,
    abbreviation: input.abbreviation ?? null,
    classification: input.classification ?? null,
    location: input.location ?? null,
    ...toColumns('founding', input.foundingDate),
    ...toColumns('dissolution', input.dissolutionDate),
  };
}

async function writeChildren(tx: Executor, id: string, input: OrganisationInput, replaceAll: boolean) {
  const list = <T>(items: T[] | undefined) => (replaceAll ? (items ?? []) : items);
  await replaceChildren(
    tx,
    organisationNames,
    'organisationId',
    id,
    list(input.otherNames)?.map((n) => ({
      name: n.name,
      ...toColumns('start', n.startDate),
      ...toColumns('end', n.endDate),
      note: n.note ?? null,
    })),
  );
  await replaceChildren(tx, organisationIdentifiers, 'organisationId', id, list(input.identifiers));
  await replaceChildren(
    tx,
    organisationParents,
    'organisationId',
    id,
    list(input.parents)?.map((p) => ({
      parentId: p.organisationId,
      ...toColumns('start', p.startDate),
      ...toColumns('end', p.endDate),
    })),
  );
}

export async function insertOrganisation(tx: Executor, input: OrganisationInput, id?: string): Promise<string> {
  const [row] = await tx.insert(organisations).values({ ...organisationColumns(input), ...(id ? { id } : {}) }).returning({ id: organisations.id });
  await writeChildren(tx, row!.id, input, false);
  return row!.id;
}

export async function updateOrganisation(tx: Executor, id: string, input: OrganisationInput): Promise<void> {
  await tx
    .update(organisations)
    .set({ ...organisationColumns(input), updatedAt: sql`now()` })
    .where(eq(organisations.id, id));
  await writeChildren(tx, id, input, true);
}

export const organisationKeyset: Keyset<OrganisationRow> = {
  columns: [
    { expression: sql`${organisations.sortName}`, type: 'text' },
    { expression: sql`${organisations.id}`, type: 'uuid' },
  ],
  valuesOf: (row) => [row.sortName, row.id],
};

export interface OrganisationsFilter {
  q?: string;
  classification?: string;
  parentId?: string;
  at?: string;
  cursor?: string;
  limit: number;
}

export async function listOrganisations(db: Executor, filter: OrganisationsFilter): Promise<OrganisationRow[]> {
  const conditions: (SQL | undefined)[] = [afterCursor(organisationKeyset, filter.cursor)];
  // Subqueries on other tables are query builders, not sql`` text: the relational query below
  // would qualify every column in its `where` SQL with the organisations table's alias.
  if (filter.q) {
    const pattern = likePattern(filter.q);
    const formerName = db
      .select({ one: sql`1` })
      .from(organisationNames)
      .where(and(eq(organisationNames.organisationId, organisations.id), ilike(organisationNames.name, pattern)));
    conditions.push(sql`(${organisations.name} ILIKE ${pattern} OR ${organisations.abbreviation} ILIKE ${pattern}
      OR ${exists(formerName)})`);
  }
  if (filter.classification) conditions.push(eq(organisations.classification, filter.classification));
  if (filter.at) {
    conditions.push(
      coversDay(organisations, filter.at),
    );
  }
  if (filter.parentId) {
    const link = and(
      eq(organisationParents.organisationId, organisations.id),
      eq(organisationParents.parentId, filter.parentId),
      filter.at ? coversDay(organisationParents, filter.at) : undefined,
    );
    conditions.push(exists(db.select({ one: sql`1` }).from(organisationParents).where(link)));
  }
  return db.query.organisations.findMany({
    where: and(...conditions),
    orderBy: orderBy(organisationKeyset),
    limit: filter.limit + 1,
    with: withChildren,
  });
}
