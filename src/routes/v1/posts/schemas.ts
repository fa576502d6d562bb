import { z } from 'zod';
import { pageQuery } from '../../../http/pagination.js';
import { text, timestamp, uuid } from '../../../http/schemas.js';

export const postInput = z
  .strictObject({
    organisationId: uuid.meta({ description: 'The organisation the post belongs to; fixed once assignments refer to it' }),
    label: text(300),
    maxHolders: z
      .number({ error: 'must be a whole number or null' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(100000)
      .nullish()
      .meta({ description: '1 = a single holder at a time; null = unlimited' }),
  })
  .meta({ id: 'NewPost' });

export const post = z
  .object({
    id: uuid,
    organisationId: uuid,
    label: z.string(),
    maxHolders: z.number().int().nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Post' });

export type PostInput = z.infer<typeof postInput>;
export type Post = z.infer<typeof post>;

export const listPostsQuery = z.strictObject({
  organisationId: uuid.optional(),
  q: z.string().min(1).max(200).optional().meta({ description: 'Part of the label, any case' }),
  ...pageQuery,
});
