import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { lastDay, parsePartialDate } from '../../../domain/partial-date.js';
import { succession } from '../../../domain/succession.js';
import { notFound, problemResponses } from '../../../http/problem.js';
import { asOf, day, idParams } from '../../../http/schemas.js';
import { holding, postHoldings, type Holding } from '../assignments/holdings.js';
import { loadPost } from './queries.js';
import { post } from './schemas.js';

const period = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('held'), holding }),
  z.object({
    kind: z.literal('vacant'),
    from: day,
    to: day.nullable().meta({ description: 'The last vacant day; null when nobody holds the post since' }),
  }),
]);

const holdersResponse = z
  .object({
    post,
    at: day.nullable().meta({ description: 'The day asked about; null for the full succession' }),
    vacant: z.boolean().nullable().meta({ description: 'Nobody held the post that day (null without `at`)' }),
    holders: z.array(holding).meta({ description: 'The holders that day, or every holder in order' }),
    succession: z
      .array(period)
      .nullable()
      .meta({ description: 'Without `at`: holdings and the vacancies between them, in order' }),
  })
  .meta({ id: 'PostHolders' });

const holdersQuery = z.strictObject({
  at: day.optional().meta({ description: 'A day; without it, the full succession' }),
  asOf,
});

/** The span a holding may cover, for finding vacancies: a partial date counts with all its days. */
const possibleSpan = (h: Holding) => ({
  first: h.startDate ? parsePartialDate(h.startDate)!.first : null,
  last: h.endDate ? lastDay(parsePartialDate(h.endDate)!) : null,
});

export default async function postHolderRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/:id/holders',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Who holds the post: on a day, or the full succession with vacancies',
        tags: ['posts'],
        params: idParams,
        querystring: holdersQuery,
        response: { 200: holdersResponse, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { at } = request.query;
      const [found, holders] = await request.read(async (db) => [await loadPost(db, id), await postHoldings(db, id, at)] as const);
      if (!found) throw notFound('post', id);
      if (at) return { post: found, at, vacant: holders.length === 0, holders, succession: null };
      return { post: found, at: null, vacant: null, holders, succession: succession(holders, possibleSpan) };
    },
  );
}
