import { and, asc, eq, or, sql } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { coversDay } from '../../../db/dates.js';
import { databaseProblem } from '../../../db/errors.js';
import { assignments, transitions } from '../../../db/schema.js';
import type { ChangeSet } from '../../../db/write.js';
import { addDays } from '../../../domain/partial-date.js';
import { Problem, invalid, type FieldError } from '../../../http/problem.js';
import { assignmentColumns, presentAssignment, type AssignmentRow } from '../assignments/queries.js';
import type { Transition, TransitionInput } from './schemas.js';

/** An assignment a transition on `date` can end: held on the day before and not ended by then. */
const endableOn = (date: string) =>
  and(coversDay(assignments, addDays(date, -1)), coversDay(assignments, date))!;

/** The assignments an `end` list names, locked, each checked to be current on `dayBefore`. */
async function assignmentsToEnd(tx: Executor, input: TransitionInput, dayBefore: string): Promise<AssignmentRow[]> {
  const found = new Map<string, AssignmentRow>();
  for (const [index, item] of input.end.entries()) {
    if ('assignmentId' in item) {
      const [row] = await tx
        .select({ row: assignments, current: sql<boolean>`${endableOn(input.date)}` })
        .from(assignments)
        .where(eq(assignments.id, item.assignmentId))
        .for('update');
      if (!row) {
        throw invalid([{ path: `/end/${index}/assignmentId`, in: 'body', message: 'refers to no assignment' }]);
      }
      if (!row.current) {
        throw new Problem(
          'conflict',
          `Assignment ${item.assignmentId} is not current from ${dayBefore} to ${input.date}: it does not run on the day before the transition, or it ends by then already.`,
          { conflicting: { entity: 'assignment', ...presentAssignment(row.row) } },
        );
      }
      found.set(row.row.id, row.row);
    } else {
      const rows = await tx
        .select()
        .from(assignments)
        .where(
          and(
            eq(assignments.personId, item.personId),
            eq(assignments.organisationId, item.organisationId),
            endableOn(input.date),
          ),
        )
        .for('update');
      if (rows.length === 0) {
        throw new Problem(
          'conflict',
          `Person ${item.personId} has no assignment in organisation ${item.organisationId} that runs on ${dayBefore}, the day before the transition, and is not ended by then.`,
          { errors: [{ path: `/end/${index}`, in: 'body', message: 'matches no current assignment' }] },
        );
      }
      for (const row of rows) found.set(row.id, row);
    }
  }
  return [...found.values()];
}

/**
 * A reference the database refused in a new assignment (an unknown person, a post of another
 * organisation, …) is reported at its place in the request, `/start/<index>/personId`, not at the
 * top-level path a single assignment's create would use.
 */
function inStartItem(error: unknown, index: number): unknown {
  const problem = databaseProblem(error);
  const errors = problem?.type === 'validation-error' ? (problem.extensions.errors as FieldError[] | undefined) : undefined;
  if (!problem || !errors) return error;
  const located = errors.map((e) => ({ ...e, path: `/start/${index}${e.path === '/' ? '' : e.path}` }));
  return new Problem('validation-error', `start ${index}: ${problem.detail}`, { ...problem.extensions, errors: located });
}

/**
 * Ends the named assignments on the day before `date` and starts the new ones on `date`, in the
 * caller's transaction: the database's guards refuse the whole transition if any part conflicts.
 */
export async function recordTransition(
  tx: Executor,
  input: TransitionInput,
  recordedBy: string,
  changes: ChangeSet,
  id?: string,
): Promise<string> {
  const dayBefore = addDays(input.date, -1);
  const [created] = await tx
    .insert(transitions)
    .values({ date: input.date, reason: input.reason ?? null, source: input.source ?? null, recordedBy, ...(id ? { id } : {}) })
    .returning();
  const transitionId = created!.id;
  changes.record({ entity: 'transition', entityId: transitionId, action: 'create', before: null, after: created });

  for (const before of await assignmentsToEnd(tx, input, dayBefore)) {
    const [after] = await tx
      .update(assignments)
      .set({ endDate: dayBefore, endPrecision: 'day', endedByTransitionId: transitionId, updatedAt: sql`now()` })
      .where(eq(assignments.id, before.id))
      .returning();
    changes.record({
      entity: 'assignment',
      entityId: before.id,
      action: 'update',
      before: presentAssignment(before),
      after: presentAssignment(after!),
    });
  }

  for (const [index, start] of input.start.entries()) {
    const [row] = await tx
      .insert(assignments)
      .values({
        ...assignmentColumns({ ...start, startDate: input.date, source: start.source ?? input.source }),
        startedByTransitionId: transitionId,
      })
      .returning()
      .catch((error: unknown) => {
        throw inStartItem(error, index);
      });
    changes.record({ entity: 'assignment', entityId: row!.id, action: 'create', before: null, after: presentAssignment(row!) });
  }
  return transitionId;
}

export async function loadTransition(db: Executor, id: string): Promise<Transition | undefined> {
  const [row] = await db.select().from(transitions).where(eq(transitions.id, id));
  if (!row) return undefined;
  const touched = await db
    .select()
    .from(assignments)
    .where(or(eq(assignments.startedByTransitionId, id), eq(assignments.endedByTransitionId, id)))
    .orderBy(asc(assignments.createdAt), asc(assignments.id));
  return {
    id: row.id,
    date: row.date,
    reason: row.reason,
    source: row.source,
    recordedBy: row.recordedBy,
    createdAt: new Date(row.createdAt).toISOString(),
    ended: touched.filter((a) => a.endedByTransitionId === id).map(presentAssignment),
    started: touched.filter((a) => a.startedByTransitionId === id).map(presentAssignment),
  };
}
