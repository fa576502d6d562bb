import { z } from 'zod';
import { day, text, timestamp, uuid } from '../../../http/schemas.js';

const common = {
  note: text(5000).nullish(),
  source: text(2000).nullish().meta({ description: 'Where this is known from: a URL or document title' }),
  reason: text(2000).nullish().meta({ description: 'Why it is recorded; kept in the audit log (X-Reason when absent)' }),
};

const firstDay = day.meta({ description: 'The first day of the new state; the old one ends the day before' });

export const organisationEventInput = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        type: z.literal('rename'),
        date: firstDay,
        name: text(300),
        abbreviation: text(50).nullish().meta({ description: 'The new abbreviation; omitted keeps the old one, null removes it' }),
        ...common,
      }),
      z.strictObject({
        type: z.literal('dissolve'),
        date: day.meta({ description: 'The last day of the organisation: its open assignments and parent links end on it' }),
        ...common,
      }),
      z.strictObject({
        type: z.literal('merge'),
        date: firstDay,
        with: z.array(uuid).min(1).max(50).meta({ description: 'The other organisations merged with this one' }),
        resultingId: uuid.meta({ description: 'The organisation they merge into (it may be one of them)' }),
        moveSubUnits: z
          .boolean()
          .default(true)
          .meta({ description: "Attach the merged organisations' sub-units to the result from `date`" }),
        ...common,
      }),
      z.strictObject({
        type: z.literal('split'),
        date: firstDay,
        resultingIds: z.array(uuid).min(1).max(50).meta({ description: 'The organisations this one is split into' }),
        moves: z
          .array(z.strictObject({ organisationId: uuid, parentId: uuid }))
          .max(500)
          .default([])
          .meta({ description: 'Sub-units that move to one of the resulting organisations from `date`' }),
        ...common,
      }),
    ],
    { error: 'type must be rename, dissolve, merge or split' },
  )
  .meta({ id: 'NewOrganisationEvent' });

export type OrganisationEventInput = z.infer<typeof organisationEventInput>;

export const organisationEvent = z
  .object({
    id: uuid,
    type: z.enum(['rename', 'merge', 'split', 'dissolve']),
    date: day,
    originalIds: z.array(uuid),
    resultingIds: z.array(uuid),
    note: z.string().nullable(),
    source: z.string().nullable(),
    recordedBy: z.string(),
    createdAt: timestamp,
  })
  .meta({ id: 'OrganisationEvent' });

export type OrganisationEvent = z.infer<typeof organisationEvent>;

export const organisationEventResult = z
  .object({
    event: organisationEvent,
    endedAssignments: z.number().int().meta({ description: 'Assignments the event ended' }),
    endedParentLinks: z.number().int().meta({ description: 'Parent links (up and down) the event ended' }),
    movedSubUnits: z.number().int().meta({ description: 'Sub-units attached to a resulting organisation' }),
  })
  .meta({ id: 'OrganisationEventResult' });
