import { and, asc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../../db/client.js';
import { certaintyOn, coversDay, fromColumns } from '../../../db/dates.js';
import { prepared } from '../../../db/prepared.js';
import { assignments, organisations, posts } from '../../../db/schema.js';
import { certainty, day, uuid } from '../../../http/schemas.js';

/** What a person does on a day, as a contact card or a team page shows it (DESIGN.md §2). */
export const currentRole = z
  .object({
    assignmentId: uuid,
    organisation: z.object({ id: uuid, name: z.string().meta({ description: 'Its name that day' }) }),
    post: z.object({ id: uuid, label: z.string() }).nullable(),
    role: z.string().nullable(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    certainty,
  })
  .meta({ id: 'CurrentRole' });

/** What GET /v1/people/{id} adds to the record: read-only, about the day `at`. */
export const currentRoles = {
  at: day.meta({ description: 'The day `currentRoles` are about: the `at` parameter, default today' }),
  currentRoles: z.array(currentRole).meta({ description: 'The assignments that may cover that day, by start' }),
};

export type CurrentRole = z.infer<typeof currentRole>;

const onDay = sql.placeholder('day');

const rolesQuery = (db: Executor, name: string) =>
  db
    .select({
      assignmentId: assignments.id,
      organisationId: assignments.organisationId,
      organisationName: sql<string>`rb_organisation_name_on(${organisations.id}, ${onDay}::date)`,
      postId: posts.id,
      postLabel: posts.label,
      role: assignments.role,
      startDate: assignments.startDate,
      startPrecision: assignments.startPrecision,
      endDate: assignments.endDate,
      endPrecision: assignments.endPrecision,
      certainty: certaintyOn(assignments, onDay),
    })
    .from(assignments)
    .innerJoin(organisations, eq(organisations.id, assignments.organisationId))
    .leftJoin(posts, eq(posts.id, assignments.postId))
    .where(and(eq(assignments.personId, sql.placeholder('personId')), coversDay(assignments, onDay)))
    .orderBy(sql`${assignments.startDate} NULLS FIRST`, asc(assignments.id))
    .prepare(name);

export async function rolesOn(db: Executor, personId: string, on: string): Promise<CurrentRole[]> {
  const rows = await prepared(db, 'person_roles_on', rolesQuery).execute({ personId, day: on });
  return rows.map((r) => ({
    assignmentId: r.assignmentId,
    organisation: { id: r.organisationId, name: r.organisationName },
    post: r.postId === null || r.postLabel === null ? null : { id: r.postId, label: r.postLabel },
    role: r.role,
    startDate: fromColumns(r.startDate, r.startPrecision),
    endDate: fromColumns(r.endDate, r.endPrecision),
    certainty: r.certainty,
  }));
}
