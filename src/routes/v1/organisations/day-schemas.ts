import { z } from 'zod';
import { asOf, day, uuid } from '../../../http/schemas.js';
import { holding } from '../assignments/holdings.js';

export interface TreeUnit {
  id: string;
  name: string;
  abbreviation: string | null;
  classification: string | null;
  location: string | null;
  posts: Array<{ id: string; label: string; maxHolders: number | null; vacant: boolean; holders: z.infer<typeof holding>[] }>;
  members?: z.infer<typeof holding>[];
  units: TreeUnit[];
}

export const treePost = z.object({
  id: uuid,
  label: z.string(),
  maxHolders: z.number().int().nullable(),
  vacant: z.boolean().meta({ description: 'Nobody holds the post that day' }),
  holders: z.array(holding),
});

export const treeUnit: z.ZodType<TreeUnit> = z
  .object({
    id: uuid,
    name: z.string().meta({ description: 'The name the organisation had that day' }),
    abbreviation: z.string().nullable(),
    classification: z.string().nullable(),
    location: z.string().nullable(),
    posts: z.array(treePost),
    members: z.array(holding).optional().meta({ description: 'Assignments that day without a post; only with `members=true`' }),
    get units() {
      return z.array(treeUnit).meta({ description: 'Sub-units as attached that day' });
    },
  })
  .meta({ id: 'TreeUnit' });

export const tree = z
  .object({
    at: day,
    existed: z.boolean().meta({ description: 'Whether the organisation existed that day' }),
    root: treeUnit,
  })
  .meta({ id: 'OrganisationTree' });

/** `true`/`false` in a query string. */
const flag = (description: string) =>
  z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .default('false')
    .transform((v) => v === 'true')
    .meta({ description });

/**
 * The chart (DESIGN.md §4: sub-units, posts and their holders) leaves the members without a post
 * out unless asked: a ministry's chart holds hundreds of posts but many thousands of memberships.
 */
export const treeQuery = z.strictObject({
  at: day.optional().meta({ description: 'The day, YYYY-MM-DD; default today' }),
  asOf,
  members: flag('Also each unit\'s members without a post (a team page)'),
});

export const membersQuery = z.strictObject({
  at: day.optional().meta({ description: 'The day, YYYY-MM-DD; default today' }),
  asOf,
  includeSubUnits: flag('Also the members of sub-units, as attached that day'),
});

export const members = z
  .object({
    at: day,
    organisationId: uuid,
    includeSubUnits: z.boolean(),
    items: z.array(holding.extend({ organisationName: z.string().meta({ description: 'Its name that day' }) })),
  })
  .meta({ id: 'OrganisationMembers' });
