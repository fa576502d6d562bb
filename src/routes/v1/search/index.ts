import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { problemResponses } from '../../../http/problem.js';
import { indexableWords, queryForms, search } from './queries.js';
import { SEARCH_TYPES, searchQuery, searchResult, TYPE_WORDS, type SearchType } from './schemas.js';

export default async function searchRoutes(app: FastifyInstance) {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Search people, organisations and posts by name',
        description:
          'People by their name and other (e.g. former) names, organisations by name, abbreviation and other names, ' +
          'posts by label: one ranked list, best first, each hit with its `type`. Insensitive to case and diacritics ' +
          'and German-aware ("Strade", "Straede", "sträde" and "STRÄDE" find Sträde; "Strasse" finds Straße; ' +
          '"GIB" finds G.I.B.), and tolerant of a typo or two. Hits carry names only, nothing a public reader may ' +
          'not see. A query without a word of two or more letters or digits finds nothing. Search answers about the ' +
          'directory as it stands now (no `asOf`).',
        tags: ['search'],
        querystring: searchQuery,
        response: { 200: searchResult, ...problemResponses(400) },
      },
    },
    async (request) => {
      const { q, types, at, limit } = request.query;
      // A single letter (typed into a search box) finds nothing yet rather than an error.
      if (!queryForms(q).some((form) => indexableWords(form).length > 0)) return { items: [] };
      const wanted: SearchType[] = types
        ? [...new Set(types.split(',').map((word) => TYPE_WORDS[word]!))]
        : [...SEARCH_TYPES];
      const items = await request.read((db) => search(app.database, db, { q, types: wanted, at, limit }));
      return { items };
    },
  );
}
