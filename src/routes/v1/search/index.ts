import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { invalid, problemResponses } from '../../../http/problem.js';
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
          'not see. Search answers about the directory as it stands now (no `asOf`).',
        tags: ['search'],
        querystring: searchQuery,
        response: { 200: searchResult, ...problemResponses(400) },
      },
    },
    async (request) => {
      const { q, types, at, limit } = request.query;
      const forms = queryForms(q);
      if (!forms.some((form) => indexableWords(form).length > 0)) {
        throw invalid([{ path: '/q', in: 'query', message: 'must hold a word of at least two letters or digits' }]);
      }
      const wanted: SearchType[] = types
        ? [...new Set(types.split(',').map((word) => TYPE_WORDS[word]!))]
        : [...SEARCH_TYPES];
      const items = await request.read((db) => search(app.database, db, { q, types: wanted, at, limit }));
      return { items };
    },
  );
}
