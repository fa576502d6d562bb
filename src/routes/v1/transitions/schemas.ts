import { z } from 'zod';
import { day, text, timestamp, uuid } from '../../../http/schemas.js';
import { assignment } from '../assignments/schemas.js';

const endByAssignment = z.strictObject({ assignmentId: uuid });
const endByMembership = z
  .strictObject({ personId: uuid, organisationId: uuid })
  .meta({ description: "All of the person's assignments in the organisation that are current on the day before `date`" });

export const transitionStart = z.strictObject({
  personId: uuid,
  organisationId: uuid,
  postId: uuid.nullish(),
  role: text(200).nullish(),
  onBehalfOfId: uuid.nullish(),
  source: text(2000).nullish().meta({ description: "Defaults to the transition's source" }),
  note: text(5000).nullish(),
});

const MAX_ITEMS = 200;

export const transitionInput = z
  .strictObject({
    date: day.meta({
      description: 'The first day of the new state: ended assignments end on the day before, new ones start on it. May lie in the future.',
    }),
    end: z.array(z.union([endByAssignment, endByMembership])).max(MAX_ITEMS).default([]),
    start: z.array(transitionStart).max(MAX_ITEMS).default([]),
    reason: text(2000).nullish().meta({ description: 'Why; kept in the audit log (X-Reason when absent)' }),
    source: text(2000).nullish().meta({ description: 'Where this is known from: a URL or document title' }),
  })
  .refine((t) => t.end.length + t.start.length > 0, {
    message: 'a transition ends or starts at least one assignment',
    path: ['start'],
  })
  .meta({ id: 'NewTransition' });

export const transition = z
  .object({
    id: uuid,
    date: z.string(),
    reason: z.string().nullable(),
    source: z.string().nullable(),
    recordedBy: z.string(),
    createdAt: timestamp,
    ended: z.array(assignment).meta({ description: 'The assignments it ended, as they are now' }),
    started: z.array(assignment).meta({ description: 'The assignments it started, as they are now' }),
  })
  .meta({ id: 'Transition' });

export type TransitionInput = z.infer<typeof transitionInput>;
export type Transition = z.infer<typeof transition>;
