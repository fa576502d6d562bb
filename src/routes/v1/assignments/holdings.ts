import { and, asc, eq, inArray, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../../db/client.js';
import { certaintyOn, coversDay, fromColumns, type DayValue } from '../../../db/dates.js';
import { prepared } from '../../../db/prepared.js';
import { assignments, people } from '../../../db/schema.js';
import { certainty, personRef, uuid } from '../../../http/schemas.js';

/**
 * A holding: an assignment seen from an organisation or a post, with who holds it. Trees,
 * member lists and post holders all show assignments this way.
 */
export const holding = z
  .object({
    assignmentId: uuid,
    person: personRef,
    organisationId: uuid,
    postId: uuid.nullable(),
    role: z.string().nullable(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    certainty: certainty.nullable().meta({ description: 'On the day asked about; null when no day was asked' }),
  })
  .meta({ id: 'Holding' });

export type Holding = z.infer<typeof holding>;

export const personName = sql<string>`concat_ws(' ', ${people.honorificPrefix}, ${people.givenName}, ${people.familyName})`;

function holdingsQuery(db: Executor, where: SQL | undefined, day: DayValue | undefined) {
  return db
    .select({
      assignmentId: assignments.id,
      personId: assignments.personId,
      personName,
      organisationId: assignments.organisationId,
      postId: assignments.postId,
      role: assignments.role,
      startDate: assignments.startDate,
      startPrecision: assignments.startPrecision,
      endDate: assignments.endDate,
      endPrecision: assignments.endPrecision,
      certainty: day ? certaintyOn(assignments, day) : sql<null>`NULL`,
    })
    .from(assignments)
    .innerJoin(people, eq(people.id, assignments.personId))
    .where(and(where, day ? coversDay(assignments, day) : undefined))
    .orderBy(sql`${assignments.startDate} NULLS FIRST`, asc(people.sortName), asc(assignments.id));
}

type HoldingRow = Awaited<ReturnType<typeof holdingsQuery>>[number];

const presentHolding = (h: HoldingRow): Holding => ({
  assignmentId: h.assignmentId,
  person: { id: h.personId, name: h.personName },
  organisationId: h.organisationId,
  postId: h.postId,
  role: h.role,
  startDate: fromColumns(h.startDate, h.startPrecision),
  endDate: fromColumns(h.endDate, h.endPrecision),
  certainty: h.certainty ?? null,
});

/** Holdings that match `where`, on `day` (with certainty) or over all time, by start then name. */
export async function holdings(db: Executor, where: SQL | undefined, day: string | undefined): Promise<Holding[]> {
  return (await holdingsQuery(db, where, day)).map(presentHolding);
}

export const inPost = (id: string | Placeholder) => eq(assignments.postId, id);

const ofPost = inPost(sql.placeholder('postId'));
const postHoldingsOn = (db: Executor, name: string) => holdingsQuery(db, ofPost, sql.placeholder('day')).prepare(name);
const postSuccession = (db: Executor, name: string) => holdingsQuery(db, ofPost, undefined).prepare(name);

/** A post's holders on a day, or its whole succession: the hot read of post widgets, prepared. */
export async function postHoldings(db: Executor, postId: string, day: string | undefined): Promise<Holding[]> {
  const rows = day
    ? await prepared(db, 'post_holdings_on', postHoldingsOn).execute({ postId, day })
    : await prepared(db, 'post_succession', postSuccession).execute({ postId });
  return rows.map(presentHolding);
}

export const inOrganisations = (ids: string[]) => inArray(assignments.organisationId, ids);
