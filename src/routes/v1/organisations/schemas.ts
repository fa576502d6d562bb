import { z } from 'zod';
import { pageQuery } from '../../../http/pagination.js';
import { datedName, day, identifier, partialDate, text, timestamp, uuid, withOrderedDates } from '../../../http/schemas.js';

export const parentLink = withOrderedDates(
  z.strictObject({
    organisationId: uuid.meta({ description: 'The parent organisation' }),
    startDate: partialDate.nullish(),
    endDate: partialDate.nullish(),
  }),
);

const MAX_ITEMS = 100;

export const organisationInput = withOrderedDates(
  z.strictObject({
    name: text(300),
    abbreviation: text(50).nullish(),
    classification: text(100)
      .nullish()
      .meta({ description: 'ministry, department, unit, agency, company, association, committee, region, …' }),
    location: text(200).nullish(),
    foundingDate: partialDate.nullish(),
    dissolutionDate: partialDate.nullish(),
    otherNames: z.array(datedName).max(MAX_ITEMS).optional().meta({ description: 'Former and alternative names, dated' }),
    identifiers: z.array(identifier).max(MAX_ITEMS).optional(),
    parents: z
      .array(parentLink)
      .max(MAX_ITEMS)
      .optional()
      .meta({ description: 'The organisations this one belonged to, from when to when' }),
  }),
  'foundingDate',
  'dissolutionDate',
).meta({ id: 'NewOrganisation' });

export const organisation = z
  .object({
    id: uuid,
    name: z.string(),
    abbreviation: z.string().nullable(),
    classification: z.string().nullable(),
    location: z.string().nullable(),
    foundingDate: z.string().nullable(),
    dissolutionDate: z.string().nullable(),
    otherNames: z.array(
      z.object({ name: z.string(), startDate: z.string().nullable(), endDate: z.string().nullable(), note: z.string().nullable() }),
    ),
    identifiers: z.array(z.object({ scheme: z.string(), identifier: z.string() })),
    parents: z.array(
      z.object({ organisationId: uuid, startDate: z.string().nullable(), endDate: z.string().nullable() }),
    ),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Organisation' });

export type OrganisationInput = z.infer<typeof organisationInput>;
export type Organisation = z.infer<typeof organisation>;

export const listOrganisationsQuery = z.strictObject({
  q: z.string().min(1).max(200).optional().meta({ description: 'Part of a name or abbreviation, any case' }),
  classification: z.string().min(1).max(100).optional(),
  parentId: uuid.optional().meta({ description: 'Only direct sub-units of this organisation (on `at`, if given)' }),
  at: day.optional().meta({ description: 'Only organisations that existed on this day' }),
  ...pageQuery,
});
