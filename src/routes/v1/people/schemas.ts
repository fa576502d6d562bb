import { z } from 'zod';
import { pageQuery } from '../../../http/pagination.js';
import { datedName, day, identifier, text, timestamp, uuid } from '../../../http/schemas.js';

export const contactDetail = z.strictObject({
  type: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be a lower-case word such as email, phone, mobile, fax, address or url'),
  value: text(1000),
  label: text(200).nullish(),
  visibility: z
    .enum(['public', 'internal', 'private'], { error: 'must be public, internal or private' })
    .default('internal')
    .meta({ description: 'Who may see it: `public` everyone, `internal` keyed readers, `private` auditors and admins' }),
});

export const link = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).max(2000),
  note: text(500).nullish(),
});

const MAX_ITEMS = 100;

export const personInput = z
  .strictObject({
    givenName: text(200).nullish(),
    familyName: text(200).nullish(),
    honorificPrefix: text(100).nullish(),
    otherNames: z.array(datedName).max(MAX_ITEMS).optional(),
    contactDetails: z.array(contactDetail).max(MAX_ITEMS).optional(),
    identifiers: z.array(identifier).max(MAX_ITEMS).optional(),
    links: z.array(link).max(MAX_ITEMS).optional(),
  })
  .meta({ id: 'NewPerson' });

export const person = z
  .object({
    id: uuid,
    name: z.string().meta({ description: 'The display name: honorific prefix, given and family name' }),
    givenName: z.string().nullable(),
    familyName: z.string().nullable(),
    honorificPrefix: z.string().nullable(),
    otherNames: z.array(
      z.object({
        name: z.string(),
        startDate: z.string().nullable(),
        endDate: z.string().nullable(),
        note: z.string().nullable(),
      }),
    ),
    contactDetails: z.array(
      z.object({
        type: z.string(),
        value: z.string(),
        label: z.string().nullable(),
        visibility: z.enum(['public', 'internal', 'private']),
      }),
    ),
    identifiers: z.array(z.object({ scheme: z.string(), identifier: z.string() })),
    links: z.array(z.object({ url: z.string(), note: z.string().nullable() })),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Person' });

export type PersonInput = z.infer<typeof personInput>;
export type Person = z.infer<typeof person>;

export const listPeopleQuery = z.strictObject({
  q: z.string().min(1).max(200).optional().meta({ description: 'Part of a name, any case' }),
  organisationId: uuid.optional().meta({ description: 'Only people with an assignment in this organisation' }),
  at: day.optional().meta({ description: 'Only people with an assignment on this day' }),
  ...pageQuery,
});
