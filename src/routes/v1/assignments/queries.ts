import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { coversDay, fromColumns, overlapsPeriod, toColumns } from '../../../db/dates.js';
import { assignments } from '../../../db/schema.js';
import { afterCursor, orderBy, type Keyset } from '../../../http/pagination.js';
import type { Assignment, AssignmentInput } from './schemas.js';

export type AssignmentRow = typeof assignments.$inferSelect;

export function presentAssignment(row: AssignmentRow): Assignment {
  return {
    id: row.id,
    personId: row.personId,
    organisationId: row.organisationId,
    postId: row.postId,
    role: row.role,
    onBehalfOfId: row.onBehalfOfId,
    startDate: fromColumns(row.startDate, row.startPrecision),
    endDate: fromColumns(row.endDate, row.endPrecision),
    source: row.source,
    note: row.note,
    startedByTransitionId: row.startedByTransitionId,
    endedByTransitionId: row.endedByTransitionId,
    endedByEventId: row.endedByEventId,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}

export async function loadAssignment(tx: Executor, id: string, forUpdate = false): Promise<Assignment | undefined> {
  const query = tx.select().from(assignments).where(eq(assignments.id, id));
  const [row] = forUpdate ? await query.for('update') : await query;
  return row && presentAssignment(row);
}

export const assignmentColumns = (input: AssignmentInput) => ({
  personId: input.personId,
  organisationId: input.organisationId,
  postId: input.postId ?? null,
  role: input.role ?? null,
  onBehalfOfId: input.onBehalfOfId ?? null,
  ...toColumns('start', input.startDate),
  ...toColumns('end', input.endDate),
  source: input.source ?? null,
  note: input.note ?? null,
});

export async function insertAssignment(tx: Executor, input: AssignmentInput, id?: string): Promise<string> {
  const [row] = await tx.insert(assignments).values({ ...assignmentColumns(input), ...(id ? { id } : {}) }).returning({ id: assignments.id });
  return row!.id;
}

export async function updateAssignment(tx: Executor, id: string, input: AssignmentInput): Promise<void> {
  await tx
    .update(assignments)
    .set({ ...assignmentColumns(input), updatedAt: sql`now()` })
    .where(eq(assignments.id, id));
}

/** In date order; an unknown start sorts first. */
export const assignmentKeyset: Keyset<AssignmentRow> = {
  columns: [
    { expression: sql`coalesce(${assignments.startDate}, '-infinity'::date)`, type: 'date' },
    { expression: sql`${assignments.id}`, type: 'uuid' },
  ],
  valuesOf: (row) => [row.startDate ?? '-infinity', row.id],
};

export interface AssignmentsFilter {
  personId?: string;
  organisationId?: string;
  postId?: string;
  at?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit: number;
}

export async function listAssignments(db: Executor, filter: AssignmentsFilter): Promise<AssignmentRow[]> {
  const conditions: (SQL | undefined)[] = [
    afterCursor(assignmentKeyset, filter.cursor),
    filter.personId ? eq(assignments.personId, filter.personId) : undefined,
    filter.organisationId ? eq(assignments.organisationId, filter.organisationId) : undefined,
    filter.postId ? eq(assignments.postId, filter.postId) : undefined,
    filter.at ? coversDay(assignments, filter.at) : undefined,
    filter.from || filter.to ? overlapsPeriod(assignments, filter.from, filter.to) : undefined,
  ];
  return db
    .select()
    .from(assignments)
    .where(and(...conditions))
    .orderBy(...orderBy(assignmentKeyset))
    .limit(filter.limit + 1);
}
