import { z } from 'zod';
import { pageQuery } from '../../../http/pagination.js';
import { day, partialDate, text, timestamp, uuid, withOrderedDates } from '../../../http/schemas.js';

export const assignmentInput = withOrderedDates(
  z.strictObject({
    personId: uuid,
    organisationId: uuid,
    postId: uuid.nullish().meta({ description: 'A post of the same organisation' }),
    role: text(200).nullish().meta({ description: 'A free label: "Mitglied", "Referentin", "Vorsitzende"' }),
    onBehalfOfId: uuid.nullish().meta({ description: 'The organisation the person represents there' }),
    startDate: partialDate.nullish().meta({ description: 'The first day in the role (partial dates allowed)' }),
    endDate: partialDate.nullish().meta({ description: 'The last day in the role, inclusive; none = ongoing' }),
    source: text(2000).nullish().meta({ description: 'Where this is known from: a URL or a document title' }),
    note: text(5000).nullish(),
  }),
).meta({ id: 'NewAssignment' });

export const assignment = z
  .object({
    id: uuid,
    personId: uuid,
    organisationId: uuid,
    postId: uuid.nullable(),
    role: z.string().nullable(),
    onBehalfOfId: uuid.nullable(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    source: z.string().nullable(),
    note: z.string().nullable(),
    startedByTransitionId: uuid.nullable().meta({ description: 'The transition that started it, if one did' }),
    endedByTransitionId: uuid.nullable().meta({ description: 'The transition that ended it, if one did' }),
    endedByEventId: uuid.nullable().meta({ description: 'The organisation event (a dissolution, …) that ended it' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Assignment' });

export type AssignmentInput = z.infer<typeof assignmentInput>;
export type Assignment = z.infer<typeof assignment>;

export const listAssignmentsQuery = withOrderedDates(
  z.strictObject({
    personId: uuid.optional(),
    organisationId: uuid.optional(),
    postId: uuid.optional(),
    at: day.optional().meta({ description: 'Only assignments that may cover this day' }),
    from: day.optional().meta({ description: 'Only assignments that may overlap the days from … (with `to`)' }),
    to: day.optional().meta({ description: '… to this day, inclusive' }),
    ...pageQuery,
  }),
  'from',
  'to',
);
