import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../../db/client.js';
import { certaintyOn, coversDay, fromColumns } from '../../../db/dates.js';
import { assignments, people, posts } from '../../../db/schema.js';
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

/** Holdings that match `where`, on `day` (with certainty) or over all time, by start then name. */
export async function holdings(db: Executor, where: SQL | undefined, day: string | undefined): Promise<Holding[]> {
  const rows = await db
    .select({
      assignment: assignments,
      personName,
      certainty: day ? certaintyOn(assignments, day) : sql<null>`NULL`,
    })
    .from(assignments)
    .innerJoin(people, eq(people.id, assignments.personId))
    .where(and(where, day ? coversDay(assignments, day) : undefined))
    .orderBy(sql`${assignments.startDate} NULLS FIRST`, asc(people.sortName), asc(assignments.id));
  return rows.map(({ assignment: a, personName, certainty }) => ({
    assignmentId: a.id,
    person: { id: a.personId, name: personName },
    organisationId: a.organisationId,
    postId: a.postId,
    role: a.role,
    startDate: fromColumns(a.startDate, a.startPrecision),
    endDate: fromColumns(a.endDate, a.endPrecision),
    certainty: certainty ?? null,
  }));
}

export const inOrganisations = (ids: string[]) => inArray(assignments.organisationId, ids);
export const inPost = (id: string) => eq(assignments.postId, id);

export async function postsOf(db: Executor, organisationIds: string[]) {
  return db.select().from(posts).where(inArray(posts.organisationId, organisationIds)).orderBy(asc(posts.sortLabel), asc(posts.id));
}
