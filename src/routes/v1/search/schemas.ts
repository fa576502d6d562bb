import { z } from 'zod';
import { day, uuid } from '../../../http/schemas.js';

export const SEARCH_TYPES = ['person', 'organisation', 'post'] as const;
export type SearchType = (typeof SEARCH_TYPES)[number];

/** The words `types` takes: the singular, or the collection's plural as in the URL paths. */
export const TYPE_WORDS: Record<string, SearchType> = {
  person: 'person',
  people: 'person',
  organisation: 'organisation',
  organisations: 'organisation',
  post: 'post',
  posts: 'post',
};

const typeWord = Object.keys(TYPE_WORDS).join('|');

export const MAX_SEARCH_LIMIT = 100;

export const searchQuery = z.strictObject({
  q: z
    .string({ error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters long')
    .meta({
      description:
        'What to look for: part of a name, any case, with or without diacritics (ä = ae = a, ß = ss), a few typos allowed',
      examples: ['Strade', 'G.I.B.', 'Schleimr'],
    }),
  types: z
    .string()
    .regex(new RegExp(`^(${typeWord})(,(${typeWord}))*$`), 'must be a comma-separated list of person, organisation, post')
    .optional()
    .meta({ description: 'Comma-separated: `person`, `organisation`, `post` (default all)', examples: ['person,organisation'] }),
  at: day.optional().meta({
    description: 'Only people with an assignment that may cover this day, organisations that exist that day and posts of those',
  }),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_SEARCH_LIMIT, `must be at most ${MAX_SEARCH_LIMIT}`)
    .default(20)
    .meta({ description: `Hits to return, 1 to ${MAX_SEARCH_LIMIT}` }),
});

export type SearchQuery = z.infer<typeof searchQuery>;

export const searchHit = z
  .object({
    type: z.enum(SEARCH_TYPES),
    id: uuid,
    name: z.string().meta({ description: "A person's display name, an organisation's name, a post's label" }),
    matched: z.object({
      field: z
        .enum(['name', 'otherName', 'abbreviation', 'label'])
        .meta({ description: 'Which name matched: the name, an other (e.g. former) name, the abbreviation, the label' }),
      name: z.string().meta({ description: 'The name that matched, as stored' }),
    }),
    score: z.number().meta({ description: 'How well it matched, 0 to 1; hits come best first' }),
    abbreviation: z.string().nullable().meta({ description: 'Organisations: the abbreviation' }),
    organisation: z
      .object({ id: uuid, name: z.string() })
      .nullable()
      .meta({ description: 'Posts: the organisation the post belongs to' }),
  })
  .meta({ id: 'SearchHit' });

export const searchResult = z
  .object({
    items: z.array(searchHit),
  })
  .meta({ id: 'SearchResult' });

export type SearchHit = z.infer<typeof searchHit>;
